// Runs every benchmark in bench/ in turn, each in a node process of its
// own so one cannot warm up or tire out the next: `npm run bench` builds
// first, then calls this. Names pick some of them:
// `node bench/run.mjs pipeline`. Options of one benchmark go to it
// directly: `node bench/pipeline.mjs --rounds 3`.
//
// A benchmark that misses a limit prints so and still counts as run; only
// one that crashes makes this exit non-zero.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/** Files of bench/ that are not benchmarks. */
const NOT_BENCHMARKS = new Set(['run.mjs', 'lib.mjs']);
/** The pipeline first; any other benchmark after it, by name. */
const FIRST = ['pipeline.mjs'];

async function listBenchmarks() {
  const files = (await fs.readdir(BENCH_DIR))
    .filter(name => name.endsWith('.mjs') && !NOT_BENCHMARKS.has(name))
    .filter(name => !name.startsWith('_'));
  const rank = name =>
    FIRST.includes(name) ? FIRST.indexOf(name) : FIRST.length;
  return files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function runBenchmark(name) {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--expose-gc', path.join(BENCH_DIR, name)],
    {
      stdio: 'inherit',
    },
  );
  const [code, signal] = await once(child, 'exit');
  return { name, code, signal, seconds: (Date.now() - started) / 1000 };
}

async function main() {
  const all = await listBenchmarks();
  const wanted = process.argv.slice(2).map(name => name.replace(/\.mjs$/, ''));
  const unknown = wanted.filter(name => !all.includes(`${name}.mjs`));
  if (unknown.length > 0) {
    console.error(
      `No benchmark ${unknown.join(', ')} in bench/; there are: ` +
        `${all.map(name => name.replace(/\.mjs$/, '')).join(', ') || 'none'}.`,
    );
    process.exit(2);
  }
  const benchmarks =
    wanted.length > 0 ? wanted.map(name => `${name}.mjs`) : all;
  if (benchmarks.length === 0) {
    console.error(`No benchmarks in ${BENCH_DIR}.`);
    process.exit(1);
  }
  const results = [];
  for (const name of benchmarks) {
    console.log(`\n=== bench/${name} ===`);
    results.push(await runBenchmark(name));
  }

  console.log('\n=== summary ===');
  for (const { name, code, signal, seconds } of results) {
    const outcome =
      code === 0 ? 'ran' : `crashed (${signal ?? `exit ${code}`})`;
    console.log(`bench/${name}: ${outcome} in ${seconds.toFixed(0)} s`);
  }
  if (results.some(result => result.code !== 0)) {
    process.exit(1);
  }
}

await main();
