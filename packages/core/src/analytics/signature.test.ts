import { failureSignature } from './signature';

describe('failureSignature', () => {
  it.each([
    [
      'uuids',
      'Job 0b9f6f3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b stopped',
      'Job 6F1C2A9E-77AB-4C3D-9E0F-123456789ABC stopped',
      'Job <id> stopped',
    ],
    [
      'long hex ids',
      'Request 9f86d081884c7d659a2feaa0c55ad015 was dropped',
      'Request 2c26b46b68ffc68ff99b453c1d304134 was dropped',
      'Request <id> was dropped',
    ],
    [
      'numbers, decimals and row ranges',
      'Target gave no answer within 30000 ms for rows 2501-3000 (1.5 s).',
      'Target gave no answer within 60000 ms for rows 9001-9500 (12.25 s).',
      'Target gave no answer within <n> ms for rows <n>-<n> (<n> s).',
    ],
    [
      'lists of rows of any length',
      'First invalid rows of the last batch: 3, 7, 9.',
      'First invalid rows of the last batch: 12.',
      'First invalid rows of the last batch: <n>.',
    ],
    [
      'host names',
      'getaddrinfo ENOTFOUND api.crm.example.com',
      'getaddrinfo ENOTFOUND erp-eu-2.internal.acme.io',
      'getaddrinfo ENOTFOUND <host>',
    ],
    [
      'IP addresses with and without a port',
      'connect ECONNREFUSED 127.0.0.1:7100',
      'connect ECONNREFUSED 10.20.30.40',
      'connect ECONNREFUSED <host>',
    ],
    [
      'URLs',
      'POST https://api.example.com/v2/bulk?batch=1 failed',
      'POST http://10.0.0.5:8080/bulk failed',
      'POST <url> failed',
    ],
    [
      'paths, file names included',
      'Cannot open /var/lib/rebound/files/ab/12 for reading',
      'Cannot open /tmp/rebound-test-x1/data.csv for reading',
      'Cannot open <path> for reading',
    ],
    [
      'e-mail addresses',
      'The token of ana.maria@example.co.uk expired',
      'The token of ops+rebound@acme.io expired',
      'The token of <email> expired',
    ],
    [
      'single- and double-quoted values',
      `Column 'amount' value 'x1' is not a whole number; got "12,5"`,
      `Column 'zip' value '' is not a whole number; got "n/a"`,
      `Column '…' value '…' is not a whole number; got "…"`,
    ],
    [
      'JSON bodies, nested or not',
      'Target answered 422: {"rejected":[{"index":0,"message":"bad email"},{"index":4,"message":"bad zip"}]}',
      'Target answered 422: {"error":{"code":"E1","details":{"row":1}}}',
      'Target answered <n>: {…}',
    ],
  ])('takes out %s', (_what, first, second, signature) => {
    expect(failureSignature(first)).toBe(signature);
    expect(failureSignature(second)).toBe(signature);
  });

  it('folds the messages of the HTTP sink that differ only by rows and body', () => {
    const at = (rows: string, body: string) =>
      failureSignature(
        `Target 'crm' answered 503 Service Unavailable for rows ${rows}: ${body}`,
      );

    expect(at('1-500', '{"error":"busy"}')).toBe(
      at('4501-5000', '{"error":"busy, retry in 5 s","id":"a1"}'),
    );
    expect(at('1-500', '{"error":"busy"}')).toBe(
      "Target '…' answered <n> Service Unavailable for rows <n>-<n>: {…}",
    );
  });

  it('keeps messages of different causes apart', () => {
    const messages = [
      "Target 'crm' answered 503 Service Unavailable for rows 1-500",
      "Target 'crm' answered 401 Unauthorized for rows 1-500",
      "Target 'crm' gave no answer within 30000 ms for rows 1-500.",
      "Could not reach target 'crm' for rows 1-500: connect ECONNREFUSED 127.0.0.1:7100 (ECONNREFUSED).",
      "Could not reach target 'crm' for rows 1-500: read ECONNRESET (ECONNRESET).",
      'The source file changed since it was uploaded.',
      'The source file is missing from storage.',
    ];

    const signatures = new Set(messages.map(failureSignature));

    expect(signatures.size).toBe(messages.length);
  });

  it('reads an apostrophe inside a word as text, not as a quote', () => {
    const first = failureSignature(
      "The target doesn't accept batches; it isn't ready",
    );
    const second = failureSignature(
      "The target doesn't know the job; it isn't ready",
    );

    expect(first).toBe("The target doesn't accept batches; it isn't ready");
    expect(second).not.toBe(first);
  });

  it('collapses white space and bounds the length', () => {
    expect(failureSignature('  a \n\t b  ')).toBe('a b');
    expect(failureSignature('word '.repeat(200))).toHaveLength(500);
  });
});
