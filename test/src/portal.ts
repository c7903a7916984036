/**
 * The portal as a browser test meets it: the frontend dev server of
 * plugins/recovery-frontend on its own port, and Debian's chromium driven
 * by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  chromium,
  type BrowserContext,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';
import { freePort, ROOT } from './backendProcess';

export const CHROMIUM = process.env.REBOUND_CHROMIUM ?? '/usr/bin/chromium';

/** `backstage-cli package start` with a config of the test's own. */
export class PortalDevServer {
  private child: ChildProcess | undefined;
  readonly output: string[] = [];

  private constructor(readonly port: number, private readonly file: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async create(
    workDir: string,
    backendUrl: string,
    port?: number,
  ): Promise<PortalDevServer> {
    port ??= await freePort();
    const file = path.join(workDir, `portal-${port}.json`);
    await fs.writeFile(
      file,
      JSON.stringify({
        app: { baseUrl: `http://127.0.0.1:${port}` },
        backend: { baseUrl: backendUrl },
      }),
    );
    return new PortalDevServer(port, file);
  }

  async start(): Promise<void> {
    const child = spawn(
      'npx',
      [
        'backstage-cli',
        'package',
        'start',
        '--config',
        path.join(ROOT, 'app-config.yaml'),
        '--config',
        this.file,
      ],
      {
        cwd: path.join(ROOT, 'plugins/recovery-frontend'),
        env: { ...process.env, BROWSER: 'none' },
        stdio: ['ignore', 'pipe', 'pipe'],
        // Its own process group, so stop() ends the bundler's workers too.
        detached: true,
      },
    );
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) {
        this.output.shift();
      }
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);

    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(
          `The portal dev server exited with ${
            child.exitCode
          }:\n${this.output.join('')}`,
        );
      }
      try {
        const response = await fetch(this.url);
        if (response.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    throw new Error(
      `The portal dev server did not answer within 240 s:\n${this.output.join(
        '',
      )}`,
    );
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) {
      return;
    }
    const exited = new Promise(resolve => child.once('exit', resolve));
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(
      () => process.kill(-child.pid!, 'SIGKILL'),
      10_000,
    );
    await exited;
    clearTimeout(timer);
  }
}

/**
 * A headless chromium with a fresh profile and no background traffic
 * (the machine's network is closed; chromium would keep trying).
 */
export async function launchBrowser(
  profileDir: string,
  downloadsDir: string,
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    downloadsPath: downloadsDir,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const TABLE_WARNING = /material table|unique id/;

/**
 * Every console error and uncaught exception of a page, and the table
 * library's warnings, so a test can require that there were none.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') {
      errors.push(`console.error: ${message.text()}`);
    } else if (TABLE_WARNING.test(message.text())) {
      // The table library's warnings mean a table loses its state.
      errors.push(`console.${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', error => {
    errors.push(`uncaught: ${error.stack ?? error.message}`);
  });
  return errors;
}
