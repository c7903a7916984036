// Shared helpers of the benchmarks: the core wired as the backend wires it
// (SQLite job store, local storage, a target registry), an upload target
// in a child process, and the statistics and tables the benchmarks print.
// Not a benchmark itself: bench/run.mjs skips it.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
);
export const DATA = path.join(ROOT, 'node_modules/vega-datasets/data');
export const ZIPCODES = path.join(DATA, 'zipcodes.csv');
export const BIRDSTRIKES = path.join(DATA, 'birdstrikes.csv');

const CORE_DIST = path.join(ROOT, 'packages/core/dist/index.js');
const TARGET_DIST = path.join(ROOT, 'packages/upload-target/dist/index.js');

// Resolve knex and csv-parse from the core, so the benchmarks use the
// versions the core itself runs on.
const requireFromCore = createRequire(
  path.join(ROOT, 'packages/core/package.json'),
);

function requireBuilt(file) {
  if (!fs.existsSync(file)) {
    throw new Error(
      `${path.relative(ROOT, file)} is missing; build first with ` +
        '`npx tsc -b` (or run `npm run bench`, which builds).',
    );
  }
  return createRequire(import.meta.url)(file);
}

export const core = requireBuilt(CORE_DIST);
export const knexFactory = requireFromCore('knex');
export const { parse } = requireFromCore('csv-parse');

export const OWNER = 'bench-worker';
const LEASE_MS = 10 * 60_000;
const MAX_RECORD_BYTES = core.DEFAULT_JOB_DEFAULTS.maxRecordBytes;

// Garbage is collected between runs so one run's leftovers do not land
// in the next; without --expose-gc the flag is set here.
v8.setFlagsFromString('--expose-gc');
const gc = globalThis.gc ?? vm.runInNewContext('gc');

export function collectGarbage() {
  gc();
}

export async function tempDir(prefix) {
  return fsp.mkdtemp(path.join(os.tmpdir(), `rebound-bench-${prefix}-`));
}

/**
 * A knex on SQLite as the test databases open it: one connection, the
 * default rollback journal. `journal: 'wal'` tries WAL with
 * synchronous=NORMAL instead, to see what the core would gain.
 */
export function openSqlite(filename, { journal = 'delete' } = {}) {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (connection, done) => {
        if (journal === 'wal' && filename !== ':memory:') {
          connection.pragma('journal_mode = WAL');
          connection.pragma('synchronous = NORMAL');
        }
        done(null, connection);
      },
    },
  });
}

/**
 * The core on a SQLite job store: 'file' (new, in a temp folder),
 * 'memory', or 'existing' (dbFile, already migrated). A rig given a `dir`
 * uses it for its storage folder and leaves it in place on close.
 */
export async function createRig({
  database = 'file',
  targets,
  dir,
  dbFile,
  journal,
}) {
  const root = dir ?? (await tempDir('rig'));
  const filename =
    database === 'memory'
      ? ':memory:'
      : dbFile ?? path.join(root, 'rebound.sqlite');
  const knex = openSqlite(filename, { journal });
  const store = await core.DatabaseJobStore.create(knex, {
    skipMigrations: database === 'existing',
  });
  const storage = await core.LocalStorageService.create(
    path.join(root, 'storage'),
  );
  const registry = new core.TargetRegistry(targets);
  const jobs = new core.JobService(
    store,
    storage,
    registry,
    core.DEFAULT_JOB_DEFAULTS,
  );
  return {
    root,
    dbFile: filename,
    knex,
    store,
    storage,
    targets: registry,
    jobs,
    async close() {
      await knex.destroy();
      if (!dir) {
        await fsp.rm(root, { recursive: true, force: true });
      }
    },
  };
}

/** Stores a file as a new pending job, as POST /jobs does. */
export async function submitFile(rig, file, options) {
  return rig.jobs.createJob({
    fileName: path.basename(file),
    body: fs.createReadStream(file),
    options: rig.jobs.parseOptions(options),
  });
}

/** Claims the next pending job for OWNER, as the worker does. */
export async function claim(rig) {
  const job = await rig.store.claimNext(OWNER, LEASE_MS);
  if (!job) {
    throw new Error(
      'No pending job to claim: the benchmark lost track of its job.',
    );
  }
  return job;
}

/** Runs a claimed job and times the run; the store can be instrumented. */
export async function runClaimed(rig, job, options = {}) {
  const ctx = {
    store: options.store ?? rig.store,
    storage: rig.storage,
    targets: rig.targets,
    owner: OWNER,
    signal: options.signal ?? new AbortController().signal,
    logger: core.silentLogger,
    maxRecordBytes: MAX_RECORD_BYTES,
    durable: options.durable ?? true,
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await core.runJob(job, ctx);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, start, result };
}

/** Puts a job whose run stopped back in the queue, as a recovery would. */
export async function requeue(rig, jobId) {
  const job = await rig.store.getJob(jobId);
  return rig.store.transition(job, 'pending', { failure: null });
}

/**
 * Times the store's checkpoint commits: one transaction per batch that
 * holds the lease check, the sink's writes, row errors and checkpoint.
 * Calls without row errors are in-doubt marks, not batch commits.
 */
