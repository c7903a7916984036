// Benchmarks of the CSV pipeline (see docs/benchmarks.md):
//   1. overhead: what checkpoints, in-doubt markers and lease checks cost,
//      durable runs against `durable: false` on each sink;
//   2. resume: the cost of resuming at 90% against resuming at 10%;
//   3. throughput: rows/s of an import against csv-parse alone.
// Each figure is a ratio against a baseline measured in the same run,
// interleaved round by round, as the median of the rounds with its range.
//
//   node bench/pipeline.mjs [--rounds 5] [--overhead-rounds 7]
//     [--only overhead,resume,throughput] [--resume-rows 400000]
//     [--resume-full-rounds 2] [--batch-size 500] [--sqlite-journal delete|wal]
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  BIRDSTRIKES,
  ZIPCODES,
  claim,
  collectGarbage,
  createRig,
  describeMachine,
  fmt,
  instrumentStore,
  parseOnly,
  printTable,
  requeue,
  runClaimed,
  spread,
  startTargetProcess,
  submitFile,
  summarize,
  tempDir,
  verdict,
  writeRepeatedCsv,
} from './lib.mjs';

const OVERHEAD_LIMIT = 0.1;
const OVERHEAD_AIM = 0.03;
// "Near 1": resuming late may cost at most half as much again as early.
const RESUME_RATIO_LIMIT = 1.5;

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'overhead-rounds': { type: 'string', default: '7' },
    'sqlite-journal': { type: 'string', default: 'delete' },
    only: { type: 'string', default: 'overhead,resume,throughput' },
    'resume-rows': { type: 'string', default: '400000' },
    'resume-full-rounds': { type: 'string', default: '2' },
    'batch-size': { type: 'string', default: '500' },
  },
});
const ROUNDS = positive('rounds');
const OVERHEAD_ROUNDS = positive('overhead-rounds');
const JOURNAL = args['sqlite-journal'];
if (!['delete', 'wal'].includes(JOURNAL)) {
  console.error(
    `--sqlite-journal must be delete (what the core uses) or wal, got ${JOURNAL}.`,
  );
  process.exit(2);
}
const RESUME_ROWS = positive('resume-rows');
const RESUME_FULL_ROUNDS = Math.min(positive('resume-full-rounds'), ROUNDS);
const BATCH_SIZE = positive('batch-size');
const ONLY = new Set(args.only.split(','));
const PARTS = ['overhead', 'resume', 'throughput'];
if ([...ONLY].some(part => !PARTS.includes(part))) {
  console.error(`--only takes ${PARTS.join(', ')}; got ${args.only}.`);
  process.exit(2);
}

function positive(name) {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(
      `--${name} must be a whole number above 0, got ${args[name]}.`,
    );
    process.exit(2);
  }
  return value;
}

function targetsFor(upload) {
  return {
    table: { type: 'table', table: 'imported_rows' },
    http: { type: 'http', url: upload.url },
  };
}

/** One line per figure with a limit, printed at the end. */
const verdicts = [];

const TABLE_JOB = {
  type: 'csv_import',
  target: 'table',
  batchSize: BATCH_SIZE,
};
const HTTP_JOB = { type: 'api_upload', target: 'http', batchSize: BATCH_SIZE };

const SINKS = [
  { name: 'table, SQLite file', database: 'file', job: TABLE_JOB },
  { name: 'table, SQLite in memory', database: 'memory', job: TABLE_JOB },
  { name: 'HTTP target (store: SQLite file)', database: 'file', job: HTTP_JOB },
];

/** One import of a file on a fresh store; returns the run's time. */
async function importOnce(upload, sink, file, { durable, instrument = false }) {
  const rig = await createRig({
    database: sink.database,
    targets: targetsFor(upload),
    journal: JOURNAL,
  });
  try {
    await submitFile(rig, file, sink.job);
    const job = await claim(rig);
    await upload.reset();
    // Only the extra breakdown run is timed inside; measured runs are not.
    const watched = instrument ? instrumentStore(rig.store) : undefined;
    collectGarbage();
    const run = await runClaimed(rig, job, { durable, store: watched?.store });
    await checkLoaded(upload, rig, sink, run.result);
    return {
      ms: run.ms,
      cpuMs: run.cpuMs,
      rows: run.result.rowsDone,
      batches: Math.ceil(run.result.rowsDone / BATCH_SIZE),
      stats: watched?.stats,
    };
  } finally {
    await rig.close();
  }
}

