import { mockCredentials } from '@backstage/backend-test-utils';
import { parse } from 'csv-parse/sync';
import type { Knex } from 'knex';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { DATABASE_KINDS } from '../../../../packages/core/src/testing/databases';
import { contentDisposition } from './exports';
import {
  startRecoveryTestBackend,
  type RecoveryTestBackend,
  type Server,
} from './testBackend';

const USER = mockCredentials.user.header();
const JOB_ID = '00000000-0000-4000-8000-000000000001';

async function seed(knex: Knex) {
  const at = '2026-11-30T23:30:00.000Z';
  await knex('source_files').insert({
    id: 'f1',
    name: 'kunden.csv',
    size: 10,
    sha256: 'ab'.repeat(32),
    storage_key: 'sources/f1',
    created_at: at,
  });
  await knex('jobs').insert({
    id: JOB_ID,
    type: 'csv_import',
    status: 'succeeded',
    target: 'local',
    priority: 'normal',
    priority_rank: 2,
    file_id: 'f1',
    columns: JSON.stringify(['id', 'name', 'amount']),
    options: JSON.stringify({ type: 'csv_import', target: 'local' }),
    settings: JSON.stringify({}),
    created_at: at,
    updated_at: at,
  });
  const rows = ['=1+2', 'Ünïcödé, "quoted"', 'multi\nline', '-5', '00123'];
  await knex('row_errors').insert(
    rows.map((value, i) => ({
      job_id: JOB_ID,
      row: i + 1,
      column: 'amount',
      code: 'invalid_number',
      message: `amount is not a number: ${value}`,
      value,
      raw: `${i + 1},"${value.replace(/"/g, '""')}",x`,
      kind: 'quarantined',
      created_at: at,
    })),
  );
}

