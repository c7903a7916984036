import type { ExportFormat } from '@rebound/core/client';

/** How each export format is named on the page. */
export const FORMAT_LABELS: Record<ExportFormat, string> = {
  csv: 'CSV',
  json: 'JSON',
  ndjson: 'NDJSON',
  xlsx: 'Excel (xlsx)',
  pdf: 'PDF',
};
