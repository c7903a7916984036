import { DATASETS } from './fixtures';
import { emptyRangeWarnings, filtersOf, type FilterRow } from './filterRows';

const columns = DATASETS[0].columns;
const analytics = DATASETS[1].columns;

let id = 0;
const row = (
  column: string,
  operator: FilterRow['operator'],
  text: string,
): FilterRow => {
  id += 1;
  return { id, column, operator, text };
};

describe('filtersOf', () => {
  it('takes only plain digits, with an optional sign, for a whole number', () => {
    const parsed = filtersOf(
      [
        row('attempts', 'gte', '+2'),
        row('attempts', 'lte', ' -25 '),
        row('attempts', 'eq', '1000'),
      ],
      columns,
    );
    expect(parsed.rowProblems).toEqual([undefined, undefined, undefined]);
    expect(parsed.filters).toEqual({
      attempts: { gte: 2, lte: -25, eq: 1000 },
    });
  });

  it.each(['1e3', '1,000', '0x10', '1.0', '1 000', '12abc', 'Infinity'])(
    'refuses %s for a whole number, saying what to write',
    text => {
      const parsed = filtersOf([row('attempts', 'eq', text)], columns);
      expect(parsed.filters).toBeUndefined();
      expect(parsed.rowProblems).toEqual([
        `"${text}" is not a whole number: write digits only, with no separators, point or exponent (an optional - in front), e.g. 1000 or -25`,
      ]);
    },
  );

  it('refuses a whole number too large to be exact', () => {
    const [problem] = filtersOf(
      [row('attempts', 'eq', '9007199254740993')],
      columns,
    ).rowProblems;
    expect(problem).toMatch(/^"9007199254740993" is too large/);
  });

  it('reads a decimal number, not hexadecimal', () => {
    expect(
      filtersOf([row('acceptedShare', 'gte', '0.5')], columns).filters,
    ).toEqual({ acceptedShare: { gte: 0.5 } });
    expect(
      filtersOf([row('acceptedShare', 'gte', '0x10')], columns).rowProblems,
    ).toEqual([
      '"0x10" is not a number: write it with digits and a point, e.g. 12.5 or -3',
    ]);
  });

  it('warns, without refusing, when two ranges on one column leave no row', () => {
    const rows = [
      row('createdAt', 'gte', '2026-12-05'),
      row('status', 'eq', 'failed'),
      row('createdAt', 'lt', '2026-12-01'),
    ];
    const parsed = filtersOf(rows, columns);

    expect(parsed.rowProblems).toEqual([undefined, undefined, undefined]);
    expect(parsed.filters).toEqual({
      createdAt: { gte: '2026-12-05', lt: '2026-12-01' },
      status: 'failed',
    });
    expect(parsed.rowWarnings).toEqual([
      undefined,
      undefined,
      'Created >= 2026-12-05 and Created < 2026-12-01 leave no value between them: the export will have no rows. Check the two values, or remove one of the filters.',
    ]);
  });

  it('leaves a range that holds values without a warning', () => {
    const parsed = filtersOf(
      [
        row('createdAt', 'gte', '2026-12-01'),
        row('createdAt', 'lt', '2026-12-05'),
        row('attempts', 'gt', '1'),
        row('attempts', 'lte', '3'),
      ],
      columns,
    );
    expect(parsed.rowWarnings).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('emptyRangeWarnings', () => {
  const warned = (filters: Parameters<typeof emptyRangeWarnings>[0]) =>
    emptyRangeWarnings(filters, [...columns, ...analytics]).map(w => w.column);

  it('knows which ends include their value', () => {
    expect(warned({ attempts: { gte: 3, lte: 3 } })).toEqual([]);
    expect(warned({ attempts: { gt: 3, lte: 3 } })).toEqual(['attempts']);
    expect(warned({ attempts: { gte: 3, lt: 3 } })).toEqual(['attempts']);
    expect(warned({ attempts: { eq: 5, lt: 3 } })).toEqual(['attempts']);
    expect(warned({ date: { gt: '2026-12-05', lt: '2026-12-06' } })).toEqual(
      [],
    );
    expect(warned({ date: { gt: '2026-12-05', lt: '2026-12-05' } })).toEqual([
      'date',
    ]);
  });

  it('reads a bare date on a time column as the whole day', () => {
    // The whole of 4 December is after its 10:00.
    expect(
      warned({ createdAt: { lte: '2026-12-04', gte: '2026-12-04T10:00' } }),
    ).toEqual([]);
    // After 4 December means from the 5th.
    expect(
      warned({ createdAt: { gt: '2026-12-04', lt: '2026-12-04T23:59' } }),
    ).toEqual(['createdAt']);
    expect(
      warned({ createdAt: { eq: '2026-12-04', lt: '2026-12-04' } }),
    ).toEqual(['createdAt']);
  });

  it('does not guess about times with an offset, which need the export’s zone', () => {
    expect(
      warned({
        createdAt: { gte: '2026-12-05T00:00:00Z', lt: '2026-12-01' },
      }),
    ).toEqual([]);
  });
});
