import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  readRecords,
  type SourceOptions,
  type SourceRecord,
} from './csvSource';
import { PipelineError } from './PipelineError';

const SPECTRUM = path.dirname(require.resolve('csv-spectrum/package.json'));

/** The file in chunks of `chunkSize` bytes, from a byte offset on. */
function streamOf(file: Buffer, start = 0, chunkSize = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let i = start; i < file.length; i += chunkSize) {
    chunks.push(file.subarray(i, Math.min(file.length, i + chunkSize)));
  }
  return Readable.from(chunks);
}

async function read(
  file: Buffer | string,
  options: Partial<SourceOptions> & { chunkSize?: number } = {},
): Promise<SourceRecord[]> {
  const bytes = typeof file === 'string' ? Buffer.from(file) : file;
  const { chunkSize, ...rest } = options;
  const sourceOptions: SourceOptions = {
    startOffset: 0,
    rowsBefore: 0,
    maxRecordBytes: 1024 * 1024,
    ...rest,
  };
  const records: SourceRecord[] = [];
  for await (const record of readRecords(
    streamOf(bytes, sourceOptions.startOffset, chunkSize),
    sourceOptions,
  )) {
    records.push(record);
  }
  return records;
}

async function failure(
  file: Buffer | string,
  options: Partial<SourceOptions> = {},
): Promise<PipelineError> {
  try {
    await read(file, options);
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError);
    return error as PipelineError;
  }
  throw new Error('expected the file to fail');
}

const values = (records: SourceRecord[]) => records.map(r => r.values);

