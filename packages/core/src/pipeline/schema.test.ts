import type { ColumnRule, JobSchema } from '../client/types';
import { ReboundError } from '../errors';
import {
  applyTransforms,
  checkHeader,
  checkSchema,
  checkSchemaAgainstHeader,
  checkTransforms,
  validateRecord,
} from './schema';

/** Validates one value of column `v` under one rule. */
function one(rule: ColumnRule | undefined, text: string) {
  const schema: JobSchema | undefined = rule
    ? { columns: { v: rule } }
    : undefined;
  return validateRecord(['v'], [text], schema);
}

function valueOf(rule: ColumnRule | undefined, text: string) {
  const { data, problems } = one(rule, text);
  expect(problems).toEqual([]);
  return data.v;
}

function problemOf(rule: ColumnRule, text: string) {
  const { data, problems } = one(rule, text);
  expect(data).not.toHaveProperty('v');
  expect(problems).toHaveLength(1);
  return problems[0];
}

function thrown(fn: () => unknown): ReboundError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ReboundError);
    return error as ReboundError;
  }
  throw new Error('expected an error');
}

describe('validateRecord', () => {
  describe('without a schema', () => {
    it('keeps every value as the file has it, leading zeros included', () => {
      const { data, problems } = validateRecord(
        ['zip', 'id', 'amount', 'flag'],
        ['02134', '10000000000000000001', '1.50', 'TRUE'],
        undefined,
      );

      expect(problems).toEqual([]);
      expect(data).toEqual({
        zip: '02134',
        id: '10000000000000000001',
        amount: '1.50',
        flag: 'TRUE',
      });
    });

    it('keeps columns the schema does not name as text', () => {
      const { data } = validateRecord(['a', 'zip'], ['1', '007'], {
        columns: { a: { type: 'integer' } },
      });

      expect(data).toEqual({ a: 1, zip: '007' });
    });
  });

  it('reports a row with too few or too many fields', () => {
    for (const [values, count] of [
      [['1'], '1 field'],
      [['1', '2', '3'], '3 fields'],
    ] as const) {
      const { data, problems } = validateRecord(
        ['a', 'b'],
        [...values],
        undefined,
      );

      expect(data).toEqual({});
      expect(problems).toEqual([
        expect.objectContaining({
          code: 'field_count',
          message: `The row has ${count} but the header has 2; check for a missing or extra delimiter.`,
        }),
      ]);
    }
  });

  it('reports bytes that are not valid in the encoding', () => {
    const problem = problemOf({}, 'caf\uFFFD');

    expect(problem).toMatchObject({
      code: 'invalid_encoding',
      column: 'v',
      value: 'caf\uFFFD',
    });
    expect(problem.message).toMatch(/`encoding` in the options/);
  });

  it('reports every invalid column of a row, not only the first', () => {
    const { problems } = validateRecord(['a', 'b', 'c'], ['x', 'maybe', '3'], {
      columns: {
        a: { type: 'integer' },
        b: { type: 'boolean' },
        c: { type: 'integer' },
      },
    });

    expect(problems.map(p => [p.column, p.code])).toEqual([
      ['a', 'integer'],
      ['b', 'boolean'],
    ]);
  });

  describe('string', () => {
    it('keeps the text unchanged', () => {
      expect(valueOf({ type: 'string' }, ' 007 ')).toBe(' 007 ');
      expect(valueOf({}, '007')).toBe('007');
    });

    it('keeps an empty optional string as empty text', () => {
      expect(valueOf({ type: 'string' }, '')).toBe('');
    });
  });

  describe('integer', () => {
    it.each([
      ['42', 42],
      ['-7', -7],
      ['+3', 3],
      ['007', 7],
      ['9007199254740991', 9007199254740991],
    ])('casts %s to %d', (text, value) => {
      expect(valueOf({ type: 'integer' }, text)).toBe(value);
    });

    it('keeps a 20-digit integer as text, every digit intact', () => {
      expect(valueOf({ type: 'integer' }, '10000000000000000001')).toBe(
        '10000000000000000001',
      );
      expect(valueOf({ type: 'integer' }, '9007199254740993')).toBe(
        '9007199254740993',
      );
    });

    it.each(['1.5', '1e3', '0x10', 'abc', ' 1', '1,000'])(
      'refuses %j',
      text => {
        expect(problemOf({ type: 'integer' }, text)).toMatchObject({
          code: 'integer',
          column: 'v',
          value: text,
          message: `Column 'v' value '${text}' is not a whole number.`,
        });
      },
    );
  });

  describe('number', () => {
    it.each([
      ['1.5', 1.5],
      ['-0.25', -0.25],
      ['.5', 0.5],
      ['1e3', 1000],
      ['2E-2', 0.02],
      ['10', 10],
    ])('casts %s to %d', (text, value) => {
      expect(valueOf({ type: 'number' }, text)).toBe(value);
    });

    it.each(['1,5', 'NaN', 'Infinity', '1.2.3', 'abc', '0x10'])(
      'refuses %j',
      text => {
        expect(problemOf({ type: 'number' }, text).code).toBe('number');
      },
    );
  });

  describe('boolean', () => {
    it.each(['true', 'TRUE', 'yes', 'Y', '1', 't'])(
      'reads %s as true',
      text => {
        expect(valueOf({ type: 'boolean' }, text)).toBe(true);
      },
    );

    it.each(['false', 'No', 'n', '0', 'F'])('reads %s as false', text => {
      expect(valueOf({ type: 'boolean' }, text)).toBe(false);
    });

    it('refuses other words, saying which are allowed', () => {
      expect(problemOf({ type: 'boolean' }, 'maybe').message).toMatch(
        /true\/false, yes\/no or 1\/0/,
      );
    });
  });

  describe('date', () => {
    it.each([
      '2024-02-29',
      '2023-12-31',
      '2024-01-01T10:00',
      '2024-01-01 10:00:00',
      '2024-01-01T23:59:59.999Z',
      '2024-01-01T10:00:00+02:00',
    ])('accepts %s and keeps its text', text => {
      expect(valueOf({ type: 'date' }, text)).toBe(text);
    });

    it.each([
      '2024-02-30',
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
      '2024-01-01T25:00',
      '2024-01-01T10:60',
      '2024-01-01T10:00:61',
      '01/02/2024',
      '2024-1-2',
      'yesterday',
    ])('refuses %s', text => {
      expect(problemOf({ type: 'date' }, text)).toMatchObject({
        code: 'date',
        message: expect.stringContaining('YYYY-MM-DD'),
      });
    });
  });

  describe('enum', () => {
    const rule: ColumnRule = { type: 'enum', values: ['red', 'green'] };

    it('accepts a listed value', () => {
      expect(valueOf(rule, 'green')).toBe('green');
    });

    it('refuses another value, listing the allowed ones', () => {
      expect(problemOf(rule, 'Red')).toMatchObject({
        code: 'enum',
        message: "Column 'v' value 'Red' is not one of: red, green.",
      });
    });
  });

  describe('required', () => {
    it('refuses an empty required value', () => {
      expect(problemOf({ type: 'integer', required: true }, '')).toMatchObject({
        code: 'required',
        message: "Column 'v' is required but empty.",
      });
    });

    it('turns an empty optional typed value into null', () => {
      for (const type of ['integer', 'number', 'boolean', 'date'] as const) {
        expect(valueOf({ type }, '')).toBeNull();
      }
    });
  });

  describe('pattern', () => {
    it('accepts a value that matches', () => {
      expect(valueOf({ pattern: '^[A-Z]{2}\\d{3}$' }, 'AB123')).toBe('AB123');
    });

    it('refuses a value that does not, naming the pattern', () => {
      expect(problemOf({ pattern: '^[A-Z]{2}\\d{3}$' }, 'ab123')).toMatchObject(
        {
          code: 'pattern',
          message: "Column 'v' value 'ab123' does not match ^[A-Z]{2}\\d{3}$.",
        },
      );
    });

    it('checks the pattern before the type', () => {
      const rule: ColumnRule = { type: 'integer', pattern: '^\\d{5}$' };

      expect(valueOf(rule, '02134')).toBe(2134);
      expect(problemOf(rule, '2134').code).toBe('pattern');
    });
  });
});

