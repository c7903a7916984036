import type {
  BatchRecoveryRequest,
  BatchRecoveryResult,
  FailureAnalysis,
  Job,
  JobOptions,
  JobStatus,
  JobType,
  Page,
  RecoverRequest,
  RecoveryAttempt,
  RecoveryPlan,
  RecoveryTrigger,
  RowError,
  TargetInfo,
} from './types';
import type {
  ExportDatasetInfo,
  ExportQuery,
  ExportRecord,
  ExportRequest,
} from '../exports/wire';
import type {
  Schedule,
  SchedulePreview,
  ScheduleRun,
  Delivery,
  DeliveryChannelInfo,
  MissedRunPolicy,
} from '../schedules/wire';
import type { AnalyticsReport } from './analytics';

/** An error answer of the API, with the backend's error body. @public */
export class ReboundApiError extends Error {
  readonly status: number;
  readonly errorName: string;

  constructor(status: number, errorName: string, message: string) {
    super(message);
    this.name = 'ReboundApiError';
    this.status = status;
    this.errorName = errorName;
  }
}

/** @public */
export interface ReboundClientOptions {
  /** Base URL of the plugin, e.g. http://localhost:7007/api/recovery. */
  baseUrl: string | (() => Promise<string>);
  /** Defaults to the global fetch; Backstage passes fetchApi.fetch. */
  fetch?: typeof fetch;
  /** Sent as a bearer token when given (scripts, the bot). */
  token?: string | (() => Promise<string | undefined>);
}

/** @public */
export interface JobQuery {
  /** One status, or any of several. */
  status?: JobStatus | JobStatus[];
  /** The jobs of one file, by its SHA-256. */
  fileSha256?: string;
  type?: JobType;
  target?: string;
  limit?: number;
  cursor?: string;
}

/** Body of POST /schedules; PATCH takes any part of it. @public */
export interface ScheduleInput {
  name: string;
  cron: string;
  timezone: string;
  export: ExportRequest;
  deliveries: Delivery[];
  enabled?: boolean;
  missedRunPolicy?: MissedRunPolicy;
  owner?: string;
}

/** A fetch-based client of the recovery REST API. @public */
export class ReboundClient {
  private readonly options: ReboundClientOptions;

  constructor(options: ReboundClientOptions) {
    this.options = options;
  }

  async createJob(
    file: Blob,
    fileName: string,
    options: JobOptions,
  ): Promise<Job> {
    const form = new FormData();
    form.append('options', JSON.stringify(options));
    form.append('file', file, fileName);
    return this.request<Job>('POST', '/jobs', form);
  }

  listJobs(query: JobQuery = {}): Promise<Page<Job>> {
    const { status, ...rest } = query;
    const statuses = Array.isArray(status) ? status.join(',') : status;
    return this.request(
      'GET',
      `/jobs${toQuery({ ...rest, status: statuses })}`,
    );
  }

  getJob(id: string): Promise<Job> {
    return this.request('GET', `/jobs/${encodeURIComponent(id)}`);
  }

  listRowErrors(
    id: string,
    query: { limit?: number; cursor?: string } = {},
  ): Promise<Page<RowError>> {
    const path = `/jobs/${encodeURIComponent(id)}/errors${toQuery(query)}`;
    return this.request('GET', path);
  }

  /** The plan a recovery by `trigger` would follow; a person's by default. */
  getAnalysis(
    id: string,
    query: { trigger?: RecoveryTrigger } = {},
  ): Promise<FailureAnalysis> {
    return this.request(
      'GET',
      `/jobs/${encodeURIComponent(id)}/analysis${toQuery(query)}`,
    );
  }

  recoverJob(
    id: string,
    body: RecoverRequest = {},
  ): Promise<{ job: Job; plan: RecoveryPlan }> {
    return this.request(
      'POST',
      `/jobs/${encodeURIComponent(id)}/recover`,
      body,
    );
  }

  cancelJob(id: string): Promise<Job> {
    return this.request('POST', `/jobs/${encodeURIComponent(id)}/cancel`, {});
  }

  recoverJobs(body: BatchRecoveryRequest): Promise<BatchRecoveryResult> {
    return this.request('POST', '/recoveries', body);
  }

