import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { ScheduleService } from '@rebound/core';
import express from 'express';
import Router from 'express-promise-router';
import { authorize, recoveryScheduleManagePermission } from '../permissions';
import { principalOf } from './jobs';
import { bodyObject, queryValue } from './queries';

export interface ScheduleRoutesOptions {
  schedules: ScheduleService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

/**
 * Routes under /schedules and /delivery-channels: reads need a caller,
 * writes the permission.
 */
export function createScheduleRoutes(
  options: ScheduleRoutesOptions,
): express.Router {
  const { schedules, httpAuth, permissions } = options;
  const router = Router();
  router.use('/schedules', express.json({ limit: '1mb' }));
  const allow = { allow: ['user', 'service'] as ('user' | 'service')[] };
  const manage = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, allow);
    await authorize(permissions, recoveryScheduleManagePermission, credentials);
    return credentials;
  };

  // Which channels a delivery may use here: types and config keys only,
  // never a host, an address or a token.
  router.get('/delivery-channels', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json({ items: schedules.deliveryChannels() });
  });

  router.post('/schedules/preview', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json(schedules.preview(bodyObject(req)));
  });

  router.post('/schedules', async (req, res) => {
    const credentials = await manage(req);
    res
      .status(201)
      .json(await schedules.create(bodyObject(req), principalOf(credentials)));
  });

  router.get('/schedules', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json(
      await schedules.list({
        limit: queryValue(req, 'limit'),
        cursor: queryValue(req, 'cursor'),
      }),
    );
  });

  router.get('/schedules/:id', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json(await schedules.get(req.params.id));
  });

  router.patch('/schedules/:id', async (req, res) => {
    await manage(req);
    res.json(await schedules.update(req.params.id, bodyObject(req)));
  });

  router.delete('/schedules/:id', async (req, res) => {
    await manage(req);
    await schedules.delete(req.params.id);
    res.status(204).end();
  });

  router.post('/schedules/:id/pause', async (req, res) => {
    await manage(req);
    res.json(await schedules.update(req.params.id, { enabled: false }));
  });

  router.post('/schedules/:id/resume', async (req, res) => {
    await manage(req);
    res.json(await schedules.update(req.params.id, { enabled: true }));
  });

  router.post('/schedules/:id/run', async (req, res) => {
    await manage(req);
    res.status(202).json(await schedules.runNow(req.params.id));
  });

  router.get('/schedules/:id/runs', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json({
      items: await schedules.listRuns(req.params.id, queryValue(req, 'limit')),
    });
  });

  router.get('/schedules/:id/runs/:runId', async (req, res) => {
    await httpAuth.credentials(req, allow);
    res.json(await schedules.getRun(req.params.id, req.params.runId));
  });

  router.post(
    '/schedules/:id/runs/:runId/attempts/:attemptId/resend',
    async (req, res) => {
      await manage(req);
      res.json(
        await schedules.resend(
          req.params.id,
          req.params.runId,
          req.params.attemptId,
        ),
      );
    },
  );

  return router;
}
