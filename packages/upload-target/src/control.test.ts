import { startUploadTarget } from './server';
import type { UploadTarget } from './types';

describe('the control API', () => {
  let target: UploadTarget;

  beforeEach(async () => {
    target = await startUploadTarget();
  });

  afterEach(() => target.close());

  function control(method: string, path: string, body?: unknown) {
    return fetch(`${target.baseUrl}/_control${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  function postBatch(key: string, records: Record<string, unknown>[]) {
    return fetch(target.url, {
      method: 'POST',
      headers: { 'idempotency-key': key },
      body: JSON.stringify({ records }),
    });
  }

  it('queues one fault or several and lists what is pending', async () => {
    const one = await control('POST', '/faults', {
      mode: 'status',
      status: 401,
    });
    const more = await control('POST', '/faults', [
      { mode: 'reset' },
      { mode: 'slow', delayMs: 10, count: 3 },
    ]);

    expect(one.status).toBe(201);
    expect(more.status).toBe(201);
    const listed = (await (await control('GET', '/faults')).json()) as {
      faults: Array<{ mode: string }>;
    };
    expect(listed.faults.map(fault => fault.mode)).toEqual([
      'status',
      'reset',
      'slow',
    ]);
    expect((await postBatch('j:1-1', [{}])).status).toBe(401);
  });

  it('clears queued faults', async () => {
    await control('POST', '/faults', { mode: 'status', status: 500 });

    const cleared = await control('DELETE', '/faults');

    expect(await cleared.json()).toEqual({ faults: [] });
    expect((await postBatch('j:1-1', [{}])).status).toBe(200);
  });

  it('names the bad field of a fault and queues nothing', async () => {
    const res = await control('POST', '/faults', [
      { mode: 'status' },
      { mode: 'status', delay: 5 },
    ]);

    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(
      /faults\[1\]\.delay is not a known field/,
    );
    expect(target.pendingFaults()).toEqual([]);
  });

  it('answers 400 to a control body that is not JSON', async () => {
    const res = await fetch(`${target.baseUrl}/_control/faults`, {
      method: 'POST',
      body: 'mode=status',
    });

    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatch(/not valid JSON/);
  });

  it('changes settings with PUT /config and shows them', async () => {
    const res = await control('PUT', '/config', {
      rejectWhen: { column: 'id', equals: '2' },
      maxRecordsPerRequest: 2,
    });

    expect(await res.json()).toEqual({
      rejectWhen: { column: 'id', equals: '2' },
      maxRecordsPerRequest: 2,
      chaos: null,
    });
    const tooMany = await postBatch('j:1-3', [{ id: '1' }, { id: '2' }, {}]);
    expect(tooMany.status).toBe(413);
    const batch = await postBatch('j:1-2', [{ id: '1' }, { id: '2' }]);
    expect(
      ((await batch.json()) as { rejected: unknown[] }).rejected,
    ).toHaveLength(1);

    await control('PUT', '/config', { maxRecordsPerRequest: null });
    expect(await (await control('GET', '/config')).json()).toMatchObject({
      rejectWhen: { column: 'id', equals: '2' },
      maxRecordsPerRequest: null,
    });
  });

  it('switches chaos on through PUT /config', async () => {
    await control('PUT', '/config', {
      chaos: {
        seed: 1,
        probability: 1,
        modes: [{ mode: 'status', status: 502 }],
      },
    });

    expect((await postBatch('j:1-1', [{}])).status).toBe(502);
    await control('PUT', '/config', { chaos: null });
    expect((await postBatch('j:1-1', [{}])).status).toBe(200);
  });

  it('answers 400 to a bad setting and keeps the old one', async () => {
    await control('PUT', '/config', { maxRecordsPerRequest: 10 });

    const res = await control('PUT', '/config', { maxRecordsPerRequest: 0 });

    expect(res.status).toBe(400);
    expect(await errorOf(res)).toBe(
      'config.maxRecordsPerRequest is 0; use a whole number from 1 to ' +
        `${Number.MAX_SAFE_INTEGER}`,
    );
    expect(target.config().maxRecordsPerRequest).toBe(10);
  });

  it('reports stats and the records of a job in row order', async () => {
    await postBatch('job-7:3-4', [{ id: '3' }, { id: '4' }]);
    await postBatch('job-7:1-2', [{ id: '1' }, { id: '2' }]);
    await postBatch('job-7:1-2', [{ id: '1' }, { id: '2' }]);

    const stats = await (await control('GET', '/stats')).json();
    const records = await (await control('GET', '/jobs/job-7/records')).json();

    expect(stats).toEqual({
      requests: 3,
      acceptedRows: 4,
      rejectedRows: 0,
      duplicateRows: 0,
      replays: 1,
      faultsInjected: 0,
      jobs: {
        'job-7': {
          requests: 3,
          acceptedRows: 4,
          rejectedRows: 0,
          duplicateRows: 0,
          replays: 1,
          acceptedRanges: [[1, 4]],
        },
      },
    });
    expect(records).toEqual({
      records: [{ id: '1' }, { id: '2' }, { id: '3' }, { id: '4' }],
    });
  });

  it('answers an empty list for a job it has not seen', async () => {
    const res = await control('GET', '/jobs/unknown/records');

    expect(await res.json()).toEqual({ records: [] });
  });

  it('forgets all data with DELETE /data', async () => {
    await postBatch('j:1-1', [{ id: '1' }]);

    const res = await control('DELETE', '/data');

    expect(((await res.json()) as { requests: number }).requests).toBe(0);
    expect(target.records('j')).toEqual([]);
    const again = await postBatch('j:1-1', [{ id: '1' }]);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers 404 to unknown endpoints and 405 to wrong methods', async () => {
    const unknown = await control('GET', '/nothing');
    const wrong = await control('PATCH', '/faults', {});

    expect(unknown.status).toBe(404);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST, DELETE');
  });
});

/** The `error` message of a JSON error answer. */
async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: string }).error;
}
