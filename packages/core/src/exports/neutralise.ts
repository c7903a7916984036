/**
 * Spreadsheets run a cell that starts with = + - @ (and, in some, a tab
 * or carriage return) as a formula: a CSV of user data can then call out
 * to other programs or the network. Such text gets a leading apostrophe,
 * which makes every spreadsheet show it as text. Plain numbers such as
 * "-12.5" run as nothing but themselves and stay as they are.
 */
const TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function isFormulaLike(text: string): boolean {
  return text.length > 0 && TRIGGERS.has(text[0]) && !PLAIN_NUMBER.test(text);
}

export function neutraliseFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}
