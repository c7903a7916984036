import {
  addDays,
  isDay,
  lastDays,
  periodProblem,
  periodQuery,
  quickChoiceOf,
  refusalOf,
} from './period';
import {
  bands,
  countTicks,
  dayLabel,
  dayTickIndexes,
  linearScale,
} from './scales';

describe('linearScale', () => {
  it('maps the domain onto the range, also reversed', () => {
    const x = linearScale([0, 1], [100, 500]);
    expect(x(0)).toBe(100);
    expect(x(0.85)).toBeCloseTo(440);
    expect(x(1)).toBe(500);

    const y = linearScale([0, 10], [260, 40]);
    expect(y(0)).toBe(260);
    expect(y(5)).toBe(150);
    expect(y(10)).toBe(40);
  });

  it('maps a zero-width domain to the start of the range', () => {
    const x = linearScale([3, 3], [10, 90]);
    expect(x(3)).toBe(10);
    expect(Number.isFinite(x(7))).toBe(true);
  });
});

describe('countTicks', () => {
  it.each([
    [0, [0, 1]],
    [1, [0, 1]],
    [3, [0, 1, 2, 3]],
    [5, [0, 2, 4, 6]],
    [7, [0, 2, 4, 6, 8]],
    [18, [0, 5, 10, 15, 20]],
    [100, [0, 50, 100]],
    [1234, [0, 500, 1000, 1500]],
  ])('covers a largest count of %s with whole steps', (max, ticks) => {
    expect(countTicks(max, 5)).toEqual(ticks);
  });

  it('always reaches the largest count', () => {
    for (let max = 1; max < 500; max += 7) {
      const ticks = countTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(7);
      expect(ticks.every(Number.isInteger)).toBe(true);
    }
  });
});

describe('bands', () => {
  it('splits a length into equal bands with centred bars', () => {
    const band = bands(4, 400, 0.25);
    expect(band.step).toBe(100);
    expect(band.size).toBe(75);
    expect(band.start(0)).toBe(12.5);
    expect(band.start(3)).toBe(312.5);
  });

  it('copes with no bands', () => {
    expect(bands(0, 400).size).toBeGreaterThan(0);
  });
});

describe('dayTickIndexes', () => {
  it.each([
    [0, []],
    [1, [0]],
    [5, [0, 1, 2, 3, 4]],
    [30, [0, 5, 10, 15, 20, 25]],
    [31, [0, 6, 12, 18, 24, 30]],
  ])('ticks %s days at most six times', (count, indexes) => {
    expect(dayTickIndexes(count, 6)).toEqual(indexes);
  });

  it('never ticks more than asked over a year', () => {
    expect(dayTickIndexes(366, 6).length).toBeLessThanOrEqual(6);
  });
});

describe('dayLabel', () => {
  it('names the year on the first tick and when it changes', () => {
    expect(dayLabel('2026-12-04')).toBe('Dec 4, 2026');
    expect(dayLabel('2026-12-09', '2026-12-04')).toBe('Dec 9');
    expect(dayLabel('2027-01-03', '2026-12-29')).toBe('Jan 3, 2027');
  });
});

describe('the period', () => {
  const now = Date.parse('2026-12-04T15:30:00Z');

  it('counts the last days up to and including today in UTC', () => {
    expect(lastDays(30, now)).toEqual({ from: '2026-11-05', to: '2026-12-04' });
    expect(lastDays(7, now)).toEqual({ from: '2026-11-28', to: '2026-12-04' });
    expect(lastDays(1, now)).toEqual({ from: '2026-12-04', to: '2026-12-04' });
  });

  it('asks the backend up to the end of the last day', () => {
    expect(periodQuery({ from: '2026-11-05', to: '2026-12-04' })).toEqual({
      from: '2026-11-05',
      to: '2026-12-04T23:59:59.999Z',
    });
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('knows the quick choice a period is', () => {
    expect(quickChoiceOf(lastDays(90, now), now)).toBe(90);
    expect(
      quickChoiceOf({ from: '2026-11-01', to: '2026-12-04' }, now),
    ).toBeUndefined();
  });

  it('accepts only whole dates', () => {
    expect(isDay('2026-12-04')).toBe(true);
    expect(isDay('')).toBe(false);
    expect(isDay('2026-12')).toBe(false);
    expect(isDay('2026-13-45')).toBe(false);
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
  });
});

describe('what is wrong with a period', () => {
  it('names the field, the value and what to do', () => {
    expect(periodProblem({ from: '2026-12-01', to: '2026-12-04' })).toBe(
      undefined,
    );
    expect(periodProblem({ from: '2026-12-04', to: '2026-12-04' })).toBe(
      undefined,
    );
    expect(periodProblem({ from: '', to: '2026-12-04' })).toEqual({
      field: 'from',
      message: 'Enter both dates, e.g. 2026-12-01.',
    });
    expect(periodProblem({ from: '2026-02-30', to: '2026-12-04' })).toEqual({
      field: 'from',
      message:
        'The From date “2026-02-30” is not a day of the calendar: pick it with the date picker, or write it as YYYY-MM-DD.',
    });
    expect(periodProblem({ from: '2025-12-05', to: '2026-12-05' })).toBe(
      undefined,
    );
    expect(
      periodProblem({ from: '2025-12-04', to: '2026-12-05' })?.message,
    ).toBe(
      'The period 2025-12-04 to 2026-12-05 is 367 days long; it may be at most 366: move From to 2025-12-05 or later, or pick a quick choice.',
    );
  });

  it('words a refusal the form did not foresee without the query’s names', () => {
    const period = { from: '2026-10-01', to: '2026-10-31' };
    expect(
      refusalOf(
        period,
        "to is '2026-10-31T23:59:59.999Z', not a date; use ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00:00Z.",
      ),
    ).toBe(
      'The backend could not read one of the dates: pick both with the date picker, or choose a quick choice.',
    );
    expect(refusalOf({ from: '2026-11-01', to: '2026-10-01' }, 'x')).toMatch(
      /^The From date \(2026-11-01\) is after the To date/,
    );
  });
});
