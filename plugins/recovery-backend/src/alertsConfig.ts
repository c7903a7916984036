import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';

/** recovery.alerts.*: what is watched and how often. */
export interface AlertsConfig {
  frequency: HumanDuration;
  windowMs: number;
  failureRateThreshold: number;
  minAttempts: number;
  storageMinFreeBytes: number;
}

export function readAlertsConfig(root: Config): AlertsConfig {
  const config = root.getOptionalConfig('recovery.alerts');
  const duration = (key: string, fallback: HumanDuration) =>
    config?.has(key) ? readDurationFromConfig(config, { key }) : fallback;
  const result: AlertsConfig = {
    frequency: duration('frequency', { minutes: 1 }),
    windowMs: durationToMilliseconds(duration('window', { hours: 1 })),
    failureRateThreshold:
      config?.getOptionalNumber('failureRateThreshold') ?? 0.15,
    minAttempts: config?.getOptionalNumber('minAttempts') ?? 5,
    storageMinFreeBytes:
      config?.getOptionalNumber('storageMinFreeBytes') ?? 1024 ** 3,
  };
  if (!(result.failureRateThreshold > 0 && result.failureRateThreshold < 1)) {
    throw new Error(
      `recovery.alerts.failureRateThreshold must be a share between 0 and 1, got ${result.failureRateThreshold}.`,
    );
  }
  return result;
}
