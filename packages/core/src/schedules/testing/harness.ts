import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import {
  DeliveryRegistry,
  type DeliveryChannel,
} from '../../delivery/DeliveryChannel';
import { EmailChannel } from '../../delivery/EmailChannel';
import { SlackChannel } from '../../delivery/SlackChannel';
import { StorageChannel } from '../../delivery/StorageChannel';
import { WebhookChannel } from '../../delivery/WebhookChannel';
import { ExportService } from '../../exports/ExportService';
import { silentLogger, type Logger } from '../../logger';
import { LocalStorageService } from '../../storage/LocalStorageService';
import { migrateUp } from '../../store/migrate';
import { ScheduleService, type ScheduleSettings } from '../ScheduleService';
import type { Schedule, ScheduleRun } from '../wire';

/** Three jobs to export, so that files have rows. */
export async function seedJobs(knex: Knex): Promise<void> {
  const at = '2026-11-30T23:30:00.000Z';
  await knex('source_files').insert({
    id: 'f1',
    name: 'kunden.csv',
    size: 10,
    sha256: 'ab'.repeat(32),
    storage_key: 'sources/f1',
    created_at: at,
  });
  await knex('jobs').insert(
    [1, 2, 3].map(i => ({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      type: 'csv_import',
      status: i === 2 ? 'failed' : 'succeeded',
      target: 'local',
      priority: 'normal',
      priority_rank: 2,
      file_id: 'f1',
      options: JSON.stringify({ type: 'csv_import', target: 'local' }),
      settings: JSON.stringify({}),
      created_at: at,
      updated_at: at,
    })),
  );
}

export interface Harness {
  schedules: ScheduleService;
  exports: ExportService;
  deliveries: DeliveryRegistry;
  deliveryRoot: string;
  failedRuns: ScheduleRun[];
  close(): Promise<void>;
}

/** The schedule service wired as the plugin wires it, on a given database. */
export async function createHarness(
  knex: Knex,
  options: {
    smtpPort?: number;
    slackUrl?: string;
    allowedHosts?: string[];
    clock?: () => number;
    settings?: Partial<ScheduleSettings>;
    extraChannels?: DeliveryChannel[];
    emailMaxAttachmentBytes?: number;
    slackMaxFileBytes?: number;
    migrate?: boolean;
    /** The schedule service's logger; silent by default. */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  if (options.migrate !== false) {
    await migrateUp(knex);
  }
  const storageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-sch-'));
  const deliveryRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'rebound-dlv-'));
  const storage = await LocalStorageService.create(storageDir);
  const exports = new ExportService({
    knex,
    storage,
    logger: silentLogger,
    baseUrl: 'http://127.0.0.1:7007/api/recovery',
  });
  const deliveries = new DeliveryRegistry()
    .register(
      new EmailChannel({
        smtp: {
          host: '127.0.0.1',
          port: options.smtpPort ?? 2525,
          secure: false,
          from: 'rebound@example.com',
        },
        maxAttachmentBytes: options.emailMaxAttachmentBytes ?? 64 * 1024,
        timeoutMs: 5_000,
      }),
    )
    .register(
      new WebhookChannel({
        allowedHosts: options.allowedHosts ?? ['127.0.0.1'],
        timeoutMs: 5_000,
      }),
    )
    .register(new StorageChannel({ root: deliveryRoot }))
    .register(
      new SlackChannel({
        token: 'xoxb-test',
        baseUrl: options.slackUrl ?? 'http://127.0.0.1:9/api',
        timeoutMs: 5_000,
        maxFileBytes: options.slackMaxFileBytes,
      }),
    );
  for (const channel of options.extraChannels ?? []) {
    deliveries.register(channel);
  }
  const failedRuns: ScheduleRun[] = [];
  const schedules = new ScheduleService({
    knex,
    exports,
    deliveries,
    logger: options.logger ?? silentLogger,
    clock: options.clock,
    settings: {
      backoff: { baseMs: 5, capMs: 20 },
      ...options.settings,
    },
    onRunFailed: async (_s: Schedule, run: ScheduleRun) => {
      failedRuns.push(run);
    },
  });
  return {
    schedules,
    exports,
    deliveries,
    deliveryRoot,
    failedRuns,
    async close() {
      await schedules.stop();
      await exports.stop();
      await fs.rm(storageDir, { recursive: true, force: true });
      await fs.rm(deliveryRoot, { recursive: true, force: true });
    },
  };
}
