import PDFDocument from 'pdfkit';
import type { CellValue } from '../Dataset';
import { wallTimeInZone } from '../values';
import { describeExport } from './describeExport';
import { fontChains } from './fonts';
import type {
  ExportSummary,
  FormatWriter,
  WriterContext,
} from './FormatWriter';
import { createPdfWriter } from './pdfWriter';
import { layoutText, type TextLine } from './textLayout';

const MARGIN = 40;
const FOOTER = 18;
const SIZE = 9;
const SMALL = 7;
const COLORS = {
  bar: '#3b6fb6',
  axis: '#5b6473',
  grid: '#d9dde4',
  goal: '#b8860b',
  failures: '#c0392b',
  recoveries: '#2f6db5',
  successes: '#2e8b57',
  muted: '#5b6473',
};
/** The mission's bar for recovery of recoverable failures. */
const GOAL_RATE = 0.85;
const TOP_PATTERNS = 10;

/** The columns the report reads; without them the PDF is the plain table. */
const NEEDED = [
  'section',
  'key',
  'metric',
  'value',
  'count',
  'rate',
  'firstSeen',
  'lastSeen',
  'title',
  'detail',
] as const;

type Needed = (typeof NEEDED)[number];

interface ReportRow extends Record<Needed, CellValue> {
  from: CellValue;
  to: CellValue;
}

/**
 * The analytics dataset as a report: the period's summary, a bar chart
 * of recovery success by failure type, a line chart of failures and
 * recoveries per day, the top failure patterns and the recommendations
 * with their evidence, drawn with pdfkit's vector graphics. The report
 * shows the rows the export holds, so section filters narrow it.
 */
export function createAnalyticsPdfWriter(context: WriterContext): FormatWriter {
  const names = context.plan.columns.map(c => c.column.name);
  if (!NEEDED.every(name => names.includes(name))) {
    return createPdfWriter(context);
  }
  const rows: ReportRow[] = [];
  const field = (row: CellValue[], name: string) => {
    const i = names.indexOf(name);
    return i >= 0 ? row[i] : null;
  };
  return {
    async writeRows(page) {
      // A report's rows are few: its sections are bounded in length.
      for (const row of page) {
        const entry = { from: field(row, 'from'), to: field(row, 'to') };
        for (const name of NEEDED) {
          Object.assign(entry, { [name]: field(row, name) });
        }
        rows.push(entry as ReportRow);
      }
    },
    async finish(summary) {
      const doc = new ReportCanvas(context);
      drawReport(doc, context, rows, summary);
      await doc.end();
    },
  };
}

function drawReport(
  canvas: ReportCanvas,
  context: WriterContext,
  rows: ReportRow[],
  summary: ExportSummary,
) {
  const { plan } = context;
  const zone = plan.timezone;
  const section = (name: string) => rows.filter(r => r.section === name);

  canvas.text(plan.title, { size: 16, bold: true });
  const period = rows.find(r => r.from && r.to);
  if (period) {
    canvas.text(
      `Period: ${wall(period.from, zone)} to ${wall(
        period.to,
        zone,
      )} (${zone})`,
      { size: SIZE + 1 },
    );
  }
  for (const [name, value] of describeExport(plan, summary)) {
    canvas.text(`${name}: ${value}`, { size: SMALL, color: COLORS.muted });
  }
  canvas.gap(8);

  const totals = section('summary');
  const failures = number(totals.find(r => r.metric === 'failures')?.value);
  const attempts = totals.find(r => r.metric === 'successes');
  if (totals.length > 0 && failures === 0 && number(attempts?.count) === 0) {
    canvas.text(
      'No data: the period holds no failures and no recovery attempts, ' +
        'so there is nothing to chart or recommend.',
      { size: SIZE + 2, bold: true },
    );
    return;
  }
  if (rows.length === 0) {
    canvas.text('No data: no analytics rows match the filters of the export.', {
      size: SIZE + 2,
      bold: true,
    });
    return;
  }
  if (totals.length > 0) {
    drawSummary(canvas, totals);
  }
  drawRateBars(canvas, section('success_rate_by_failure_type'));
  drawOverTime(canvas, section('over_time'));
  drawPatterns(canvas, section('pattern'), zone);
  drawRecommendations(canvas, section('recommendation'));
}

