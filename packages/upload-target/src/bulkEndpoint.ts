import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type BatchKey, parseBatchKey } from './batchKey';
import type { StoredAnswer } from './BatchStore';
import {
  type Answer,
  errorAnswer,
  jsonAnswer,
  parseJson,
  readBody,
  type RequestBody,
  RequestError,
  sendAnswer,
} from './http';
import { injectFault } from './injectFault';
import { findRejections } from './rejectRule';
import type { TargetState } from './TargetState';

type TargetRecord = Record<string, unknown>;

/** `POST <path>`: one batch of records under one Idempotency-Key. */
export async function handleBulkRequest(
  state: TargetState,
  maxBodyBytes: number,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req, maxBodyBytes);
  const key = parseBatchKey(req.headers['idempotency-key']);
  const jobId = typeof key === 'string' ? undefined : key.jobId;
  state.store.countRequest(jobId);

  // Deferred, because some faults store the batch and some never do.
  const answerBatch = () => answerBatchRequest(state, key, body);
  const fault = state.faults.next(jobId);
  if (!fault) {
    sendAnswer(res, answerBatch());
    return;
  }

  state.store.countFault();
  await injectFault(fault, req, res, answerBatch);
}

function answerBatchRequest(
  state: TargetState,
  key: BatchKey | string,
  body: RequestBody,
): Answer {
  try {
    return decideBatch(state, key, body);
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    return errorAnswer(error.status, error.message);
  }
}

function decideBatch(
  state: TargetState,
  key: BatchKey | string,
  body: RequestBody,
): Answer {
  if (typeof key === 'string') throw new RequestError(400, key);
  const { payload, records } = parseBatchBody(body);
  const fingerprint = fingerprintOf(payload);

  const stored = state.store.answerFor(key);
  if (stored) return replayAnswer(state, key, stored, fingerprint);

  checkBatchSize(state, key, records);
  return acceptBatch(state, key, records, fingerprint);
}

function parseBatchBody(body: RequestBody): {
  payload: unknown;
  records: TargetRecord[];
} {
  if (body.bytes === null) {
    throw new RequestError(
      413,
      `request body of ${body.size} bytes is too large`,
    );
  }
  const payload = parseJson(body.bytes);

  const records = isObject(payload) ? payload.records : undefined;
  if (!Array.isArray(records)) {
    throw new RequestError(
      400,
      'body must be a JSON object with a "records" array',
    );
  }
  const badIndex = records.findIndex(record => !isObject(record));
  if (badIndex >= 0) {
    throw new RequestError(400, `records[${badIndex}] must be a JSON object`);
  }
  return { payload, records: records as TargetRecord[] };
}

function replayAnswer(
  state: TargetState,
  key: BatchKey,
  stored: StoredAnswer,
  fingerprint: string,
): Answer {
  if (stored.fingerprint !== fingerprint) {
    return errorAnswer(422, 'Idempotency-Key reused with a different body');
  }

  state.store.countReplay(key.jobId);
  return {
    status: stored.status,
    body: stored.body,
    headers: { 'idempotent-replayed': 'true' },
  };
}

function checkBatchSize(
  state: TargetState,
  key: BatchKey,
  records: TargetRecord[],
): void {
  const limit = state.maxRecordsPerRequest;
  if (limit !== null && records.length > limit) {
    throw new RequestError(
      413,
      `batch has ${records.length} records; this target accepts at most ` +
        `${limit} per request`,
    );
  }

  const rowsInKey = key.lastRow - key.firstRow + 1;
  if (records.length > rowsInKey) {
    throw new RequestError(
      400,
      `Idempotency-Key ${key.raw} covers ${rowsInKey} rows but the batch ` +
        `has ${records.length} records; send one record per row`,
    );
  }
}

function acceptBatch(
  state: TargetState,
  key: BatchKey,
  records: TargetRecord[],
  fingerprint: string,
): Answer {
  const rejected = findRejections(records, state.rejectWhen);
  const answer = jsonAnswer(200, {
    accepted: records.length - rejected.length,
    rejected,
  });

  const rejectedIndexes = new Set(rejected.map(rejection => rejection.index));
  state.store.saveBatch(key, records, rejectedIndexes, {
    fingerprint,
    status: answer.status,
    body: answer.body,
  });
  return answer;
}

/** Same JSON, same fingerprint, whatever the order of object keys. */
function fingerprintOf(payload: unknown): string {
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (!isObject(value)) return JSON.stringify(value) ?? 'null';

  const fields = Object.keys(value)
    .sort()
    .map(key => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
  return `{${fields.join(',')}}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
