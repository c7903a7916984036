import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  checkAdjustments,
  PRIORITIES,
  type JobService,
  type JobStatus,
  type JobStore,
  type Priority,
  type RecoveryEngine,
  type RecoveryTrigger,
} from '@rebound/core';
import express from 'express';
import Router from 'express-promise-router';
import {
  authorize,
  recoveryJobCancelPermission,
  recoveryJobCreatePermission,
  recoveryJobRecoverPermission,
} from '../permissions';
import { bodyObject, queryValue, queryValues } from './queries';
import { readUpload } from './upload';

export const JOB_STATUSES: JobStatus[] = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'manual_intervention_required',
  'cancelled',
];

const TRIGGERS: RecoveryTrigger[] = ['manual', 'automatic', 'batch'];

/** The fileSha256 query parameter, lower-cased, or a 400. */
function sha256Of(req: express.Request): string | undefined {
  const value = queryValue(req, 'fileSha256');
  if (value !== undefined && !/^[0-9a-f]{64}$/i.test(value)) {
    throw new InputError(
      `Query parameter 'fileSha256' is '${value}'; give the file's SHA-256 as 64 hexadecimal digits.`,
    );
  }
  return value?.toLowerCase();
}

export interface JobRoutesOptions {
  jobs: JobService;
  store: JobStore;
  engine: RecoveryEngine;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  maxFileBytes: number;
  /** Wakes the local worker when a job is queued. */
  wake: () => void;
}

/** Routes under /jobs of API.md. */
export function createJobRoutes(options: JobRoutesOptions): express.Router {
  const { jobs, store, engine, httpAuth, permissions } = options;
  const router = Router();

  router.post('/jobs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, recoveryJobCreatePermission, credentials);
    const job = await readUpload(
      req,
      raw => jobs.parseOptions(raw),
      options.maxFileBytes,
      upload =>
        jobs.createJob({ ...upload, createdBy: principalOf(credentials) }),
    );
    options.wake();
    res.status(201).json(job);
  });

  router.get('/jobs', async (req, res) => {
    res.json(
      await store.listJobs({
        status: queryValues(req, 'status', JOB_STATUSES),
        type: queryValue(req, 'type', ['csv_import', 'api_upload']),
        target: queryValue(req, 'target'),
        fileSha256: sha256Of(req),
        limit: queryValue(req, 'limit') as number | undefined,
        cursor: queryValue(req, 'cursor'),
      }),
    );
  });

  router.get('/jobs/:id', async (req, res) => {
    res.json(await getJob(store, req.params.id));
  });

  router.get('/jobs/:id/errors', async (req, res) => {
    await getJob(store, req.params.id);
    const page = await store.listRowErrors(req.params.id, {
      limit: queryValue(req, 'limit') as number | undefined,
      cursor: queryValue(req, 'cursor'),
      kind: queryValue(req, 'kind', ['quarantined', 'rejected']),
    });
    res.json({
      items: page.items.map(({ raw: _raw, ...error }) => error),
      nextCursor: page.nextCursor,
    });
  });

  router.get('/jobs/:id/analysis', async (req, res) => {
    // A list for batch recovery shows the batch's plan, a job's page the
    // plan of a person's own recovery (the default).
    const trigger = queryValue(req, 'trigger', TRIGGERS) ?? 'manual';
    res.json(await engine.analyse(req.params.id, trigger));
  });

  router.post('/jobs/:id/recover', express.json(), async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, recoveryJobRecoverPermission, credentials);
    const body = bodyObject(req);
    const priority = body.priority as Priority | undefined;
    if (priority !== undefined && !PRIORITIES.includes(priority)) {
      throw new InputError(
        `priority must be one of ${PRIORITIES.join(', ')}, got ${JSON.stringify(
          priority,
        )}.`,
      );
    }
    const result = await engine.recover(req.params.id, {
      trigger: 'manual',
      requestedBy: principalOf(credentials),
      priority,
      adjustments: checkAdjustments(body.adjustments),
    });
    res.json(result);
  });

  router.post('/jobs/:id/cancel', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await authorize(permissions, recoveryJobCancelPermission, credentials);
    res.json(await jobs.cancel(req.params.id));
  });

  return router;
}

async function getJob(store: JobStore, id: string) {
  const job = await store.getJob(id);
  if (!job) {
    throw new NotFoundError(`There is no job ${id}.`);
  }
  return job;
}

/** The user or service entity ref, kept as who created or recovered. */
export function principalOf(credentials: { principal: unknown }): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return (
    principal.userEntityRef ?? principal.subject ?? principal.type ?? 'unknown'
  );
}
