import { stringify } from 'csv-stringify/sync';
import type { CellValue } from '../Dataset';
import { neutraliseFormula } from '../neutralise';
import { presentText } from '../values';
import type { FormatWriter, WriterContext } from './FormatWriter';
import { writeChunk } from './output';

const BOM = '\uFEFF';

/**
 * RFC 4180: CRLF between records, fields with a comma, quote or line
 * break quoted, quotes doubled; UTF-8, with a BOM when asked for.
 */
export function createCsvWriter({ plan, out }: WriterContext): FormatWriter {
  const { columns, timezone, neutraliseFormulas } = plan;
  const options = { record_delimiter: '\r\n', eof: true } as const;
  let started = false;

  const cell = (value: CellValue, i: number): string => {
    const { text, fromData } = presentText(value, columns[i], timezone, 'iso');
    return fromData && neutraliseFormulas ? neutraliseFormula(text) : text;
  };

  const start = async () => {
    started = true;
    const header = stringify(
      [
        columns.map(c =>
          neutraliseFormulas ? neutraliseFormula(c.header) : c.header,
        ),
      ],
      options,
    );
    await writeChunk(out, (plan.bom ? BOM : '') + header);
  };

  return {
    async writeRows(rows) {
      if (!started) {
        await start();
      }
      await writeChunk(
        out,
        stringify(
          rows.map(row => row.map(cell)),
          options,
        ),
      );
    },
    async finish() {
      if (!started) {
        await start();
      }
    },
  };
}
