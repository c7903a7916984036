// Benchmark 4: recovery under chaos. A real backend process (SQLite in a
// temp folder, short leases, fast reaper and sweep) uploads slices of real
// CSVs to the upload target, which injects recoverable faults at random:
// 503 and 429 bursts, timeouts, connection resets, some after storing the
// batch. The backend is killed with SIGKILL a few times and restarted. A few
// jobs go to targets that answer 401 or 404 and must end in manual
// intervention without retries. Prints the recovery success rate by failure
// type, rows lost and duplicated, the time to recover and PASS/MISS lines.
//
//   node bench/chaos.mjs --jobs 200 --seed 7 --kills 3
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fsp from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import {
  BIRDSTRIKES,
  ROOT,
  ZIPCODES,
  core,
  describeMachine,
  median,
  parse,
  printTable,
  startTargetProcess,
  tempDir,
  verdict,
} from './lib.mjs';

const ENTRY = path.join(ROOT, 'plugins/recovery-backend/dist/standalone.js');
const TOKEN = 'bench-chaos-token';

function readArgs(argv) {
  const args = {
    jobs: 200,
    seed: 7,
    kills: 3,
    probability: 0.08,
    capMinutes: 6,
    unrecoverable: 4,
  };
  const names = {
    '--jobs': 'jobs',
    '--seed': 'seed',
    '--kills': 'kills',
    '--probability': 'probability',
    '--cap-minutes': 'capMinutes',
    '--unrecoverable': 'unrecoverable',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isFinite(value)) {
      console.error(
        `Unknown option or value: ${argv[i]} ${argv[i + 1] ?? ''}; ` +
          `options: ${Object.keys(names).join(', ')}.`,
      );
      process.exit(2);
    }
    args[key] = value;
  }
  return args;
}

