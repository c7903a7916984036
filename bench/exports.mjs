// Export benchmark: run `npx tsc -b` first, then `node bench/exports.mjs`.
//
// 1. 10,000 row errors in each format, end to end (query, format, store,
//    checksum) against the bare library writing the same rows from memory
//    in the same process: the ratio is the price of streaming from the
//    database, presentation, neutralisation and storage.
// 2. 1,000,000 rows in CSV, NDJSON and Excel, each in a child process of
//    its own so that its peak RSS is its own: rows per second and memory.
//
// `--rows N` changes the large size (e.g. --rows 100000 for a quick run).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const core = require('../packages/core/dist/index.js');
const knexFactory = require('knex');
const { stringify } = require('csv-stringify/sync');
const ExcelJS = require('exceljs');
const PDFDocument = require('pdfkit');

const COLUMNS = [
  'jobId',
  'row',
  'column',
  'code',
  'message',
  'value',
  'kind',
  'createdAt',
];
const REQUEST = (format, extra = {}) => ({
  dataset: 'errors',
  format,
  columns: COLUMNS,
  options: { timezone: 'Europe/Berlin' },
  ...extra,
});

function openDb(file) {
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
}

/** One job and `rows` row errors, generated inside SQLite. */
async function seed(file, rows) {
  const knex = openDb(file);
  await core.migrateUp(knex);
  const at = '2026-11-01T00:00:00.000Z';
  await knex('source_files').insert({
    id: 'f',
    name: 'bench.csv',
    size: 1,
    sha256: 'a'.repeat(64),
    storage_key: 'k',
    created_at: at,
  });
  await knex('jobs').insert({
    id: 'job-bench',
    type: 'csv_import',
    status: 'succeeded',
    target: 'local',
    priority: 'normal',
    priority_rank: 2,
    file_id: 'f',
    columns: '[]',
    options: '{}',
    settings: '{}',
    created_at: at,
    updated_at: at,
  });
  await knex.raw(
    `
    with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ?)
    insert into row_errors (job_id, "row", "column", code, message, value, raw, kind, created_at)
    select 'job-bench', n, 'amount', 'invalid_number',
           'Row ' || n || ': "' || (n % 97) || '" is not a number, see the schema',
           case n % 5 when 0 then '=SUM(A' || n || ')' when 1 then '-' || n when 2 then 'Zürich, 東京'
                      when 3 then '0' || n else 'plain ' || n end,
           n || ',x,y', case n % 3 when 0 then 'rejected' else 'quarantined' end,
           strftime('%Y-%m-%dT%H:%M:%fZ', 1764547200 + n * 7, 'unixepoch')
    from seq`,
    [rows],
  );
  await knex.destroy();
}

async function exportOnce(file, format, settings = {}) {
  const knex = openDb(file);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-bench-store-'));
  const storage = await core.LocalStorageService.create(dir);
  const service = new core.ExportService({
    knex,
    storage,
    logger: core.silentLogger,
    settings: {
      inlineRows: Number.MAX_SAFE_INTEGER,
      pdfMaxRows: 50_000,
      ...settings,
    },
  });
  const started = process.hrtime.bigint();
  const record = await service.create(REQUEST(format));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await knex.destroy();
  await fs.rm(dir, { recursive: true, force: true });
  if (record.status !== 'succeeded') {
    throw new Error(`${format} export failed: ${record.error?.message}`);
  }
  return { seconds, rows: record.rowCount, bytes: record.size };
}

