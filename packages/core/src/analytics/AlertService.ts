import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Alert } from '../client/analytics';
import type { Logger } from '../logger';
import type { StorageService } from '../storage/StorageService';
import { isoNow, minutesText } from '../time';

/** One reading of a watched condition. @public */
export interface AlertReading {
  scope: string;
  firing: boolean;
  value: number | null;
  threshold: number | null;
  message: string;
}

/** A condition to watch, read each time alerts are evaluated. @public */
export interface AlertRule {
  kind: Alert['kind'];
  read(now: number): Promise<AlertReading[]>;
  /**
   * What each scope is called where a scope is an id (a schedule's id,
   * say): the names of those that still exist.
   */
  scopeNames?(scopes: string[]): Promise<Map<string, string>>;
}

/**
 * An alert as lists answer it: with the name of its scope, when the
 * scope is an id that its rule can name (the schedule of a missed_runs
 * alert).
 *
 * @public
 */
export type ListedAlert = Alert & { scopeName?: string };

/** Told once when an alert opens and once when it clears. @public */
export type AlertNotifier = (
  alert: Alert,
  change: 'opened' | 'resolved',
) => Promise<void>;

/**
 * Evaluates the alert rules. An alert opens once per episode: while its
 * condition holds it is only updated, and it resolves when it clears.
 *
 * @public
 */
export class AlertService {
  constructor(
    private readonly knex: Knex,
    private readonly rules: AlertRule[],
    private readonly logger: Logger,
    private readonly notify: AlertNotifier = async () => {},
  ) {}

  async evaluate(
    now = Date.now(),
  ): Promise<{ opened: Alert[]; resolved: Alert[] }> {
    const opened: Alert[] = [];
    const resolved: Alert[] = [];
    for (const rule of this.rules) {
      for (const reading of await rule.read(now)) {
        const change = await this.apply(rule.kind, reading, now);
        if (change?.change === 'opened') {
          opened.push(change.alert);
        } else if (change?.change === 'resolved') {
          resolved.push(change.alert);
        }
      }
    }
    for (const alert of opened) {
      await this.tell(alert, 'opened');
    }
    for (const alert of resolved) {
      await this.tell(alert, 'resolved');
    }
    return { opened, resolved };
  }

  /**
   * The alerts open now, whatever the times given, and those resolved
   * from `since` up to `until` (default now), each with its scope's name
   * where its rule knows it.
   */
  async list(
    options: { since?: string; until?: string } = {},
  ): Promise<ListedAlert[]> {
    const rows = await this.knex('alerts')
      .where('status', 'open')
      .orWhere(q => {
        q.where('status', 'resolved').andWhere(
          'resolved_at',
          '>=',
          options.since ?? isoNow(),
        );
        if (options.until) {
          q.andWhere('resolved_at', '<=', options.until);
        }
      })
      .orderBy('opened_at', 'desc');
    return this.named(rows.map(toAlert));
  }

  private async named(alerts: Alert[]): Promise<ListedAlert[]> {
    const names = new Map<string, Map<string, string>>();
    for (const rule of this.rules) {
      const scopes = [
        ...new Set(
          alerts.filter(a => a.kind === rule.kind && a.scope).map(a => a.scope),
        ),
      ];
      if (rule.scopeNames && scopes.length > 0) {
        names.set(rule.kind, await rule.scopeNames(scopes));
      }
    }
    return alerts.map(alert => {
      const name = names.get(alert.kind)?.get(alert.scope);
      return name === undefined ? alert : { ...alert, scopeName: name };
    });
  }

  /** Timestamps are of the evaluation, the instant the rules read at. */
  private async apply(kind: Alert['kind'], reading: AlertReading, at: number) {
    const now = new Date(at).toISOString();
    const open = await this.knex('alerts')
      .where({ kind, scope: reading.scope, status: 'open' })
      .first();
    if (open && reading.firing) {
      await this.knex('alerts').where({ id: open.id }).update({
        value: reading.value,
        message: reading.message,
        updated_at: now,
      });
      return undefined;
    }
    if (open && !reading.firing) {
      await this.knex('alerts').where({ id: open.id, status: 'open' }).update({
        status: 'resolved',
        resolved_at: now,
        updated_at: now,
        value: reading.value,
      });
      return {
        change: 'resolved' as const,
        alert: toAlert({
          ...open,
          status: 'resolved',
          resolved_at: now,
          updated_at: now,
          value: reading.value,
        }),
      };
    }
    if (!open && reading.firing) {
      const row = {
        id: randomUUID(),
        kind,
        scope: reading.scope,
        status: 'open',
        message: reading.message,
        value: reading.value,
        threshold: reading.threshold,
        opened_at: now,
        updated_at: now,
        resolved_at: null,
      };
      await this.knex('alerts').insert(row);
      return { change: 'opened' as const, alert: toAlert(row) };
    }
    return undefined;
  }

