import type { HttpTargetConfig } from '../../targets/TargetRegistry';
import { PipelineError } from '../PipelineError';
import type { Batch, BatchCommit, Refusal, Sink } from '../Sink';

type SinkRecord = Batch['records'][number];

/** Statuses that refuse a batch as a whole: nothing of it was kept. */
const REFUSED = new Set([400, 401, 403, 404, 405, 410, 413, 422, 429]);
const SPLITTABLE = new Set([400, 422]);

/**
 * The upload protocol of API.md: a POST of records per batch with an
 * Idempotency-Key of the row range, so a replay is recognised.
 */
export class HttpSink implements Sink {
  readonly marksAhead = true;

  constructor(
    private readonly targetId: string,
    private readonly target: HttpTargetConfig,
    private readonly jobId: string,
    private readonly options: {
      timeoutMs: number;
      isolateRejectedRows: boolean;
    },
  ) {}

  async load(batch: Batch, commit: BatchCommit, signal: AbortSignal) {
    if (batch.records.length === 0) {
      await commit.commit([]);
      return;
    }
    await commit.markInDoubt();
    let refusals: Refusal[];
    try {
      refusals = await this.send(batch.records, batch.idempotencyKey, signal);
    } catch (error) {
      const status = (error as PipelineError).evidence?.httpStatus;
      if (status !== undefined && REFUSED.has(status)) {
        await commit.clearInDoubt();
      }
      throw error;
    }
    await commit.commit(refusals);
  }

  private async send(
    records: SinkRecord[],
    key: string,
    signal: AbortSignal,
  ): Promise<Refusal[]> {
    const response = await this.post(records, key, signal);
    if (response.ok) {
      return readRejections(await response.text(), records);
    }

    const body = (await response.text()).slice(0, 300);
    if (SPLITTABLE.has(response.status) && this.options.isolateRejectedRows) {
      return this.isolate(records, body, signal);
    }
    throw this.statusError(response, records, body);
  }

  /**
   * The target refused the batch as a whole; halves find the rows it
   * refuses, each half under the key of its own row range.
   */
  private async isolate(
    records: SinkRecord[],
    body: string,
    signal: AbortSignal,
  ): Promise<Refusal[]> {
    if (records.length === 1) {
      return [
        {
          row: records[0].row,
          code: 'target_refused',
          kind: 'quarantined',
          message: `Target '${this.targetId}' refused the row: ${
            body || 'no reason given'
          }`,
        },
      ];
    }
    const middle = Math.ceil(records.length / 2);
    const halves = [records.slice(0, middle), records.slice(middle)];
    const refusals: Refusal[] = [];
    for (const half of halves) {
      refusals.push(...(await this.send(half, this.keyOf(half), signal)));
    }
    return refusals;
  }

  private keyOf(records: SinkRecord[]): string {
    return `${this.jobId}:${records[0].row}-${records[records.length - 1].row}`;
  }

  private async post(
    records: SinkRecord[],
    key: string,
    signal: AbortSignal,
  ): Promise<Response> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    try {
      return await fetch(this.target.url, {
        method: 'POST',
        headers: {
          ...this.target.headers,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify({ records: records.map(r => r.data) }),
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      if (signal.aborted) {
        throw signal.reason;
      }
      throw this.transportError(error, records, timeout.aborted);
    }
  }

  private statusError(
    response: Response,
    records: SinkRecord[],
    body: string,
  ): PipelineError {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const rows = rangeOf(records);
    return new PipelineError(
      `Target '${this.targetId}' answered ${response.status} ` +
        `${response.statusText} for rows ${rows[0]}-${rows[1]}` +
        (body ? `: ${body}` : ''),
      {
        httpStatus: response.status,
        code: `http_${response.status}`,
        rows,
        ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
      },
    );
  }

  private transportError(
    error: unknown,
    records: SinkRecord[],
    timedOut: boolean,
  ): PipelineError {
    const rows = rangeOf(records);
    if (timedOut) {
      return new PipelineError(
        `Target '${this.targetId}' gave no answer within ` +
          `${this.options.timeoutMs} ms for rows ${rows[0]}-${rows[1]}.`,
        { code: 'ETIMEDOUT', rows, setting: 'timeout' },
        { cause: error },
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } })
      .cause;
    const code = cause?.code ?? (error as { code?: string }).code ?? 'EFETCH';
    return new PipelineError(
      `Could not reach target '${this.targetId}' for rows ${rows[0]}-${rows[1]}: ` +
        `${cause?.message ?? (error as Error).message} (${code}).`,
      { code, rows },
      { cause: error },
    );
  }
}

function rangeOf(records: SinkRecord[]): number[] {
  return [records[0].row, records[records.length - 1].row];
}

function readRejections(text: string, records: SinkRecord[]): Refusal[] {
  let body: { rejected?: { index?: unknown; message?: unknown }[] };
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    return [];
  }
  if (!Array.isArray(body?.rejected)) {
    return [];
  }
  const refusals: Refusal[] = [];
  for (const item of body.rejected) {
    const index = Number(item?.index);
    if (Number.isInteger(index) && index >= 0 && index < records.length) {
      refusals.push({
        row: records[index].row,
        code: 'target_rejected',
        kind: 'rejected',
        message: String(item.message ?? 'rejected by the target'),
      });
    }
  }
  return refusals;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds;
  }
  const date = Date.parse(value);
  return Number.isNaN(date)
    ? undefined
    : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
