import { metrics, type Attributes } from '@opentelemetry/api';

/**
 * Operator metrics through OpenTelemetry's API. Without an SDK they cost
 * nothing; a Backstage backend that exports OpenTelemetry shows them.
 */
const meter = metrics.getMeter('rebound');

const jobsFinished = meter.createCounter('rebound.jobs.finished', {
  description: 'Job runs that ended, by status, job type and target',
});
const failures = meter.createCounter('rebound.failures', {
  description: 'Failed job runs, by failure type and target',
});
const recoveries = meter.createCounter('rebound.recoveries', {
  description: 'Recovery attempts that ended, by outcome and strategy',
});
const rowsLoaded = meter.createCounter('rebound.rows.loaded', {
  description: 'Rows accepted by a sink',
});
const runDuration = meter.createHistogram('rebound.job.run.duration', {
  description: 'Duration of one job run',
  unit: 's',
});
const exportDuration = meter.createHistogram('rebound.export.duration', {
  description: 'Duration of one export, by dataset, format and status',
  unit: 's',
});

/** @public */
export const reboundMetrics = {
  jobFinished(attributes: Attributes, seconds: number, rows: number) {
    jobsFinished.add(1, attributes);
    runDuration.record(seconds, attributes);
    if (rows > 0) {
      rowsLoaded.add(rows, attributes);
    }
  },
  failure(attributes: Attributes) {
    failures.add(1, attributes);
  },
  recovery(attributes: Attributes) {
    recoveries.add(1, attributes);
  },
  exportFinished(attributes: Attributes, seconds: number) {
    exportDuration.record(seconds, attributes);
  },
};
