import PDFDocument from 'pdfkit';
import type { CellValue } from '../Dataset';
import { presentText } from '../values';
import { describeExport } from './describeExport';
import { fontChains, type FontFace } from './fonts';
import type {
  ExportSummary,
  FormatWriter,
  WriterContext,
} from './FormatWriter';
import { drained } from './output';
import { layoutText, naturalWidth, type TextLine } from './textLayout';

const MARGIN = 36;
const FOOTER = 18;
const SIZE = 8;
const LINE = SIZE * 1.3;
const PAD = 3;
const SAMPLE_ROWS = 200;
/** A column never gets narrower than this, nor (unasked) wider. */
const MIN_COLUMN = 40;
const MAX_NATURAL = 220;
/** A word wider than this may break: a long id or path, not a word. */
const MAX_WORD = 90;
const A4 = { width: 595.28, height: 841.89 };

interface Layout {
  landscape: boolean;
  widths: number[];
}

/**
 * PDF through pdfkit: a title and the export's metadata, then a table
 * whose header repeats on every page, cells wrapped to their column and
 * split across pages when taller than one, and "Page X of Y" footers.
 */
export function createPdfWriter(context: WriterContext): FormatWriter {
  const { plan, out } = context;
  const chains = fontChains();
  let sample: CellValue[][] | undefined = [];
  let doc: PDFKit.PDFDocument | undefined;
  let layout: Layout | undefined;
  let y = 0;

  const text = (value: CellValue, i: number) =>
    presentText(value, plan.columns[i], plan.timezone, 'wall').text;

  const bottom = () => doc!.page.height - MARGIN - FOOTER;

  const drawLine = (line: TextLine, x: number, top: number) => {
    let at = x;
    for (const run of line.runs) {
      doc!
        .font(run.face.name)
        .fontSize(SIZE)
        .text(run.text, at, top, { lineBreak: false });
      at += run.width;
    }
  };

  const drawHeader = () => {
    const cells = plan.columns.map((c, i) =>
      layoutText(c.header, chains.bold, SIZE, layout!.widths[i] - 2 * PAD),
    );
    const height = Math.max(...cells.map(c => c.length)) * LINE + 2 * PAD;
    const width = layout!.widths.reduce((a, b) => a + b, 0);
    doc!.rect(MARGIN, y, width, height).fill('#e8ecf2').fillColor('#000');
    let x = MARGIN;
    cells.forEach((lines, i) => {
      lines.forEach((line, n) => drawLine(line, x + PAD, y + PAD + n * LINE));
      x += layout!.widths[i];
    });
    y += height;
    doc!
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + width, y)
      .lineWidth(0.5)
      .stroke('#8a94a6');
  };

  const newPage = () => {
    doc!.addPage();
    y = MARGIN;
    drawHeader();
  };

  const drawRow = (row: CellValue[]) => {
    const cells = row.map((value, i) =>
      layoutText(
        text(value, i),
        chains.regular,
        SIZE,
        layout!.widths[i] - 2 * PAD,
      ),
    );
    let done = 0;
    const total = Math.max(1, ...cells.map(c => c.length));
    // A row taller than the room left goes on in the next page.
    while (done < total) {
      let room = Math.floor((bottom() - y - 2 * PAD) / LINE);
      if (
        room < 1 ||
        (done === 0 && room < total && total * LINE < bottom() - MARGIN - 40)
      ) {
        newPage();
        room = Math.floor((bottom() - y - 2 * PAD) / LINE);
      }
      const take = Math.min(room, total - done);
      let x = MARGIN;
      cells.forEach((lines, i) => {
        lines
          .slice(done, done + take)
          .forEach((line, n) => drawLine(line, x + PAD, y + PAD + n * LINE));
        x += layout!.widths[i];
      });
      done += take;
      y += take * LINE + 2 * PAD;
      doc!
        .moveTo(MARGIN, y)
        .lineTo(MARGIN + layout!.widths.reduce((a, b) => a + b, 0), y)
        .lineWidth(0.25)
        .stroke('#c8cdd6');
    }
  };

  const start = () => {
    const rows = sample ?? [];
    sample = undefined;
    layout = planLayout(context, rows, chains.regular, chains.bold);
    doc = new PDFDocument({
      size: 'A4',
      layout: layout.landscape ? 'landscape' : 'portrait',
      margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
      bufferPages: true,
      info: {
        Title: plan.title,
        Creator: 'Rebound',
        CreationDate: new Date(context.createdAt),
      },
    });
    for (const face of [...chains.regular, ...chains.bold]) {
      doc.registerFont(face.name, face.file);
    }
    doc.pipe(out);
    y = MARGIN;
    drawTitle();
    drawHeader();
    for (const row of rows) {
      drawRow(row);
    }
  };

  const drawTitle = () => {
    const width = doc!.page.width - 2 * MARGIN;
    for (const line of layoutText(plan.title, chains.bold, 16, width)) {
      let x = MARGIN;
      for (const run of line.runs) {
        doc!
          .font(run.face.name)
          .fontSize(16)
          .text(run.text, x, y, { lineBreak: false });
        x += (run.width * 16) / 16;
      }
      y += 20;
    }
    // The row count and digest are known only at the end; they go in
    // the space kept here, once the pages are complete.
    metadataTop = y;
    y += metadataLines() * LINE + 10;
  };

  let metadataTop = 0;
  // Each field wraps over up to this many lines; a longer one (a filter
  // of a thousand values) is shortened here, whole in the export record.
  const MAX_FIELD_LINES = 4;
  const fieldLines = (summary: ExportSummary): TextLine[][] => {
    const width = doc!.page.width - 2 * MARGIN;
    return describeExport(plan, summary).map(([field, value]) =>
      layoutText(`${field}: ${value}`, chains.regular, SIZE, width).slice(
        0,
        MAX_FIELD_LINES,
      ),
    );
  };
  // The summary is known only at the end; its own fields never wrap, so
  // the space the widest one takes is enough for the real one.
  const metadataLines = () =>
    fieldLines(widestSummary).reduce((n, lines) => n + lines.length, 0);

  const drawMetadata = (summary: ExportSummary) => {
    doc!.switchToPage(0);
    let top = metadataTop;
    for (const lines of fieldLines(summary)) {
      for (const line of lines) {
        drawLine(line, MARGIN, top);
        top += LINE;
      }
    }
  };

  const drawPageNumbers = () => {
    const range = doc!.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc!.switchToPage(i);
      const label = `Page ${i + 1} of ${range.count}`;
      const [line] = layoutText(label, chains.regular, SIZE, Infinity);
      const x = doc!.page.width - MARGIN - line.width;
      drawLine(line, x, doc!.page.height - MARGIN - SIZE);
    }
  };

  return {
    async writeRows(rows) {
      if (sample) {
        sample.push(...rows);
        if (sample.length < SAMPLE_ROWS) {
          return;
        }
        start();
      } else {
        rows.forEach(drawRow);
      }
      await drained(out);
    },
    async finish(summary) {
      if (sample) {
        start();
      }
      drawMetadata(summary);
      drawPageNumbers();
      const ended = new Promise<void>((resolve, reject) => {
        doc!.once('end', resolve);
        doc!.once('error', reject);
      });
      doc!.end();
      await ended;
    },
  };
}