function drawSummary(canvas: ReportCanvas, totals: ReportRow[]) {
  const of = (metric: string) => totals.find(r => r.metric === metric);
  const failures = of('failures');
  const all = of('successes');
  const recoverable = of('recoverable_successes');
  canvas.heading('Summary');
  if (failures) {
    canvas.text(`Failures: ${number(failures.value)}`);
  }
  for (const [label, row] of [
    ['Recovery attempts', all],
    ['Attempts on recoverable failures', recoverable],
  ] as const) {
    if (row) {
      canvas.text(
        `${label}: ${number(row.count)}, ${number(row.value)} succeeded` +
          ` (${percent(row.rate)})`,
      );
    }
  }
  canvas.gap(6);
}

/** Horizontal bars, one per failure type, on a 0-100 % axis. */
function drawRateBars(canvas: ReportCanvas, rates: ReportRow[]) {
  canvas.heading('Recovery success rate by failure type');
  if (rates.length === 0) {
    canvas.note('No data: no recovery attempt finished in this period.');
    return;
  }
  const doc = canvas.doc;
  const bar = 12;
  const step = 18;
  const labelWidth = 120;
  const x0 = MARGIN + labelWidth;
  const width = canvas.width - labelWidth - 90;
  const height = rates.length * step + 6;
  canvas.ensure(height + 30);
  const top = canvas.y;

  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const x = x0 + tick * width;
    canvas.line(x, top, x, top + height, 0.5, tick ? COLORS.grid : COLORS.axis);
    canvas.label(`${tick * 100}%`, x, top + height + 3, {
      align: 'center',
      size: SMALL,
    });
  }
  canvas.line(x0, top + height, x0 + width, top + height, 0.75, COLORS.axis);
  doc.dash(3, { space: 2 });
  const goal = x0 + GOAL_RATE * width;
  canvas.line(goal, top, goal, top + height, 0.75, COLORS.goal);
  doc.undash();

  rates.forEach((row, i) => {
    const y = top + 4 + i * step;
    const rate = row.rate === null ? null : Number(row.rate);
    canvas.label(String(row.key), x0 - 6, y + 2, { align: 'right' });
    if (rate !== null && rate > 0) {
      doc
        .fillColor(COLORS.bar)
        .rect(x0, y, rate * width, bar)
        .fill();
    }
    canvas.label(
      rate === null
        ? 'no attempts'
        : `${percent(rate)} (${number(row.value)} of ${number(row.count)})`,
      x0 + (rate ?? 0) * width + 4,
      y + 2,
      {},
    );
  });
  canvas.y = top + height + 16;
  canvas.note(`Dashed line: the ${GOAL_RATE * 100}% goal.`);
  canvas.gap(8);
}

/** One line per series over the days of the period, on a shared axis. */
function drawOverTime(canvas: ReportCanvas, rows: ReportRow[]) {
  canvas.heading('Recoveries and failures over time');
  const days = [...new Set(rows.map(r => String(r.key)))].sort();
  if (days.length === 0) {
    canvas.note('No data: the export holds no days of this period.');
    return;
  }
  const series = (['failures', 'recoveries', 'successes'] as const).map(
    metric => ({
      metric,
      values: days.map(day =>
        number(rows.find(r => r.key === day && r.metric === metric)?.value),
      ),
    }),
  );
  const doc = canvas.doc;
  const plotHeight = 150;
  canvas.ensure(plotHeight + 50);
  const top = canvas.y;
  const x0 = MARGIN + 30;
  const width = canvas.width - 40;
  const bottom = top + plotHeight;
  const max = niceMax(Math.max(1, ...series.flatMap(s => s.values)));
  const xOf = (i: number) =>
    days.length === 1 ? x0 + width / 2 : x0 + (i / (days.length - 1)) * width;
  const yOf = (v: number) => bottom - (v / max) * plotHeight;

  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    const color = i === 0 ? COLORS.axis : COLORS.grid;
    canvas.line(x0, yOf(value), x0 + width, yOf(value), 0.5, color);
    canvas.label(String(Math.round(value * 10) / 10), x0 - 4, yOf(value) - 3, {
      align: 'right',
      size: SMALL,
    });
  }
  canvas.line(x0, top, x0, bottom, 0.75, COLORS.axis);
  for (const i of tickDays(days.length)) {
    canvas.line(xOf(i), bottom, xOf(i), bottom + 3, 0.5, COLORS.axis);
    canvas.label(days[i], xOf(i), bottom + 5, { align: 'center', size: SMALL });
  }

  for (const { metric, values } of series) {
    const color = COLORS[metric];
    doc.lineWidth(1.25).strokeColor(color).lineJoin('round');
    values.forEach((v, i) =>
      i === 0 ? doc.moveTo(xOf(i), yOf(v)) : doc.lineTo(xOf(i), yOf(v)),
    );
    doc.stroke();
    doc.fillColor(color);
    values.forEach((v, i) => doc.rect(xOf(i) - 1.5, yOf(v) - 1.5, 3, 3));
    doc.fill();
  }

  let x = x0;
  const legendY = bottom + 18;
  for (const { metric } of series) {
    canvas.line(x, legendY + 4, x + 14, legendY + 4, 2, COLORS[metric]);
    x += 18 + canvas.label(metric, x + 18, legendY, {}) + 14;
  }
  canvas.y = legendY + 18;
}

