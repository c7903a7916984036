import { startUploadTarget } from './server';
import type { UploadTarget, UploadTargetOptions } from './types';

type TestRecord = Record<string, unknown>;

function postBatch(target: UploadTarget, key: string, records: TestRecord[]) {
  return fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ records }),
  });
}

function rows(first: number, last: number): TestRecord[] {
  const result: TestRecord[] = [];
  for (let row = first; row <= last; row++) result.push({ id: String(row) });
  return result;
}

describe('the bulk endpoint', () => {
  let target: UploadTarget;

  async function start(options: UploadTargetOptions = {}) {
    target = await startUploadTarget({ port: 0, ...options });
  }

  afterEach(() => target?.close());

  it('accepts a batch and stores its records under the job', async () => {
    await start();

    const res = await postBatch(target, 'job-1:1-3', rows(1, 3));

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 3, rejected: [] });
    expect(target.records('job-1')).toEqual(rows(1, 3));
    expect(target.stats()).toMatchObject({
      requests: 1,
      acceptedRows: 3,
      duplicateRows: 0,
      jobs: { 'job-1': { requests: 1, acceptedRanges: [[1, 3]] } },
    });
  });

  it('listens on 127.0.0.1 and the given path by default', async () => {
    await start({ path: '/api/v1/bulk' });

    expect(target.baseUrl).toBe(`http://127.0.0.1:${target.port}`);
    expect(target.url).toBe(`${target.baseUrl}/api/v1/bulk`);
    const res = await postBatch(target, 'j:1-1', rows(1, 1));
    expect(res.status).toBe(200);
  });

  it('replays the first answer to a repeated key and stores once', async () => {
    await start({ rejectWhen: { column: 'id', equals: '2' } });
    const first = await postBatch(target, 'job-1:1-3', rows(1, 3));
    const firstBody = await first.text();

    const again = await postBatch(target, 'job-1:1-3', rows(1, 3));

    expect(again.status).toBe(first.status);
    expect(await again.text()).toBe(firstBody);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(target.records('job-1')).toEqual([{ id: '1' }, { id: '3' }]);
    expect(target.stats()).toMatchObject({
      requests: 2,
      acceptedRows: 2,
      replays: 1,
      jobs: { 'job-1': { requests: 2, replays: 1 } },
    });
  });

  it('treats reordered object keys as the same body', async () => {
    await start();
    await postBatch(target, 'j:1-1', [{ a: '1', b: '2' }]);

    const again = await postBatch(target, 'j:1-1', [{ b: '2', a: '1' }]);

    expect(again.status).toBe(200);
    expect(target.stats().replays).toBe(1);
  });

  it('refuses a key reused with a different body with 422', async () => {
    await start();
    await postBatch(target, 'job-1:1-2', rows(1, 2));

    const res = await postBatch(target, 'job-1:1-2', rows(3, 4));

    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: 'Idempotency-Key reused with a different body',
    });
    expect(target.records('job-1')).toEqual(rows(1, 2));
    expect(target.stats().replays).toBe(0);
  });

  it('counts rows accepted under another key as duplicates', async () => {
    await start();
    await postBatch(target, 'job-1:1-10', rows(1, 10));

    const res = await postBatch(target, 'job-1:6-15', rows(6, 15));

    expect(res.status).toBe(200);
    expect(target.stats()).toMatchObject({
      acceptedRows: 20,
      duplicateRows: 5,
      jobs: { 'job-1': { duplicateRows: 5, acceptedRanges: [[1, 15]] } },
    });
    expect(target.records('job-1')).toHaveLength(20);
  });

  it('does not count a retried rejected row as a duplicate', async () => {
    await start({ rejectWhen: { column: 'id', equals: '5' } });
    await postBatch(target, 'job-1:1-10', rows(1, 10));
    target.configure({ rejectWhen: null });

    await postBatch(target, 'job-1:5-5', [{ id: '5' }]);

    expect(target.stats().jobs['job-1']).toMatchObject({
      acceptedRows: 10,
      rejectedRows: 1,
      duplicateRows: 0,
      acceptedRanges: [[1, 10]],
    });
  });

  it('keeps duplicates apart per job', async () => {
    await start();
    await postBatch(target, 'job-a:1-5', rows(1, 5));

    await postBatch(target, 'job-b:1-5', rows(1, 5));

    expect(target.stats().duplicateRows).toBe(0);
    expect(Object.keys(target.stats().jobs).sort()).toEqual(['job-a', 'job-b']);
  });

  it('returns records in row order, whatever the arrival order', async () => {
    await start();
    await postBatch(target, 'j:4-6', rows(4, 6));
    await postBatch(target, 'j:1-3', rows(1, 3));

    expect(target.records('j')).toEqual(rows(1, 6));
  });

  it('rejects records matching rejectWhen, naming the value', async () => {
    await start({ rejectWhen: { column: 'email', matches: '^$|invalid' } });

    const res = await postBatch(target, 'j:1-3', [
      { email: 'a@example.com' },
      { email: 'invalid-address' },
      { email: '' },
    ]);

    expect(await res.json()).toEqual({
      accepted: 1,
      rejected: [
        {
          index: 1,
          message: 'column "email" has the refused value "invalid-address"',
        },
        { index: 2, message: 'column "email" has the refused value ""' },
      ],
    });
    expect(target.records('j')).toEqual([{ email: 'a@example.com' }]);
    expect(target.stats().rejectedRows).toBe(2);
  });

  it('answers 413 over maxRecordsPerRequest, storing nothing', async () => {
    await start({ maxRecordsPerRequest: 2 });

    const res = await postBatch(target, 'j:1-3', rows(1, 3));

    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatch(/3 records.*at most 2/);
    expect(target.records('j')).toEqual([]);
    const retry = await postBatch(target, 'j:1-2', rows(1, 2));
    expect(retry.status).toBe(200);
  });

  it('answers 413 to a body over maxBodyBytes', async () => {
    await start({ maxBodyBytes: 1000 });

    const res = await postBatch(target, 'j:1-100', rows(1, 100));

    expect(res.status).toBe(413);
    expect(target.stats().acceptedRows).toBe(0);
  });

  it.each([
    ['missing', undefined, /missing Idempotency-Key/],
    ['without a range', 'job-1', /malformed/],
    ['with a bad job id', 'job_1:1-2', /malformed/],
    ['with row 0', 'job-1:0-2', /no valid row range/],
    ['with a reversed range', 'job-1:5-2', /no valid row range/],
  ])('answers 400 to an Idempotency-Key %s', async (_name, key, message) => {
    await start();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
    };
    if (key !== undefined) headers['idempotency-key'] = key;

    const res = await fetch(target.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ records: rows(1, 2) }),
    });

    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(message);
    expect(target.stats()).toMatchObject({ requests: 1, acceptedRows: 0 });
  });

  it.each([
    ['not JSON', '{"records": [', /not valid JSON/],
    ['without records', '{"rows": []}', /"records" array/],
    ['with a non-object record', '{"records": [1]}', /records\[0\]/],
  ])('answers 400 to a body %s', async (_name, body, message) => {
    await start();

    const res = await fetch(target.url, {
      method: 'POST',
      headers: { 'idempotency-key': 'j:1-1' },
      body,
    });

    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(message);
  });

  it('answers 400 to more records than the key has rows', async () => {
    await start();

    const res = await postBatch(target, 'j:1-2', rows(1, 3));

    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/covers 2 rows.*3 records/);
  });

  it('answers 405 to other methods and 404 to other paths', async () => {
    await start();

    const get = await fetch(target.url);
    const elsewhere = await fetch(`${target.baseUrl}/other`, {
      method: 'POST',
    });

    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(elsewhere.status).toBe(404);
  });

  it('forgets data on reset but keeps its settings', async () => {
    await start({ maxRecordsPerRequest: 5 });
    await postBatch(target, 'j:1-2', rows(1, 2));

    target.reset();

    expect(target.stats()).toEqual({
      requests: 0,
      acceptedRows: 0,
      rejectedRows: 0,
      duplicateRows: 0,
      replays: 0,
      faultsInjected: 0,
      jobs: {},
    });
    expect(target.config().maxRecordsPerRequest).toBe(5);
    const again = await postBatch(target, 'j:1-2', rows(1, 2));
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses options it cannot use', async () => {
    await expect(startUploadTarget({ path: '/_control/bulk' })).rejects.toThrow(
      /path is "\/_control\/bulk"/,
    );
    await expect(
      startUploadTarget({ rejectWhen: { column: 'a', matches: '(' } }),
    ).rejects.toMatchObject({ code: 'UPLOAD_TARGET_INVALID_CONFIG' });
  });
});

/** The `error` message of a JSON error answer. */
async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: string }).error;
}