// As wide as a real summary can be, so the space kept for it suffices.
const widestSummary: ExportSummary = {
  rowCount: 999_999_999,
  rowsSha256: 'f'.repeat(64),
  createdAt: new Date(0).toISOString(),
};

/**
 * The widest word of a text, leaving out those wider than MAX_WORD: an
 * id, a path or a raw record breaks wherever it must.
 */
function longestWord(text: string, faces: FontFace[]): number {
  let widest = 0;
  for (const word of text.split(/\s+/)) {
    const width = word === '' ? 0 : naturalWidth(word, faces, SIZE);
    if (width <= MAX_WORD) {
      widest = Math.max(widest, width);
    }
  }
  return widest;
}

/**
 * Column widths from the header and the first rows; landscape when the
 * natural widths do not fit a portrait page (unless the request says),
 * then columns shrink in proportion to what they would take.
 */
function planLayout(
  context: WriterContext,
  rows: CellValue[][],
  regular: FontFace[],
  bold: FontFace[],
): Layout {
  const { plan } = context;
  const cellWidth = (width: number) => width + 2 * PAD + 1;
  const natural: number[] = [];
  // The widest word of each column: below it, words break mid-word.
  const floor: number[] = [];
  plan.columns.forEach((column, i) => {
    let width = naturalWidth(column.header, bold, SIZE);
    let word = longestWord(column.header, bold);
    for (const row of rows) {
      const { text } = presentText(row[i], column, plan.timezone, 'wall');
      width = Math.max(width, naturalWidth(text, regular, SIZE));
      word = Math.max(word, longestWord(text, regular));
      if (width >= MAX_NATURAL && word >= MAX_WORD) {
        break;
      }
    }
    natural.push(Math.min(Math.max(cellWidth(width), MIN_COLUMN), MAX_NATURAL));
    floor.push(Math.min(Math.max(cellWidth(word), MIN_COLUMN), natural[i]));
  });
  const total = natural.reduce((a, b) => a + b, 0);
  const portrait = A4.width - 2 * MARGIN;
  const landscapeWidth = A4.height - 2 * MARGIN;
  const landscape =
    plan.orientation === 'landscape' ||
    (plan.orientation === 'auto' && total > portrait);
  const room = landscape ? landscapeWidth : portrait;
  if (total <= room) {
    return { landscape, widths: natural };
  }
  // Shrink each column toward its widest word, in proportion to what it
  // has above it, when the words fit; else toward the minimum.
  const floorTotal = floor.reduce((a, b) => a + b, 0);
  const above = natural.map((w, i) => w - floor[i]);
  const aboveTotal = above.reduce((a, b) => a + b, 0);
  if (floorTotal <= room && aboveTotal > 0) {
    return {
      landscape,
      widths: above.map(
        (a, i) => floor[i] + (a / aboveTotal) * (room - floorTotal),
      ),
    };
  }
  const excess = natural.map(w => w - MIN_COLUMN);
  const spare = room - MIN_COLUMN * natural.length;
  const sumExcess = excess.reduce((a, b) => a + b, 0);
  if (spare <= 0 || sumExcess === 0) {
    return { landscape, widths: natural.map(() => room / natural.length) };
  }
  return {
    landscape,
    widths: excess.map(e => MIN_COLUMN + (e / sumExcess) * spare),
  };
}
