import { AnalyticsService } from '@rebound/core';
import type express from 'express';
import Router from 'express-promise-router';
import { queryValue } from './queries';

/** GET /analytics?from=&to=: how well recovery works over a period. */
export function createAnalyticsRoutes(options: {
  analytics: AnalyticsService;
}): express.Router {
  const router = Router();
  router.get('/analytics', async (req, res) => {
    const range = AnalyticsService.parseRange(
      queryValue(req, 'from'),
      queryValue(req, 'to'),
    );
    res.json(await options.analytics.report(range));
  });
  return router;
}