/** A benchmark that loses or doubles rows measures nothing. */
async function checkLoaded(upload, rig, sink, result) {
  const loaded =
    sink.job === HTTP_JOB
      ? (await upload.stats()).acceptedRows
      : Number((await rig.knex('imported_rows').count({ n: '*' }))[0].n);
  if (
    loaded !== result.rowsAccepted ||
    result.rowsAccepted !== result.rowsDone
  ) {
    throw new Error(
      `The ${sink.name} run loaded ${loaded} rows for ${result.rowsDone} done ` +
        `(${result.rowsAccepted} accepted); the figures would be wrong.`,
    );
  }
}

async function benchOverhead(upload) {
  console.log(
    `\n## 1. Overhead of recovery: durable against durable: false ` +
      `(zipcodes.csv, batch size ${BATCH_SIZE}, ${OVERHEAD_ROUNDS} rounds, ` +
      `SQLite journal ${JOURNAL})`,
  );
  // Warm up every code path on the small file first.
  for (const sink of SINKS) {
    for (const durable of [true, false]) {
      await importOnce(upload, sink, BIRDSTRIKES, { durable });
    }
  }

  const times = SINKS.map(() => ({
    durable: [],
    plain: [],
    ratios: [],
    cpuRatios: [],
    durableRuns: [],
    rows: 0,
  }));
  for (let round = 0; round < OVERHEAD_ROUNDS; round += 1) {
    // Alternate which variant goes first, so drift hits both alike.
    const order = round % 2 === 0 ? [true, false] : [false, true];
    for (const [i, sink] of SINKS.entries()) {
      const pair = {};
      for (const durable of order) {
        pair[durable] = await importOnce(upload, sink, ZIPCODES, { durable });
      }
      const t = times[i];
      t.rows = pair[true].rows;
      t.durable.push(pair[true].ms);
      t.plain.push(pair[false].ms);
      t.ratios.push(pair[true].ms / pair[false].ms);
      t.cpuRatios.push(pair[true].cpuMs / pair[false].cpuMs);
    }
    process.stdout.write(`  round ${round + 1}/${OVERHEAD_ROUNDS} done\n`);
  }
  for (const [i, sink] of SINKS.entries()) {
    times[i].durableRuns = [
      await importOnce(upload, sink, ZIPCODES, {
        durable: true,
        instrument: true,
      }),
    ];
  }

  const rows = SINKS.map((sink, i) => {
    const t = times[i];
    const overhead = summarize(t.ratios.map(r => r - 1));
    const batches = Math.ceil(t.rows / BATCH_SIZE);
    const extraPerBatch =
      (summarize(t.durable).median - summarize(t.plain).median) / batches;
    const aim = overhead.median <= OVERHEAD_AIM ? 'aim met' : 'over 3% aim';
    // Noise only ever adds time: the best runs show the cost most plainly.
    const best = Math.min(...t.durable) / Math.min(...t.plain) - 1;
    const pass = overhead.median <= OVERHEAD_LIMIT;
    verdicts.push(
      `overhead, ${sink.name}: ${fmt.pct(overhead.median)} ${verdict(
        pass,
      )} (${aim})`,
    );
    return [
      sink.name,
      spread(summarize(t.plain), fmt.ms),
      spread(summarize(t.durable), fmt.ms),
      spread(overhead, fmt.pct),
      fmt.pct(best),
      spread(summarize(t.cpuRatios.map(r => r - 1)), fmt.pct),
      fmt.ms(extraPerBatch),
      `${verdict(pass)} (${aim})`,
    ];
  });
  printTable(
    'Overhead = durable / non-durable − 1 per round, wall clock (CPU: this ' +
      'process only); median [min – max]',
    [
      'sink',
      'durable: false',
      'durable',
      'overhead',
      'best/best',
      'CPU overhead',
      'extra/batch',
      'limit 10%',
    ],
    rows,
  );

  printBreakdown(times);
}

