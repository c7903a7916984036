import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  PRIORITIES,
  RECOVERABILITY,
  type BatchRecoveryRequest,
  type JobStore,
  type RecoveryEngine,
} from '@rebound/core';
import express from 'express';
import Router from 'express-promise-router';
import { authorize, recoveryJobRecoverPermission } from '../permissions';
import { JOB_STATUSES, principalOf } from './jobs';
import { bodyObject, queryValue } from './queries';

const REQUEST_KEYS = [
  'jobIds',
  'filter',
  'concurrency',
  'priority',
  'dryRun',
  'wait',
  'autoRetry',
  'includeManual',
];
const FILTER_KEYS = ['status', 'failureType', 'target'];

/** Batch recovery and the recovery history. */
export function createRecoveryRoutes(options: {
  store: JobStore;
  engine: RecoveryEngine;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const { store, engine, httpAuth, permissions } = options;
  const router = Router();

  router.post('/recoveries', express.json(), async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, recoveryJobRecoverPermission, credentials);
    const request = checkBatchRequest(bodyObject(req));
    res.json(await engine.recoverMany(request, principalOf(credentials)));
  });

  router.get('/recoveries', async (req, res) => {
    res.json(
      await store.listAttempts({
        jobId: queryValue(req, 'jobId'),
        target: queryValue(req, 'target'),
        limit: queryValue(req, 'limit') as number | undefined,
        cursor: queryValue(req, 'cursor'),
      }),
    );
  });

  return router;
}

function checkBatchRequest(
  body: Record<string, unknown>,
): BatchRecoveryRequest {
  for (const key of Object.keys(body)) {
    if (!REQUEST_KEYS.includes(key)) {
      throw new InputError(
        `'${key}' is not known; allowed: ${REQUEST_KEYS.join(', ')}.`,
      );
    }
  }
  if (
    body.jobIds !== undefined &&
    (!Array.isArray(body.jobIds) ||
      body.jobIds.some(id => typeof id !== 'string'))
  ) {
    throw new InputError('jobIds must be an array of job id strings.');
  }
  const filter = body.filter as Record<string, unknown> | undefined;
  if (filter !== undefined) {
    if (
      typeof filter !== 'object' ||
      filter === null ||
      Array.isArray(filter)
    ) {
      throw new InputError(
        'filter must be an object with status, failureType or target.',
      );
    }
    for (const key of Object.keys(filter)) {
      if (!FILTER_KEYS.includes(key)) {
        throw new InputError(
          `filter.${key} is not known; allowed: ${FILTER_KEYS.join(', ')}.`,
        );
      }
    }
    if (
      filter.failureType !== undefined &&
      !((filter.failureType as string) in RECOVERABILITY)
    ) {
      throw new InputError(
        `filter.failureType is '${filter.failureType}'; allowed: ${Object.keys(
          RECOVERABILITY,
        ).join(', ')}.`,
      );
    }
    if (body.jobIds !== undefined) {
      throw new InputError('Give jobIds or filter, not both.');
    }
    if (
      filter.status !== undefined &&
      !JOB_STATUSES.includes(filter.status as never)
    ) {
      throw new InputError(
        `filter.status is '${filter.status}'; allowed: ${JOB_STATUSES.join(
          ', ',
        )}.`,
      );
    }
  }
  if (
    body.priority !== undefined &&
    !PRIORITIES.includes(body.priority as never)
  ) {
    throw new InputError(`priority must be one of ${PRIORITIES.join(', ')}.`);
  }
  for (const flag of ['dryRun', 'wait', 'autoRetry', 'includeManual']) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') {
      throw new InputError(
        `${flag} must be true or false, got ${JSON.stringify(body[flag])}.`,
      );
    }
  }
  return body as BatchRecoveryRequest;
}
