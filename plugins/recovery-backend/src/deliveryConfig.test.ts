import { ConfigReader } from '@backstage/config';
import { readDeliveryConfig } from './deliveryConfig';

const read = (delivery: object, schedules?: object) =>
  readDeliveryConfig(
    new ConfigReader({ recovery: { delivery, schedules } }),
    '/tmp/rebound-storage',
  );

describe('readDeliveryConfig', () => {
  it('registers the configured channels with their settings', () => {
    const config = read(
      {
        email: {
          smtp: { host: '127.0.0.1', port: 2525, from: 'r@example.com' },
        },
        slack: { token: 'xoxb-1', baseUrl: 'http://127.0.0.1:9/api' },
        retry: { maxAttempts: 5, backoff: { base: { seconds: 1 } } },
        alerts: [{ type: 'slack', channel: 'C0123456789' }],
      },
      { frequency: { seconds: 10 } },
    );
    expect(config.registry.types()).toEqual([
      'email',
      'webhook',
      'storage',
      'slack',
    ]);
    expect(config.settings).toMatchObject({
      maxAttempts: 5,
      backoff: { baseMs: 1000 },
    });
    expect(config.frequency).toEqual({ seconds: 10 });
    expect(config.alertDeliveries).toEqual([
      { type: 'slack', channel: 'C0123456789' },
    ]);
  });

  it('refuses email and Slack deliveries when they are not configured', () => {
    const { registry } = read({});
    expect(() =>
      registry.validate([{ type: 'slack', channel: 'C0123456789' }]),
    ).toThrow(
      /deliveries\[0\]: slack deliveries are not configured on this backend; an administrator sets recovery\.delivery\.slack\.token/,
    );
  });

  it('fails the start naming the bad key', () => {
    expect(() =>
      read({ email: { smtp: { host: 'h', port: 0, from: 'a@b' } } }),
    ).toThrow(/recovery\.delivery\.email\.smtp\.port must be a port number/);
    expect(() => read({ slack: { token: 't', baseUrl: 'nope' } })).toThrow(
      /recovery\.delivery\.slack\.baseUrl is not a URL/,
    );
    expect(() => read({ retry: { maxAttempts: 0 } })).toThrow(
      /recovery\.delivery\.retry\.maxAttempts/,
    );
    expect(() => read({ alerts: [{ type: 'slack', channel: '#x' }] })).toThrow(
      /recovery\.delivery\.alerts\[0\]: slack deliveries are not configured/,
    );
  });
});
