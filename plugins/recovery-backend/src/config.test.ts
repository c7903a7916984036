import { ConfigReader } from '@backstage/config';
import { readRecoveryConfig } from './config';

const read = (recovery: object) =>
  readRecoveryConfig(new ConfigReader({ recovery }));

describe('readRecoveryConfig', () => {
  it('caps attempts in a row without progress and in all, by default', () => {
    expect(read({}).policy).toMatchObject({
      maxAttempts: 8,
      maxTotalAttempts: 200,
    });
    expect(
      read({ retry: { maxAttempts: 3, maxTotalAttempts: 40 } }).policy,
    ).toMatchObject({ maxAttempts: 3, maxTotalAttempts: 40 });
  });

  it('refuses a total cap below the cap in a row, naming both keys', () => {
    expect(() =>
      read({ retry: { maxAttempts: 10, maxTotalAttempts: 4 } }),
    ).toThrow(
      'recovery.retry.maxTotalAttempts (4) is below recovery.retry.maxAttempts (10)',
    );
    expect(() => read({ retry: { maxTotalAttempts: 0 } })).toThrow(
      'recovery.retry.maxTotalAttempts must be a whole number of at least 1, got 0.',
    );
  });

  it('keeps sources 30 days and cleans up every hour, by default', () => {
    const config = read({});

    expect(config.sourceRetentionMs).toBe(30 * 24 * 3600_000);
    expect(config.storageCleanupFrequency).toEqual({ hours: 1 });
    expect(
      read({
        storage: {
          sourceRetention: { days: 7 },
          cleanupFrequency: { minutes: 10 },
        },
      }),
    ).toMatchObject({
      sourceRetentionMs: 7 * 24 * 3600_000,
      storageCleanupFrequency: { minutes: 10 },
    });
  });

  it('refuses a source retention under a minute, naming the key', () => {
    expect(() =>
      read({ storage: { sourceRetention: { seconds: 5 } } }),
    ).toThrow(
      /^recovery\.storage\.sourceRetention must be at least one minute/,
    );
  });
});
