import { checkTimeZone } from '../exports/timezone';
import {
  checkScheduleTimeZone,
  describeCron,
  latestSlot,
  nextDaylightSavingChange,
  nextRuns,
  parseCron,
  previewSchedule,
  slotsBetween,
} from './cron';

const iso = (dates: Date[]) => dates.map(d => d.toISOString());

describe('schedule times (cron-parser 5)', () => {
  it('runs 0 5 * * 0 in Europe/Rome across the spring change', () => {
    expect(
      iso(
        nextRuns(
          '0 5 * * 0',
          'Europe/Rome',
          new Date('2025-03-28T23:59:59Z'),
          2,
        ),
      ),
    ).toEqual(['2025-03-30T03:00:00.000Z', '2025-04-06T03:00:00.000Z']);
  });

  it('shifts 02:30 out of the Rome gap and the preview warns about it', () => {
    const from = new Date('2025-03-28T23:59:59Z');
    expect(iso(nextRuns('30 2 * * 0', 'Europe/Rome', from, 2))).toEqual([
      '2025-03-30T01:30:00.000Z',
      '2025-04-06T00:30:00.000Z',
    ]);
    const preview = previewSchedule('30 2 * * 0', 'Europe/Rome', from, 2);
    expect(preview.runs[0]).toEqual({
      at: '2025-03-30T01:30:00.000Z',
      local: '2025-03-30T03:30:00+02:00',
      warning:
        '02:30 does not exist on 2025-03-30 in Europe/Rome (the clocks go ' +
        'forward); this run is at 03:30 local time.',
    });
    expect(preview.runs[1]).toEqual({
      at: '2025-04-06T00:30:00.000Z',
      local: '2025-04-06T02:30:00+02:00',
    });
    expect(preview.warnings).toHaveLength(1);
  });

  it('runs a repeated Toronto hour once and warns about it', () => {
    const from = new Date('2020-11-01T05:00:00Z');
    expect(iso(nextRuns('10 1 * * 0', 'America/Toronto', from, 2))).toEqual([
      '2020-11-01T05:10:00.000Z',
      '2020-11-08T06:10:00.000Z',
    ]);
    const preview = previewSchedule('10 1 * * 0', 'America/Toronto', from, 2);
    expect(preview.runs[0].local).toBe('2020-11-01T01:10:00-04:00');
    expect(preview.runs[0].warning).toBe(
      '01:10 happens twice on 2020-11-01 in America/Toronto (the clocks go ' +
        'back); the schedule runs once, at the first (-04:00).',
    );
    expect(preview.runs[1].warning).toBeUndefined();
  });

  it('ORs day of month and day of week, and says so', () => {
    expect(
      iso(nextRuns('0 9 13 * 5', 'UTC', new Date('2024-09-01T00:00:00Z'), 8)),
    ).toEqual(
      [
        '09-06',
        '09-13',
        '09-20',
        '09-27',
        '10-04',
        '10-11',
        '10-13',
        '10-18',
      ].map(d => `2024-${d}T09:00:00.000Z`),
    );
    expect(describeCron('0 9 13 * 5')).toBe(
      'on day 13 of the month and on Friday at 09:00 (either day is enough: ' +
        'day of month and day of week are OR-ed)',
    );
  });

  it('lists the Shanghai slots missed during downtime', () => {
    expect(
      iso(
        slotsBetween(
          '0 8 * * *',
          'Asia/Shanghai',
          new Date('2025-06-01T00:00:00Z'),
          new Date('2025-06-04T01:35:00Z'),
        ),
      ),
    ).toEqual([
      '2025-06-02T00:00:00.000Z',
      '2025-06-03T00:00:00.000Z',
      '2025-06-04T00:00:00.000Z',
    ]);
  });

  it('describes schedules in plain words', () => {
    expect(describeCron('0 8 * * 1')).toBe('every Monday at 08:00');
    expect(describeCron('0 8 * * MON')).toBe('every Monday at 08:00');
    expect(describeCron('30 6 * * *')).toBe('every day at 06:30');
    expect(describeCron('0 7 * * 1-5')).toBe(
      'every weekday (Monday to Friday) at 07:00',
    );
    expect(describeCron('0 0 1 * *')).toBe('on day 1 of the month at 00:00');
    expect(describeCron('*/15 * * * *')).toBe('every 15 minutes');
    expect(describeCron('*/1 * * * *')).toBe('every minute');
    expect(describeCron('0 * * * *')).toBe('every hour at minute 0');
    expect(describeCron('0 8 * * 0,7')).toBe('every Sunday at 08:00');
    expect(describeCron('0 0 * * 5#2')).toBe(
      'on the second Friday of the month at 00:00',
    );
    expect(describeCron('0 9 * * FRI#1')).toBe(
      'on the first Friday of the month at 09:00',
    );
    expect(describeCron('0 0 * * 5L')).toBe(
      'on the last Friday of the month at 00:00',
    );
    expect(describeCron('0 0 L * *')).toBe(
      'on the last day of the month at 00:00',
    );
    expect(describeCron('0 0 L 2 *')).toBe(
      'on the last day of the month in February at 00:00',
    );
    expect(describeCron('0 0 15,L * *')).toBe(
      'on day 15 and the last day of the month at 00:00',
    );
    expect(describeCron('15,45 * * * 1')).toBe(
      'every hour at minute 15 and 45, every Monday',
    );
    expect(describeCron('0 8,17 * * 1,5')).toBe(
      'every Monday and Friday at 08:00 and 17:00',
    );
    expect(describeCron('0 9 1 1,7 *')).toBe(
      'on day 1 of the month in January and July at 09:00',
    );
  });

  it('refuses a bad cron naming the field', () => {
    expect(() => parseCron('61 5 * * *', 'UTC')).toThrow(
      /^cron "61 5 \* \* \*" is not valid: minute 61 is not 0–59; use five fields/,
    );
    expect(() => parseCron('0 5 * *', 'UTC')).toThrow(/has 4 fields/);
    expect(() =>
      previewSchedule('0 5 * * *', 'Mars/Olympus', new Date()),
    ).toThrow(/timezone is "Mars\/Olympus", which is not an IANA time zone/);
  });

  it('takes a zone in any case and names it as IANA does', () => {
    expect(checkScheduleTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(checkScheduleTimeZone('US/Eastern')).toBe('America/New_York');
    // Intl answers with the names before a rename; they are not kept.
    expect(checkScheduleTimeZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(checkScheduleTimeZone('Europe/Kyiv')).toBe('Europe/Kyiv');
    expect(checkTimeZone('europe/kiev')).toBe('Europe/Kyiv');
  });

  it('refuses EST and MST, which mean no summer time, naming the region zone', () => {
    expect(() => checkScheduleTimeZone('EST')).toThrow(
      'timezone is "EST", which is UTC-05:00 all year, without daylight ' +
        'saving; for the time in New York use "America/New_York", or ' +
        '"Etc/GMT+5" if a fixed offset is meant.',
    );
    expect(() => checkTimeZone('MST')).toThrow(
      /^options\.timezone is "MST", which is UTC-07:00 all year.*"America\/Denver", or "Etc\/GMT\+7"/,
    );
    expect(checkScheduleTimeZone('Etc/GMT+5')).toBe('Etc/GMT+5');
  });
});

describe('parseCron refusals', () => {
  const refusal = (cron: string) => {
    try {
      parseCron(cron, 'UTC');
    } catch (error) {
      return (error as Error).message.replace(/; use five fields.*$/, '');
    }
    return 'accepted';
  };

  it('names every bad field in plain words, not the parser’s', () => {
    expect(refusal('61 25 * * *')).toBe(
      'cron "61 25 * * *" is not valid: minute 61 is not 0–59; hour 25 is not 0–23',
    );
    expect(refusal('0 0 0 13 8')).toBe(
      'cron "0 0 0 13 8" is not valid: day of month 0 is not 1–31; ' +
        'month 13 is not 1–12; day of week 8 is not 0–7',
    );
    expect(refusal('61 25 * * *')).not.toMatch(/Constraint|expected range/);
  });

  it('says what is wrong with ranges, steps, lists and names', () => {
    expect(refusal('5-1 * * * *')).toMatch(
      /minute range 5-1 runs backwards: write the smaller end first \(1-5\)$/,
    );
    expect(refusal('*/0 * * * *')).toMatch(
      /minute "\*\/0" has a step of 0, which never moves on$/,
    );
    expect(refusal('1,,2 * * * *')).toMatch(
      /minute "1,,2" has an empty item in its list$/,
    );
    expect(refusal('0 1-30 * * *')).toMatch(/hour 30 is not 0–23$/);
    expect(refusal('x 8 * * *')).toMatch(
      /minute "x" is not a whole number 0–59$/,
    );
    expect(refusal('0 8 * JANX *')).toMatch(
      /month "JANX" is not a month name \(JAN–DEC\)$/,
    );
    expect(refusal('0 8 * * FRI-MON')).toMatch(
      /day of week range FRI-MON runs backwards/,
    );
    expect(refusal('0 8 * * 5#6')).toMatch(
      /day of week 5#6 asks for weekday number 6 of the month, which is not 1–5$/,
    );
  });

  it('says when a day of the month never comes in the months given', () => {
    expect(refusal('0 8 31 2 *')).toBe(
      'cron "0 8 31 2 *" is not valid: day of month 31 never comes in February',
    );
    expect(refusal('0 8 31 4,6 *')).toMatch(/never comes in April or June$/);
  });

  it('counts fields in the singular when one, and names shorthands', () => {
    expect(refusal('08:00')).toBe('cron "08:00" has 1 field');
    expect(refusal('0 8 * *')).toBe('cron "0 8 * *" has 4 fields');
    expect(() => parseCron('@daily', 'UTC')).toThrow(
      'cron "@daily" is a shorthand, which schedules do not take ("@daily" is "0 0 * * *", "@hourly" is "0 * * * *"); use five fields: minute hour day-of-month month day-of-week, e.g. "0 8 * * 1" for every Monday at 08:00.',
    );
  });

  it('still takes the forms cron reads', () => {
    for (const cron of [
      '*/15 * * * *',
      '0 8 * * MON-FRI',
      '0 8 L * *',
      '0 8 * * 5L',
      '0 8 * * 5#2',
      '0 8 1,15 JAN,JUL *',
      '0 0 * * 7',
      '0 0 * * 0,7',
      '0 0 * * SUN,7,3',
    ]) {
      expect(refusal(cron)).toBe('accepted');
    }
  });
});

describe('latestSlot', () => {
  it('finds the newest slot at or before an instant', () => {
    expect(
      latestSlot(
        '0 8 * * *',
        'Asia/Shanghai',
        new Date('2025-06-04T01:35:00Z'),
      )?.toISOString(),
    ).toBe('2025-06-04T00:00:00.000Z');
    expect(
      latestSlot(
        '0 8 * * *',
        'Asia/Shanghai',
        new Date('2025-06-04T00:00:00Z'),
      )?.toISOString(),
    ).toBe('2025-06-04T00:00:00.000Z');
  });
});

describe('the daylight-saving look-ahead of a preview', () => {
  const YEAR = 366 * 86_400_000;

  it('finds the Rome gap months after the runs asked for', () => {
    const from = new Date('2024-12-01T00:00:00Z');
    const preview = previewSchedule('30 2 * * 0', 'Europe/Rome', from, 5);

    expect(preview.runs.map(r => r.at.slice(0, 10))).toEqual([
      '2024-12-01',
      '2024-12-08',
      '2024-12-15',
      '2024-12-22',
      '2024-12-29',
    ]);
    expect(preview.warnings).toEqual([]);
    expect(preview.from).toBe('2024-12-01T00:00:00.000Z');
    expect(preview.daylightSaving).toEqual({
      checkedUntil: new Date(from.getTime() + YEAR).toISOString(),
      next: {
        at: '2025-03-30T01:00:00.000Z',
        clocks: 'forward',
        offsetBefore: '+01:00',
        offsetAfter: '+02:00',
        run: {
          at: '2025-03-30T01:30:00.000Z',
          local: '2025-03-30T03:30:00+02:00',
          warning:
            '02:30 does not exist on 2025-03-30 in Europe/Rome (the clocks ' +
            'go forward); this run is at 03:30 local time.',
        },
      },
    });
  });

  it('passes over a change that moves no run and finds the repeated Toronto hour', () => {
    // 01:10 exists on the March night; it happens twice in November.
    const change = nextDaylightSavingChange(
      '10 1 * * 0',
      'America/Toronto',
      Date.parse('2020-01-01T00:00:00Z'),
      Date.parse('2020-01-01T00:00:00Z') + YEAR,
    );
    expect(change).toMatchObject({
      at: '2020-11-01T06:00:00.000Z',
      clocks: 'back',
      offsetBefore: '-04:00',
      offsetAfter: '-05:00',
      run: {
        at: '2020-11-01T05:10:00.000Z',
        warning: expect.stringMatching(/01:10 happens twice on 2020-11-01/),
      },
    });
  });

  it('answers null when no change within the year touches the schedule', () => {
    const from = Date.parse('2025-01-01T00:00:00Z');
    // Berlin changes at 02:00 and 03:00 on Sundays; these run at other times.
    expect(
      nextDaylightSavingChange('0 8 * * 1', 'Europe/Berlin', from, from + YEAR),
    ).toBeNull();
    expect(
      nextDaylightSavingChange(
        '30 2 * * 1',
        'Europe/Berlin',
        from,
        from + YEAR,
      ),
    ).toBeNull();
    expect(
      nextDaylightSavingChange('*/5 * * * *', 'UTC', from, from + YEAR),
    ).toBeNull();
    expect(
      previewSchedule('0 8 * * 1', 'Europe/Berlin', new Date(from), 1)
        .daylightSaving.next,
    ).toBeNull();
  });

  it('looks at an every-minute schedule near each change only', () => {
    // The spring gap leaves out runs and moves none; autumn repeats an hour.
    const from = Date.parse('2025-03-01T00:00:00Z');
    expect(
      nextDaylightSavingChange('* * * * *', 'Europe/Berlin', from, from + YEAR),
    ).toMatchObject({
      at: '2025-10-26T01:00:00.000Z',
      clocks: 'back',
      run: { at: '2025-10-26T00:00:00.000Z' },
    });
  });
});
