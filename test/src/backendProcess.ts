import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ReboundClient } from '@rebound/core';

export const ROOT = path.resolve(__dirname, '../..');
export const DATA_DIR = path.join(ROOT, 'node_modules/vega-datasets/data');
const ENTRY = path.join(ROOT, 'plugins/recovery-backend/dist/standalone.js');
export const TOKEN = 'e2e-test-token-123';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A backend process of its own, as `npm run start:backend` runs it. */
export class BackendProcess {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];
  readonly client: ReboundClient;

  constructor(
    readonly port: number,
    private readonly configFile: string,
    private readonly env: Record<string, string> = {},
  ) {
    this.client = new ReboundClient({
      baseUrl: `http://127.0.0.1:${port}/api/recovery`,
      token: TOKEN,
    });
  }

  /** Writes a config merged over app-config.yaml, as --config does. */
  static async create(
    workDir: string,
    config: (port: number) => Record<string, unknown>,
    env: Record<string, string> = {},
  ): Promise<BackendProcess> {
    const port = await freePort();
    const file = path.join(workDir, `config-${port}.json`);
    await fs.writeFile(file, JSON.stringify(config(port), null, 2));
    return new BackendProcess(port, file, env);
  }

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        ENTRY,
        '--config',
        path.join(ROOT, 'app-config.yaml'),
        '--config',
        this.configFile,
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          REBOUND_API_TOKEN: TOKEN,
          NODE_ENV: 'production',
          ...this.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 400) {
        this.output.shift();
      }
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    await this.waitUntilReady(child);
  }

  /** The crash case: no shutdown hook runs, leases are left to expire. */
  kill(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) {
      return;
    }
    this.child = undefined;
    const exited = new Promise(resolve => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private async waitUntilReady(child: ChildProcess) {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(
          `The backend exited with ${child.exitCode}:\n${this.output.join('')}`,
        );
      }
      try {
        await this.client.listJobs({ limit: 1 });
        return;
      } catch {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
    }
    throw new Error(
      `The backend did not answer within 60 s:\n${this.output.join('')}`,
    );
  }
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `rebound-${prefix}-`));
}

/** Recovery settings that make a test's outage and crash short. */
export function fastRecovery(targetUrl: string) {
  return {
    targets: {
      api: {
        type: 'http',
        url: targetUrl,
        batchSize: 250,
        timeout: { seconds: 5 },
      },
    },
    autoRecovery: { enabled: true, frequency: { seconds: 1 } },
    reaper: { frequency: { seconds: 1 } },
    workers: {
      concurrency: 4,
      lease: { seconds: 3 },
      pollInterval: { milliseconds: 200 },
    },
    retry: {
      maxAttempts: 10,
      backoff: { base: { milliseconds: 200 }, cap: { seconds: 1 } },
    },
  };
}

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

/**
 * The `backend` config of a test process on its port: on loopback, and on
 * one PostgreSQL database (named by prefix) that several processes share.
 */
export function postgresBackend(
  port: number,
  prefix: string,
  postgresUrl: string,
) {
  const pg = new URL(postgresUrl);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    listen: { host: '127.0.0.1', port },
    database: {
      client: 'pg',
      prefix,
      connection: {
        host: pg.hostname,
        port: Number(pg.port || 5432),
        user: decodeURIComponent(pg.username || 'postgres'),
        password: decodeURIComponent(pg.password),
      },
    },
  };
}