  listRecoveries(
    query: { jobId?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<RecoveryAttempt>> {
    return this.request('GET', `/recoveries${toQuery(query)}`);
  }

  /** The quarantined rows of a job as CSV, ready to fix and upload again. */
  async downloadQuarantine(id: string): Promise<Blob> {
    const path = `/jobs/${encodeURIComponent(id)}/quarantine.csv`;
    return (await this.send('GET', path)).blob();
  }

  /** The rows the target rejected, as CSV in the job's own columns. */
  async downloadRejected(id: string): Promise<Blob> {
    const path = `/jobs/${encodeURIComponent(id)}/rejected.csv`;
    return (await this.send('GET', path)).blob();
  }

  /** The configured upload targets a new job may name. */
  listTargets(): Promise<{ items: TargetInfo[] }> {
    return this.request('GET', '/targets');
  }

  listExportDatasets(): Promise<{ items: ExportDatasetInfo[] }> {
    return this.request('GET', '/exports/datasets');
  }

  createExport(body: ExportRequest): Promise<ExportRecord> {
    return this.request('POST', '/exports', body);
  }

  listExports(query: ExportQuery = {}): Promise<Page<ExportRecord>> {
    return this.request('GET', `/exports${toQuery({ ...query })}`);
  }

  getExport(id: string): Promise<ExportRecord> {
    return this.request('GET', `/exports/${encodeURIComponent(id)}`);
  }

  retryExport(id: string): Promise<ExportRecord> {
    return this.request('POST', `/exports/${encodeURIComponent(id)}/retry`, {});
  }

  /** The exported file's bytes. */
  async downloadExport(id: string): Promise<Blob> {
    const path = `/exports/${encodeURIComponent(id)}/content`;
    return (await this.send('GET', path)).blob();
  }

  /** The next `count` runs (1-50) after `from` (an ISO instant; now). */
  previewSchedule(body: {
    cron: string;
    timezone: string;
    from?: string;
    count?: number;
  }): Promise<SchedulePreview> {
    return this.request('POST', '/schedules/preview', body);
  }

  /** The delivery channels and whether this backend can deliver by each. */
  listDeliveryChannels(): Promise<{ items: DeliveryChannelInfo[] }> {
    return this.request('GET', '/delivery-channels');
  }

  createSchedule(body: ScheduleInput): Promise<Schedule> {
    return this.request('POST', '/schedules', body);
  }

  listSchedules(
    query: { limit?: number; cursor?: string } = {},
  ): Promise<Page<Schedule>> {
    return this.request('GET', `/schedules${toQuery(query)}`);
  }

  getSchedule(id: string): Promise<Schedule> {
    return this.request('GET', `/schedules/${encodeURIComponent(id)}`);
  }

  updateSchedule(id: string, body: Partial<ScheduleInput>): Promise<Schedule> {
    return this.request('PATCH', `/schedules/${encodeURIComponent(id)}`, body);
  }

  deleteSchedule(id: string): Promise<void> {
    return this.request('DELETE', `/schedules/${encodeURIComponent(id)}`);
  }

  pauseSchedule(id: string): Promise<Schedule> {
    return this.request('POST', `/schedules/${encodeURIComponent(id)}/pause`);
  }

  resumeSchedule(id: string): Promise<Schedule> {
    return this.request('POST', `/schedules/${encodeURIComponent(id)}/resume`);
  }

  runSchedule(id: string): Promise<ScheduleRun> {
    return this.request('POST', `/schedules/${encodeURIComponent(id)}/run`);
  }

  listScheduleRuns(
    id: string,
    query: { limit?: number } = {},
  ): Promise<{ items: ScheduleRun[] }> {
    const path = `/schedules/${encodeURIComponent(id)}/runs${toQuery(query)}`;
    return this.request('GET', path);
  }

  getScheduleRun(id: string, runId: string): Promise<ScheduleRun> {
    return this.request(
      'GET',
      `/schedules/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}`,
    );
  }

  /** Tries one failed delivery of a run again, alone. */
  resendDelivery(
    id: string,
    runId: string,
    attemptId: string,
  ): Promise<ScheduleRun> {
    return this.request(
      'POST',
      `/schedules/${encodeURIComponent(id)}/runs/${encodeURIComponent(
        runId,
      )}/attempts/${encodeURIComponent(attemptId)}/resend`,
    );
  }

  /** GET /analytics over [from, to); ISO dates, at most 366 days. */
  getAnalytics(
    query: { from?: string; to?: string } = {},
  ): Promise<AnalyticsReport> {
    return this.request('GET', `/analytics${toQuery(query)}`);
  }

  /** Low-level access for routes this client has no method for yet. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }

  /** Sends a request and throws a ReboundApiError on an error answer. */
  async send(method: string, path: string, body?: unknown): Promise<Response> {
    const baseUrl = await resolve(this.options.baseUrl);
    const token = await resolve(this.options.token);
    const headers: Record<string, string> = {};
    if (token) {
      headers.authorization = `Bearer ${token}`;
    }
    let payload: FormData | string | undefined;
    if (body instanceof FormData) {
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }

    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: payload,
    });
    if (!response.ok) {
      throw await toApiError(response);
    }
    return response;
  }
}

async function resolve<T>(
  value: T | (() => Promise<T>) | undefined,
): Promise<T | undefined> {
  return typeof value === 'function' ? (value as () => Promise<T>)() : value;
}

function toQuery(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function toApiError(response: Response): Promise<ReboundApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    const error = body?.error ?? {};
    return new ReboundApiError(
      response.status,
      String(error.name ?? 'Error'),
      String(error.message ?? text),
    );
  } catch {
    return new ReboundApiError(response.status, 'Error', text);
  }
}
