import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type {
  AnalyticsService,
  ExportService,
  JobService,
  JobStore,
  RecoveryEngine,
  ScheduleService,
} from '@rebound/core';
import type express from 'express';
import Router from 'express-promise-router';
import path from 'node:path';
import { translateErrors } from './errors';
import { createAnalyticsRoutes } from './routes/analytics';
import { createExportRoutes } from './routes/exports';
import { createJobRoutes } from './routes/jobs';
import { createRecoveryRoutes } from './routes/recoveries';
import { createScheduleRoutes } from './routes/schedules';
import { createTargetRoutes } from './routes/targets';

/** @public */
export interface RouterOptions {
  jobs: JobService;
  store: JobStore;
  engine: RecoveryEngine;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  maxFileBytes: number;
  wake: () => void;
  exports: ExportService;
  analytics: AnalyticsService;
  schedules: ScheduleService;
}

/** The REST API of docs/api.md; openapi.yaml describes it. */
export function createRouter(options: RouterOptions): express.Router {
  const router = Router();
  router.get('/openapi.yaml', (_req, res) => {
    res.type('application/yaml');
    res.sendFile(path.resolve(__dirname, '../openapi.yaml'));
  });
  router.use(createJobRoutes(options));
  router.use(createRecoveryRoutes(options));
  router.use(createTargetRoutes(options));
  router.use(createExportRoutes(options));
  router.use(createAnalyticsRoutes(options));
  router.use(createScheduleRoutes(options));
  router.use(translateErrors);
  return router;
}
