import type { FailureType, Recoverability } from '../client/types';
import { PipelineError } from '../pipeline/PipelineError';
import { classifyFailure, RECOVERABILITY } from './classifier';

/** An error as node's networking raises it: a message and a code. */
function systemError(code: string, message = `${code} happened`): Error {
  return Object.assign(new Error(message), { code });
}

/** The HTTP sink's answer to a status it does not accept. */
function statusError(status: number, extra: object = {}): PipelineError {
  return new PipelineError(`Target 'api' answered ${status} for rows 1-100`, {
    httpStatus: status,
    code: `http_${status}`,
    rows: [1, 100],
    ...extra,
  });
}

describe('classifyFailure', () => {
  describe('by HTTP status, as API.md lists them', () => {
    const statuses: [number, FailureType, Recoverability][] = [
      [400, 'validation_error', 'medium'],
      [401, 'security', 'low'],
      [403, 'security', 'low'],
      [404, 'configuration_error', 'low'],
      [405, 'configuration_error', 'low'],
      [410, 'configuration_error', 'low'],
      [413, 'memory', 'medium'],
      [422, 'validation_error', 'medium'],
      [429, 'temporary_resource', 'high'],
      [502, 'temporary_resource', 'high'],
      [503, 'temporary_resource', 'high'],
      [504, 'temporary_resource', 'high'],
    ];

    it.each(statuses)(
      'classifies %i as %s (%s recoverability)',
      (status, type, recoverability) => {
        const failure = classifyFailure(statusError(status));

        expect(failure).toMatchObject({ type, recoverability });
        expect(failure.confidence).toBeGreaterThanOrEqual(0.9);
        expect(failure.evidence).toMatchObject({
          httpStatus: status,
          rows: [1, 100],
        });
      },
    );

    it('treats another 5xx as temporary, with less confidence', () => {
      const failure = classifyFailure(statusError(500));

      expect(failure.type).toBe('temporary_resource');
      expect(failure.confidence).toBeLessThan(
        classifyFailure(statusError(503)).confidence,
      );
    });

    it('keeps Retry-After in the evidence of a 429', () => {
      const failure = classifyFailure(
        statusError(429, { retryAfterSeconds: 7 }),
      );

      expect(failure.type).toBe('temporary_resource');
      expect(failure.evidence.retryAfterSeconds).toBe(7);
    });

    it('lets the status win over words in the message', () => {
      const error = new PipelineError(
        'Target answered 401: the upstream timed out',
        { httpStatus: 401 },
      );

      expect(classifyFailure(error).type).toBe('security');
    });
  });

  describe('by error code', () => {
    const codes: [string, FailureType][] = [
      ['ETIMEDOUT', 'timeout'],
      ['ECONNREFUSED', 'network_error'],
      ['ECONNRESET', 'network_error'],
      ['ENOTFOUND', 'network_error'],
      ['ENOSPC', 'temporary_resource'],
      ['ENOMEM', 'memory'],
    ];

    it.each(codes)('classifies %s as %s', (code, type) => {
      const failure = classifyFailure(systemError(code, 'it broke'));

      expect(failure.type).toBe(type);
      expect(failure.recoverability).toBe(RECOVERABILITY[type]);
      expect(failure.evidence.code).toBe(code);
      expect(failure.confidence).toBeGreaterThanOrEqual(0.9);
    });

    it('reads the code of the cause, as fetch reports it', () => {
      const error = new TypeError('fetch failed', {
        cause: systemError('ECONNREFUSED'),
      });

      const failure = classifyFailure(error);

      expect(failure.type).toBe('network_error');
      expect(failure.evidence.code).toBe('ECONNREFUSED');
    });

    it('reads the code of a PipelineError without a type', () => {
      const error = new PipelineError('no answer within 2000 ms', {
        code: 'ETIMEDOUT',
        rows: [201, 300],
      });

      expect(classifyFailure(error)).toMatchObject({
        type: 'timeout',
        evidence: { code: 'ETIMEDOUT', rows: [201, 300] },
      });
    });
  });

  it("takes a PipelineError's own type before any other evidence", () => {
    const error = new PipelineError(
      'The file cannot be parsed at data row 2 (line 3 of the file): a quoted field is never closed.',
      { code: 'ECONNRESET', httpStatus: 503, rows: [2] },
      { type: 'data_quality' },
    );

    const failure = classifyFailure(error);

    expect(failure).toMatchObject({
      type: 'data_quality',
      recoverability: 'medium',
      message: error.message,
      evidence: { rows: [2] },
    });
    expect(failure.confidence).toBeGreaterThanOrEqual(0.95);
  });

  describe('by the words of the message when nothing else is known', () => {
    const messages: [string, FailureType][] = [
      ['JavaScript heap out of memory', 'memory'],
      ['Operation timed out after 30 s', 'timeout'],
      ['request timeout', 'timeout'],
      ['socket hang up', 'network_error'],
      ['Connection reset by peer', 'network_error'],
      ['fetch failed', 'network_error'],
      ['No space left on device', 'temporary_resource'],
      ['Rate limit exceeded', 'temporary_resource'],
      ['401 Unauthorized', 'security'],
      ['Forbidden', 'security'],
      ['permission denied for table jobs', 'security'],
    ];

    it.each(messages)('classifies "%s" as %s', (message, type) => {
      const failure = classifyFailure(new Error(message));

      expect(failure.type).toBe(type);
      expect(failure.confidence).toBeLessThan(0.9);
    });

    it('classifies a thrown string by its text', () => {
      expect(classifyFailure('the job timed out').type).toBe('timeout');
    });
  });

  it('calls anything else unknown with low confidence and keeps the message', () => {
    const failure = classifyFailure(new Error('Something odd happened'));

    expect(failure).toMatchObject({
      type: 'unknown',
      recoverability: 'unknown',
      message: 'Something odd happened',
      evidence: {},
    });
    expect(failure.confidence).toBeLessThanOrEqual(0.3);
  });

  it('classifies values that are not errors without throwing', () => {
    expect(classifyFailure(undefined).type).toBe('unknown');
    expect(classifyFailure(null).type).toBe('unknown');
    expect(classifyFailure({ code: 42 }).type).toBe('unknown');
  });

  it('orders confidence: own type and status, then code, then words, then unknown', () => {
    const typed = classifyFailure(
      new PipelineError('x', {}, { type: 'data_loss' }),
    ).confidence;
    const byStatus = classifyFailure(statusError(503)).confidence;
    const byCode = classifyFailure(systemError('ECONNRESET')).confidence;
    const byWords = classifyFailure(new Error('socket hang up')).confidence;
    const unknown = classifyFailure(new Error('odd')).confidence;

    expect(typed).toBeGreaterThanOrEqual(byStatus);
    expect(byStatus).toBeGreaterThan(byCode);
    expect(byCode).toBeGreaterThan(byWords);
    expect(byWords).toBeGreaterThan(unknown);
    for (const confidence of [typed, byStatus, byCode, byWords, unknown]) {
      expect(confidence).toBeGreaterThan(0);
      expect(confidence).toBeLessThanOrEqual(1);
    }
  });

  it('stamps the failure with the time given', () => {
    const at = '2026-01-02T03:04:05.000Z';

    expect(classifyFailure(new Error('x'), at).at).toBe(at);
  });

  it('copies the evidence instead of sharing it with the error', () => {
    const error = statusError(503);
    const failure = classifyFailure(error);

    failure.evidence.httpStatus = 200;

    expect(error.evidence.httpStatus).toBe(503);
  });

  it("gives every type the recoverability of DESIGN.md's table", () => {
    expect(RECOVERABILITY).toEqual({
      timeout: 'high',
      network_error: 'high',
      temporary_resource: 'high',
      interrupted: 'high',
      memory: 'medium',
      data_quality: 'medium',
      validation_error: 'medium',
      security: 'low',
      configuration_error: 'low',
      data_loss: 'low',
      unknown: 'unknown',
    });
  });
});