/**
 * Where the durable runs of the rounds spent their database time, per
 * batch (medians over the rounds). The lease transaction is timed from
 * the call to withLease until it resolves; what its callback does not
 * account for is the lease check, BEGIN and COMMIT (with the fsync of a
 * file database).
 */
function printBreakdown(times) {
  const rows = SINKS.map((sink, i) => {
    const [run] = times[i].durableRuns;
    const per = value => fmt.ms(value / run.batches);
    return [
      sink.name,
      (run.stats.transactions / run.batches).toFixed(2),
      per(run.stats.commitMs),
      per(run.stats.sinkWriteMs),
      per(run.stats.commitMs - run.stats.sinkWriteMs),
    ];
  });
  printTable(
    'Database time per batch of one extra, instrumented durable run ' +
      '(not one of the measured rounds)',
    ['sink', 'transactions', 'commit', 'sink write', 'checkpoint + lease'],
    rows,
  );
}

/**
 * Runs the job on the rig until the target fails the request after
 * `requests` more; the job is then pending again at its checkpoint.
 */
async function runUntilFault(upload, rig, jobId, requests) {
  await upload.reset();
  await upload.clearFaults();
  await upload.addFault({
    mode: 'status',
    status: 503,
    afterRequests: requests,
    jobId,
  });
  const job = await claim(rig);
  try {
    await runClaimed(rig, job);
    throw new Error(
      `The job finished although the target was to fail after ${requests} requests.`,
    );
  } catch (error) {
    if (error.evidence?.httpStatus !== 503) {
      throw error;
    }
  }
  await requeue(rig, jobId);
  return rig.store.getJob(jobId);
}

/** Resumes a copy of a stored checkpoint; times claim to first commit. */
async function resumeOnce(upload, prepared, snapshot, { finish }) {
  const dbFile = path.join(
    prepared.root,
    `round-${process.hrtime.bigint()}.sqlite`,
  );
  await fs.copyFile(snapshot.file, dbFile);
  const rig = await createRig({
    database: 'existing',
    dir: prepared.root,
    dbFile,
    targets: targetsFor(upload),
    journal: JOURNAL,
  });
  try {
    await upload.reset();
    const abort = new AbortController();
    let firstCommitAt;
    const watched = instrumentStore(rig.store, {
      onCommit: at => {
        firstCommitAt ??= at;
        if (!finish) {
          abort.abort(new Error('stopped after the first committed batch'));
        }
      },
    });
    // The source check reads the whole file whatever the checkpoint.
    let sha256Ms = 0;
    const sha256 = rig.storage.sha256.bind(rig.storage);
    rig.storage.sha256 = async key => {
      const started = performance.now();
      const digest = await sha256(key);
      sha256Ms += performance.now() - started;
      return digest;
    };
    collectGarbage();
    const start = performance.now();
    const job = await claim(rig);
    let result;
    try {
      result = (
        await runClaimed(rig, job, {
          store: watched.store,
          signal: abort.signal,
        })
      ).result;
    } catch (error) {
      if (!abort.signal.aborted) {
        throw error;
      }
    }
    const end = performance.now();
    if (finish) {
      await checkResumed(upload, prepared, snapshot, result);
    }
    const rowsLeft = prepared.rows - snapshot.rowsDone;
    return {
      firstCommitMs: firstCommitAt - start,
      sha256Ms,
      totalMs: finish ? end - start : undefined,
      rowsLeft,
      // The rows after the first batch, without the fixed cost of starting.
      steadyMsPerRow: finish
        ? (end - firstCommitAt) / (rowsLeft - BATCH_SIZE)
        : undefined,
    };
  } finally {
    await rig.close();
    await fs.rm(dbFile, { force: true });
  }
}

/** The resumed run must deliver each row left exactly once. */
async function checkResumed(upload, prepared, snapshot, result) {
  const { acceptedRows, duplicateRows } = await upload.stats();
  const left = prepared.rows - snapshot.rowsDone;
  if (
    result.rowsDone !== prepared.rows ||
    acceptedRows !== left ||
    duplicateRows !== 0
  ) {
    throw new Error(
      `The run resumed at row ${snapshot.rowsDone} ended at row ` +
        `${result.rowsDone} of ${prepared.rows}; the target accepted ` +
        `${acceptedRows} rows for ${left} left, ${duplicateRows} twice.`,
    );
  }
}