describe.each(DATABASE_KINDS)('export routes on %s', kind => {
  let backend: RecoveryTestBackend;
  let server: Server;

  beforeEach(async () => {
    backend = await startRecoveryTestBackend(kind, {
      recovery: { exports: { pdfMaxRows: 3, retention: { days: 1 } } },
    });
    server = backend.server;
    await seed(backend.db.knex);
  });

  afterEach(async () => {
    await backend.stop();
  });

  const get = (url: string) =>
    request(server).get(`/api/recovery${url}`).set('Authorization', USER);
  const post = (url: string, body?: object) =>
    request(server)
      .post(`/api/recovery${url}`)
      .set('Authorization', USER)
      .send(body ?? {});
  const download = (url: string) =>
    get(url)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });

  it('creates an export and serves its file with both file names', async () => {
    const created = await post('/exports', {
      dataset: 'errors',
      format: 'csv',
      columns: ['row', 'value'],
      filters: { jobId: JOB_ID },
      options: { fileName: 'Fehler – Übersicht', excel: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      dataset: 'errors',
      format: 'csv',
      status: 'succeeded',
      rowCount: 5,
      fileName: 'Fehler – Übersicht.csv',
      createdBy: 'user:default/mock',
    });
    expect(created.body.downloadUrl).toMatch(
      new RegExp(`/api/recovery/exports/${created.body.id}/content$`),
    );

    const file = await download(`/exports/${created.body.id}/content`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="Fehler _ Ubersicht.csv"; filename*=UTF-8''Fehler%20%E2%80%93%20%C3%9Cbersicht.csv`,
    );
    const body = file.body as Buffer;
    expect(createHash('sha256').update(body).digest('hex')).toBe(
      created.body.sha256,
    );
    expect(Number(file.headers['content-length'])).toBe(created.body.size);
    expect(parse(body, { bom: true })).toEqual([
      ['Row', 'Value'],
      ['1', "'=1+2"],
      ['2', 'Ünïcödé, "quoted"'],
      ['3', 'multi\nline'],
      ['4', '-5'],
      ['5', '00123'],
    ]);

    const one = await get(`/exports/${created.body.id}`);
    expect(one.body).toEqual(created.body);
  });

  it('serves Excel and PDF with their content types', async () => {
    for (const [format, type] of [
      [
        'xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ],
      ['pdf', 'application/pdf'],
      ['ndjson', 'application/x-ndjson; charset=utf-8'],
      ['json', 'application/json; charset=utf-8'],
    ]) {
      const created = await post('/exports', { dataset: 'jobs', format });
      expect(created.status).toBe(201);
      const file = await download(`/exports/${created.body.id}/content`);
      expect(file.headers['content-type']).toBe(type);
      expect(file.headers['content-disposition']).toMatch(
        new RegExp(
          `^attachment; filename="jobs-\\d{8}-\\d{6}\\.${format}"; filename\\*=UTF-8''jobs-`,
        ),
      );
      expect(createHash('sha256').update(file.body).digest('hex')).toBe(
        created.body.sha256,
      );
    }
  });

  it('answers 400 naming the bad value and what is allowed', async () => {
    const cases: [object, RegExp][] = [
      [
        { dataset: 'sales', format: 'csv' },
        /"sales".*allowed: jobs, errors, recoveries/,
      ],
      [
        { dataset: 'jobs', format: 'xls' },
        /"xls".*allowed: csv, json, ndjson, xlsx, pdf/,
      ],
      [
        { dataset: 'jobs', format: 'csv', columns: ['nope'] },
        /'nope'.*allowed:/,
      ],
      [
        {
          dataset: 'errors',
          format: 'csv',
          filters: { jobId: { regex: 'x' } },
        },
        /'regex'.*allowed: eq, in, contains, gt, gte, lt, lte/,
      ],
      [{ dataset: 'errors', format: 'pdf' }, /5 rows.*at most 3.*csv.*xlsx/],
    ];
    for (const [body, message] of cases) {
      const res = await post('/exports', body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('lists exports in pages', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (await post('/exports', { dataset: 'jobs', format: 'json' })).status,
      ).toBe(201);
    }
    const first = await get('/exports?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await get(
      `/exports?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body).toMatchObject({ nextCursor: null });
    expect(second.body.items).toHaveLength(1);
    expect((await get('/exports?status=bogus')).status).toBe(400);
  });

  it('answers 404 for a missing or expired export', async () => {
    expect((await get('/exports/nope')).status).toBe(404);
    expect((await get('/exports/nope/content')).status).toBe(404);
    const created = await post('/exports', { dataset: 'jobs', format: 'csv' });
    await backend.db
      .knex('exports')
      .where({ id: created.body.id })
      .update({ expires_at: '2001-01-01T00:00:00.000Z' });
    const expired = await get(`/exports/${created.body.id}/content`);
    expect(expired.status).toBe(404);
    expect(expired.body.error.message).toMatch(/expired/);
  });

  it('keeps the error of a failed export, refuses its download and retries it', async () => {
    await fs.writeFile(path.join(backend.storageDir, 'exports'), 'in the way');
    const created = await post('/exports', {
      dataset: 'errors',
      format: 'xlsx',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'failed',
      downloadUrl: null,
      error: { code: 'export_storage_failed' },
    });
    expect(created.body.error.message).toMatch(/recovery\.storage\.dir/);
    expect((await get(`/exports/${created.body.id}/content`)).status).toBe(409);

    await fs.rm(path.join(backend.storageDir, 'exports'));
    const retried = await post(`/exports/${created.body.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      status: 'succeeded',
      rowCount: 5,
      attempts: 2,
    });
    expect((await post(`/exports/${created.body.id}/retry`)).status).toBe(409);
  });

  it('serves the quarantined rows of a job as CSV in its own columns', async () => {
    const res = await download(`/jobs/${JOB_ID}/quarantine.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(
      'kunden-quarantine.csv',
    );
    const [header, ...rows] = parse(res.body) as string[][];
    expect(header).toEqual([
      'id',
      'name',
      'amount',
      'error_row',
      'error_column',
      'error_message',
    ]);
    expect(rows.map(r => r.slice(0, 3))).toEqual([
      ['1', '=1+2', 'x'],
      ['2', 'Ünïcödé, "quoted"', 'x'],
      ['3', 'multi\nline', 'x'],
      ['4', '-5', 'x'],
      ['5', '00123', 'x'],
    ]);
    expect((await get('/jobs/nope/quarantine.csv')).status).toBe(404);
  });

  it('serves the rows the target rejected apart from the quarantined ones', async () => {
    await backend.db.knex('row_errors').insert({
      job_id: JOB_ID,
      row: 9,
      column: null,
      code: 'rejected_by_target',
      message: "The target refused row 9: 'amount' must be positive",
      value: null,
      raw: '9,Zoë,-1',
      kind: 'rejected',
      created_at: '2026-11-30T23:30:00.000Z',
    });

    const res = await download(`/jobs/${JOB_ID}/rejected.csv`);

    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('kunden-rejected.csv');
    expect(parse(res.body)).toEqual([
      ['id', 'name', 'amount', 'error_row', 'error_column', 'error_message'],
      [
        '9',
        'Zoë',
        '-1',
        '9',
        '',
        "The target refused row 9: 'amount' must be positive",
      ],
    ]);
    const quarantined = parse(
      (await download(`/jobs/${JOB_ID}/quarantine.csv`)).body,
    ) as string[][];
    expect(quarantined.map(r => r[3])).not.toContain('9');
    expect((await get('/jobs/nope/rejected.csv')).status).toBe(404);
  });

  it('describes the datasets and refuses anonymous callers', async () => {
    const datasets = await get('/exports/datasets');
    expect(datasets.body.items.map((d: { name: string }) => d.name)).toEqual([
      'jobs',
      'errors',
      'recoveries',
      'analytics',
    ]);
    expect((await request(server).get('/api/recovery/exports')).status).toBe(
      401,
    );
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII name and the UTF-8 name', () => {
    expect(contentDisposition('отчёт "1".pdf')).toBe(
      `attachment; filename="_____ _1_.pdf"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20%221%22.pdf`,
    );
  });
});
