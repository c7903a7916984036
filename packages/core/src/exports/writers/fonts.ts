import * as fontkit from 'fontkit';
import path from 'node:path';

/** The fonts shipped in packages/core/fonts (see its README for licences). */
export const FONT_DIR = path.resolve(__dirname, '../../../fonts');

/** A face of the PDF font chain, as pdfkit registers and fontkit measures it. */
export interface FontFace {
  name: string;
  file: string;
  font: fontkit.Font;
  advances: Map<number, number>;
}

const FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  han: 'NotoSansSC-Regular.ttf',
  hangul: 'NotoSansKR-Regular.ttf',
};

let faces: Record<keyof typeof FILES, FontFace> | undefined;

function open(name: keyof typeof FILES): FontFace {
  const file = path.join(FONT_DIR, FILES[name]);
  const font = fontkit.openSync(file) as fontkit.Font;
  return { name, file, font, advances: new Map() };
}

/**
 * DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew, Arabic and many
 * symbols; Noto Sans SC adds Chinese and Japanese kana, Noto Sans KR
 * Hangul. A character takes the first face of its chain that has it.
 */
export function fontChains(): { regular: FontFace[]; bold: FontFace[] } {
  faces ??= {
    regular: open('regular'),
    bold: open('bold'),
    han: open('han'),
    hangul: open('hangul'),
  };
  return {
    regular: [faces.regular, faces.han, faces.hangul],
    bold: [faces.bold, faces.han, faces.hangul],
  };
}

/** The advance of one character in a face, in points at the given size. */
export function advance(
  face: FontFace,
  codePoint: number,
  size: number,
): number {
  let units = face.advances.get(codePoint);
  if (units === undefined) {
    units = face.font.glyphForCodePoint(codePoint).advanceWidth;
    face.advances.set(codePoint, units);
  }
  return (units * size) / face.font.unitsPerEm;
}

/** The first face of the chain with a glyph for the character. */
export function faceFor(chain: FontFace[], codePoint: number): FontFace {
  for (const face of chain) {
    if (face.font.hasGlyphForCodePoint(codePoint)) {
      return face;
    }
  }
  return chain[0];
}
