/**
 * The recovery plugin in a test backend, on a database and a storage
 * folder of its own, for the route tests; like them, it is left out of
 * the build (tsconfig.json).
 */
import type {
  BackendFeature,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type request from 'supertest';
import {
  createTestDatabase,
  type DatabaseKind,
  type TestDatabase,
} from '../../../../packages/core/src/testing/databases';
import { recoveryPlugin } from '../plugin';

/** What supertest's `request` takes. */
export type Server = Parameters<typeof request>[0];

export interface RecoveryTestBackend {
  server: Server;
  /** The plugin's database, for seeding and checking rows. */
  db: TestDatabase;
  /** recovery.storage.dir */
  storageDir: string;
  /** Stops the backend, then drops its database and storage folder. */
  stop(): Promise<void>;
}

export interface RecoveryTestBackendOptions {
  /** Targets besides `local`, the table target every test backend has. */
  targets?: JsonObject;
  /** The rest of the recovery config: all but storage.dir and targets. */
  recovery?: JsonObject;
  /**
   * Who a request without credentials is; by default nobody, so that such
   * a request is refused as in production.
   */
  defaultCredentials?: BackstageCredentials;
  /** More services, e.g. a permissions mock. */
  features?: BackendFeature[];
}

/**
 * Starts the plugin, automatic recovery off unless `recovery` turns it on,
 * on a fresh database of `kind`; `stop()` undoes all of it.
 */
export async function startRecoveryTestBackend(
  kind: DatabaseKind,
  options: RecoveryTestBackendOptions = {},
): Promise<RecoveryTestBackend> {
  const db = await createTestDatabase(kind);
  const storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-api-'));
  const cleanUp = async () => {
    // Only after the backend has stopped: it used this pool until then.
    await db.close();
    await fs.rm(storageDir, { recursive: true, force: true });
  };

  const recovery: JsonObject = {
    autoRecovery: { enabled: false },
    ...options.recovery,
    storage: { ...(options.recovery?.storage as JsonObject), dir: storageDir },
    targets: {
      local: { type: 'table', table: 'imported_rows' },
      ...options.targets,
    },
  };
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  try {
    backend = await startTestBackend({
      features: [
        recoveryPlugin,
        mockServices.rootConfig.factory({ data: { recovery } }),
        mockServices.database.factory({ knex: db.knex }),
        mockServices.httpAuth.factory({
          defaultCredentials:
            options.defaultCredentials ?? mockCredentials.none(),
        }),
        ...(options.features ?? []),
      ],
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }

  return {
    server: backend.server as unknown as Server,
    db,
    storageDir,
    async stop() {
      await backend.stop();
      await cleanUp();
    },
  };
}
