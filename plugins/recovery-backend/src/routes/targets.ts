import type { JobService } from '@rebound/core';
import type express from 'express';
import Router from 'express-promise-router';

/**
 * The configured upload targets, for forms that create jobs. Reading
 * them needs the same sign-in as reading jobs, and no permission.
 */
export function createTargetRoutes(options: {
  jobs: JobService;
}): express.Router {
  const { jobs } = options;
  const router = Router();

  router.get('/targets', async (_req, res) => {
    res.json({ items: jobs.listTargets() });
  });

  return router;
}
