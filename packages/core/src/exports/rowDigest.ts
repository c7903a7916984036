import { createHash, type Hash } from 'node:crypto';
import type { CellValue } from './Dataset';

/**
 * SHA-256 of the exported rows as values, independent of the format: the
 * hash of each row's values (in column order, before presentation) as a
 * JSON array followed by a newline. The same request gives the same
 * digest in CSV, Excel or PDF, so two files can be compared by it.
 */
export class RowDigest {
  private readonly hash: Hash = createHash('sha256');
  rows = 0;

  add(rows: CellValue[][]): void {
    let text = '';
    for (const row of rows) {
      text += `${JSON.stringify(row)}\n`;
    }
    this.hash.update(text);
    this.rows += rows.length;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
