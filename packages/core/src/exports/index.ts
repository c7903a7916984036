/**
 * Exports of datasets to files: the Dataset contract, the built-in
 * datasets, the export service and the quarantine CSV of a job.
 */
export type * from './wire';
export { EXPORT_FORMATS } from './wire';
export type {
  CellValue,
  Dataset,
  DatasetColumn,
  DatasetFilter,
  DatasetQuery,
  DatasetSort,
} from './Dataset';
export { SqlDataset } from './SqlDataset';
export type { SqlDatasetDefinition } from './SqlDataset';
export { DatasetRegistry } from './DatasetRegistry';
export { jobsDataset } from './datasets/jobs';
export { errorsDataset } from './datasets/errors';
export { recoveriesDataset } from './datasets/recoveries';
export {
  analyticsDataset,
  AnalyticsDataset,
  ANALYTICS_SECTIONS,
} from './datasets/analytics';
export type { AnalyticsSection } from './datasets/analytics';
export {
  ExportService,
  DEFAULT_EXPORT_SETTINGS,
  CONTENT_TYPES as EXPORT_CONTENT_TYPES,
} from './ExportService';
export type { ExportSettings, ExportServiceOptions } from './ExportService';
export { quarantineCsv, QUARANTINE_ERROR_COLUMNS } from './quarantineCsv';
export { neutraliseFormula } from './neutralise';
export { FONT_DIR } from './writers/fonts';
