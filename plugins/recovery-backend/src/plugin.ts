import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  DatabaseJobStore,
  JobService,
  JobWorker,
  LocalStorageService,
  reapExpiredLeases,
  RecoveryEngine,
  TargetRegistry,
} from '@rebound/core';
import { readRecoveryConfig } from './config';
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
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        scheduler,
        lifecycle,
      }) {
        const settings = readRecoveryConfig(config);
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

        httpRouter.use(
          createRouter({
            jobs,
            store,
            engine,
            httpAuth,
            maxFileBytes: settings.maxFileBytes,
            wake,
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
        lifecycle.addShutdownHook(() => worker.stop());
      },
    });
  },
});
