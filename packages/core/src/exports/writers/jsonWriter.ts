import type { CellValue } from '../Dataset';
import { presentJson } from '../values';
import type { FormatWriter, WriterContext } from './FormatWriter';
import { writeChunk } from './output';

function rowObject(
  row: CellValue[],
  { plan }: WriterContext,
): Record<string, CellValue> {
  const object: Record<string, CellValue> = {};
  plan.columns.forEach((column, i) => {
    object[column.header] = presentJson(row[i], column, plan.timezone);
  });
  return object;
}

/** One JSON array of objects keyed by header, written as rows arrive. */
export function createJsonWriter(context: WriterContext): FormatWriter {
  let first = true;
  return {
    async writeRows(rows) {
      let text = '';
      for (const row of rows) {
        text += `${first ? '[\n' : ',\n'}${JSON.stringify(
          rowObject(row, context),
        )}`;
        first = false;
      }
      await writeChunk(context.out, text);
    },
    async finish() {
      await writeChunk(context.out, first ? '[]\n' : '\n]\n');
    },
  };
}

/** One JSON object per line: the format for large exports. */
export function createNdjsonWriter(context: WriterContext): FormatWriter {
  return {
    async writeRows(rows) {
      let text = '';
      for (const row of rows) {
        text += `${JSON.stringify(rowObject(row, context))}\n`;
      }
      await writeChunk(context.out, text);
    },
    async finish() {},
  };
}