/** A large file and its job stopped by a fault at 10% and at 90%. */
async function prepareResume(upload) {
  const root = await tempDir('resume');
  const file = path.join(root, `zipcodes-${RESUME_ROWS}.csv`);
  const size = await writeRepeatedCsv(ZIPCODES, file, RESUME_ROWS);
  const rig = await createRig({
    database: 'file',
    dir: root,
    targets: targetsFor(upload),
    journal: JOURNAL,
  });
  const snapshots = {};
  try {
    const created = await submitFile(rig, file, HTTP_JOB);
    const at10 = Math.round(RESUME_ROWS / 10 / BATCH_SIZE);
    const at90 = Math.round((RESUME_ROWS * 9) / 10 / BATCH_SIZE);
    // The resumed run replays the batch left in doubt, then goes on.
    for (const [name, requests] of [
      ['10%', at10],
      ['90%', at90 - at10],
    ]) {
      const job = await runUntilFault(upload, rig, created.id, requests);
      const snapshot = path.join(root, `at-${name.replace('%', '')}.sqlite`);
      await rig.knex.raw('vacuum into ?', [snapshot]);
      snapshots[name] = {
        file: snapshot,
        rowsDone: job.checkpoint.rowsDone,
        byteOffset: job.checkpoint.byteOffset,
        inDoubt: job.checkpoint.inDoubt,
      };
    }
  } finally {
    await rig.close();
  }
  await upload.clearFaults();
  return { root, file, size, rows: RESUME_ROWS, snapshots };
}

async function benchResume(upload) {
  console.log(
    `\n## 2. Resume cost: resuming at 90% against at 10% ` +
      `(${fmt.int(
        RESUME_ROWS,
      )} rows of zipcodes.csv repeated, HTTP target, batch size ${BATCH_SIZE})`,
  );
  const prepStart = performance.now();
  const prepared = await prepareResume(upload);
  const { '10%': early, '90%': late } = prepared.snapshots;
  console.log(
    `  file ${fmt.bytes(prepared.size)}; checkpoints at rows ${fmt.int(
      early.rowsDone,
    )} ` +
      `and ${fmt.int(
        late.rowsDone,
      )}, each with a batch in doubt; prepared in ` +
      `${fmt.ms(performance.now() - prepStart)}`,
  );

  const runs = { '10%': [], '90%': [] };
  const firstRatios = [];
  const perRowRatios = [];
  const steadyRatios = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const finish = round < RESUME_FULL_ROUNDS;
    const order = round % 2 === 0 ? ['10%', '90%'] : ['90%', '10%'];
    const pair = {};
    for (const name of order) {
      pair[name] = await resumeOnce(
        upload,
        prepared,
        prepared.snapshots[name],
        { finish },
      );
      runs[name].push(pair[name]);
    }
    firstRatios.push(pair['90%'].firstCommitMs / pair['10%'].firstCommitMs);
    if (finish) {
      const perRow = run => run.totalMs / run.rowsLeft;
      perRowRatios.push(perRow(pair['90%']) / perRow(pair['10%']));
      steadyRatios.push(
        pair['90%'].steadyMsPerRow / pair['10%'].steadyMsPerRow,
      );
    }
    process.stdout.write(
      `  round ${round + 1}/${ROUNDS} done${finish ? ' (to the end)' : ''}\n`,
    );
  }

  const first = summarize(firstRatios);
  const rows = ['10%', '90%'].map(name => {
    const snapshot = prepared.snapshots[name];
    const finished = runs[name].filter(run => run.totalMs !== undefined);
    return [
      name,
      fmt.int(snapshot.rowsDone),
      `${fmt.int(snapshot.byteOffset)} (${fmt.bytes(snapshot.byteOffset)})`,
      spread(summarize(runs[name].map(run => run.firstCommitMs)), fmt.ms),
      fmt.ms(summarize(runs[name].map(run => run.sha256Ms)).median),
      fmt.int(prepared.rows - snapshot.rowsDone),
      spread(summarize(finished.map(run => run.totalMs)), fmt.ms),
      spread(
        summarize(finished.map(run => run.totalMs / run.rowsLeft)),
        fmt.us,
      ),
      spread(summarize(finished.map(run => run.steadyMsPerRow)), fmt.us),
    ];
  });
  printTable(
    `Resume from claim to first committed batch (${ROUNDS} rounds) and to the end ` +
      `(${RESUME_FULL_ROUNDS} rounds); median [min – max]`,
    [
      'resumed at',
      'rows done',
      'bytes skipped',
      'to first commit',
      'SHA-256 check',
      'rows left',
      'to the end',
      'per row left',
      'per row after 1st',
    ],
    rows,
  );
  const perRow = summarize(perRowRatios);
  const pass = first.median <= RESUME_RATIO_LIMIT;
  verdicts.push(
    `resume, first commit 90%/10%: ${fmt.ratio(first.median)} ${verdict(pass)}`,
  );
  printTable(
    'Ratios 90% / 10%',
    ['figure', 'ratio', 'limit', 'result'],
    [
      [
        'time to first committed batch',
        spread(first, fmt.ratio),
        `≤ ${RESUME_RATIO_LIMIT}`,
        verdict(pass),
      ],
      ['time per row left', spread(perRow, fmt.ratio), 'none', 'info'],
      [
        'time per row after the first batch',
        spread(summarize(steadyRatios), fmt.ratio),
        'none',
        'info',
      ],
    ],
  );
  await fs.rm(prepared.root, { recursive: true, force: true });
}

