import { startUploadTarget } from './server';
import type { UploadTarget, UploadTargetOptions } from './types';

type TestRecord = Record<string, unknown>;

function postBatch(
  target: UploadTarget,
  key: string,
  records: TestRecord[],
  signal?: AbortSignal,
) {
  return fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ records }),
    signal,
  });
}

/** Status of each request, or the name of the error it failed with. */
async function outcome(request: Promise<Response>): Promise<number | string> {
  try {
    const res = await request;
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return (error as Error).name;
  }
}

const ONE_ROW = [{ id: '1' }];

describe('fault injection', () => {
  let target: UploadTarget;

  async function start(options: UploadTargetOptions = {}) {
    target = await startUploadTarget(options);
  }

  afterEach(() => target?.close());

  it('answers a status fault with Retry-After and a JSON error', async () => {
    await start();
    target.addFault({ mode: 'status', status: 429, retryAfter: 7 });

    const res = await postBatch(target, 'j:1-1', ONE_ROW);

    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ error: 'injected fault: status 429' });
    expect(target.records('j')).toEqual([]);
    expect(target.stats()).toMatchObject({ requests: 1, faultsInjected: 1 });
  });

  it('processes the retry of a plain status fault as new', async () => {
    await start();
    target.addFault({ mode: 'status' });

    const first = await postBatch(target, 'j:1-1', ONE_ROW);
    const retry = await postBatch(target, 'j:1-1', ONE_ROW);

    expect(first.status).toBe(503);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(target.records('j')).toEqual(ONE_ROW);
  });

  it('stores the batch, then fails, with processBeforeFailing', async () => {
    await start();
    target.addFault({
      mode: 'status',
      status: 500,
      processBeforeFailing: true,
    });

    const first = await postBatch(target, 'j:1-1', ONE_ROW);
    const retry = await postBatch(target, 'j:1-1', ONE_ROW);

    expect(first.status).toBe(500);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(target.records('j')).toEqual(ONE_ROW);
  });

  it('destroys the connection on reset and stores nothing', async () => {
    await start();
    target.addFault({ mode: 'reset' });

    await expect(postBatch(target, 'j:1-1', ONE_ROW)).rejects.toThrow(
      'fetch failed',
    );
    expect(target.records('j')).toEqual([]);
    expect(target.stats().faultsInjected).toBe(1);
  });

  it('stores the batch, then resets, with processBeforeFailing', async () => {
    await start();
    target.addFault({ mode: 'reset', processBeforeFailing: true });

    await expect(postBatch(target, 'j:1-1', ONE_ROW)).rejects.toThrow(
      'fetch failed',
    );
    const retry = await postBatch(target, 'j:1-1', ONE_ROW);

    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(target.records('j')).toEqual(ONE_ROW);
    expect(target.stats()).toMatchObject({ acceptedRows: 1, replays: 1 });
  });

  it('never answers a timeout fault, so the client times out', async () => {
    await start();
    target.addFault({ mode: 'timeout', delayMs: 10_000 });
    const startedAt = Date.now();

    const result = await outcome(
      postBatch(target, 'j:1-1', ONE_ROW, AbortSignal.timeout(200)),
    );

    expect(result).toBe('TimeoutError');
    expect(Date.now() - startedAt).toBeLessThan(5000);
    expect(target.records('j')).toEqual([]);
  });

  it('hangs up after delayMs of a timeout fault', async () => {
    await start();
    target.addFault({ mode: 'timeout', delayMs: 100 });

    await expect(postBatch(target, 'j:1-1', ONE_ROW)).rejects.toThrow(
      'fetch failed',
    );
  });

  it('stores, then hangs, on timeout with processBeforeFailing', async () => {
    await start();
    target.addFault({
      mode: 'timeout',
      delayMs: 10_000,
      processBeforeFailing: true,
    });

    const result = await outcome(
      postBatch(target, 'j:1-1', ONE_ROW, AbortSignal.timeout(200)),
    );

    expect(result).toBe('TimeoutError');
    expect(target.records('j')).toEqual(ONE_ROW);
  });

  it('closes promptly while a timeout fault holds a connection', async () => {
    await start();
    target.addFault({ mode: 'timeout', delayMs: 60_000 });
    const pending = outcome(postBatch(target, 'j:1-1', ONE_ROW));
    await waitFor(() => target.stats().requests === 1);

    const startedAt = Date.now();
    await target.close();

    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(await pending).toBe('TypeError');
  });

  it('answers a slow fault normally after delayMs', async () => {
    await start();
    target.addFault({ mode: 'slow', delayMs: 300 });
    const startedAt = Date.now();

    const res = await postBatch(target, 'j:1-1', ONE_ROW);

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
    expect(target.records('j')).toEqual(ONE_ROW);
  });

  it('does not store a slow batch whose client gave up', async () => {
    await start();
    target.addFault({ mode: 'slow', delayMs: 500 });

    const result = await outcome(
      postBatch(target, 'j:1-1', ONE_ROW, AbortSignal.timeout(100)),
    );
    await sleep(600);

    expect(result).toBe('TimeoutError');
    expect(target.records('j')).toEqual([]);
  });

  it('lets afterRequests pass, then affects count requests', async () => {
    await start();
    target.addFault({
      mode: 'status',
      status: 503,
      afterRequests: 2,
      count: 2,
    });

    const statuses = [];
    for (let row = 1; row <= 5; row++) {
      statuses.push(
        await outcome(postBatch(target, `j:${row}-${row}`, ONE_ROW)),
      );
    }

    expect(statuses).toEqual([200, 200, 503, 503, 200]);
    expect(target.pendingFaults()).toEqual([]);
    expect(target.stats().faultsInjected).toBe(2);
  });

  it('plays queued rules one after the other', async () => {
    await start();
    target.addFault([
      { mode: 'status', status: 429, count: 2 },
      { mode: 'status', status: 502, afterRequests: 1 },
    ]);

    const statuses = [];
    for (let row = 1; row <= 5; row++) {
      statuses.push(
        await outcome(postBatch(target, `j:${row}-${row}`, ONE_ROW)),
      );
    }

    expect(statuses).toEqual([429, 429, 200, 502, 200]);
  });

  it('limits a rule with jobId to that job', async () => {
    await start();
    target.addFault({ mode: 'status', status: 503, jobId: 'job-b' });

    const a = await outcome(postBatch(target, 'job-a:1-1', ONE_ROW));
    const b = await outcome(postBatch(target, 'job-b:1-1', ONE_ROW));

    expect([a, b]).toEqual([200, 503]);
  });

  it('shows what is left of queued rules and clears them', async () => {
    await start();
    target.addFault({ mode: 'reset', afterRequests: 3, count: 2 });
    await postBatch(target, 'j:1-1', ONE_ROW);

    expect(target.pendingFaults()).toEqual([
      { mode: 'reset', afterRequests: 2, count: 2 },
    ]);
    target.clearFaults();
    expect(target.pendingFaults()).toEqual([]);
  });

  it('refuses a fault rule it cannot use', async () => {
    await start();

    expect(() => target.addFault({ mode: 'status', status: 1000 })).toThrow(
      'fault.status is 1000; use a whole number from 100 to 599',
    );
    expect(target.pendingFaults()).toEqual([]);
  });

  it('repeats the same chaos for the same seed', async () => {
    const chaos = {
      seed: 42,
      probability: 0.4,
      modes: [
        { mode: 'status' as const, status: 503 },
        { mode: 'status' as const, status: 429 },
      ],
    };

    const first = await runChaos({ chaos });
    const second = await runChaos({ chaos });
    const otherSeed = await runChaos({ chaos: { ...chaos, seed: 7 } });

    expect(second).toEqual(first);
    expect(otherSeed).not.toEqual(first);
    expect(first).toEqual(expect.arrayContaining([200, 503, 429]));
  });

  it('re-seeds chaos when it is configured again', async () => {
    const chaos = { seed: 3, probability: 0.5 };
    await start({ chaos });
    const first = await sendRows(20);

    target.configure({ chaos });
    const second = await sendRows(20, 21);

    expect(second).toEqual(first);
    expect(target.stats().faultsInjected).toBe(
      [...first, ...second].filter(status => status !== 200).length,
    );
  });

  async function runChaos(options: UploadTargetOptions) {
    await start(options);
    const statuses = await sendRows(40);
    await target.close();
    return statuses;
  }

  async function sendRows(count: number, firstRow = 1) {
    const statuses = [];
    for (let row = firstRow; row < firstRow + count; row++) {
      statuses.push(
        await outcome(postBatch(target, `j:${row}-${row}`, ONE_ROW)),
      );
    }
    return statuses;
  }
});

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 100) throw new Error('condition not met within 2 seconds');
    await sleep(20);
  }
}