function drawPatterns(canvas: ReportCanvas, rows: ReportRow[], zone: string) {
  canvas.heading('Top failure patterns');
  if (rows.length === 0) {
    canvas.note('No failure patterns in this period.');
    return;
  }
  const top = [...rows]
    .sort((a, b) => number(b.value) - number(a.value))
    .slice(0, TOP_PATTERNS);
  for (const row of top) {
    canvas.ensure(40);
    canvas.text(`${number(row.value)} × ${row.key}`, { bold: true });
    canvas.text(
      `first seen ${wall(row.firstSeen, zone)}, last seen ${wall(
        row.lastSeen,
        zone,
      )}; ${number(row.count)} jobs; ${row.detail ?? ''}`,
      { size: SMALL, color: COLORS.muted, indent: 10 },
    );
    canvas.gap(3);
  }
  canvas.gap(6);
}

/** Each recommendation: its title, advice, setting and evidence. */
function drawRecommendations(canvas: ReportCanvas, rows: ReportRow[]) {
  canvas.heading('Recommendations');
  const ids = [...new Set(rows.map(r => String(r.key)))];
  if (ids.length === 0) {
    canvas.note(
      'No recommendations: nothing in this period calls for a change.',
    );
    return;
  }
  for (const id of ids) {
    const mine = rows.filter(r => r.key === id);
    const advice = mine.find(
      r => r.metric !== 'setting' && !String(r.metric).startsWith('evidence.'),
    );
    const setting = mine.find(r => r.metric === 'setting');
    const evidence = mine.filter(r => String(r.metric).startsWith('evidence.'));
    canvas.ensure(60);
    canvas.text(String(advice?.title ?? id), { bold: true });
    if (advice?.detail) {
      canvas.text(String(advice.detail), { indent: 10 });
    }
    if (setting) {
      const suggested = setting.value ?? setting.detail;
      canvas.text(
        `Setting: ${setting.title}` +
          (suggested !== null ? ` → ${suggested}` : ''),
        { indent: 10 },
      );
    }
    if (evidence.length > 0) {
      canvas.text(
        `Evidence: ${evidence
          .map(
            e =>
              `${String(e.metric).slice('evidence.'.length)} ${
                e.value ?? e.detail
              }`,
          )
          .join('; ')}`,
        { indent: 10, size: SMALL, color: COLORS.muted },
      );
    }
    canvas.gap(5);
  }
}

interface TextOptions {
  size?: number;
  bold?: boolean;
  color?: string;
  indent?: number;
}

/** A pdfkit document with a cursor, wrapped text and page breaks. */
class ReportCanvas {
  readonly doc: PDFKit.PDFDocument;
  readonly width: number;
  y = MARGIN;
  private readonly chains = fontChains();

