import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import type { Page } from '../client/types';
import {
  DeliveryError,
  summarise,
  type DeliveryMessage,
  type DeliveryRegistry,
} from '../delivery/DeliveryChannel';
import { conflict, inputError, notFound } from '../errors';
import type { ExportService } from '../exports/ExportService';
import { CONTENT_TYPES } from '../exports/ExportService';
import type { ExportRecord } from '../exports/wire';
import type { Logger } from '../logger';
import { backoffDelay, type BackoffPolicy } from '../recovery/backoff';
import { decodeCursor, encodeCursor, parseLimit } from '../store/cursor';
import { isoNow, minutesText, sleep } from '../time';
import {
  describeCron,
  latestSlot,
  nextRuns,
  previewSchedule,
  slotsBetween,
} from './cron';
import {
  DatabaseScheduleStore,
  type StoredSchedule,
} from './DatabaseScheduleStore';
import { parseScheduleBody } from './parseSchedule';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryChannelInfo,
  Schedule,
  ScheduleLastRun,
  SchedulePreview,
  ScheduleRun,
} from './wire';

/** Missed slots recorded one by one after a downtime, at most. */
const MAX_SLOTS = 200;

/** Runs a preview lists at most, and by default. */
const MAX_PREVIEW_RUNS = 50;
const DEFAULT_PREVIEW_RUNS = 5;
const ISO_INSTANT =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Also true of errors of another realm, which `instanceof` misses. */
function isError(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Error).message === 'string'
  );
}

/** Text ending in a full stop, to append another sentence to. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function previewCount(count: unknown): number {
  if (count === undefined || count === null) {
    return DEFAULT_PREVIEW_RUNS;
  }
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > MAX_PREVIEW_RUNS
  ) {
    throw inputError(
      'invalid_preview_count',
      `count is ${JSON.stringify(count)}; allowed: a whole number from 1 ` +
        `to ${MAX_PREVIEW_RUNS} (the runs to list), default ${DEFAULT_PREVIEW_RUNS}.`,
    );
  }
  return count;
}

/** Retries, leases and timings of scheduled runs. @public */
export interface ScheduleSettings {
  /** Attempts per delivery and recipient, the first included. */
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** A running run silent this long is taken over by another process. */
  staleAfterMs: number;
  heartbeatMs: number;
  /** A slot this late still counts as on time under the `skip` policy. */
  graceMs: number;
  /** Takeovers of one run before it is failed as interrupted. */
  maxClaims: number;
  /** How long a run waits for a background export. */
  exportWaitMs: number;
}

/** @public */
export const DEFAULT_SCHEDULE_SETTINGS: ScheduleSettings = {
  maxAttempts: 3,
  backoff: { baseMs: 5_000, capMs: 5 * 60_000 },
  staleAfterMs: 2 * 60_000,
  heartbeatMs: 15_000,
  graceMs: 5 * 60_000,
  maxClaims: 3,
  exportWaitMs: 60 * 60_000,
};

/** @public */
export interface ScheduleServiceOptions {
  knex: Knex;
  exports: ExportService;
  deliveries: DeliveryRegistry;
  logger: Logger;
  settings?: Partial<ScheduleSettings>;
  /** Told when a run failed after its last attempt. */
  onRunFailed?: (schedule: Schedule, run: ScheduleRun) => Promise<void>;
  clock?: () => number;
}

/**
 * Schedules of exports and their runs: the CRUD of the routes, the
 * runner that turns due slots into runs (once per slot across replicas),
 * and the deliveries of each run with their retries.
 *
 * @public
 */
