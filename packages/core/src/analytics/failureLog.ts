import type { Knex } from 'knex';
import type { Failure, Job } from '../client/types';
import { failureSignature } from './signature';

/** Keeps one failure of a run in the failure log of the analytics. */
export async function recordFailure(
  knex: Knex,
  job: Pick<Job, 'id' | 'type' | 'target'>,
  failure: Failure,
): Promise<void> {
  await knex('failures').insert({
    job_id: job.id,
    job_type: job.type,
    target: job.target,
    type: failure.type,
    message: failure.message,
    signature: failureSignature(failure.message),
    http_status: failure.evidence.httpStatus ?? null,
    code: failure.evidence.code ?? null,
    column: failure.evidence.column ?? null,
    at: failure.at,
  });
}
