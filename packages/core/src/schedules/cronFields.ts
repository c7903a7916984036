/**
 * What is wrong with the fields of a cron expression, in plain words:
 * "minute 61 is not 0–59", not the parser's "Constraint error".
 */
import { MONTH_NAMES } from '../client/calendar';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Three-letter names the field also takes, from `min` on. */
  aliases?: string[];
  /** What `aliases` are, for a message: "a month name (JAN–DEC)". */
  aliasWords?: string;
}

const MONTH_ALIASES = MONTH_NAMES.map(m => m.slice(0, 3).toUpperCase());
const DAY_ALIASES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The five fields in their order, with the values each takes. */
export const CRON_FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    aliases: MONTH_ALIASES,
    aliasWords: 'a month name (JAN–DEC)',
  },
  {
    name: 'day of week',
    min: 0,
    max: 7,
    aliases: DAY_ALIASES,
    aliasWords: 'a day name (SUN–SAT)',
  },
];

const DAY_OF_MONTH = 2;
const DAY_OF_WEEK = 4;

/** A number or a name of the field as its number; undefined if neither. */
function valueOf(spec: FieldSpec, text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    return Number(text);
  }
  const alias = spec.aliases?.indexOf(text.toUpperCase()) ?? -1;
  return alias >= 0 ? spec.min + alias : undefined;
}

/** Why one value of a field is wrong, or undefined when it is right. */
function valueProblem(spec: FieldSpec, text: string): string | undefined {
  const range = `${spec.min}–${spec.max}`;
  const value = valueOf(spec, text);
  if (value !== undefined) {
    return value < spec.min || value > spec.max
      ? `${spec.name} ${text} is not ${range}`
      : undefined;
  }
  if (/^[a-z]+$/i.test(text) && spec.aliasWords) {
    return `${spec.name} "${text}" is not ${spec.aliasWords}`;
  }
  return `${spec.name} "${text}" is not a whole number ${range}${
    spec.aliasWords ? ` or ${spec.aliasWords}` : ''
  }`;
}

/** The day-of-week forms "5L" (the last Friday) and "5#2" (the second). */
function weekdayProblem(spec: FieldSpec, text: string): string | undefined {
  const nth = /^(.+)#(.*)$/.exec(text);
  if (nth) {
    const problem = valueProblem(spec, nth[1]);
    if (problem) {
      return problem;
    }
    return /^[1-5]$/.test(nth[2])
      ? undefined
      : `day of week ${text} asks for weekday number ${nth[2]} of the month, which is not 1–5`;
  }
  const last = /^(.+)L$/i.exec(text);
  return valueProblem(spec, last ? last[1] : text);
}

/** Why one item of a field's list (a value, a range, a step) is wrong. */
function itemProblem(index: number, item: string): string | undefined {
  const spec = CRON_FIELDS[index];
  const parts = item.split('/');
  if (parts.length > 2) {
    return `${spec.name} "${item}" has more than one "/"`;
  }
  const [base, step] = parts;
  if (step !== undefined && !/^\d+$/.test(step)) {
    return `${spec.name} "${item}" has the step "${step}", which is not a whole number`;
  }
  if (step !== undefined && Number(step) === 0) {
    return `${spec.name} "${item}" has a step of 0, which never moves on`;
  }
  if (base === '*' || base === '?') {
    return undefined;
  }
  if (index === DAY_OF_MONTH && base.toUpperCase() === 'L') {
    return undefined;
  }
  if (/^-\d+$/.test(base)) {
    return `${spec.name} ${base} is not ${spec.min}–${spec.max}`;
  }
  const ends = base.split('-');
  if (ends.length > 2) {
    return `${spec.name} "${item}" has more than one "-"`;
  }
  if (ends.length === 2) {
    const [from, to] = ends;
    if (from === '' || to === '') {
      return `${spec.name} range "${base}" is missing an end`;
    }
    const problem = valueProblem(spec, from) ?? valueProblem(spec, to);
    if (problem) {
      return problem;
    }
    return valueOf(spec, from)! > valueOf(spec, to)!
      ? `${spec.name} range ${base} runs backwards: write the smaller end first (${to}-${from})`
      : undefined;
  }
  return index === DAY_OF_WEEK
    ? weekdayProblem(spec, base)
    : valueProblem(spec, base);
}

/**
 * What is wrong with field `index` (0: minute … 4: day of week), naming
 * it; undefined when it holds values cron reads. A list reports its
 * first bad item.
 */
export function cronFieldProblem(
  index: number,
  field: string,
): string | undefined {
  const spec = CRON_FIELDS[index];
  const items = field.split(',');
  if (items.some(item => item === '')) {
    return `${spec.name} "${field}" has an empty item in its list`;
  }
  for (const item of items) {
    const problem = itemProblem(index, item);
    if (problem) {
      return problem;
    }
  }
  return undefined;
}

/**
 * Why fields that are each right never meet: a day of the month that no
 * month of the expression has, such as 31 in February.
 */
export function cronDayProblem(fields: string[]): string {
  const months = fields[3]
    .split(',')
    .map(m => valueOf(CRON_FIELDS[3], m))
    .filter((m): m is number => m !== undefined);
  const monthText =
    months.length > 0 && months.length === fields[3].split(',').length
      ? months.map(m => MONTH_NAMES[m - 1]).join(' or ')
      : `the months "${fields[3]}"`;
  return `day of month ${fields[2]} never comes in ${monthText}`;
}
