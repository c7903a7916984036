import { UploadTargetConfigError } from './errors';
import type {
  ChaosConfig,
  FaultMode,
  FaultRule,
  FaultTemplate,
  RejectRule,
  UploadTargetConfig,
} from './types';

/**
 * Runtime checks for everything that arrives as JSON from curl or from
 * JavaScript callers, so a typo fails loudly instead of doing nothing.
 */

const FAULT_MODES: readonly FaultMode[] = [
  'status',
  'timeout',
  'reset',
  'slow',
];
const TEMPLATE_FIELDS = [
  'mode',
  'status',
  'retryAfter',
  'delayMs',
  'processBeforeFailing',
];
const RULE_FIELDS = [...TEMPLATE_FIELDS, 'afterRequests', 'count', 'jobId'];
const JOB_ID_PATTERN = /^[A-Za-z0-9-]+$/;
const MAX_DELAY_MS = 3_600_000;

type Fields = Record<string, unknown>;

/** Accepts one rule or an array of rules. */
export function parseFaultRules(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) {
    return [parseFaultRule(input, 'fault')];
  }
  return input.map((item, index) => parseFaultRule(item, `faults[${index}]`));
}

export function parseConfigPatch(input: unknown): Partial<UploadTargetConfig> {
  const fields = readObject(input, 'config', [
    'rejectWhen',
    'maxRecordsPerRequest',
    'chaos',
  ]);
  const patch: Partial<UploadTargetConfig> = {};

  if (fields.rejectWhen !== undefined) {
    patch.rejectWhen = nullOr(fields.rejectWhen, parseRejectRule);
  }
  if (fields.maxRecordsPerRequest !== undefined) {
    patch.maxRecordsPerRequest = nullOr(fields.maxRecordsPerRequest, () =>
      readInteger(fields, 'maxRecordsPerRequest', 'config', 1),
    );
  }
  if (fields.chaos !== undefined) {
    patch.chaos = nullOr(fields.chaos, parseChaos);
  }
  return patch;
}

function parseFaultRule(input: unknown, where: string): FaultRule {
  const fields = readObject(input, where, RULE_FIELDS);
  const rule: FaultRule = parseTemplateFields(fields, where);

  const afterRequests = optionalInteger(fields, 'afterRequests', where, 0);
  const count = optionalInteger(fields, 'count', where, 1);
  if (afterRequests !== undefined) rule.afterRequests = afterRequests;
  if (count !== undefined) rule.count = count;

  if (fields.jobId !== undefined) {
    if (typeof fields.jobId !== 'string' || !JOB_ID_PATTERN.test(fields.jobId))
      throw invalid(where, 'jobId', fields.jobId, 'letters, digits and dashes');
    rule.jobId = fields.jobId;
  }
  return rule;
}

function parseTemplate(input: unknown, where: string): FaultTemplate {
  return parseTemplateFields(readObject(input, where, TEMPLATE_FIELDS), where);
}

function parseTemplateFields(fields: Fields, where: string): FaultTemplate {
  const mode = fields.mode;
  if (!FAULT_MODES.includes(mode as FaultMode)) {
    throw invalid(where, 'mode', mode, `one of ${FAULT_MODES.join(', ')}`);
  }
  const template: FaultTemplate = { mode: mode as FaultMode };

  const status = optionalInteger(fields, 'status', where, 100, 599);
  const retryAfter = optionalInteger(fields, 'retryAfter', where, 0);
  const delayMs = optionalInteger(fields, 'delayMs', where, 0, MAX_DELAY_MS);
  if (status !== undefined) template.status = status;
  if (retryAfter !== undefined) template.retryAfter = retryAfter;
  if (delayMs !== undefined) template.delayMs = delayMs;

  const processBeforeFailing = fields.processBeforeFailing;
  if (processBeforeFailing !== undefined) {
    if (typeof processBeforeFailing !== 'boolean')
      throw invalid(
        where,
        'processBeforeFailing',
        processBeforeFailing,
        'true or false',
      );
    template.processBeforeFailing = processBeforeFailing;
  }
  return template;
}

function parseChaos(input: unknown): ChaosConfig {
  const where = 'chaos';
  const fields = readObject(input, where, ['seed', 'probability', 'modes']);

  const seed = readInteger(fields, 'seed', where, -(2 ** 31), 2 ** 32 - 1);
  const probability = fields.probability;
  if (
    typeof probability !== 'number' ||
    !(probability >= 0 && probability <= 1)
  )
    throw invalid(where, 'probability', probability, 'a number from 0 to 1');

  const modes = fields.modes ?? [{ mode: 'status', status: 503 }];
  if (!Array.isArray(modes) || modes.length === 0)
    throw invalid(where, 'modes', modes, 'a non-empty array of faults');
  return {
    seed,
    probability,
    modes: modes.map((item, i) => parseTemplate(item, `chaos.modes[${i}]`)),
  };
}

function parseRejectRule(input: unknown): RejectRule {
  const where = 'rejectWhen';
  const fields = readObject(input, where, ['column', 'equals', 'matches']);

  if (typeof fields.column !== 'string' || fields.column === '')
    throw invalid(where, 'column', fields.column, 'a column name');
  if ((fields.equals === undefined) === (fields.matches === undefined))
    throw new UploadTargetConfigError(
      'rejectWhen needs exactly one of "equals" and "matches"',
    );

  if (fields.matches !== undefined) {
    return { column: fields.column, matches: readRegex(fields.matches) };
  }
  const equals = fields.equals;
  if (!['string', 'number', 'boolean'].includes(typeof equals))
    throw invalid(where, 'equals', equals, 'a string, number or boolean');
  return { column: fields.column, equals: equals as RejectRule['equals'] };
}

function readRegex(value: unknown): string {
  if (typeof value !== 'string')
    throw invalid('rejectWhen', 'matches', value, 'a regular expression');
  try {
    new RegExp(value);
  } catch (error) {
    throw new UploadTargetConfigError(
      `rejectWhen.matches ${describe(value)} is not a valid regular ` +
        `expression: ${(error as Error).message}`,
    );
  }
  return value;
}

function readObject(
  value: unknown,
  where: string,
  allowed: readonly string[],
): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UploadTargetConfigError(
      `${where} must be a JSON object, got ${describe(value)}`,
    );
  }
  const unknownField = Object.keys(value).find(key => !allowed.includes(key));
  if (unknownField !== undefined) {
    throw new UploadTargetConfigError(
      `${where}.${unknownField} is not a known field; ` +
        `use ${allowed.join(', ')}`,
    );
  }
  return value as Fields;
}

function optionalInteger(
  fields: Fields,
  key: string,
  where: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (fields[key] === undefined) return undefined;
  return readInteger(fields, key, where, min, max);
}

function readInteger(
  fields: Fields,
  key: string,
  where: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = fields[key];
  if (
    !Number.isInteger(value) ||
    (value as number) < min ||
    (value as number) > max
  ) {
    throw invalid(where, key, value, `a whole number from ${min} to ${max}`);
  }
  return value as number;
}

function nullOr<T>(value: unknown, parse: (value: unknown) => T): T | null {
  return value === null ? null : parse(value);
}

function invalid(
  where: string,
  key: string,
  value: unknown,
  allowed: string,
): UploadTargetConfigError {
  return new UploadTargetConfigError(
    `${where}.${key} is ${describe(value)}; use ${allowed}`,
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