describe('applyTransforms', () => {
  it('trims, lowercases and uppercases text', () => {
    expect(
      applyTransforms({ a: '  x  ', b: 'MiXeD', c: 'MiXeD' }, [
        { column: 'a', op: 'trim' },
        { column: 'b', op: 'lowercase' },
        { column: 'c', op: 'uppercase' },
      ]),
    ).toEqual({ a: 'x', b: 'mixed', c: 'MIXED' });
  });

  it('leaves values that are not text alone', () => {
    expect(
      applyTransforms({ n: 5, b: true, z: null }, [
        { column: 'n', op: 'trim' },
        { column: 'b', op: 'uppercase' },
        { column: 'z', op: 'lowercase' },
      ]),
    ).toEqual({ n: 5, b: true, z: null });
  });

  it('fills empty and null values with a default, and only those', () => {
    expect(
      applyTransforms({ a: '', b: null, c: 'kept' }, [
        { column: 'a', op: 'default', value: 'n/a' },
        { column: 'b', op: 'default', value: 'n/a' },
        { column: 'c', op: 'default', value: 'n/a' },
        { column: 'd', op: 'default', value: 'added' },
      ]),
    ).toEqual({ a: 'n/a', b: 'n/a', c: 'kept', d: 'added' });
  });

  it('renames a column in place, keeping the column order', () => {
    const result = applyTransforms({ a: '1', b: '2', c: '3' }, [
      { column: 'b', op: 'rename', to: 'beta' },
    ]);

    expect(Object.keys(result)).toEqual(['a', 'beta', 'c']);
    expect(result).toEqual({ a: '1', beta: '2', c: '3' });
  });

  it('drops a column', () => {
    expect(
      applyTransforms({ a: '1', secret: 'x' }, [
        { column: 'secret', op: 'drop' },
      ]),
    ).toEqual({ a: '1' });
  });

  it('applies transforms in order', () => {
    expect(
      applyTransforms({ name: '  Ada ' }, [
        { column: 'name', op: 'trim' },
        { column: 'name', op: 'rename', to: 'first' },
        { column: 'first', op: 'uppercase' },
      ]),
    ).toEqual({ first: 'ADA' });
  });
});

