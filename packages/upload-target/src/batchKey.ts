/** A parsed `Idempotency-Key: <jobId>:<firstRow>-<lastRow>` header. */
export interface BatchKey {
  raw: string;
  jobId: string;
  firstRow: number;
  lastRow: number;
}

const KEY_PATTERN = /^([A-Za-z0-9-]+):(\d+)-(\d+)$/;

/** Returns the key, or a message saying what is wrong with the header. */
export function parseBatchKey(
  header: string | string[] | undefined,
): BatchKey | string {
  if (header === undefined) {
    return 'missing Idempotency-Key header; send <jobId>:<firstRow>-<lastRow>';
  }
  const raw = Array.isArray(header) ? header.join(', ') : header;

  const match = KEY_PATTERN.exec(raw);
  if (!match) {
    return (
      `Idempotency-Key ${JSON.stringify(raw)} is malformed; send ` +
      '<jobId>:<firstRow>-<lastRow>, the job id in letters, digits and dashes'
    );
  }

  const firstRow = Number(match[2]);
  const lastRow = Number(match[3]);
  if (firstRow < 1 || lastRow < firstRow || !Number.isSafeInteger(lastRow)) {
    return (
      `Idempotency-Key ${JSON.stringify(raw)} has no valid row range; rows ` +
      'count from 1 and the last row is not before the first'
    );
  }
  return { raw, jobId: match[1], firstRow, lastRow };
}