export class ScheduleService {
  readonly settings: ScheduleSettings;
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly store: DatabaseScheduleStore;
  private readonly active = new Map<string, Promise<void>>();
  private readonly clock: () => number;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ScheduleServiceOptions) {
    this.settings = { ...DEFAULT_SCHEDULE_SETTINGS, ...options.settings };
    this.store = new DatabaseScheduleStore(options.knex);
    this.clock = options.clock ?? Date.now;
  }

  async create(body: unknown, owner: string): Promise<Schedule> {
    const fields = parseScheduleBody(body, this.parseContext());
    const now = new Date(this.clock());
    const stored: StoredSchedule = {
      ...fields,
      id: randomUUID(),
      owner,
      lastRunAt: null,
      nextRunAt: fields.enabled ? this.nextAfter(fields, now) : null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 0,
    };
    await this.store.insert(stored);
    this.options.logger.info('Schedule created', {
      scheduleId: stored.id,
      cron: stored.cron,
      timezone: stored.timezone,
    });
    return this.toSchedule(stored, null);
  }

  async get(id: string): Promise<Schedule> {
    return this.withLastRun(await this.getStored(id));
  }

  async list(query: {
    limit?: number | string;
    cursor?: string;
  }): Promise<Page<Schedule>> {
    const limit = parseLimit(query.limit);
    const after = query.cursor
      ? (decodeCursor(query.cursor) as [string, string])
      : undefined;
    const rows = await this.store.list(limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const lastRuns = await this.store.lastRuns(items.map(s => s.id));
    return {
      items: items.map(s => this.toSchedule(s, lastRuns.get(s.id) ?? null)),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor(last.createdAt, last.id)
          : null,
    };
  }

  /**
   * Changes fields; a new cron, zone, or a resume counts the next run from
   * now, so slots that passed while paused are not runs.
   */
  async update(id: string, body: unknown): Promise<Schedule> {
    const current = await this.getStored(id);
    const fields = parseScheduleBody(body, {
      ...this.parseContext(),
      current,
    });
    const timing =
      fields.cron !== current.cron ||
      fields.timezone !== current.timezone ||
      fields.enabled !== current.enabled;
    const next: StoredSchedule = {
      ...current,
      ...fields,
      nextRunAt: !fields.enabled
        ? null
        : timing || !current.nextRunAt
        ? this.nextAfter(fields, new Date(this.clock()))
        : current.nextRunAt,
    };
    if (!(await this.store.update(next))) {
      throw conflict(
        'schedule_changed',
        `Schedule ${id} changed while it was being updated; reload it and try again.`,
      );
    }
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.delete(id))) {
      throw notFound('schedule_not_found', `There is no schedule ${id}.`);
    }
  }

  /**
   * The next `count` runs (default 5, at most 50) after `from` (default
   * now), with the daylight-saving look-ahead; a bad value is a 400.
   */
  preview(body: {
    cron?: unknown;
    timezone?: unknown;
    from?: unknown;
    count?: unknown;
  }): SchedulePreview {
    return previewSchedule(
      String(body.cron ?? ''),
      body.timezone as string,
      this.previewStart(body.from),
      previewCount(body.count),
    );
  }

  /** Describes each delivery channel and whether it can deliver. */
  deliveryChannels(): DeliveryChannelInfo[] {
    return this.options.deliveries.describe();
  }

  private previewStart(from: unknown): Date {
    if (from === undefined || from === null) {
      return new Date(this.clock());
    }
    if (
      typeof from !== 'string' ||
      !ISO_INSTANT.test(from) ||
      Number.isNaN(Date.parse(from))
    ) {
      throw inputError(
        'invalid_preview_start',
        `from is ${JSON.stringify(from)}, which is not an instant; give an ` +
          'ISO 8601 date and time, e.g. "2027-03-01T00:00:00Z", or leave it ' +
          'out to start now.',
      );
    }
    return new Date(from);
  }

  /** Starts a run of the schedule now, outside its cron. */
  async runNow(id: string): Promise<ScheduleRun> {
    const schedule = await this.getStored(id);
    const runId = randomUUID();
    const inserted = await this.store.insertRun({
      id: runId,
      scheduleId: id,
      scheduledFor: isoNow(this.clock),
      trigger: 'manual',
      status: 'running',
      owner: this.owner,
    });
    if (!inserted) {
      throw conflict(
        'run_exists',
        `Schedule ${id} was just run; try again in a moment.`,
      );
    }
    this.startRun(schedule, runId);
    return this.getRun(id, runId);
  }

  async listRuns(id: string, limit?: number | string): Promise<ScheduleRun[]> {
    await this.getStored(id);
    return this.store.listRuns(id, parseLimit(limit));
  }

  async getRun(scheduleId: string, runId: string): Promise<ScheduleRun> {
    const run = await this.store.getRun(runId);
    if (!run || run.scheduleId !== scheduleId) {
      throw notFound(
        'run_not_found',
        `Schedule ${scheduleId} has no run ${runId}.`,
      );
    }
    return run;
  }

  /**
   * Delivers one delivery of a finished run again, to the recipient of
   * the given attempt, leaving the other deliveries alone.
   */
  async resend(
    scheduleId: string,
    runId: string,
    attemptId: string,
  ): Promise<ScheduleRun> {
    const schedule = await this.getStored(scheduleId);
    const run = await this.getRun(scheduleId, runId);
    const attempt = run.attempts.find(a => a.id === attemptId);
    if (!attempt) {
      throw notFound(
        'attempt_not_found',
        `Run ${runId} has no delivery attempt ${attemptId}.`,
      );
    }
    const delivery = schedule.deliveries[attempt.delivery];
    if (!delivery || delivery.type !== attempt.type) {
      throw conflict(
        'delivery_changed',
        `The schedule no longer has delivery ${attempt.delivery} (${attempt.type}); ` +
          'the attempt cannot be resent.',
      );
    }
    if (!run.exportId || !(await this.store.reopen(runId, this.owner))) {
      throw conflict(
        'run_not_finished',
        `Run ${runId} is ${run.status}; only a finished run with an export can resend a delivery.`,
      );
    }
    const work = (async () => {
      const file = await this.fileOf(run.exportId!);
      await this.deliverWithRetries(
        schedule,
        run,
        file,
        attempt.delivery,
        delivery,
        attempt.recipient,
      );
      await this.conclude(schedule, runId);
    })();
    this.track(runId, work);
    await work;
    return this.getRun(scheduleId, runId);
  }

  /**
   * The runner: takes over runs whose process went silent, then turns
   * due slots into runs. Safe to call from every replica at once; the
   * unique (schedule, slot) index lets only one insert each run.
   */
  async tick(): Promise<{
    started: string[];
    missed: number;
    resumed: number;
  }> {
    const resumed = await this.resumeSilentRuns();
    const now = new Date(this.clock());
    const started: string[] = [];
    let missed = 0;
    for (const schedule of await this.store.listDue(now.toISOString())) {
      const result = await this.handleDue(schedule, now);
      started.push(...result.started);
      missed += result.missed;
    }
    return { started, missed, resumed };
  }

  /** Resolves when no run of this process is active. */
  async whenIdle(): Promise<void> {
    while (this.active.size > 0) {
      await Promise.allSettled([...this.active.values()]);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.whenIdle();
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Sends a message through deliveries, e.g. an alert; never throws. */
  async sendMessage(
    deliveries: Delivery[],
    message: DeliveryMessage,
  ): Promise<void> {
    for (const delivery of deliveries) {
      const channel = this.options.deliveries.get(delivery.type);
      for (const recipient of this.recipientsOf(delivery)) {
        try {
          await channel.notify?.(delivery, recipient, message);
        } catch (error) {
          this.options.logger.error(
            `Could not send "${message.subject}" by ${delivery.type} to ${recipient}`,
            error as Error,
          );
        }
      }
    }
  }

  private async handleDue(schedule: StoredSchedule, now: Date) {
    const first = new Date(schedule.nextRunAt!);
    const slots = [
      first,
      ...slotsBetween(schedule.cron, schedule.timezone, first, now, MAX_SLOTS),
    ];
    // After a long downtime only the first slots are recorded one by one;
    // the newest is always among them, so that `latest` runs it.
    const newest = latestSlot(schedule.cron, schedule.timezone, now);
    if (newest && newest.getTime() > slots[slots.length - 1].getTime()) {
      slots.push(newest);
    }
    const toRun = this.slotsToRun(schedule, slots, now);
    const next = this.nextAfter(schedule, now);
    const started: string[] = [];
    let missed = 0;
    for (const slot of slots) {
      const run = toRun.has(slot.getTime());
      const id = await this.store.insertRun({
        id: randomUUID(),
        scheduleId: schedule.id,
        scheduledFor: slot.toISOString(),
        trigger: 'schedule',
        status: run ? 'running' : 'missed',
        ...(run ? { owner: this.owner } : {}),
      });
      if (id && run) {
        started.push(id);
      } else if (id) {
        missed += 1;
      }
    }
    await this.store.advance(
      schedule.id,
      schedule.nextRunAt!,
      slots[slots.length - 1].toISOString(),
      next,
    );
    const logger = this.options.logger.child({ scheduleId: schedule.id });
    if (missed > 0) {
      logger.warn('Schedule missed runs', {
        missed,
        policy: schedule.missedRunPolicy,
      });
    }
    for (const runId of started) {
      this.startRun(schedule, runId);
    }
    return { started, missed };
  }

  /** The missed-run policy: which of the passed slots run. */
  private slotsToRun(
    schedule: StoredSchedule,
    slots: Date[],
    now: Date,
  ): Set<number> {
    const onTime = (slot: Date) =>
      now.getTime() - slot.getTime() <= this.settings.graceMs;
    switch (schedule.missedRunPolicy) {
      case 'all':
        return new Set(slots.map(s => s.getTime()));
      case 'skip':
        return new Set(slots.filter(onTime).map(s => s.getTime()));
      default:
        return new Set([slots[slots.length - 1].getTime()]);
    }
  }

  private async resumeSilentRuns(): Promise<number> {
    const silentSince = isoNow(() => this.clock() - this.settings.staleAfterMs);
    let resumed = 0;
    for (const silent of await this.store.listSilent(silentSince)) {
      if (this.active.has(silent.id)) {
        continue;
      }
      if (!(await this.store.takeOver(silent.id, this.owner, silentSince))) {
        continue;
      }
      const run = await this.store.getRun(silent.id);
      const schedule = run && (await this.store.get(run.scheduleId));
      if (!run || !schedule) {
        continue;
      }
      if (silent.claims + 1 > this.settings.maxClaims) {
        await this.fail(schedule, run.id, {
          code: 'run_interrupted',
          message:
            `The run was interrupted ${silent.claims} times (the process ` +
            'running it stopped); run the schedule again.',
        });
        continue;
      }
      this.options.logger.warn(
        'Scheduled run resumed after its process went silent',
        {
          scheduleId: schedule.id,
          runId: run.id,
        },
      );
      this.startRun(schedule, run.id);
      resumed += 1;
    }
    return resumed;
  }

  private startRun(schedule: StoredSchedule, runId: string) {
    this.track(runId, this.execute(schedule, runId));
  }

  private track(runId: string, work: Promise<void>) {
    const tracked = work
      .catch(error =>
        this.options.logger.error(
          'Scheduled run could not record its outcome',
          {
            runId,
            error: (error as Error).message,
          },
        ),
      )
      .finally(() => this.active.delete(runId));
    this.active.set(runId, tracked);
    this.keepAlive();
  }

  private keepAlive() {
    if (this.heartbeat) {
      return;
    }
    this.heartbeat = setInterval(() => {
      if (this.active.size === 0) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
        return;
      }
      this.store
        .heartbeat([...this.active.keys()], this.owner)
        .catch(() => undefined);
    }, this.settings.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Export, then every delivery not yet delivered; resumable. */
  private async execute(schedule: StoredSchedule, runId: string) {
    const logger = this.options.logger.child({
      scheduleId: schedule.id,
      runId,
    });
    let run = (await this.store.getRun(runId))!;
    let exportId = run.exportId;
    if (!exportId) {
      try {
        const created = await this.options.exports.create(
          schedule.export,
          schedule.owner,
        );
        exportId = created.id;
        await this.store.setExport(runId, exportId);
      } catch (error) {
        await this.fail(schedule, runId, {
          code: 'export_refused',
          message: `The export could not start: ${(error as Error).message}`,
        });
        return;
      }
    }
    const record = await this.waitForExport(exportId);
    if (record.status !== 'succeeded') {
      await this.fail(schedule, runId, {
        code: 'export_failed',
        message: `Export ${exportId} ${record.status}: ${
          record.error?.message ?? 'it did not finish in time.'
        }`,
      });
      return;
    }
    run = (await this.store.getRun(runId))!;
    const file = await this.fileOf(exportId);
    for (const [index, delivery] of schedule.deliveries.entries()) {
      for (const recipient of this.recipientsOf(delivery)) {
        const done = run.attempts.some(
          a =>
            a.delivery === index &&
            a.recipient === recipient &&
            a.status === 'delivered',
        );
        if (!done) {
          await this.deliverWithRetries(
            schedule,
            run,
            file,
            index,
            delivery,
            recipient,
          );
        }
      }
    }
    const outcome = await this.conclude(schedule, runId);
    logger.info('Scheduled run finished', {
      status: outcome,
      exportId,
      rows: record.rowCount,
    });
  }

  private async waitForExport(exportId: string): Promise<ExportRecord> {
    const until = Date.now() + this.settings.exportWaitMs;
    let record = await this.options.exports.get(exportId);
    while (
      (record.status === 'pending' || record.status === 'running') &&
      Date.now() < until &&
      !this.stopped
    ) {
      await sleep(250);
      record = await this.options.exports.get(exportId);
    }
    return record;
  }

  private async fileOf(exportId: string) {
    const record = await this.options.exports.get(exportId);
    return {
      record,
      contentType: CONTENT_TYPES[record.format],
      open: async () =>
        (await this.options.exports.openContent(exportId)).stream,
    };
  }

  /** Tries one recipient until delivered, refused for good, or out of attempts. */
  private async deliverWithRetries(
    schedule: StoredSchedule,
    run: ScheduleRun,
    file: Awaited<ReturnType<ScheduleService['fileOf']>>,
    index: number,
    delivery: Delivery,
    recipient: string,
  ): Promise<boolean> {
    if (!this.options.deliveries.has(delivery.type)) {
      const now = isoNow();
      await this.record({
        id: randomUUID(),
        runId: run.id,
        delivery: index,
        type: delivery.type,
        recipient,
        attempt: 1,
        status: 'failed',
        retryable: false,
        error: {
          code: 'channel_not_configured',
          message:
            `This backend has no ${delivery.type} delivery channel any ` +
            'more; change the delivery to another type, or ask an ' +
            `administrator to set up ${delivery.type} deliveries again.`,
        },
        detail: null,
        startedAt: now,
        finishedAt: now,
      });
      return false;
    }
    const channel = this.options.deliveries.get(delivery.type);
    const previous = (await this.store.getRun(run.id))!.attempts.filter(
      a => a.delivery === index && a.recipient === recipient,
    ).length;
    const logger = this.options.logger.child({
      scheduleId: schedule.id,
      runId: run.id,
      delivery: delivery.type,
    });
    for (let tries = 1; tries <= this.settings.maxAttempts; tries++) {
      const attempt = previous + tries;
      const startedAt = isoNow();
      const id = randomUUID();
      try {
        const detail = await channel.deliver(delivery, recipient, {
          deliveryId: id,
          schedule: {
            id: schedule.id,
            name: schedule.name,
            timezone: schedule.timezone,
          },
          run: { id: run.id, scheduledFor: run.scheduledFor },
          file,
          summary: summarise(schedule, file.record, run.scheduledFor),
        });
        await this.record({
          id,
          runId: run.id,
          delivery: index,
          type: delivery.type,
          recipient,
          attempt,
          status: 'delivered',
          retryable: null,
          error: null,
          detail: detail ?? null,
          startedAt,
          finishedAt: isoNow(),
        });
        return true;
      } catch (error) {
        const failure =
          error instanceof DeliveryError
            ? error
            : new DeliveryError('delivery_failed', (error as Error).message, {
                retryable: true,
              });
        await this.record({
          id,
          runId: run.id,
          delivery: index,
          type: delivery.type,
          recipient,
          attempt,
          status: 'failed',
          retryable: failure.retryable,
          error: { code: failure.code, message: failure.message },
          detail: failure.detail ?? null,
          startedAt,
          finishedAt: isoNow(),
        });
        // The recorded message is for the reader of the run; the cause,
        // with the server's paths and addresses, is for the log.
        logger
          .child({
            attempt,
            recipient,
            code: failure.code,
            retryable: failure.retryable,
          })
          .warn(
            'Delivery attempt failed',
            isError(failure.cause) ? failure.cause : failure,
          );
        if (!failure.retryable || tries === this.settings.maxAttempts) {
          return false;
        }
        await sleep(
          backoffDelay(tries, this.settings.backoff, {
            retryAfterSeconds: failure.retryAfterSeconds,
          }),
        );
      }
    }
    return false;
  }

  private record(attempt: DeliveryAttempt) {
    return this.store.recordAttempt(attempt);
  }

  /** Succeeded when every recipient got its delivery, else failed. */
  private async conclude(
    schedule: StoredSchedule,
    runId: string,
  ): Promise<'succeeded' | 'failed'> {
    const run = (await this.store.getRun(runId))!;
    const failures: string[] = [];
    let total = 0;
    for (const [index, delivery] of schedule.deliveries.entries()) {
      for (const recipient of this.recipientsOf(delivery)) {
        total += 1;
        const attempts = run.attempts.filter(
          a => a.delivery === index && a.recipient === recipient,
        );
        if (!attempts.some(a => a.status === 'delivered')) {
          const last = attempts[attempts.length - 1];
          const tries = `${attempts.length} attempt${
            attempts.length === 1 ? '' : 's'
          }`;
          failures.push(
            `${delivery.type} to ${recipient} after ${tries}: ` +
              `${last?.error?.message ?? 'not attempted'}`,
          );
        }
      }
    }
    if (failures.length === 0) {
      await this.store.finish(runId, 'succeeded', null);
      return 'succeeded';
    }
    await this.fail(schedule, runId, {
      code: 'delivery_failed',
      message:
        `${failures.length} of ${total} ${
          total === 1 ? 'delivery' : 'deliveries'
        } failed: ` +
        `${sentence(
          failures.join('; '),
        )} Once the cause is fixed, resend each ` +
        'failed delivery; those delivered are not sent again.',
    });
    return 'failed';
  }

  private async fail(
    schedule: StoredSchedule,
    runId: string,
    error: { code: string; message: string },
  ) {
    await this.store.finish(runId, 'failed', error);
    this.options.logger.warn('Scheduled run failed', {
      scheduleId: schedule.id,
      runId,
      code: error.code,
    });
    const run = await this.store.getRun(runId);
    const { onRunFailed } = this.options;
    if (run && onRunFailed) {
      await this.withLastRun(schedule)
        .then(told => onRunFailed(told, run))
        .catch(e =>
          this.options.logger.error(
            'Could not tell of a failed run',
            e as Error,
          ),
        );
    }
  }

  /** A delivery whose channel is gone still gets one recorded failure. */
  private recipientsOf(delivery: Delivery): string[] {
    return this.options.deliveries.has(delivery.type)
      ? this.options.deliveries.get(delivery.type).recipients(delivery)
      : [delivery.type];
  }

  private nextAfter(
    fields: { cron: string; timezone: string },
    from: Date,
  ): string {
    return nextRuns(fields.cron, fields.timezone, from, 1)[0].toISOString();
  }

  private parseContext() {
    return {
      datasets: this.options.exports.datasets,
      deliveries: this.options.deliveries,
    };
  }

  private async getStored(id: string): Promise<StoredSchedule> {
    const stored = await this.store.get(id);
    if (!stored) {
      throw notFound('schedule_not_found', `There is no schedule ${id}.`);
    }
    return stored;
  }

  private async withLastRun(stored: StoredSchedule): Promise<Schedule> {
    const lastRuns = await this.store.lastRuns([stored.id]);
    return this.toSchedule(stored, lastRuns.get(stored.id) ?? null);
  }

  private toSchedule(
    stored: StoredSchedule,
    lastRun: ScheduleLastRun | null,
  ): Schedule {
    const { version: _version, ...schedule } = stored;
    return {
      ...schedule,
      lastRun,
      description: describeCron(stored.cron),
      deliveries: stored.deliveries.map(d => this.options.deliveries.redact(d)),
    };
  }
}

/**
 * The `missed_runs` alert: scheduled runs missed or failed over a window,
 * one alert per schedule.
 *
 * @public
 */
export function missedRunsRule(knex: Knex, options: { windowMs: number }) {
  return {
    kind: 'missed_runs' as const,
    /** The scope is the schedule's id; lists show its name. */
    async scopeNames(scopes: string[]): Promise<Map<string, string>> {
      const rows: { id: string; name: string }[] = await knex('schedules')
        .whereIn('id', scopes)
        .select('id', 'name');
      return new Map(rows.map(r => [r.id, r.name]));
    },
    async read(now: number) {
      const since = new Date(now - options.windowMs).toISOString();
      const rows: { schedule_id: string; name: string; n: number | string }[] =
        await knex('schedule_runs')
          .join('schedules', 'schedules.id', 'schedule_runs.schedule_id')
          .whereIn('schedule_runs.status', ['missed', 'failed'])
          .andWhere('schedule_runs.created_at', '>=', since)
          .groupBy('schedule_runs.schedule_id', 'schedules.name')
          .select('schedule_runs.schedule_id', 'schedules.name')
          .count({ n: '*' });
      const open: { schedule_id: string }[] = await knex('alerts')
        .where({ kind: 'missed_runs', status: 'open' })
        .select({ schedule_id: 'scope' });
      const firing = new Map(rows.map(r => [r.schedule_id, r]));
      const scopes = new Set([
        ...firing.keys(),
        ...open.map(o => o.schedule_id),
      ]);
      return [...scopes].map(scope => {
        const row = firing.get(scope);
        const n = Number(row?.n ?? 0);
        return {
          scope,
          firing: n > 0,
          value: n,
          threshold: 0,
          message: `Schedule "${
            row?.name ?? scope
          }" has ${n} missed or failed ${
            n === 1 ? 'run' : 'runs'
          } in the last ${minutesText(
            options.windowMs,
          )}; see the schedule's runs for why.`,
        };
      });
    },
  };
}
