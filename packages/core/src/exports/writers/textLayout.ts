import { advance, faceFor, type FontFace } from './fonts';

/** A piece of a line drawn in one face and one direction. */
export interface TextRun {
  face: FontFace;
  text: string;
  width: number;
  rtl: boolean;
}

export interface TextLine {
  runs: TextRun[];
  width: number;
}

interface Cluster {
  text: string;
  face: FontFace;
  width: number;
  space: boolean;
  /** A line may break after this cluster. */
  breakAfter: boolean;
  rtl: boolean;
}

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u;
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/u;
const LTR_STRONG = /[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f]/u;
const MARK = /\p{M}/u;
// Control characters draw as nothing useful; tabs become spaces.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Breaks text into lines that fit a width: at spaces, between East Asian
 * characters, and inside a word only when the word alone is too wide.
 * Nothing is cut: every character lands on some line.
 */
export function layoutText(
  text: string,
  chain: FontFace[],
  size: number,
  maxWidth: number,
): TextLine[] {
  const lines: TextLine[] = [];
  const clean = text.replace(/\t/g, ' ').replace(CONTROL, '');
  for (const paragraph of clean.split(/\r\n|\n|\r/)) {
    const rtlParagraph = firstStrongIsRtl(paragraph);
    for (const clusters of wrap(toClusters(paragraph, chain, size), maxWidth)) {
      lines.push(toLine(clusters, rtlParagraph));
    }
  }
  return lines;
}

/** Width of the widest line when nothing wraps, for column widths. */
export function naturalWidth(
  text: string,
  chain: FontFace[],
  size: number,
): number {
  return layoutText(text, chain, size, Infinity).reduce(
    (max, line) => Math.max(max, line.width),
    0,
  );
}

function toClusters(text: string, chain: FontFace[], size: number): Cluster[] {
  const clusters: Cluster[] = [];
  for (const char of text) {
    const codePoint = char.codePointAt(0)!;
    const previous = clusters[clusters.length - 1];
    if (previous && MARK.test(char)) {
      // A combining mark stays with its base character.
      previous.text += char;
      continue;
    }
    const face = faceFor(chain, codePoint);
    const space = char === ' ';
    const wide = WIDE.test(char);
    if (previous && wide) {
      previous.breakAfter = true;
    }
    clusters.push({
      text: char,
      face,
      width: advance(face, codePoint, size),
      space,
      breakAfter: space || wide || char === '-' || char === '/',
      rtl: RTL.test(char) || (!LTR_STRONG.test(char) && !!previous?.rtl),
    });
  }
  return clusters;
}

function wrap(clusters: Cluster[], maxWidth: number): Cluster[][] {
  if (clusters.length === 0) {
    return [[]];
  }
  const lines: Cluster[][] = [];
  let line: Cluster[] = [];
  let width = 0;
  let lastBreak = -1;
  for (const cluster of clusters) {
    if (width + cluster.width > maxWidth && line.length > 0 && !cluster.space) {
      const at = lastBreak >= 0 ? lastBreak + 1 : line.length;
      lines.push(trimEnd(line.slice(0, at)));
      line = line.slice(at);
      width = line.reduce((sum, c) => sum + c.width, 0);
      lastBreak = -1;
      line.forEach((c, i) => {
        if (c.breakAfter) {
          lastBreak = i;
        }
      });
    }
    line.push(cluster);
    width += cluster.width;
    if (cluster.breakAfter) {
      lastBreak = line.length - 1;
    }
  }
  lines.push(trimEnd(line));
  return lines;
}

function trimEnd(line: Cluster[]): Cluster[] {
  let end = line.length;
  while (end > 0 && line[end - 1].space) {
    end -= 1;
  }
  return line.slice(0, end);
}

function toLine(clusters: Cluster[], rtlParagraph: boolean): TextLine {
  const runs: TextRun[] = [];
  for (const cluster of clusters) {
    const last = runs[runs.length - 1];
    if (last && last.face === cluster.face && last.rtl === cluster.rtl) {
      last.text += cluster.text;
      last.width += cluster.width;
    } else {
      runs.push({
        face: cluster.face,
        text: cluster.text,
        width: cluster.width,
        rtl: cluster.rtl,
      });
    }
  }
  // A right-to-left paragraph shows its runs from right to left; inside
  // a run, the shaper already orders right-to-left glyphs.
  if (rtlParagraph) {
    runs.reverse();
  }
  return { runs, width: runs.reduce((sum, r) => sum + r.width, 0) };
}

function firstStrongIsRtl(text: string): boolean {
  for (const char of text) {
    if (RTL.test(char)) {
      return true;
    }
    if (LTR_STRONG.test(char)) {
      return false;
    }
  }
  return false;
}
