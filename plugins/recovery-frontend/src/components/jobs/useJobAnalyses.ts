import type { FailureAnalysis, Job } from '@rebound/core/client';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';
import { isRecoverable } from './jobStates';

const NONE = new Map<string, FailureAnalysis>();

export interface JobAnalyses {
  byJobId: Map<string, FailureAnalysis>;
  loading: boolean;
  /** The jobs whose analysis could not be loaded, with the first error. */
  failed: { jobIds: string[]; error: unknown } | undefined;
  retry: () => void;
}

/**
 * The failure analyses of the failed and waiting jobs among `jobs`, as a
 * batch recovery would plan them, loaded side by side. A job is loaded again only when it changed (its version),
 * not on every reload of a list that is polled.
 */
export function useJobAnalyses(jobs: Job[]): JobAnalyses {
  const client = useRebound();
  const wanted = jobs.filter(isRecoverable);
  const key = wanted.map(job => `${job.id}:${job.version}`).join(',');

  const state = useAsyncRetry(async () => {
    const results = await Promise.allSettled(
      // The plans a batch recovery of the list would follow.
      wanted.map(job => client.getAnalysis(job.id, { trigger: 'batch' })),
    );
    const byJobId = new Map<string, FailureAnalysis>();
    const failedIds: string[] = [];
    let error: unknown;
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') {
        byJobId.set(result.value.jobId, result.value);
      } else {
        failedIds.push(wanted[index].id);
        error ??= result.reason;
      }
    });
    return {
      byJobId,
      failed: failedIds.length ? { jobIds: failedIds, error } : undefined,
    };
    // The key names exactly the jobs and versions loaded.
  }, [client, key]);

  return {
    byJobId: state.value?.byJobId ?? NONE,
    loading: state.loading,
    failed: state.value?.failed,
    retry: state.retry,
  };
}