async function benchThroughput(upload) {
  console.log(
    `\n## 3. Import throughput: table sink (SQLite file, durable) against ` +
      `csv-parse alone (${ROUNDS} rounds)`,
  );
  const sink = SINKS[0];
  const files = [
    ['zipcodes.csv', ZIPCODES],
    ['birdstrikes.csv', BIRDSTRIKES],
  ];
  await parseOnly(BIRDSTRIKES);
  const measured = files.map(() => ({ pipeline: [], parser: [], ratios: [] }));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, [, file]] of files.entries()) {
      const runImport = () => importOnce(upload, sink, file, { durable: true });
      const runParser = () => {
        collectGarbage();
        return parseOnly(file);
      };
      let importRun;
      let parseRun;
      if (round % 2 === 0) {
        importRun = await runImport();
        parseRun = await runParser();
      } else {
        parseRun = await runParser();
        importRun = await runImport();
      }
      const pipelineRate = importRun.rows / (importRun.ms / 1000);
      const parserRate = parseRun.rows / (parseRun.ms / 1000);
      measured[i].pipeline.push(pipelineRate);
      measured[i].parser.push(parserRate);
      measured[i].ratios.push(pipelineRate / parserRate);
    }
  }
  for (const [i, [name]] of files.entries()) {
    verdicts.push(
      `throughput, ${name}: import at ${fmt.ratio(
        summarize(measured[i].ratios).median,
      )} × the parser's rate (no limit)`,
    );
  }
  const rows = files.map(([name], i) => [
    name,
    spread(summarize(measured[i].parser), fmt.int),
    spread(summarize(measured[i].pipeline), fmt.int),
    spread(summarize(measured[i].ratios), fmt.ratio),
  ]);
  printTable(
    'Rows/s; ratio = import / parser per round; median [min – max] (no limit set)',
    ['file', 'csv-parse alone', 'import (durable)', 'ratio'],
    rows,
  );
}

async function main() {
  console.log(`# Pipeline benchmarks — ${describeMachine()}`);
  const started = performance.now();
  const upload = await startTargetProcess();
  try {
    if (ONLY.has('overhead')) {
      await benchOverhead(upload);
    }
    if (ONLY.has('resume')) {
      await benchResume(upload);
    }
    if (ONLY.has('throughput')) {
      await benchThroughput(upload);
    }
  } finally {
    await upload.close();
  }
  console.log('\nVerdicts (medians; a MISS is reported, not fatal):');
  for (const line of verdicts) {
    console.log(`  ${line}`);
  }
  console.log(
    `\nPipeline benchmarks took ${fmt.ms(performance.now() - started)}.`,
  );
}

await main();