/** The bare libraries writing the same rows from memory, hashing the file. */
async function rawOnce(rows, format, file) {
  const started = process.hrtime.bigint();
  const out = createWriteStream(file);
  const hash = createHash('sha256');
  const header = COLUMNS;
  if (format === 'csv') {
    out.write(stringify([header, ...rows]));
  } else if (format === 'json') {
    out.write(
      JSON.stringify(
        rows.map(r => Object.fromEntries(header.map((h, i) => [h, r[i]]))),
      ),
    );
  } else if (format === 'ndjson') {
    out.write(
      rows
        .map(r =>
          JSON.stringify(Object.fromEntries(header.map((h, i) => [h, r[i]]))),
        )
        .join('\n'),
    );
  } else if (format === 'xlsx') {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out });
    const sheet = workbook.addWorksheet('Data');
    sheet.addRow(header).commit();
    for (const row of rows) {
      sheet.addRow(row).commit();
    }
    sheet.commit();
    await workbook.commit();
  } else {
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 36,
    });
    doc.pipe(out);
    doc
      .font(path.join(here, '../packages/core/fonts/DejaVuSans.ttf'))
      .fontSize(8);
    const width = (doc.page.width - 72) / header.length;
    for (const row of rows) {
      if (doc.y > doc.page.height - 60) {
        doc.addPage();
      }
      const y = doc.y;
      row.forEach((cell, i) =>
        doc.text(String(cell ?? ''), 36 + i * width, y, {
          width: width - 4,
          lineBreak: true,
          height: 20,
        }),
      );
      doc.y = y + 22;
    }
    doc.end();
  }
  if (format !== 'xlsx' && format !== 'pdf') {
    out.end();
  }
  await new Promise((resolve, reject) =>
    out.on('close', resolve).on('error', reject),
  );
  await pipeline((await import('node:fs')).createReadStream(file), hash);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function child(format, file) {
  const result = await exportOnce(file, format);
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ...result, peakMb }));
}

function table(title, headers, rows) {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map(r => String(r[i]).length)),
  );
  const line = cells =>
    cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
  console.log(
    `\n${title}\n${line(headers)}\n${widths
      .map(w => '-'.repeat(w))
      .join('  ')}`,
  );
  rows.forEach(r => console.log(line(r)));
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await child(args[1], args[2]);
    return;
  }
  const big = args[0] === '--rows' ? Number(args[1]) : 1_000_000;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-bench-'));
  try {
    const small = path.join(dir, 'small.sqlite');
    await seed(small, 10_000);
    const knex = openDb(small);
    const memory = (
      await knex('row_errors').orderBy(['job_id', 'row', 'id'])
    ).map(r => [
      r.job_id,
      r.row,
      r.column,
      r.code,
      r.message,
      r.value,
      r.kind,
      r.created_at,
    ]);
    await knex.destroy();
    const results = [];
    for (const format of ['csv', 'json', 'ndjson', 'xlsx', 'pdf']) {
      // One warm-up of each, then the better of three runs.
      await exportOnce(small, format);
      await rawOnce(memory, format, path.join(dir, `raw.${format}`));
      let ours = Infinity;
      let raw = Infinity;
      for (let i = 0; i < 3; i++) {
        ours = Math.min(ours, (await exportOnce(small, format)).seconds);
        raw = Math.min(
          raw,
          await rawOnce(memory, format, path.join(dir, `raw.${format}`)),
        );
      }
      results.push([
        format,
        '10,000',
        (ours * 1000).toFixed(0),
        (raw * 1000).toFixed(0),
        (ours / raw).toFixed(2),
      ]);
    }
    table(
      '10,000 rows, end to end vs the bare library from memory',
      ['format', 'rows', 'rebound ms', 'library ms', 'ratio'],
      results,
    );

    const large = path.join(dir, 'large.sqlite');
    await seed(large, big);
    const rows = [];
    for (const format of ['csv', 'ndjson', 'xlsx']) {
      const out = execFileSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--child', format, large],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        },
      );
      const r = JSON.parse(out);
      rows.push([
        format,
        r.rows.toLocaleString('en-US'),
        r.seconds.toFixed(1),
        Math.round(r.rows / r.seconds).toLocaleString('en-US'),
        (r.bytes / 1e6).toFixed(0),
        r.peakMb.toFixed(0),
      ]);
    }
    table(
      `${big.toLocaleString('en-US')} rows, one child process each`,
      ['format', 'rows', 'seconds', 'rows/s', 'file MB', 'peak RSS MB'],
      rows,
    );
    console.log(
      `\nnode ${process.version}, ${os.cpus().length} cores, ${
        os.cpus()[0]?.model ?? ''
      }`,
    );
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
