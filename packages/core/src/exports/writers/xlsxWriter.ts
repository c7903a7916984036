import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import type { CellValue } from '../Dataset';
import { neutraliseFormula } from '../neutralise';
import { asNumber, presentText, wallDate, type OutputColumn } from '../values';
import { displayWidth } from './displayWidth';
import { describeExport } from './describeExport';
import type {
  ExportSummary,
  FormatWriter,
  WriterContext,
} from './FormatWriter';
import { drained } from './output';

/** Rows whose text sets the column widths before the first row is written. */
const SAMPLE_ROWS = 200;
/** Excel refuses longer cells when opening the file. */
export const EXCEL_MAX_CELL = 32767;

type XlsxCell = { value: ExcelJS.CellValue; numFmt?: string };

/**
 * Excel through exceljs's streaming writer: rows go to the file as they
 * come. Dates are real dates showing the wall clock of the export's
 * time zone, numbers are numbers, ids and other text are text.
 */
export function createXlsxWriter(context: WriterContext): FormatWriter {
  const { plan, out } = context;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Rebound';
  workbook.created = new Date(context.createdAt);
  const sheet = workbook.addWorksheet(sheetName(plan.dataset.title), {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  let sample: CellValue[][] | undefined = [];
  let cut = 0;

  const cellOf = (value: CellValue, column: OutputColumn): XlsxCell => {
    const cell = toXlsxCell(
      value,
      column,
      plan.timezone,
      plan.neutraliseFormulas,
    );
    if (typeof cell.value === 'string' && cell.value.length > EXCEL_MAX_CELL) {
      cut += 1;
      cell.value = `${cell.value.slice(0, EXCEL_MAX_CELL - 1)}…`;
    }
    return cell;
  };

  const addRow = (values: XlsxCell[]) => {
    const row = sheet.addRow(values.map(v => v.value));
    values.forEach((v, i) => {
      if (v.numFmt) {
        row.getCell(i + 1).numFmt = v.numFmt;
      }
    });
    row.commit();
  };

  const startSheet = () => {
    const rows = sample ?? [];
    sample = undefined;
    sheet.columns = plan.columns.map((column, i) => ({
      key: column.column.name,
      width: columnWidth(
        column,
        rows.map(r => r[i]),
        plan.timezone,
      ),
    }));
    const header = sheet.addRow(plan.columns.map(c => c.header));
    header.font = { bold: true };
    header.commit();
    sheet.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: 1, column: plan.columns.length },
    };
    for (const row of rows) {
      addRow(row.map((v, i) => cellOf(v, plan.columns[i])));
    }
  };

  return {
    async writeRows(rows) {
      if (sample) {
        sample.push(...rows);
        if (sample.length < SAMPLE_ROWS) {
          return;
        }
        startSheet();
      } else {
        for (const row of rows) {
          addRow(row.map((v, i) => cellOf(v, plan.columns[i])));
        }
      }
      await zipCaughtUp(sheet);
      await drained(out);
    },
    async finish(summary: ExportSummary) {
      if (sample) {
        startSheet();
      }
      sheet.commit();
      writeMetadata(workbook, context, summary, cut);
      await workbook.commit();
    },
  };
}

interface StreamState {
  length: number;
  highWaterMark: number;
}

interface SheetStream {
  pipes?: Writable[];
  buffers?: unknown[];
}

/**
 * exceljs hands sheet XML to its zip encoder without waiting for it, so
 * a fast producer would pile rows up in memory while deflate catches up.
 * This waits for the encoder's input to drain (or, before the zip has
 * taken the sheet on, for its buffer to stay small).
 */
async function zipCaughtUp(
  sheet: ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>,
) {
  const stream = (sheet as unknown as { _stream?: SheetStream })._stream;
  for (let wait = 0; stream && wait < 2000; wait++) {
    const encoder = stream.pipes?.[0];
    if (encoder) {
      // A readable-stream v3 PassThrough: it lacks writableNeedDrain.
      const state = (encoder as unknown as { _writableState?: StreamState })
        ._writableState;
      if (state && state.length > 4 * state.highWaterMark) {
        await drained(encoder, true);
      }
      return;
    }
    if ((stream.buffers?.length ?? 0) < 32) {
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

export function toXlsxCell(
  value: CellValue,
  column: OutputColumn,
  timeZone: string,
  neutralise: boolean,
): XlsxCell {
  if (value === null) {
    return { value: null };
  }
  const type = column.column.type;
  const format = column.format?.type;
  if (format === 'text') {
    const text = String(value);
    return { value: neutralise ? neutraliseFormula(text) : text };
  }
  if (type === 'datetime' && typeof value === 'string') {
    const dateOnly = format === 'date';
    const date = wallDate(value, timeZone, dateOnly);
    if (date) {
      return {
        value: date,
        numFmt: dateOnly ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss',
      };
    }
  }
  if (type === 'date' && typeof value === 'string') {
    const ms = Date.parse(`${value}T00:00:00Z`);
    if (!Number.isNaN(ms)) {
      return { value: new Date(ms), numFmt: 'yyyy-mm-dd' };
    }
  }
  if (format === 'number' || format === 'percentage') {
    const n = asNumber(value);
    if (n !== undefined) {
      const decimals = column.format?.decimals;
      const digits = decimals ? `.${'0'.repeat(decimals)}` : '';
      if (format === 'percentage') {
        return {
          value: n,
          numFmt: `0${decimals === undefined ? '.0' : digits}%`,
        };
      }
      return decimals === undefined
        ? { value: n }
        : { value: n, numFmt: `0${digits}` };
    }
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return { value };
  }
  return { value: neutralise ? neutraliseFormula(value) : value };
}

function columnWidth(
  column: OutputColumn,
  values: CellValue[],
  timeZone: string,
): number {
  // Room for the header and its filter button.
  let width = displayWidth(column.header) + 4;
  for (const value of values) {
    const { text } = presentText(value, column, timeZone, 'wall');
    const longest = text
      .split(/\r\n|\n|\r/)
      .reduce((max, line) => Math.max(max, displayWidth(line)), 0);
    width = Math.max(width, longest + 2);
  }
  return Math.min(Math.max(width, 8), 60);
}

function sheetName(title: string): string {
  return title.replace(/[\][:*?/\\]/g, ' ').slice(0, 31) || 'Data';
}

function writeMetadata(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  context: WriterContext,
  summary: ExportSummary,
  cut: number,
) {
  const sheet = workbook.addWorksheet('Metadata');
  sheet.columns = [
    { key: 'field', width: 28 },
    { key: 'value', width: 90 },
  ];
  const header = sheet.addRow(['Field', 'Value']);
  header.font = { bold: true };
  header.commit();
  const fields = describeExport(context.plan, summary);
  if (cut > 0) {
    fields.push([
      'Cells shortened',
      `${cut} cells were longer than Excel's ${EXCEL_MAX_CELL} characters and end with "…"`,
    ]);
  }
  for (const [field, value] of fields) {
    // Metadata holds request text (filters, names): never a formula.
    sheet.addRow([field, neutraliseFormula(value)]).commit();
  }
  sheet.commit();
}
