import { formatScheduleTime } from './runTimes';

describe('formatScheduleTime', () => {
  it('gives the time in the schedule’s zone with the zone named', () => {
    // 02:30 in Berlin is 01:30Z in winter.
    expect(
      formatScheduleTime(
        '2026-12-05T01:30:00.000Z',
        'Europe/Berlin',
        'Europe/Berlin',
      ),
    ).toBe('Sat 2026-12-05 02:30 Europe/Berlin (UTC+01:00)');
    expect(
      formatScheduleTime('2026-07-05T00:30:00.000Z', 'Europe/Berlin', 'UTC'),
    ).toMatch(/^Sun 2026-07-05 02:30 Europe\/Berlin \(UTC\+02:00\);/);
  });

  it('adds the viewer’s zone, named, when it is another', () => {
    expect(
      formatScheduleTime('2026-12-05T01:30:00.000Z', 'Europe/Berlin', 'UTC'),
    ).toBe(
      'Sat 2026-12-05 02:30 Europe/Berlin (UTC+01:00); Sat 2026-12-05 01:30 in your zone, UTC',
    );
    expect(
      formatScheduleTime(
        '2026-12-05T01:30:00.000Z',
        'Europe/Berlin',
        'America/New_York',
      ),
    ).toBe(
      'Sat 2026-12-05 02:30 Europe/Berlin (UTC+01:00); Fri 2026-12-04 20:30 in your zone, America/New_York',
    );
  });

  it('says no time when there is none', () => {
    expect(formatScheduleTime(null, 'Europe/Berlin')).toBe('—');
  });
});
