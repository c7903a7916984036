import { Link, Progress } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import type { Job } from '@rebound/core/client';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';
import { rootRouteRef } from '../../routes';
import Alert from '@material-ui/lab/Alert';
import { RequestError } from '../common/errors';
import { formatDateTime } from '../common/format';
import { StatusMark } from '../common/status';
import { usePolling } from '../common/usePolling';
import { FailureCard, PlanCard } from './AnalysisCards';
import { JobActions } from './JobActions';
import { CheckpointCard, JobDetailsCard, ProgressCard } from './JobCards';
import { RecoveryHistoryTable, RowErrorsTable } from './JobTables';
import { followInterval, isActive } from './jobStates';

const TITLE = { minWidth: 0, overflowWrap: 'anywhere' } as const;

/** The backend stopped answering: what is shown may be out of date. */
function StaleNotice(props: { loadedAt: number }) {
  return (
    <Alert severity="warning" role="status">
      No answer from Rebound since{' '}
      {formatDateTime(new Date(props.loadedAt).toISOString())}: what this page
      shows may be out of date, and the job may have moved on. The page keeps
      asking; if this lasts, check that Rebound's backend is running.
    </Alert>
  );
}

function BackLink() {
  const root = useRouteRef(rootRouteRef)();
  return <Link to={`${root}/jobs`}>← All jobs</Link>;
}

/** A change of state: the plan and the history are loaded again. */
function stateKey(job: Job): string {
  return `${job.status}:${job.version}`;
}

/** New row errors come with new rejected or quarantined rows. */
function rowErrorsKey(job: Job): string {
  const { rowsRejected, rowsQuarantined } = job.progress;
  return `${job.status}:${rowsRejected}:${rowsQuarantined}`;
}

/**
 * One job: what it is, how far it got, its checkpoint, the analysis of
 * its failure and the plan a recovery would follow, its row errors and its
 * recovery history. A pending or running job is followed without reload.
 */
export function JobPage() {
  const { jobId = '' } = useParams();
  const client = useRebound();
  const job = usePolling(() => client.getJob(jobId), [client, jobId], {
    active: value => followInterval(value) !== undefined,
    intervalMs: value => followInterval(value) ?? 2000,
  });
  const state = job.value ? stateKey(job.value) : undefined;
  const analysis = useAsyncRetry(
    async () => (state ? client.getAnalysis(jobId) : undefined),
    [client, jobId, state],
  );

  if (job.loading) {
    return <Progress />;
  }
  if (!job.value) {
    return (
      <>
        <BackLink />
        <Box mt={2}>
          <RequestError
            title={`Loading job ${jobId} failed`}
            error={job.error}
            onRetry={job.retry}
          />
        </Box>
      </>
    );
  }

  const current = job.value;
  // While a new state's plan loads, the old one no longer applies.
  const currentAnalysis =
    analysis.value?.status === current.status ? analysis.value : undefined;
  return (
    <>
      <BackLink />
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        gridGap={16}
        my={2}
      >
        {/* A file name may be one long token: it wraps rather than runs off. */}
        <Typography variant="h4" component="h2" style={TITLE}>
          {current.fileName}
        </Typography>
        <StatusMark status={current.status} />
      </Box>
      {job.error && (
        <Box mb={2}>
          <RequestError
            title={`Reloading the job failed; the page shows it as it was at ${formatDateTime(
              new Date(job.loadedAt ?? Date.now()).toISOString(),
            )}`}
            error={job.error}
            onRetry={job.retry}
          />
        </Box>
      )}
      {job.stale && !job.error && job.loadedAt !== undefined && (
        <Box mb={2}>
          <StaleNotice loadedAt={job.loadedAt} />
        </Box>
      )}
      <JobActions
        job={current}
        analysis={currentAnalysis}
        analysisError={analysis.error}
        onChanged={job.retry}
      />
      <Box mt={2}>
        <Grid container spacing={3} alignItems="stretch">
          <Grid item xs={12} md={6}>
            <JobDetailsCard job={current} />
          </Grid>
          <Grid item xs={12} md={6}>
            <ProgressCard
              job={current}
              stale={job.stale || (!!job.error && isActive(current))}
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <CheckpointCard job={current} />
          </Grid>
          <Grid item xs={12} md={6}>
            <FailureCard job={current} />
          </Grid>
          <Grid item xs={12}>
            <PlanCard
              analysis={currentAnalysis}
              loading={analysis.loading}
              error={analysis.error}
              onRetry={analysis.retry}
            />
          </Grid>
          <Grid item xs={12}>
            <RowErrorsTable
              jobId={jobId}
              refreshKey={rowErrorsKey(current)}
              job={current}
            />
          </Grid>
          <Grid item xs={12}>
            <RecoveryHistoryTable
              jobId={jobId}
              refreshKey={stateKey(current)}
            />
          </Grid>
        </Grid>
      </Box>
    </>
  );
}
