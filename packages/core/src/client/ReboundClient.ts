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
  RowError,
} from './types';

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
  status?: JobStatus;
  type?: JobType;
  target?: string;
  limit?: number;
  cursor?: string;
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
    return this.request('GET', `/jobs${toQuery({ ...query })}`);
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

  getAnalysis(id: string): Promise<FailureAnalysis> {
    return this.request('GET', `/jobs/${encodeURIComponent(id)}/analysis`);
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