  constructor(context: WriterContext) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
      bufferPages: true,
      info: {
        Title: context.plan.title,
        Creator: 'Rebound',
        CreationDate: new Date(context.createdAt),
      },
    });
    for (const face of [...this.chains.regular, ...this.chains.bold]) {
      this.doc.registerFont(face.name, face.file);
    }
    this.doc.pipe(context.out);
    this.width = this.doc.page.width - 2 * MARGIN;
  }

  private get bottom() {
    return this.doc.page.height - MARGIN - FOOTER;
  }

  /** Starts a new page unless the height fits below the cursor. */
  ensure(height: number) {
    if (this.y + height > this.bottom) {
      this.doc.addPage();
      this.y = MARGIN;
    }
  }

  /** A straight stroke, width and colour set before the path. */
  line(x1: number, y1: number, x2: number, y2: number, w: number, c: string) {
    this.doc.lineWidth(w).strokeColor(c).moveTo(x1, y1).lineTo(x2, y2).stroke();
  }

  gap(points: number) {
    this.y += points;
  }

  heading(text: string) {
    this.ensure(60);
    this.text(text, { size: 12, bold: true });
    this.gap(4);
  }

  note(text: string) {
    this.text(text, { color: COLORS.muted });
    this.gap(8);
  }

  /** Wrapped text at the cursor, moving it down. */
  text(text: string, options: TextOptions = {}) {
    const size = options.size ?? SIZE;
    const indent = options.indent ?? 0;
    const chain = options.bold ? this.chains.bold : this.chains.regular;
    for (const line of layoutText(text, chain, size, this.width - indent)) {
      this.ensure(size * 1.35);
      this.drawLine(line, MARGIN + indent, this.y, size, options.color);
      this.y += size * 1.35;
    }
  }

  /** One line of text placed at a point; returns its width. */
  label(
    text: string,
    x: number,
    y: number,
    options: { align?: 'left' | 'right' | 'center'; size?: number },
  ): number {
    const size = options.size ?? SIZE - 1;
    const [line] = layoutText(text, this.chains.regular, size, Infinity);
    if (!line) {
      return 0;
    }
    const shift =
      options.align === 'right'
        ? line.width
        : options.align === 'center'
        ? line.width / 2
        : 0;
    this.drawLine(line, x - shift, y, size);
    return line.width;
  }

  async end() {
    this.drawPageNumbers();
    const ended = new Promise<void>((resolve, reject) => {
      this.doc.once('end', resolve);
      this.doc.once('error', reject);
    });
    this.doc.end();
    await ended;
  }

  private drawLine(
    line: TextLine,
    x: number,
    y: number,
    size: number,
    color = '#000',
  ) {
    let at = x;
    for (const run of line.runs) {
      this.doc
        .font(run.face.name)
        .fontSize(size)
        .fillColor(color)
        .text(run.text, at, y, { lineBreak: false });
      at += run.width;
    }
    this.doc.fillColor('#000');
  }

  private drawPageNumbers() {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const label = `Page ${i + 1} of ${range.count}`;
      this.label(
        label,
        this.doc.page.width - MARGIN,
        this.doc.page.height - MARGIN - SMALL,
        { align: 'right', size: SMALL },
      );
    }
  }
}

function number(value: CellValue | undefined): number {
  return typeof value === 'number' ? value : Number(value ?? 0) || 0;
}

function percent(rate: CellValue | undefined): string {
  return rate === null || rate === undefined
    ? 'no attempts'
    : `${(Number(rate) * 100).toFixed(1)}%`;
}

function wall(iso: CellValue, zone: string): string {
  return iso === null ? '' : wallTimeInZone(String(iso), zone, false);
}

/** At most nine labelled days, the last always, none crowding the next. */
function tickDays(count: number): number[] {
  const every = Math.ceil(count / 8);
  const ticks: number[] = [];
  for (let i = 0; i < count; i += every) {
    ticks.push(i);
  }
  const last = count - 1;
  if (ticks[ticks.length - 1] !== last) {
    if (ticks.length > 1 && last - ticks[ticks.length - 1] < every * 0.6) {
      ticks.pop();
    }
    ticks.push(last);
  }
  return ticks;
}

/** Four ticks of 1, 2 or 5 times a power of ten, whole counts. */
function niceMax(value: number): number {
  const rough = Math.max(1, value / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].find(m => m * power >= rough)! * power;
  return step * 4;
}