  private async tell(alert: Alert, change: 'opened' | 'resolved') {
    this.logger.warn(`Alert ${change}: ${alert.message}`, {
      kind: alert.kind,
      scope: alert.scope,
    });
    try {
      await this.notify(alert, change);
    } catch (error) {
      this.logger.error(
        `Could not send the ${alert.kind} alert`,
        error as Error,
      );
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toAlert(row: Record<string, any>): Alert {
  return {
    id: row.id,
    kind: row.kind,
    scope: row.scope,
    status: row.status,
    message: row.message,
    value:
      row.value === null || row.value === undefined ? null : Number(row.value),
    threshold:
      row.threshold === null || row.threshold === undefined
        ? null
        : Number(row.threshold),
    openedAt: row.opened_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at ?? null,
  };
}

/** Recovery attempts that failed, over a window, above a share. @public */
export function recoveryFailureRateRule(
  knex: Knex,
  options: { windowMs: number; threshold: number; minAttempts: number },
): AlertRule {
  return {
    kind: 'recovery_failure_rate',
    async read(now) {
      const since = new Date(now - options.windowMs).toISOString();
      const rows: { status: string; n: number | string }[] = await knex(
        'recovery_attempts',
      )
        .where('finished_at', '>=', since)
        .whereIn('status', ['succeeded', 'failed'])
        .select('status')
        .count({ n: '*' })
        .groupBy('status');
      const count = (status: string) =>
        Number(rows.find(r => r.status === status)?.n ?? 0);
      const failed = count('failed');
      const total = failed + count('succeeded');
      const rate = total > 0 ? failed / total : 0;
      const minutes = minutesText(options.windowMs);
      return [
        {
          scope: '',
          firing: total >= options.minAttempts && rate > options.threshold,
          value: Math.round(rate * 10_000) / 10_000,
          threshold: options.threshold,
          message:
            `${failed} of ${total} ${
              total === 1 ? 'recovery' : 'recoveries'
            } failed in the last ${minutes} ` +
            `(${(rate * 100).toFixed(1)}%; the alert is above ${
              Math.round(options.threshold * 10_000) / 100
            }%).`,
        },
      ];
    },
  };
}

/** The storage folder's free space below a floor. @public */
export function storageLowRule(
  storage: StorageService,
  options: { minFreeBytes: number },
): AlertRule {
  return {
    kind: 'storage_low',
    async read() {
      const free = await storage.freeBytes?.();
      if (free === undefined) {
        return [];
      }
      const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`;
      return [
        {
          scope: '',
          firing: free < options.minFreeBytes,
          value: free,
          threshold: options.minFreeBytes,
          message: `Storage has ${mib(free)} free; the alert is below ${mib(
            options.minFreeBytes,
          )} (recovery.alerts.storageMinFreeBytes).`,
        },
      ];
    },
  };
}

/** Exports that failed over a window. @public */
export function exportFailuresRule(
  knex: Knex,
  options: { windowMs: number },
): AlertRule {
  return {
    kind: 'export_failures',
    async read(now) {
      if (!(await knex.schema.hasTable('exports'))) {
        return [];
      }
      const since = new Date(now - options.windowMs).toISOString();
      const row = await knex('exports')
        .where('status', 'failed')
        .andWhere('updated_at', '>=', since)
        .count({ n: '*' })
        .first();
      const failed = Number(row?.n ?? 0);
      return [
        {
          scope: '',
          firing: failed > 0,
          value: failed,
          threshold: 0,
          message: `${failed} ${
            failed === 1 ? 'export' : 'exports'
          } failed in the last ${minutesText(
            options.windowMs,
          )}; the list of exports shows why each failed, and retries it.`,
        },
      ];
    },
  };
}
