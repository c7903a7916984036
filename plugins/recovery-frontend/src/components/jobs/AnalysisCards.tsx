import { InfoCard, Progress } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type {
  Adjustments,
  FailureAnalysis,
  FailureEvidence,
  Job,
  RecoveryPlan,
} from '@rebound/core/client';
import { RequestError } from '../common/errors';
import { Facts, FactsCard } from '../common/facts';
import {
  formatCount,
  formatDateTime,
  formatDuration,
  formatPercent,
  words,
} from '../common/format';
import { RecoverabilityMark } from '../common/status';
import { countOf } from './jobColumns';

const MAX_ROWS_SHOWN = 20;

/** Codes whose rows are a sample of the invalid rows, not a batch. */
const SAMPLE_CODES = new Set([
  'too_many_invalid_rows',
  'too_many_malformed_rows',
]);

function rowsText(rows: number[]): string {
  const shown = rows.slice(0, MAX_ROWS_SHOWN).map(formatCount).join(', ');
  return rows.length > MAX_ROWS_SHOWN
    ? `${shown} and ${formatCount(rows.length - MAX_ROWS_SHOWN)} more`
    : shown;
}

/**
 * The rows of the evidence as a label and a value: a batch the target
 * refused or did not answer is its first and last row, a range; a sample
 * of invalid rows, or the row a parse stopped at, is a list.
 */
function rowsEvidence(evidence: FailureEvidence): [string, string | undefined] {
  const { rows, code } = evidence;
  if (!rows?.length) {
    return ['Rows', undefined];
  }
  const [first, last] = rows;
  if (rows.length === 1) {
    return ['Row', formatCount(first)];
  }
  if (rows.length === 2 && !(code && SAMPLE_CODES.has(code))) {
    return [
      'Batch',
      first === last
        ? `row ${formatCount(first)}`
        : `rows ${formatCount(first)}–${formatCount(last)}`,
    ];
  }
  return ['Rows', rowsText(rows)];
}

/** The evidence of a classification, one "label: value" line each. */
function evidenceLines(evidence: FailureEvidence): string[] {
  const { code, httpStatus, column, retryAfterSeconds } = evidence;
  const pairs: [string, string | undefined][] = [
    ['Error code', code],
    ['HTTP status', httpStatus?.toString()],
    rowsEvidence(evidence),
    ['Column', column],
    [
      'Retry-After',
      retryAfterSeconds === undefined
        ? undefined
        : formatDuration(retryAfterSeconds * 1000),
    ],
    ['Setting', evidence.setting],
    ['Detail', evidence.detail],
  ];
  return pairs
    .filter(([, value]) => value)
    .map(([label, value]) => `${label}: ${value}`);
}

function evidenceOrNone(evidence: FailureEvidence) {
  const lines = evidenceLines(evidence);
  return lines.length > 0 ? lines : 'None recorded';
}

/** What failed, how it was classified, and on what evidence. */
export function FailureCard(props: { job: Job }) {
  const { failure } = props.job;
  return (
    <FactsCard
      title="Failure analysis"
      facts={
        failure
          ? {
              Type: words(failure.type),
              Message: failure.message,
              Recoverability: (
                <RecoverabilityMark recoverability={failure.recoverability} />
              ),
              Confidence: formatPercent(failure.confidence),
              'Failed at': formatDateTime(failure.at),
              Evidence: evidenceOrNone(failure.evidence),
            }
          : undefined
      }
      none="The job has not failed: there is nothing to analyse."
    />
  );
}

function adjustmentsText(adjustments: Adjustments): string[] {
  const { batchSize, timeoutMs, concurrency, maxInvalidShare } = adjustments;
  return [
    batchSize !== undefined && `Batch size ${countOf(batchSize, 'row')}`,
    timeoutMs !== undefined && `Timeout ${formatDuration(timeoutMs)}`,
    concurrency !== undefined && `Concurrency ${concurrency}`,
    maxInvalidShare !== undefined &&
      `Up to ${formatPercent(maxInvalidShare)} invalid rows quarantined`,
    adjustments.isolateRejectedRows &&
      'Batches the target refuses are split to find the bad rows',
  ].filter((line): line is string => typeof line === 'string');
}

/**
 * Which recovery this is, and how far the caps of automatic recovery are:
 * recoveries in a row without progress, and recoveries in all.
 */
function attemptText(plan: RecoveryPlan): string {
  const total = `Recovery ${formatCount(plan.attempt)}${
    plan.maxTotalAttempts
      ? ` of at most ${formatCount(plan.maxTotalAttempts)}`
      : ''
  }`;
  if (plan.stalledAttempts === undefined) {
    return total;
  }
  return `${total}; ${formatCount(plan.stalledAttempts)} of ${formatCount(
    plan.maxAttempts,
  )} allowed in a row without progress`;
}

function planFacts(plan: RecoveryPlan, analysis: FailureAnalysis) {
  const adjustments = adjustmentsText(plan.adjustments);
  return {
    Strategy: words(plan.strategy),
    Reason: plan.reason,
    Adjustments: adjustments.length ? adjustments : 'None',
    Delay: plan.delayMs > 0 ? formatDuration(plan.delayMs) : 'None',
    'Estimated success': plan.automatic
      ? formatPercent(plan.estimatedSuccess)
      : '— (a person decides)',
    'Resumes from': `Row ${formatCount(
      plan.resumeFrom.row,
    )}, byte ${formatCount(plan.resumeFrom.byteOffset)}`,
    'In-doubt batch replayed': plan.resumeFrom.replayInDoubt ? 'Yes' : 'No',
    'Actions for a person': plan.actions.length ? plan.actions : 'None',
    Attempt: attemptText(plan),
    'Previous attempts': `${formatCount(analysis.history.attempts)}${
      analysis.history.lastOutcome
        ? `, the last ${words(analysis.history.lastOutcome)}`
        : ''
    }`,
  };
}

/** The plan a recovery would follow now, without running it. */
export function PlanCard(props: {
  analysis: FailureAnalysis | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
}) {
  const { analysis, loading, error, onRetry } = props;
  let content: JSX.Element;
  if (error) {
    content = (
      <RequestError
        title="Loading the recovery plan failed"
        error={error}
        onRetry={onRetry}
      />
    );
  } else if (!analysis) {
    content = loading ? <Progress /> : <></>;
  } else if (!analysis.plan) {
    content = (
      <Typography variant="body2">
        {analysis.reason ?? 'There is no plan for this job.'}
      </Typography>
    );
  } else {
    content = <Facts facts={planFacts(analysis.plan, analysis)} />;
  }
  return (
    <InfoCard
      title="Recovery plan"
      subheader="What a recovery would do now; nothing runs until you recover the job."
    >
      {content}
    </InfoCard>
  );
}