export function instrumentStore(store, { onCommit } = {}) {
  const stats = { transactions: 0, commitMs: 0, commits: 0, sinkWriteMs: 0 };
  const watched = Object.create(store);
  watched.commitCheckpoint = async (jobId, owner, checkpoint, options = {}) => {
    const start = performance.now();
    const write = options.write
      ? async trx => {
          const inside = performance.now();
          await options.write(trx);
          stats.sinkWriteMs += performance.now() - inside;
        }
      : undefined;
    await store.commitCheckpoint(jobId, owner, checkpoint, {
      ...options,
      write,
    });
    const end = performance.now();
    stats.transactions += 1;
    stats.commitMs += end - start;
    if (options.rowErrors !== undefined) {
      stats.commits += 1;
      onCommit?.(end, stats.commits);
    }
  };
  return { store: watched, stats };
}

/** Writes a CSV of the header and `rows` data rows, repeating the source. */
export async function writeRepeatedCsv(source, dest, rows) {
  const text = await fsp.readFile(source, 'utf8');
  const newline = text.indexOf('\n');
  const header = text.slice(0, newline + 1);
  const body = text.slice(newline + 1).replace(/\n?$/, '\n');
  const bodyRows = body.split('\n').length - 1;
  const out = fs.createWriteStream(dest);
  out.write(header);
  let left = rows;
  while (left >= bodyRows) {
    if (!out.write(body)) {
      await once(out, 'drain');
    }
    left -= bodyRows;
  }
  if (left > 0) {
    const lines = body.split('\n').slice(0, left);
    out.write(`${lines.join('\n')}\n`);
  }
  out.end();
  await once(out, 'finish');
  return (await fsp.stat(dest)).size;
}

/** Counts the records of a file with csv-parse and the core's options. */
export async function parseOnly(file) {
  const start = performance.now();
  const parser = fs.createReadStream(file).pipe(
    parse({
      info: true,
      raw: true,
      bom: true,
      delimiter: ',',
      encoding: 'utf8',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      record_delimiter: ['\r\n', '\n', '\r'],
    }),
  );
  let records = 0;
  for await (const _record of parser) {
    records += 1;
  }
  return { ms: performance.now() - start, rows: records - 1 };
}

/**
 * The reference upload target in a child process on 127.0.0.1, port 0,
 * so its work and memory stay out of the measured process.
 */
export async function startTargetProcess() {
  const code = `
    import { createRequire } from 'node:module';
    const { startUploadTarget } = createRequire(import.meta.url)(${JSON.stringify(
      TARGET_DIST,
    )});
    const target = await startUploadTarget({ host: '127.0.0.1', port: 0 });
    // A benchmark that crashes must not leave its target running.
    process.on('disconnect', () => target.close().then(() => process.exit(0)));
    process.on('message', async ({ id, op, arg }) => {
      let value;
      if (op === 'addFault') value = target.addFault(arg);
      if (op === 'clearFaults') value = target.clearFaults();
      if (op === 'reset') value = target.reset();
      if (op === 'stats') value = target.stats();
      if (op === 'close') await target.close();
      process.send({ id, value: value ?? null });
      if (op === 'close') process.disconnect();
    });
    process.send({ id: 0, value: target.url });
  `;
  requireBuilt(TARGET_DIST);
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map();
  let nextId = 1;
  const started = new Promise((resolve, reject) => {
    waiting.set(0, resolve);
    child.once('error', reject);
    child.once('exit', status =>
      reject(new Error(`The upload target process exited with ${status}.`)),
    );
  });
  child.on('message', ({ id, value }) => {
    waiting.get(id)?.(value);
    waiting.delete(id);
  });
  const call = (op, arg) =>
    new Promise(resolve => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, op, arg });
    });
  const url = await started;
  return {
    url,
    addFault: rule => call('addFault', rule),
    clearFaults: () => call('clearFaults'),
    reset: () => call('reset'),
    stats: () => call('stats'),
    async close() {
      await call('close');
      if (child.exitCode === null) {
        await once(child, 'exit');
      }
    },
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median with the smallest and largest value, the spread of a figure. */
export function summarize(values) {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

export const fmt = {
  ms: v => `${v.toFixed(v < 10 ? 2 : 0)} ms`,
  pct: v => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`,
  ratio: v => v.toFixed(2),
  int: v => Math.round(v).toLocaleString('en-US'),
  bytes: v =>
    v >= 1024 * 1024
      ? `${(v / 1024 / 1024).toFixed(1)} MiB`
      : `${(v / 1024).toFixed(1)} KiB`,
  us: v => `${(v * 1000).toFixed(2)} µs`,
};

/** "median [min – max]" of a summary, each value formatted. */
export function spread(summary, format) {
  return `${format(summary.median)} [${format(summary.min)} – ${format(
    summary.max,
  )}]`;
}

/** Prints a plain text table: a title, a header row and the rows. */
export function printTable(title, header, rows) {
  const widths = header.map((h, i) =>
    Math.max(String(h).length, ...rows.map(r => String(r[i]).length)),
  );
  const line = cells =>
    cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map(w => '-'.repeat(w)).join('  '));
  for (const row of rows) {
    console.log(line(row));
  }
}

export function verdict(pass) {
  return pass ? 'PASS' : 'MISS';
}

/** Machine facts printed with the figures, since they depend on it. */
export function describeMachine() {
  const cpus = os.cpus();
  return `node ${process.version}, ${cpus.length} × ${
    cpus[0]?.model ?? 'cpu'
  }, ${os.platform()} ${os.release()}`;
}