/** A small seeded generator (mulberry32), so a run can be repeated. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Parses a CSV with the core's csv-parse into header and data rows. */
async function readCsv(file) {
  const text = await fsp.readFile(file, 'utf8');
  const rows = [];
  const parser = parse(text, {
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  for await (const row of parser) {
    rows.push(row);
  }
  return { header: rows[0], rows: rows.slice(1) };
}

function csvLine(cells) {
  return cells
    .map(cell =>
      /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell,
    )
    .join(',');
}

/** A slice of a source: the CSV text and the rows the target should get. */
function slice(source, random) {
  const count = 200 + Math.floor(random() * 801);
  const start = Math.floor(random() * (source.rows.length - count));
  const rows = source.rows.slice(start, start + count);
  const text = `${[source.header, ...rows].map(csvLine).join('\n')}\n`;
  return { text, rows, start };
}

/** A backend process of its own, as `npm run start:backend` runs it. */
class Backend {
  constructor(port, configFile) {
    this.port = port;
    this.configFile = configFile;
    this.child = undefined;
    this.output = [];
    this.pids = [];
    this.client = new core.ReboundClient({
      baseUrl: `http://127.0.0.1:${port}/api/recovery`,
      token: TOKEN,
    });
  }

  async start() {
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
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    this.pids.push(child.pid);
    const keep = chunk => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) {
        this.output.shift();
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
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
        await sleep(200);
      }
    }
    throw new Error(`The backend did not answer within 60 s.`);
  }

  /** The crash: no shutdown hook runs, leases are left to expire. */
  async kill() {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      process.kill(child.pid, 'SIGKILL');
      await exited;
    }
  }

  async stop() {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) {
      return;
    }
    const exited = once(child, 'exit');
    process.kill(child.pid, 'SIGTERM');
    const timer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function control(baseUrl, method, route, body) {
  const response = await fetch(`${baseUrl}/_control${route}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) {
    throw new Error(
      `${method} /_control${route}: ${
        response.status
      } ${await response.text()}`,
    );
  }
  return response.json();
}

async function allRecoveries(client) {
  const items = [];
  let cursor;
  do {
    const page = await client.listRecoveries({ limit: 100, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

function quantile(values, q) {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const seconds = ms => (ms === null ? 'n/a' : `${(ms / 1000).toFixed(1)} s`);
const percent = v => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);

async function main() {
  const args = readArgs(process.argv.slice(2));
  const random = seeded(args.seed);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  console.log(
    `Recovery under chaos: ${args.jobs} jobs, seed ${args.seed}, ` +
      `${args.kills} kills, fault probability ${args.probability}; ` +
      describeMachine(),
  );

  const sources = [await readCsv(BIRDSTRIKES), await readCsv(ZIPCODES)];
  const dir = await tempDir('chaos');
  const target = await startTargetProcess();
  const baseUrl = new URL(target.url).origin;
  let backend;
  try {
    await control(baseUrl, 'PUT', '/config', {
      chaos: {
        seed: args.seed,
        probability: args.probability,
        modes: [
          { mode: 'status', status: 503, retryAfter: 0 },
          { mode: 'status', status: 503, retryAfter: 1 },
          { mode: 'status', status: 429, retryAfter: 0 },
          { mode: 'status', status: 429, retryAfter: 1 },
          { mode: 'timeout', delayMs: 3000 },
          { mode: 'timeout', delayMs: 3000, processBeforeFailing: true },
          { mode: 'reset' },
          { mode: 'reset', processBeforeFailing: true },
        ],
      },
    });

    const port = await freePort();
    const configFile = path.join(dir, 'config.json');
    const http = url => ({
      type: 'http',
      url,
      batchSize: 250,
      timeout: { seconds: 2 },
    });
    await fsp.writeFile(
      configFile,
      JSON.stringify(
        {
          backend: {
            baseUrl: `http://127.0.0.1:${port}`,
            listen: { host: '127.0.0.1', port },
            database: {
              client: 'better-sqlite3',
              connection: { directory: path.join(dir, 'db') },
            },
          },
          recovery: {
            storage: { dir: path.join(dir, 'storage') },
            targets: {
              api: http(target.url),
              // Same target, but a fault rule per job answers 401 always.
              'api-locked': http(target.url),
              // Same target, a path it does not serve: 404 always.
              'api-missing': http(`${baseUrl}/missing`),
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
              targetBudget: { retries: 10000, window: { seconds: 60 } },
            },
          },
        },
        null,
        2,
      ),
    );
    backend = new Backend(port, configFile);
    await backend.start();
    const { client } = backend;

    // Submit the jobs; a few go to the 401 and 404 targets, with low
    // priority so their rule is queued before a worker claims them.
    const expected = new Map();
    const unrecoverable = new Map();
    const burstJobs = new Set();
    const blocked = Math.floor(args.jobs / 2);
    let kills = 0;
    const killedRunning = new Set();
    const crash = async () => {
      const running = await client.listJobs({ status: 'running', limit: 50 });
      for (const job of running.items) {
        killedRunning.add(job.id);
      }
      await backend.kill();
      kills += 1;
      console.log(
        `${elapsed()}: SIGKILL ${kills} with ${running.items.length} jobs ` +
          'running',
      );
      await backend.start();
      return running.items.length;
    };
    // Kills at even points of the submission, each with jobs running.
    const killAt = new Set(
      Array.from({ length: args.kills }, (_, k) =>
        Math.floor(((k + 1) * args.jobs) / (args.kills + 1)),
      ),
    );
    for (let i = 0; i < args.jobs; i += 1) {
      const source = i % 2 === 0 ? 0 : 1;
      const part = slice(sources[source], random);
      const batchSize = 100 + Math.floor(random() * 151);
      const name = source === 0 ? 'birdstrikes' : 'zipcodes';
      const job = await client.createJob(
        new Blob([part.text]),
        `${name}-${part.start}.csv`,
        { type: 'api_upload', target: 'api', batchSize },
      );
      expected.set(job.id, { ...part, header: sources[source].header });
      if (killAt.has(i) && kills < args.kills) {
        // Wait (briefly) until some job is mid-run, then crash.
        for (let tries = 0; tries < 50; tries += 1) {
          const running = await client.listJobs({
            status: 'running',
            limit: 1,
          });
          if (running.items.some(r => (r.progress?.rowsDone ?? 0) > 0)) {
            break;
          }
          await sleep(50);
        }
        await crash();
      }
      if (random() < 0.15) {
        // A burst on top of chaos: several answers in a row for this job.
        const status = random() < 0.5 ? 503 : 429;
        burstJobs.add(job.id);
        await target.addFault({
          jobId: job.id,
          mode: 'status',
          status,
          retryAfter: random() < 0.5 ? 0 : 1,
          afterRequests: Math.floor(random() * 3),
          count: 2 + Math.floor(random() * 3),
        });
      }
      if (i === blocked) {
        for (let k = 0; k < args.unrecoverable; k += 1) {
          const locked = k % 2 === 0;
          const part2 = slice(sources[k % 2], random);
          const job2 = await client.createJob(
            new Blob([part2.text]),
            `unrecoverable-${k}.csv`,
            {
              type: 'api_upload',
              target: locked ? 'api-locked' : 'api-missing',
              batchSize: 100,
              priority: 'low',
            },
          );
          if (locked) {
            await target.addFault({
              jobId: job2.id,
              mode: 'status',
              status: 401,
              count: 1_000_000,
            });
          }
          unrecoverable.set(job2.id, locked ? 401 : 404);
        }
      }
    }
    console.log(
      `${elapsed()}: submitted ${expected.size} jobs and ` +
        `${unrecoverable.size} unrecoverable ones`,
    );

    // Wait, killing the backend a few times while jobs run.
    const all = [...expected.keys(), ...unrecoverable.keys()];
    const final = new Map();
    const capAt = Date.now() + args.capMinutes * 60_000;
    const killEvery = 12_000;
    let nextKill = Date.now() + killEvery;
    while (Date.now() < capAt) {
      for (const id of all) {
        if (final.has(id)) {
          continue;
        }
        const job = await client.getJob(id);
        if (
          job.status === 'succeeded' ||
          job.status === 'manual_intervention_required' ||
          job.status === 'cancelled'
        ) {
          final.set(id, job);
        }
      }
      if (final.size === all.length) {
        break;
      }
      if (kills < args.kills && Date.now() >= nextKill) {
        await crash();
        nextKill = Date.now() + killEvery;
      }
      await sleep(1000);
    }
    const finishedIn = Date.now() - started;
    console.log(
      `${elapsed()}: ${final.size}/${all.length} jobs ended, ${kills} kills`,
    );
    // A job still failed is left to the sweep; take its last state.
    for (const id of all) {
      if (!final.has(id)) {
        final.set(id, await client.getJob(id));
      }
    }

    // Rows lost and duplicated, from what the target kept.
    const stats = await target.stats();
    let lost = 0;
    let extra = 0;
    let lostJobs = 0;
    for (const [id, part] of expected) {
      const { records } = await control(baseUrl, 'GET', `/jobs/${id}/records`);
      const want = new Map();
      for (const row of part.rows) {
        const key = JSON.stringify(row);
        want.set(key, (want.get(key) ?? 0) + 1);
      }
      for (const record of records) {
        const key = JSON.stringify(
          part.header.map(column => String(record[column] ?? '')),
        );
        const left = want.get(key) ?? 0;
        if (left > 0) {
          want.set(key, left - 1);
        } else {
          extra += 1;
        }
      }
      const missing = [...want.values()].reduce((a, b) => a + b, 0);
      lost += missing;
      if (missing > 0) {
        lostJobs += 1;
      }
    }

    const recoveries = await allRecoveries(client);
    const analytics = await client.request(
      'GET',
      `/analytics?from=${encodeURIComponent(
        new Date(started - 60_000).toISOString(),
      )}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );

    // Jobs by end state.
    const byStatus = {};
    for (const id of expected.keys()) {
      const status = final.get(id).status;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
    printTable(
      'Jobs (recoverable faults only)',
      ['status', 'jobs'],
      Object.entries(byStatus),
    );

    // Recovery history by failure type (attempts that ran).
    const normal = recoveries.filter(r => expected.has(r.jobId));
    const types = new Map();
    for (const attempt of normal) {
      const entry = types.get(attempt.failureType) ?? {
        attempts: 0,
        succeeded: 0,
        failed: 0,
        other: 0,
        jobs: new Set(),
      };
      entry.attempts += 1;
      entry.jobs.add(attempt.jobId);
      if (attempt.status === 'succeeded') entry.succeeded += 1;
      else if (attempt.status === 'failed') entry.failed += 1;
      else entry.other += 1;
      types.set(attempt.failureType, entry);
    }
    printTable(
      'Failures by type (recovery history)',
      ['failure type', 'recoveries', 'succeeded', 'failed', 'other', 'jobs'],
      [...types].map(([type, e]) => [
        type,
        e.attempts,
        e.succeeded,
        e.failed,
        e.other,
        e.jobs.size,
      ]),
    );
    printTable(
      'Recovery success rate by failure type (GET /analytics)',
      ['failure type', 'attempts', 'successes', 'rate'],
      [
        ...analytics.successRateByFailureType.map(r => [
          r.key,
          r.attempts,
          r.successes,
          percent(r.rate),
        ]),
        [
          'overall',
          analytics.summary.attempts,
          analytics.summary.successes,
          percent(analytics.summary.rate),
        ],
        [
          'recoverable',
          analytics.summary.recoverableAttempts,
          analytics.summary.recoverableSuccesses,
          percent(analytics.summary.recoverableRate),
        ],
      ],
    );

    // Jobs that failed at least once with a recoverable fault.
    const failedOnce = new Set(normal.map(r => r.jobId));
    const recovered = [...failedOnce].filter(
      id =>
        final.get(id).status === 'succeeded' &&
        !normal.some(r => r.jobId === id && r.trigger === 'manual'),
    );
    const share =
      failedOnce.size === 0 ? null : recovered.length / failedOnce.size;
    const ttr = recovered.map(id => {
      const first = Math.min(
        ...normal.filter(r => r.jobId === id).map(r => Date.parse(r.createdAt)),
      );
      return (
        Date.parse(final.get(id).finishedAt ?? final.get(id).updatedAt) - first
      );
    });

    // Unrecoverable faults: manual intervention, no retry beyond the first.
    const manualRows = [];
    let manualOk = true;
    for (const [id, status] of unrecoverable) {
      const job = final.get(id);
      const history = recoveries.filter(r => r.jobId === id);
      const ran = history.filter(r =>
        ['running', 'succeeded', 'failed', 'scheduled'].includes(r.status),
      );
      const requests = stats.jobs[id]?.requests ?? 0;
      const ok =
        job.status === 'manual_intervention_required' &&
        ran.length === 0 &&
        job.attempts <= 1;
      manualOk &&= ok;
      manualRows.push([
        status,
        job.target,
        job.status,
        job.failure?.type ?? '-',
        job.attempts,
        history.map(r => r.status).join(',') || '-',
        status === 401 ? requests : 'n/a',
        verdict(ok),
      ]);
    }
    printTable(
      'Unrecoverable faults',
      [
        'answer',
        'target',
        'status',
        'failure',
        'runs',
        'recovery history',
        'requests',
        'result',
      ],
      manualRows,
    );

    // Per attempt: a burst of N answers costs N - 1 failed retries by design.
    const outsideBursts = normal.filter(r => !burstJobs.has(r.jobId));
    const burstRate =
      outsideBursts.length === 0
        ? null
        : outsideBursts.filter(r => r.status === 'succeeded').length /
          outsideBursts.length;
    const killedOk = [...killedRunning].filter(
      id => final.get(id)?.status === 'succeeded',
    ).length;
    const notDone = [...expected.keys()].filter(
      id => final.get(id).status !== 'succeeded',
    );
    printTable(
      'Summary',
      ['figure', 'value'],
      [
        [
          'jobs (recoverable / unrecoverable)',
          `${expected.size} / ${unrecoverable.size}`,
        ],
        ['backend kills (SIGKILL)', kills],
        [
          'requests / faults injected',
          `${stats.requests} / ${stats.faultsInjected}`,
        ],
        ['jobs with a burst rule', burstJobs.size],
        [
          'retries that succeeded, jobs without a burst',
          `${percent(burstRate)} of ${outsideBursts.length}`,
        ],
        [
          'jobs running at a SIGKILL / later succeeded',
          `${killedRunning.size} / ${killedOk}`,
        ],
        ['jobs that failed at least once', failedOnce.size],
        ['  of them recovered automatically', recovered.length],
        ['jobs not succeeded', notDone.length],
        [
          'rows expected',
          [...expected.values()].reduce((a, p) => a + p.rows.length, 0),
        ],
        ['rows lost', `${lost} (${lostJobs} jobs)`],
        ['rows duplicated (target duplicateRows)', stats.duplicateRows],
        ['rows not in the slice (content check)', extra],
        ['replays (same key again)', stats.replays],
        [
          'time to recover, median / p90 (history)',
          `${seconds(ttr.length ? median(ttr) : null)} / ${seconds(
            quantile(ttr, 0.9),
          )}`,
        ],
        [
          'time to recover, median / p90 (analytics)',
          `${seconds(analytics.timeToRecover.medianMs)} / ${seconds(
            analytics.timeToRecover.p90Ms,
          )}`,
        ],
        ['run time until all ended', seconds(finishedIn)],
      ],
    );
    if (notDone.length > 0) {
      console.log('\nJobs not succeeded:');
      for (const id of notDone.slice(0, 10)) {
        const job = final.get(id);
        console.log(
          `  ${id} ${job.status} attempts=${job.attempts} ` +
            `${job.failure?.type ?? ''} ${job.failure?.message ?? ''}`,
        );
      }
    }

    console.log('');
    console.log(`${verdict(lost === 0)} rows lost: ${lost} (must be 0)`);
    console.log(
      `${verdict(stats.duplicateRows === 0 && extra === 0)} rows duplicated: ` +
        `${stats.duplicateRows}, unexpected rows: ${extra} (must be 0)`,
    );
    const shareText = percent(share);
    console.log(
      `${verdict(share !== null && share >= 0.85)} recoverable failures ` +
        `recovered automatically: ${shareText} (limit 85%)` +
        (share !== null && share >= 0.85
          ? share >= 0.99
            ? ', aim 99% met'
            : ', under the 99% aim'
          : ''),
    );
    console.log(
      `${verdict(
        analytics.summary.recoverableRate !== null &&
          analytics.summary.recoverableRate >= 0.85,
      )} recovery success rate per attempt on recoverable failures ` +
        '(analytics): ' +
        `${percent(analytics.summary.recoverableRate)} (limit 85%)`,
    );
    console.log(
      `${verdict(manualOk)} unrecoverable faults (401, 404) end in manual ` +
        'intervention without retries',
    );
    console.log(
      `${verdict(final.size === all.length && finishedIn < 8 * 60_000)} ` +
        `every job ended within the cap: ${seconds(finishedIn)}`,
    );
  } finally {
    if (backend) {
      await backend.stop();
    }
    await target.close();
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

await main();