describe('checkTransforms', () => {
  it('accepts no transforms and valid ones', () => {
    expect(checkTransforms(undefined)).toEqual([]);
    const transforms = [
      { column: 'a', op: 'trim' },
      { column: 'a', op: 'rename', to: 'b' },
      { column: 'b', op: 'default', value: 'x' },
    ];
    expect(checkTransforms(transforms)).toEqual(transforms);
  });

  it.each([
    ['not an array', { column: 'a', op: 'trim' }, /must be an array/],
    ['an unknown op', [{ column: 'a', op: 'reverse' }], /\[0\].*one of trim/],
    ['no column', [{ op: 'trim' }], /options\.transforms\[0\] needs "column"/],
    [
      'a rename without "to"',
      [
        { column: 'a', op: 'trim' },
        { column: 'a', op: 'rename' },
      ],
      /options\.transforms\[1\] renames and needs "to"/,
    ],
    [
      'a default without a text value',
      [{ column: 'a', op: 'default', value: 3 }],
      /options\.transforms\[0\] needs a text "value"/,
    ],
    ['a null entry', [null], /options\.transforms\[0\]/],
  ])('refuses %s', (_what, value, message) => {
    const error = thrown(() => checkTransforms(value));

    expect(error).toMatchObject({ kind: 'input', code: 'invalid_transforms' });
    expect(error.message).toMatch(message);
  });
});

describe('checkSchema', () => {
  it('accepts every column type', () => {
    expect(() =>
      checkSchema({
        columns: {
          a: { type: 'string', required: true },
          b: { type: 'integer' },
          c: { type: 'number' },
          d: { type: 'boolean' },
          e: { type: 'date' },
          f: { type: 'enum', values: ['x'] },
          g: { pattern: '^\\d+$' },
        },
      }),
    ).not.toThrow();
  });

  it.each([
    ['no columns', {}, /options\.schema must be an object with "columns"/],
    [
      'an unknown type',
      { columns: { a: { type: 'text' } } },
      /options\.schema\.columns\.a\.type is 'text'; allowed: string, integer/,
    ],
    [
      'an enum without values',
      { columns: { a: { type: 'enum' } } },
      /options\.schema\.columns\.a is an enum and needs "values"/,
    ],
    [
      'a broken pattern',
      { columns: { a: { pattern: '([' } } },
      /options\.schema\.columns\.a\.pattern is not a valid regular expression/,
    ],
    [
      'a rule that is not an object',
      { columns: { a: null } },
      /options\.schema\.columns\.a must be an object/,
    ],
    [
      'a rule given as a bare type name',
      { columns: { a: 'integer' } },
      /options\.schema\.columns\.a must be an object .* got "integer"/,
    ],
  ])('refuses %s', (_what, schema, message) => {
    const error = thrown(() => checkSchema(schema as unknown as JobSchema));

    expect(error).toMatchObject({ kind: 'input', code: 'invalid_schema' });
    expect(error.message).toMatch(message);
  });
});

describe('checkHeader', () => {
  it('accepts distinct names', () => {
    expect(() => checkHeader(['id', 'Id', 'name'])).not.toThrow();
  });

  it('refuses a name given twice, naming it and both columns', () => {
    const error = thrown(() => checkHeader(['id', 'name', 'id']));

    expect(error).toMatchObject({ kind: 'input', code: 'duplicate_header' });
    expect(error.message).toMatch(/'id' twice \(columns 1 and 3\)/);
  });

  it.each([
    [['id', '', 'name'], 2],
    [['  ', 'id'], 1],
  ])('refuses an empty name in %j, naming its column', (columns, position) => {
    const error = thrown(() => checkHeader(columns));

    expect(error).toMatchObject({ kind: 'input', code: 'empty_header' });
    expect(error.message).toMatch(
      new RegExp(`Column ${position} of the header`),
    );
  });
});

describe('checkSchemaAgainstHeader', () => {
  it('refuses a file without a required column, listing the header', () => {
    const error = thrown(() =>
      checkSchemaAgainstHeader(
        { columns: { id: { required: true }, email: { required: true } } },
        ['id', 'name'],
      ),
    );

    expect(error).toMatchObject({ kind: 'input', code: 'missing_columns' });
    expect(error.message).toMatch(/no column 'email'.*header has: id, name/);
  });

  it('accepts a missing optional column', () => {
    expect(() =>
      checkSchemaAgainstHeader({ columns: { note: { type: 'string' } } }, [
        'id',
      ]),
    ).not.toThrow();
  });

  it('refuses columns a strict schema does not name', () => {
    const error = thrown(() =>
      checkSchemaAgainstHeader({ strict: true, columns: { id: {} } }, [
        'id',
        'extra',
      ]),
    );

    expect(error).toMatchObject({ code: 'unexpected_columns' });
    expect(error.message).toMatch(/extra/);
  });
});
