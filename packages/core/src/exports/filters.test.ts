import { analyticsDataset } from './datasets/analytics';
import { jobsDataset } from './datasets/jobs';
import { parseFilters } from './filters';

const valuesOf = (filters: unknown) =>
  parseFilters(jobsDataset, filters, 'UTC').map(f => [f.op, f.value]);

describe('parseFilters', () => {
  it('takes a whole number as a JSON number or as plain digits with a sign', () => {
    expect(valuesOf({ attempts: { gte: 2, lte: '+3' } })).toEqual([
      ['gte', 2],
      ['lte', 3],
    ]);
    expect(valuesOf({ rowsDone: { in: ['-25', ' 1000 ', 7] } })).toEqual([
      ['in', [-25, 1000, 7]],
    ]);
  });

  it.each(['1e3', '1,000', '0x10', '1.0', '1 000', 'Infinity', ''])(
    'refuses %j for a whole number, saying what to write',
    text => {
      expect(() => valuesOf({ attempts: { gte: text } })).toThrow(
        expect.objectContaining({
          code: 'invalid_filter_value',
          message: `filters.attempts.gte: ${JSON.stringify(
            text,
          )} is not a whole number; write digits only, with no separators, point or exponent (an optional - in front), e.g. 1000 or -25 ('attempts' is integer).`,
        }),
      );
    },
  );

  it('names a number too large for JSON as it was read, not as null', () => {
    expect(() => valuesOf(JSON.parse('{"attempts": {"gte": 1e400}}'))).toThrow(
      /^filters\.attempts\.gte: Infinity is not a whole number/,
    );
  });

  it('refuses an empty list, which no row matches', () => {
    expect(() => valuesOf({ status: { in: [] } })).toThrow(
      expect.objectContaining({
        code: 'invalid_filter_value',
        message:
          'filters.status.in is an empty list, which no row matches; list at ' +
          'least one value, or remove the filter to export every row.',
      }),
    );
  });

  it('refuses a fraction or a number too large to be exact', () => {
    expect(() => valuesOf({ attempts: 1.5 })).toThrow(/is not a whole number/);
    expect(() => valuesOf({ attempts: '9007199254740993' })).toThrow(
      /is not a whole number/,
    );
  });
});

describe('parseFilters on a number column', () => {
  const rateOf = (value: unknown) =>
    parseFilters(analyticsDataset, { rate: { gte: value } }, 'UTC')[0].value;

  it('reads decimal numbers as people write them', () => {
    expect(rateOf('0.85')).toBe(0.85);
    expect(rateOf('-.5')).toBe(-0.5);
    expect(rateOf('1e-3')).toBe(0.001);
    expect(rateOf(0.5)).toBe(0.5);
  });

  it('refuses hexadecimal and separators, which Number would read or drop', () => {
    for (const text of ['0x10', '1,5', 'NaN']) {
      expect(() => rateOf(text)).toThrow(
        `filters.rate.gte: ${JSON.stringify(
          text,
        )} is not a number; write it with digits and a point, e.g. 12.5 ('rate' is number).`,
      );
    }
  });
});
