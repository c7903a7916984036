import type { RejectRule } from './types';

/** A record refused by the target's own validation. */
export interface Rejection {
  index: number;
  message: string;
}

export function findRejections(
  records: Record<string, unknown>[],
  rule: RejectRule | null,
): Rejection[] {
  if (!rule) return [];
  const refuses = compileRule(rule);
  const rejections: Rejection[] = [];

  records.forEach((record, index) => {
    const value = record[rule.column];
    if (value === undefined || value === null || !refuses(String(value)))
      return;
    rejections.push({
      index,
      message: `column "${rule.column}" has the refused value ${JSON.stringify(
        value,
      )}`,
    });
  });
  return rejections;
}

function compileRule(rule: RejectRule): (text: string) => boolean {
  if (rule.matches !== undefined) {
    const pattern = new RegExp(rule.matches);
    return text => pattern.test(text);
  }
  const expected = String(rule.equals);
  return text => text === expected;
}
