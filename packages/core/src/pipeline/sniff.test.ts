import { Readable } from 'node:stream';
import { isJsonPrefix, readHead, SNIFF_BYTES, whyNotCsv } from './sniff';

const whole = (text: string | Buffer) => ({
  bytes: Buffer.from(text),
  complete: true,
});

describe('whyNotCsv', () => {
  it.each([
    ['an array of objects', '[{"id":1,"name":"a"},{"id":2,"name":"b"}]'],
    ['an object, pretty-printed', '\n  {\n    "rows": [1, 2]\n  }\n'],
    ['an empty array', '[]'],
    ['JSON after a byte order mark', '\uFEFF{"id": 1}'],
  ])('refuses %s as JSON, naming the file', (_name, text) => {
    expect(whyNotCsv(whole(text), 'export.csv', undefined)).toBe(
      `The file 'export.csv' is JSON, not CSV: it starts with '${
        text.replace(/^\uFEFF/, '').trimStart()[0]
      }' and parses as JSON. Rebound imports CSV only: export the data as ` +
        'CSV (a header line naming the columns, then one line per row) and ' +
        'upload that file.',
    );
  });

  it('refuses JSON Lines', () => {
    expect(
      whyNotCsv(whole('{"id":1}\n{"id":2}\n'), 'rows.csv', undefined),
    ).toMatch(/^The file 'rows.csv' is JSON Lines, not CSV/);
  });

  it('refuses a large JSON file by its first bytes', () => {
    const records = Array.from(
      { length: 5000 },
      (_, i) => `{"id": ${i}, "name": "row \\"${i}\\"", "ok": true}`,
    );
    const text = `[${records.join(',\n')}]`;
    expect(text.length).toBeGreaterThan(SNIFF_BYTES);
    const head = {
      bytes: Buffer.from(text).subarray(0, SNIFF_BYTES),
      complete: false,
    };

    expect(whyNotCsv(head, 'big.csv', undefined)).toMatch(
      /^The file 'big.csv' is JSON, not CSV: it starts with '\[' and its first 64 KiB read as JSON\./,
    );
  });

  it('refuses binary content with NUL bytes, naming the file', () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);

    expect(whyNotCsv(whole(zip), 'book.xlsx', undefined)).toMatch(
      /^The file 'book.xlsx' holds NUL bytes, so it is not a CSV text file/,
    );
  });

  it.each([
    ['a header', 'id,name\n1,a\n'],
    ['bracketed column names', '[id],[name]\n1,a\n'],
    ['a brace in the first field', '{x},y\n1,2\n'],
    ['JSON-looking first line with CSV after it', '[1,2]\n3,4\n'],
    ['a JSON object in a quoted field', '"{""a"":1}",b\n1,2\n'],
  ])('lets a file with %s through', (_name, text) => {
    expect(whyNotCsv(whole(text), 'data.csv', undefined)).toBeUndefined();
  });

  it('lets UTF-16 through when its encoding is given', () => {
    const utf16 = Buffer.from('a,b\n1,2\n', 'utf16le');

    expect(whyNotCsv(whole(utf16), 'u.csv', 'utf-16le')).toBeUndefined();
  });
});

describe('isJsonPrefix', () => {
  it.each([
    '[{"a": 1, "b": [true, false, null], "c": -2.5e3}, {"d": "x\\"',
    '{"a": {"b": [1, 2',
    '[1, 2, 3',
    '{"k": tr',
    '{"a": 1}\n{"a": 2}\n{"a":',
  ])('takes %j as the start of JSON', text => {
    expect(isJsonPrefix(text)).toBe(true);
  });

  it.each([
    '[id],[name]\n1,2',
    '{name},x',
    '[1, 2]\n3,4\n5,6',
    '{"a" 1}',
    '["a\nb"]',
    '[1,,2]',
  ])('refuses %j', text => {
    expect(isJsonPrefix(text)).toBe(false);
  });
});

describe('readHead', () => {
  it('reads the first bytes and tells whether that was all', async () => {
    const small = await readHead(Readable.from([Buffer.from('a,b\n')]));
    expect(small).toEqual({ bytes: Buffer.from('a,b\n'), complete: true });

    const chunk = Buffer.alloc(SNIFF_BYTES / 2, 'x');
    const big = await readHead(Readable.from([chunk, chunk, chunk]));
    expect(big.bytes.length).toBe(SNIFF_BYTES);
    expect(big.complete).toBe(false);
  });
});
