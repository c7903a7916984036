import type { Dataset, DatasetFilter, DatasetSort } from './Dataset';
import type { OutputColumn } from './values';
import type { ExportFormat, ExportRequest } from './wire';

/** A checked export request: everything a run needs to write the file. */
export interface ExportPlan {
  /** The request as it will be stored and replayed by a retry. */
  request: ExportRequest;
  dataset: Dataset;
  format: ExportFormat;
  columns: OutputColumn[];
  filters: DatasetFilter[];
  sort: DatasetSort[];
  timezone: string;
  neutraliseFormulas: boolean;
  bom: boolean;
  fileName: string;
  title: string;
  orientation: 'auto' | 'portrait' | 'landscape';
}
