import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  AlertService,
  AnalyticsService,
  DatabaseJobStore,
  exportFailuresRule,
  recoveryFailureRateRule,
  storageLowRule,
  ExportService,
  JobService,
  JobWorker,
  LocalStorageService,
  reapExpiredLeases,
  RecoveryEngine,
  TargetRegistry,
  missedRunsRule,
  ScheduleService,
  type DeliveryChannel,
} from '@rebound/core';
import { readAlertsConfig } from './alertsConfig';
import { readRecoveryConfig } from './config';
import { readDeliveryConfig } from './deliveryConfig';
import { readExportConfig } from './exportsConfig';
import { recoveryDeliveryChannelsExtensionPoint } from './extensions';
import { recoveryPermissions } from './permissions';
import { createRouter } from './router';

/**
 * The recovery backend plugin: jobs, their workers, the recovery engine,
 * and the scheduled sweep and reaper.
 *
 * @public
 */
export const recoveryPlugin = createBackendPlugin({
  pluginId: 'recovery',
  register(env) {
    const extraChannels: DeliveryChannel[] = [];
    env.registerExtensionPoint(recoveryDeliveryChannelsExtensionPoint, {
      addDeliveryChannel: channel => {
        extraChannels.push(channel);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        config,
        logger,
        database,
        discovery,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        scheduler,
        lifecycle,
      }) {
        const settings = readRecoveryConfig(config);
        permissionsRegistry.addPermissions(recoveryPermissions);
        const store = await DatabaseJobStore.create(
          await database.getClient(),
          {
            skipMigrations: database.migrations?.skip,
          },
        );
        const storage = await LocalStorageService.create(settings.storageDir);
        const targets = new TargetRegistry(settings.targets);
        const jobs = new JobService(
          store,
          storage,
          targets,
          settings.jobDefaults,
        );

        let wake = () => {};
        const engine = new RecoveryEngine(store, settings.policy, logger, () =>
          wake(),
        );
        const worker = new JobWorker(
          {
            store,
            storage,
            targets,
            logger,
            onFailed: async job => {
              if (settings.autoRecovery.enabled) {
                await engine.recoverAutomatically(job).catch(() => undefined);
              }
            },
          },
          settings.worker,
        );
        wake = () => worker.wake();

        const exportConfig = readExportConfig(config);
        const exports = new ExportService({
          knex: store.knex,
          storage,
          logger: logger.child({ component: 'exports' }),
          settings: exportConfig.settings,
          baseUrl: await discovery.getExternalBaseUrl('recovery'),
        });

        const delivery = readDeliveryConfig(
          config,
          settings.storageDir,
          extraChannels,
        );
        const schedules: ScheduleService = new ScheduleService({
          knex: store.knex,
          exports,
          deliveries: delivery.registry,
          logger: logger.child({ component: 'schedules' }),
          settings: delivery.settings,
          onRunFailed: (schedule, run) =>
            schedules.sendMessage(delivery.alertDeliveries, {
              subject: `Scheduled export "${schedule.name}" failed`,
              text: `${run.error?.message ?? 'The run failed.'}\nRun ${
                run.id
              } of schedule ${schedule.id}, slot ${run.scheduledFor}.`,
            }),
        });

        const alertsConfig = readAlertsConfig(config);
        const alerts = new AlertService(
          store.knex,
          [
            recoveryFailureRateRule(store.knex, {
              windowMs: alertsConfig.windowMs,
              threshold: alertsConfig.failureRateThreshold,
              minAttempts: alertsConfig.minAttempts,
            }),
            exportFailuresRule(store.knex, { windowMs: alertsConfig.windowMs }),
            missedRunsRule(store.knex, { windowMs: alertsConfig.windowMs }),
            storageLowRule(storage, {
              minFreeBytes: alertsConfig.storageMinFreeBytes,
            }),
          ],
          logger.child({ component: 'alerts' }),
          (alert, change) =>
            schedules.sendMessage(delivery.alertDeliveries, {
              subject: `Rebound alert ${change}: ${alert.kind}`,
              text: alert.message,
            }),
        );
        const analytics = new AnalyticsService(store.knex, alerts);

        httpRouter.use(
          createRouter({
            jobs,
            store,
            engine,
            httpAuth,
            permissions,
            maxFileBytes: settings.maxFileBytes,
            wake,
            exports,
            analytics,
            schedules,
          }),
        );

        await scheduler.scheduleTask({
          id: 'recovery-reaper',
          scope: 'global',
          frequency: settings.reaperFrequency,
          timeout: { minutes: 5 },
          fn: async () => {
            const reaped = await reapExpiredLeases(store, logger);
            if (settings.autoRecovery.enabled) {
              for (const job of reaped) {
                await engine.recoverAutomatically(job).catch(() => undefined);
              }
            }
          },
        });
        if (settings.autoRecovery.enabled) {
          await scheduler.scheduleTask({
            id: 'recovery-sweep',
            scope: 'global',
            frequency: settings.autoRecovery.frequency,
            timeout: { minutes: 10 },
            fn: async () => {
              const counts = await engine.sweep();
              if (counts.recovered + counts.manual > 0) {
                logger.info('Automatic recovery sweep', counts);
              }
            },
          });
        }

        lifecycle.addStartupHook(() => {
          worker.start();
          logger.info(
            `Rebound recovery is ready: ${targets.ids().length} targets, ` +
              `worker ${worker.owner}, automatic recovery ` +
              `${settings.autoRecovery.enabled ? 'on' : 'off'}`,
          );
        });
        await scheduler.scheduleTask({
          id: 'recovery-source-cleanup',
          scope: 'global',
          frequency: settings.storageCleanupFrequency,
          timeout: { minutes: 10 },
          fn: async () => {
            const counts = await jobs.removeExpiredSources(
              settings.sourceRetentionMs,
            );
            if (counts.removed + counts.partials > 0) {
              logger.info('Removed expired source files', counts);
            }
          },
        });
        await scheduler.scheduleTask({
          id: 'recovery-export-cleanup',
          scope: 'global',
          frequency: exportConfig.cleanupFrequency,
          timeout: { minutes: 10 },
          fn: async () => {
            await exports.runMaintenance();
          },
        });

        await scheduler.scheduleTask({
          id: 'recovery-alerts',
          scope: 'global',
          frequency: alertsConfig.frequency,
          timeout: { minutes: 5 },
          fn: async () => {
            await alerts.evaluate();
          },
        });

        lifecycle.addShutdownHook(() => worker.stop());
        await scheduler.scheduleTask({
          id: 'recovery-schedules',
          scope: 'global',
          frequency: delivery.frequency,
          timeout: { minutes: 10 },
          fn: async () => {
            await schedules.tick();
          },
        });

        lifecycle.addShutdownHook(() => schedules.stop());
        lifecycle.addShutdownHook(() => exports.stop());
      },
    });
  },
});
