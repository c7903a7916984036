import type { Config } from '@backstage/config';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, type HumanDuration } from '@backstage/types';
import { DEFAULT_EXPORT_SETTINGS, type ExportSettings } from '@rebound/core';

/** `recovery.exports.*`, read once at start. */
export interface ExportConfig {
  settings: ExportSettings;
  /** How often expired files are deleted and stopped exports failed. */
  cleanupFrequency: HumanDuration;
}

/** A bad value fails the start with the key's name and what is allowed. */
export function readExportConfig(root: Config): ExportConfig {
  const config = root.getOptionalConfig('recovery.exports');
  const whole = (key: string, fallback: number): number => {
    const value = config?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `recovery.exports.${key} must be a whole number of at least 1, got ${value}.`,
      );
    }
    return value;
  };
  const duration = (key: string, fallback: HumanDuration): HumanDuration =>
    config?.has(key) ? readDurationFromConfig(config, { key }) : fallback;

  const retention = duration('retention', { days: 30 });
  const retentionMs = durationToMilliseconds(retention);
  if (retentionMs < 60_000) {
    throw new Error(
      'recovery.exports.retention must be at least one minute, e.g. { days: 30 }.',
    );
  }
  return {
    settings: {
      ...DEFAULT_EXPORT_SETTINGS,
      pdfMaxRows: whole('pdfMaxRows', DEFAULT_EXPORT_SETTINGS.pdfMaxRows),
      inlineRows: whole('inlineRows', DEFAULT_EXPORT_SETTINGS.inlineRows),
      concurrency: whole('concurrency', DEFAULT_EXPORT_SETTINGS.concurrency),
      retentionMs,
    },
    cleanupFrequency: duration('cleanupFrequency', { minutes: 5 }),
  };
}
