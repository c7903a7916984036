import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  EXPORT_FORMATS,
  quarantineCsv,
  type ExportService,
  type ExportStatus,
  type JobStore,
} from '@rebound/core';
import express from 'express';
import Router from 'express-promise-router';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { authorize, recoveryExportCreatePermission } from '../permissions';
import { principalOf } from './jobs';
import { bodyObject, queryValue } from './queries';

const EXPORT_STATUSES: ExportStatus[] = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'expired',
];

export interface ExportRoutesOptions {
  exports: ExportService;
  store: JobStore;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/** Routes under /exports, and the quarantine CSV of a job. */
export function createExportRoutes(
  options: ExportRoutesOptions,
): express.Router {
  const { exports, store, httpAuth, permissions } = options;
  const router = Router();
  const allow = { allow: ['user', 'service'] as ('user' | 'service')[] };

  router.get('/exports/datasets', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json({ items: exports.datasets.describe() });
  });

  router.post('/exports', express.json({ limit: '1mb' }), async (req, res) => {
    const credentials = await httpAuth.credentials(req, allow);
    await authorize(permissions, recoveryExportCreatePermission, credentials);
    const record = await exports.create(
      bodyObject(req),
      principalOf(credentials),
    );
    res.status(201).json(record);
  });

  router.get('/exports', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json(
      await exports.list({
        status: queryValue(req, 'status', EXPORT_STATUSES),
        dataset: queryValue(req, 'dataset', exports.datasets.names()),
        format: queryValue(req, 'format', EXPORT_FORMATS),
        limit: queryValue(req, 'limit') as number | undefined,
        cursor: queryValue(req, 'cursor'),
      }),
    );
  });

  router.get('/exports/:id', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json(await exports.get(req.params.id));
  });

  router.post('/exports/:id/retry', async (req, res) => {
    const credentials = await httpAuth.credentials(req, allow);
    await authorize(permissions, recoveryExportCreatePermission, credentials);
    res.json(await exports.retry(req.params.id));
  });

  router.get('/exports/:id/content', async (req, res) => {
    await httpAuth.credentials(req, allow);
    const { record, stream, contentType } = await exports.openContent(
      req.params.id,
    );
    res.setHeader('Content-Type', contentType);
    res.setHeader('Content-Disposition', contentDisposition(record.fileName));
    if (record.size !== null) {
      res.setHeader('Content-Length', String(record.size));
    }
    if (record.sha256) {
      res.setHeader('ETag', `"${record.sha256}"`);
    }
    res.setHeader('Cache-Control', 'private, no-store');
    await send(stream, res);
  });

  // The rows a job set aside, to fix and upload again: quarantined by
  // its own checks, or rejected by its target.
  for (const [name, kind] of [
    ['quarantine', 'quarantined'],
    ['rejected', 'rejected'],
  ] as const) {
    router.get(`/jobs/:id/${name}.csv`, async (req, res) => {
      await httpAuth.credentials(req, allow);
      const job = await store.getJob(req.params.id);
      if (!job) {
        throw new NotFoundError(`There is no job ${req.params.id}.`);
      }
      const base = (job.fileName || 'job').replace(/\.csv$/i, '');
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader(
        'Content-Disposition',
        contentDisposition(`${base}-${name}.csv`),
      );
      await send(quarantineCsv(store, job, kind), res);
    });
  }

  return router;
}

/** Streams a file out; a failure half-way cuts the connection short. */
async function send(stream: Readable, res: express.Response): Promise<void> {
  try {
    await pipeline(stream, res);
  } catch (error) {
    if (!res.headersSent) {
      throw error;
    }
    res.destroy(error as Error);
  }
}

/**
 * An attachment header that every client can read: `filename=` with an
 * ASCII stand-in for old clients, `filename*=` (RFC 6266 and 8187) with
 * the real name in UTF-8.
 */
export function contentDisposition(fileName: string): string {
  const fallback =
    fileName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'export';
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