describe('readRecords', () => {
  it('reads the header as row 0 and data rows from 1', async () => {
    const records = await read('a,b\n1,2\n3,4\n');

    expect(records.map(r => [r.row, r.values, r.line])).toEqual([
      [0, ['a', 'b'], 1],
      [1, ['1', '2'], 2],
      [2, ['3', '4'], 3],
    ]);
  });

  it('keeps values as text', async () => {
    const records = await read('zip,id\n02134,10000000000000000001\n');

    expect(records[1].values).toEqual(['02134', '10000000000000000001']);
  });

  describe('byte offsets', () => {
    const file = Buffer.from(
      'id,name,note\n' +
        '1,Ada,"plain"\r\n' +
        '2,"Grace, Hopper","said ""hi"""\n' +
        '3,Zoë,"two\nlines"\n' +
        '\n' +
        '4,Émile,ünïcödé\r' +
        '5,Last,no newline at the end',
    );

    it('ends each record where the next one starts', async () => {
      const records = await read(file);

      expect(records).toHaveLength(6);
      expect(records[records.length - 1].endOffset).toBe(file.length);
      for (let i = 1; i < records.length; i++) {
        const slice = file
          .subarray(records[i - 1].endOffset, records[i].endOffset)
          .toString();
        // Skipped empty lines lead the slice; a line break ends it.
        const text = slice.replace(/^\n+/, '').replace(/(\r\n|\n|\r)$/, '');
        expect(records[i].raw.replace(/(\r\n|\n|\r)$/, '')).toBe(text);
      }
    });

    it('resumes at any record end with exactly the records after it', async () => {
      const all = await read(file);

      for (let k = 0; k < all.length; k++) {
        const resumed = await read(file, {
          startOffset: all[k].endOffset,
          rowsBefore: all[k].row,
        });

        expect(resumed.map(r => [r.row, r.values, r.endOffset])).toEqual(
          all.slice(k + 1).map(r => [r.row, r.values, r.endOffset]),
        );
      }
    });

    it('does not know line numbers when resuming mid-file', async () => {
      const all = await read(file);
      const resumed = await read(file, {
        startOffset: all[2].endOffset,
        rowsBefore: 2,
      });

      expect(resumed[0].line).toBeUndefined();
    });

    it('gives the same records and offsets however the stream is chunked', async () => {
      const whole = await read(file);

      for (const chunkSize of [1, 2, 3, 7]) {
        const chunked = await read(file, { chunkSize });
        expect(chunked.map(r => [r.values, r.endOffset])).toEqual(
          whole.map(r => [r.values, r.endOffset]),
        );
      }
    });

    it('resumes exactly with a UTF-8 BOM at the start of the file', async () => {
      const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file]);
      const all = await read(bom);

      expect(all[0].values).toEqual(['id', 'name', 'note']);
      expect(all[all.length - 1].endOffset).toBe(bom.length);
      const resumed = await read(bom, {
        startOffset: all[1].endOffset,
        rowsBefore: 1,
      });
      expect(values(resumed)).toEqual(values(all.slice(2)));
    });
  });

  describe('the byte order mark', () => {
    it('does not stick to the first header name', async () => {
      const records = await read(
        Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from('id,b\n1,2\n'),
        ]),
      );

      expect(records[0].values).toEqual(['id', 'b']);
      expect(records[0].values[0]).toHaveLength(2);
    });

    it('is stripped when it arrives split across chunks', async () => {
      const file = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('id,b\n1,2\n'),
      ]);

      const records = await read(file, { chunkSize: 1 });

      expect(records[0].values).toEqual(['id', 'b']);
    });
  });

  describe('line endings', () => {
    it.each([
      ['LF', 'a,b\n1,2\n3,4\n'],
      ['CRLF', 'a,b\r\n1,2\r\n3,4\r\n'],
      ['CR', 'a,b\r1,2\r3,4\r'],
      ['mixed', 'a,b\r\n1,2\n3,4\r'],
      ['no final newline', 'a,b\n1,2\n3,4'],
    ])(
      'reads %s endings without stray carriage returns',
      async (_what, csv) => {
        const records = await read(csv);

        expect(values(records)).toEqual([
          ['a', 'b'],
          ['1', '2'],
          ['3', '4'],
        ]);
      },
    );

    it('skips empty lines without counting them as rows', async () => {
      const records = await read('a,b\n\n1,2\r\n\r\n\n3,4\n\n');

      expect(records.map(r => [r.row, r.values])).toEqual([
        [0, ['a', 'b']],
        [1, ['1', '2']],
        [2, ['3', '4']],
      ]);
    });

    it('keeps line breaks inside quotes as the file has them', async () => {
      const records = await read('a,b\r\n"x\r\ny","p\nq"\r\n');

      expect(records[1].values).toEqual(['x\r\ny', 'p\nq']);
    });
  });

  describe('csv-spectrum', () => {
    const names = fs
      .readdirSync(path.join(SPECTRUM, 'csvs'))
      .map(name => path.basename(name, '.csv'));

    it('has its fixtures installed', () => {
      expect(names).toEqual(
        expect.arrayContaining([
          'comma_in_quotes',
          'escaped_quotes',
          'newlines',
          'newlines_crlf',
          'quotes_and_newlines',
          'utf8',
        ]),
      );
    });

    it.each(names)('reads %s as its json says', async name => {
      const csv = fs.readFileSync(path.join(SPECTRUM, 'csvs', `${name}.csv`));
      const expected = JSON.parse(
        fs.readFileSync(path.join(SPECTRUM, 'json', `${name}.json`), 'utf8'),
      );
      const [header, ...rows] = await read(csv);
      const objects = rows.map(r =>
        Object.fromEntries(header.values.map((h, i) => [h, r.values[i]])),
      );

      const wanted: Record<string, string>[] = Array.isArray(expected)
        ? expected
        : [expected];
      if (name === 'location_coordinates') {
        // The fixture's json gives another phone number than its csv.
        wanted[0]['Contact Phone Number'] = '2095257564';
      }
      expect(objects).toEqual(wanted);
    });
  });

  it('reads quoted commas, doubled quotes and line breaks exactly', async () => {
    const records = await read(
      'a,b,c\n"1, 2","say ""hi""","line one\nline two"\n"","""",x\n',
    );

    expect(values(records.slice(1))).toEqual([
      ['1, 2', 'say "hi"', 'line one\nline two'],
      ['', '"', 'x'],
    ]);
  });

  it('reads another delimiter', async () => {
    const records = await read('a;b\n"1;2";3\n', { delimiter: ';' });

    expect(values(records)).toEqual([
      ['a', 'b'],
      ['1;2', '3'],
    ]);
  });

  it('returns rows with too few or too many fields for validation to judge', async () => {
    const records = await read('a,b\n1\n1,2,3\n');

    expect(values(records.slice(1))).toEqual([['1'], ['1', '2', '3']]);
  });

  it('decodes latin1 files, offsets counting bytes', async () => {
    const file = Buffer.from('name,city\nJosé,Zürich\nRené,Genève\n', 'latin1');
    const records = await read(file, { encoding: 'latin1' });

    expect(values(records)).toEqual([
      ['name', 'city'],
      ['José', 'Zürich'],
      ['René', 'Genève'],
    ]);
    expect(records[1].endOffset).toBe('name,city\nJosé,Zürich\n'.length);
    const resumed = await read(file, {
      encoding: 'latin1',
      startOffset: records[1].endOffset,
      rowsBefore: 1,
    });
    expect(values(resumed)).toEqual([['René', 'Genève']]);
  });

  it('reads the letters Windows-1252 puts in 0x80-0x9F of a latin1 file', async () => {
    const file = Buffer.from([
      ...Buffer.from('id,price,quote\n1,5'),
      0x80,
      0x2c, // ,
      0x93,
      ...Buffer.from('hi'),
      0x94,
      0x96,
      0x81,
      0x0a,
    ]);
    const records = await read(file, { encoding: 'latin1' });

    expect(values(records)).toEqual([
      ['id', 'price', 'quote'],
      ['1', '5€', '\u201chi\u201d\u2013\u0081'],
    ]);
    expect(records[1].raw).toBe('1,5€,\u201chi\u201d\u2013\u0081\n');
    // Offsets still count the file's bytes.
    expect(records[1].endOffset).toBe(file.length);
  });

  it('shows latin1 bytes read as UTF-8 as replacement characters', async () => {
    const file = Buffer.from('name\nJosé\n', 'latin1');
    const records = await read(file);

    expect(records[1].values[0]).toContain('\uFFFD');
  });

  describe('malformed files', () => {
    it('fails an unclosed quote as data_quality naming the row and line', async () => {
      const error = await failure('a,b\n1,2\n3,"never closed\n5,6\n');

      expect(error.type).toBe('data_quality');
      expect(error.evidence).toMatchObject({
        code: 'CSV_QUOTE_NOT_CLOSED',
        rows: [2],
      });
      expect(error.message).toMatch(/data row 2 \(line \d+ of the file\)/);
      expect(error.message).toMatch(/quoted field is never closed/);
    });

    it('fails a record larger than maxRecordBytes naming the row and the setting', async () => {
      const csv = `a,b\n1,2\n3,${'x'.repeat(5000)}\n5,6\n`;
      const error = await failure(csv, { maxRecordBytes: 1000 });

      expect(error.type).toBe('data_quality');
      expect(error.evidence).toMatchObject({
        code: 'CSV_MAX_RECORD_SIZE',
        rows: [2],
        setting: 'recovery.pipeline.maxRecordBytes',
      });
      expect(error.message).toMatch(/data row 2/);
      expect(error.message).toMatch(
        /larger than recovery\.pipeline\.maxRecordBytes, 1000 bytes; check for an unclosed quote/,
      );
    });

    it('names a limit of whole mebibytes as people set it', async () => {
      const csv = `a\n${'x'.repeat(2 * 1024 * 1024 + 10)}\n`;
      const error = await failure(csv, { maxRecordBytes: 2 * 1024 * 1024 });

      expect(error.message).toMatch(/maxRecordBytes, 2 MiB \(2097152 bytes\);/);
    });

    it('names the bad row even when the reader lags behind the parser', async () => {
      const lines = ['a,b'];
      for (let i = 1; i <= 1000; i++) {
        lines.push(i === 900 ? `${i},"open` : `${i},x`);
      }
      const file = Buffer.from(`${lines.join('\n')}\n`);
      let error: PipelineError | undefined;
      let lastRow = 0;
      try {
        for await (const record of readRecords(streamOf(file, 0, 4096), {
          startOffset: 0,
          rowsBefore: 0,
          maxRecordBytes: 100_000,
        })) {
          lastRow = record.row;
          // A sink loading a batch: the parser reads ahead meanwhile.
          if (record.row % 100 === 0) {
            await new Promise(resolve => setTimeout(resolve, 5));
          }
        }
      } catch (caught) {
        error = caught as PipelineError;
      }

      expect(lastRow).toBeLessThanOrEqual(899);
      expect(error?.evidence.rows).toEqual([900]);
      expect(error?.message).toMatch(/data row 900 /);
    });

    it('names the row counted from the checkpoint when resuming', async () => {
      const csv = 'a,b\n1,2\n3,4\n5,"open\n';
      const all = csv.indexOf('5,');
      const error = await failure(csv, { startOffset: all, rowsBefore: 2 });

      expect(error.evidence.rows).toEqual([3]);
      expect(error.message).toMatch(/data row 3:/);
    });

    it('stops a runaway quote at maxRecordBytes instead of reading on', async () => {
      const csv = `a,b\n1,"${'y,\n'.repeat(2000)}`;
      const error = await failure(csv, { maxRecordBytes: 512 });

      expect(error.evidence.code).toBe('CSV_MAX_RECORD_SIZE');
    });
  });

  it('passes on an error of the stream itself', async () => {
    const broken = new Readable({
      read() {
        this.destroy(Object.assign(new Error('disk gone'), { code: 'EIO' }));
      },
    });

    const iterate = async () => {
      for await (const _record of readRecords(broken, {
        startOffset: 0,
        rowsBefore: 0,
        maxRecordBytes: 1000,
      })) {
        // nothing to read
      }
    };

    await expect(iterate()).rejects.toMatchObject({ code: 'EIO' });
  });
});
