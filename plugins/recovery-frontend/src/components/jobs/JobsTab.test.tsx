import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  BatchRecoveryRequest,
  BatchRecoveryResult,
  Job,
} from '@rebound/core/client';
import { http, HttpResponse } from 'msw';
import { File as PlatformFile } from 'node:buffer';
import { API, renderWithRebound, useMockBackend } from '../../testing/render';
import { BatchRecoverySummary } from './BatchRecoverySummary';
import { aJob, anAnalysis } from './fixtures';
import { JobsTab } from './JobsTab';

const server = useMockBackend();

type User = ReturnType<typeof userEvent.setup>;

/** Opens a Material-UI select by its label and picks an option. */
async function choose(user: User, label: string, option: string | RegExp) {
  await user.click(screen.getByLabelText(label));
  await user.click(await screen.findByRole('option', { name: option }));
}

const busy = aJob({ id: 'job-busy', fileName: 'contacts.csv' });
const broken = aJob({
  id: 'job-broken',
  fileName: 'orders.csv',
  target: 'erp',
  attempts: 2,
  failure: {
    type: 'data_loss',
    message: 'The source file changed since the upload',
    recoverability: 'low',
    confidence: 0.95,
    evidence: { code: 'source_changed' },
    at: '2026-12-04T11:00:00.000Z',
  },
});
const waiting = aJob({
  id: 'job-waiting',
  fileName: 'leads.csv',
  status: 'manual_intervention_required',
});

/** GET /jobs answering `pages` in turn per status; records each query. */
function serveJobs(pages: (status: string | null) => Job[][]) {
  const queries: URLSearchParams[] = [];
  const served = new Map<string, number>();
  server.use(
    http.get(`${API}/jobs`, ({ request }) => {
      const query = new URL(request.url).searchParams;
      queries.push(query);
      const key = query.get('status') ?? 'all';
      const turns = pages(query.get('status'));
      const turn = served.get(key) ?? 0;
      served.set(key, turn + 1);
      const items = turns[Math.min(turn, turns.length - 1)] ?? [];
      return HttpResponse.json({ items, nextCursor: null });
    }),
  );
  return queries;
}

function serveAnalyses(jobs: Job[]) {
  const asked: string[] = [];
  server.use(
    http.get(`${API}/jobs/:id/analysis`, ({ params }) => {
      const id = String(params.id);
      asked.push(id);
      const job = jobs.find(j => j.id === id)!;
      return HttpResponse.json(
        job.failure?.type === 'data_loss'
          ? anAnalysis(job, {
              strategy: 'manual_intervention',
              automatic: false,
              estimatedSuccess: 0,
              reason: 'The source file changed; upload it again.',
            })
          : anAnalysis(job, { estimatedSuccess: 0.87 }),
      );
    }),
  );
  return asked;
}

const rowOf = (fileName: string) =>
  screen.getByRole('link', { name: fileName }).closest('tr') as HTMLElement;

describe('JobsTab', () => {
  it('lists the failed jobs with their recoverability and the estimated success of their plan', async () => {
    const queries = serveJobs(() => [[busy, broken]]);
    const asked = serveAnalyses([busy, broken]);

    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });

    await screen.findByText('87%');
    // It opens on the jobs that may need a person: failed or waiting.
    expect(queries[0].get('status')).toBe(
      'failed,manual_intervention_required',
    );
    expect(queries[0].get('limit')).toBe('25');
    expect(asked.sort()).toEqual(['job-broken', 'job-busy']);

    const first = within(rowOf('contacts.csv'));
    expect(first.getByText('high')).toBeInTheDocument();
    expect(first.getByText('temporary resource')).toBeInTheDocument();
    expect(
      first.getByText(/answered 503 Service Unavailable/),
    ).toBeInTheDocument();
    expect(first.getByText('87%')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'contacts.csv' })).toHaveAttribute(
      'href',
      '/recovery/jobs/job-busy',
    );

    const second = within(rowOf('orders.csv'));
    expect(second.getByText('low')).toBeInTheDocument();
    expect(second.getByText('data loss')).toBeInTheDocument();
    expect(second.getByText('erp')).toBeInTheDocument();
    expect(second.getByText('manual intervention')).toBeInTheDocument();
    expect(second.getByText('2 recoveries run')).toBeInTheDocument();
  });

  it('filters by status and follows running jobs without a reload', async () => {
    const running = (percent: number) =>
      aJob({
        id: 'job-run',
        fileName: 'running.csv',
        status: 'running',
        failure: null,
        progress: { ...busy.progress, percent },
      });
    const done = aJob({
      id: 'job-done',
      fileName: 'done.csv',
      status: 'succeeded',
      failure: null,
    });
    const queries = serveJobs(status =>
      status === 'running' ? [[running(30)], [running(64)]] : [[done]],
    );
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await screen.findByText('done.csv');

    await choose(user, 'Status', 'Running');

    await screen.findByText('30.0%');
    expect(screen.queryByText('done.csv')).not.toBeInTheDocument();
    await screen.findByText('64.0%', {}, { timeout: 5000 });
    expect(
      screen.getByRole('progressbar', { name: 'Progress of running.csv' }),
    ).toHaveAttribute('aria-valuenow', '64');
    expect(queries.map(q => q.get('status'))).toEqual([
      'failed,manual_intervention_required',
      'running',
      'running',
    ]);
    // Only failed and waiting jobs have a plan to load.
    expect(
      within(rowOf('running.csv')).getAllByText('—').length,
    ).toBeGreaterThan(0);
  });

  it('prints no material-table warning while a running job updates', async () => {
    const running = (percent: number) =>
      aJob({
        id: 'job-run',
        fileName: 'running.csv',
        status: 'running',
        failure: null,
        progress: { ...busy.progress, percent },
      });
    serveJobs(() => [
      [running(30), waiting],
      [running(64), waiting],
    ]);
    serveAnalyses([waiting]);
    // The table library checks its props only in development builds.
    const environment = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    const warn = jest.spyOn(console, 'warn');
    try {
      await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
      await screen.findByText('30.0%');
      await screen.findByText('64.0%', {}, { timeout: 5000 });
    } finally {
      process.env.NODE_ENV = environment;
    }

    const tableWarnings = warn.mock.calls
      .map(args => String(args[0]))
      .filter(text => /material table|unique id/.test(text));
    warn.mockRestore();
    expect(tableWarnings).toEqual([]);
  });

  it('recovers the two selected jobs with the chosen options and shows what became of each', async () => {
    const third = aJob({ id: 'job-third', fileName: 'third.csv' });
    let listed = 0;
    server.use(
      http.get(`${API}/jobs`, () => {
        listed += 1;
        return HttpResponse.json({
          items: listed === 1 ? [busy, waiting, third] : [third],
          nextCursor: null,
        });
      }),
    );
    serveAnalyses([busy, waiting, third]);
    let body: BatchRecoveryRequest | undefined;
    server.use(
      http.post(`${API}/recoveries`, async ({ request }) => {
        body = (await request.json()) as BatchRecoveryRequest;
        return HttpResponse.json({
          dryRun: false,
          successful: [
            {
              jobId: 'job-busy',
              priority: 'high',
              reason: 'Recovery scheduled: the target was busy',
              status: 'pending',
            },
          ],
          failed: [],
          skipped: [
            {
              jobId: 'job-waiting',
              priority: 'high',
              reason: 'Not retried: check the credentials of the target',
            },
          ],
        } satisfies BatchRecoveryResult);
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await screen.findByText('contacts.csv');

    await user.click(
      screen.getByRole('checkbox', { name: 'Select contacts.csv' }),
    );
    await user.click(
      screen.getByRole('checkbox', { name: 'Select leads.csv' }),
    );
    expect(screen.getByText('2 selected')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Recover selected' }));

    const dialog = screen.getByRole('dialog', { name: 'Recover jobs' });
    const concurrency = within(dialog).getByLabelText('Concurrency');
    expect(concurrency).toHaveValue(4);
    await user.clear(concurrency);
    await user.type(concurrency, '2');
    await choose(user, 'Priority', 'high');
    await user.click(
      within(dialog).getByRole('switch', {
        name: 'Retry automatically if it fails again',
      }),
    );
    await user.click(
      within(dialog).getByRole('switch', {
        name: 'Also retry the jobs that wait for a person',
      }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Recover' }));

    expect(
      await within(dialog).findByText(/^1 successful, 0 failed, 1 skipped/),
    ).toBeInTheDocument();
    expect(body).toEqual({
      jobIds: ['job-busy', 'job-waiting'],
      concurrency: 2,
      priority: 'high',
      autoRetry: false,
      dryRun: false,
    });
    const successful = within(
      within(dialog).getByRole('list', { name: 'Successful jobs' }),
    );
    expect(
      successful.getByRole('link', { name: 'contacts.csv' }),
    ).toHaveAttribute('href', '/recovery/jobs/job-busy');
    expect(
      successful.getByText('Recovery scheduled: the target was busy'),
    ).toBeInTheDocument();
    const skipped = within(
      within(dialog).getByRole('list', { name: 'Skipped jobs' }),
    );
    expect(
      skipped.getByRole('link', { name: 'leads.csv' }),
    ).toBeInTheDocument();
    expect(
      skipped.getByText('Not retried: check the credentials of the target'),
    ).toBeInTheDocument();

    // The list behind reloads: the recovered jobs are no longer failed.
    await waitFor(() => expect(listed).toBe(2));
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByRole('link', { name: 'third.csv' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'contacts.csv' })).toBeNull();
    expect(screen.queryByText('2 selected')).toBeNull();
  });

  it('retries the chosen jobs that wait for a person, unless told not to', async () => {
    serveJobs(() => [[waiting]]);
    serveAnalyses([waiting]);
    let body: BatchRecoveryRequest | undefined;
    server.use(
      http.post(`${API}/recoveries`, async ({ request }) => {
        body = (await request.json()) as BatchRecoveryRequest;
        return HttpResponse.json({
          dryRun: false,
          successful: [
            { jobId: 'job-waiting', priority: 'normal', reason: 'Scheduled' },
          ],
          failed: [],
          skipped: [],
        } satisfies BatchRecoveryResult);
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await user.click(
      await screen.findByRole('checkbox', { name: 'Select leads.csv' }),
    );
    await user.click(screen.getByRole('button', { name: 'Recover selected' }));
    const dialog = screen.getByRole('dialog', { name: 'Recover jobs' });

    // Choosing a job that waits for a person is the decision to retry it.
    const include = within(dialog).getByRole('switch', {
      name: 'Also retry the jobs that wait for a person',
    });
    expect(include).toBeChecked();
    expect(
      within(dialog).getByText(/For when you have fixed the cause/),
    ).toBeInTheDocument();
    await user.click(include);
    expect(include).not.toBeChecked();
    expect(
      within(dialog).getByText(
        'Jobs whose plan needs a person are skipped and listed with the reason.',
      ),
    ).toBeInTheDocument();
    await user.click(include);
    await user.click(within(dialog).getByRole('button', { name: 'Recover' }));

    await within(dialog).findByText(/^1 successful/);
    expect(body).toMatchObject({
      jobIds: ['job-waiting'],
      includeManual: true,
    });
  });

  it('asks for a concurrency from 1 to 64 and sends nothing before', async () => {
    serveJobs(() => [[busy]]);
    serveAnalyses([busy]);
    let posted = false;
    server.use(
      http.post(`${API}/recoveries`, () => {
        posted = true;
        return HttpResponse.json({});
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await user.click(
      await screen.findByRole('checkbox', { name: 'Select contacts.csv' }),
    );
    await user.click(screen.getByRole('button', { name: 'Recover selected' }));
    const dialog = screen.getByRole('dialog', { name: 'Recover jobs' });

    const concurrency = within(dialog).getByLabelText('Concurrency');
    await user.clear(concurrency);
    await user.type(concurrency, '65');

    expect(
      within(dialog).getByText(
        'Concurrency must be a whole number from 1 to 64.',
      ),
    ).toBeInTheDocument();
    const recover = within(dialog).getByRole('button', { name: 'Recover' });
    expect(recover).toBeDisabled();
    expect(recover).toHaveAttribute(
      'aria-description',
      'Concurrency must be a whole number from 1 to 64.',
    );
    expect(posted).toBe(false);
  });

  it('shows the plans of a dry run and leaves the list as it is', async () => {
    const queries = serveJobs(() => [[busy]]);
    serveAnalyses([busy]);
    let body: BatchRecoveryRequest | undefined;
    server.use(
      http.post(`${API}/recoveries`, async ({ request }) => {
        body = (await request.json()) as BatchRecoveryRequest;
        return HttpResponse.json({
          dryRun: true,
          successful: [
            {
              jobId: 'job-busy',
              priority: 'normal',
              reason: 'Would automatic retry: the target was busy',
            },
          ],
          failed: [],
          skipped: [],
        } satisfies BatchRecoveryResult);
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await user.click(
      await screen.findByRole('checkbox', {
        name: 'Select all jobs on this page',
      }),
    );
    await user.click(screen.getByRole('button', { name: 'Recover selected' }));
    const dialog = screen.getByRole('dialog', { name: 'Recover jobs' });
    await user.click(within(dialog).getByRole('switch', { name: 'Dry run' }));
    await user.click(within(dialog).getByRole('button', { name: 'Recover' }));

    expect(
      await within(dialog).findByText(
        /^Dry run, nothing changed: 1 successful/,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('Would automatic retry: the target was busy'),
    ).toBeInTheDocument();
    expect(body).toEqual({
      jobIds: ['job-busy'],
      concurrency: 4,
      autoRetry: true,
      dryRun: true,
    });
    expect(queries).toHaveLength(1);

    await user.click(
      within(dialog).getByRole('button', { name: 'Change options' }),
    );
    expect(
      within(dialog).getByRole('switch', { name: 'Dry run' }),
    ).toBeChecked();
  });

  it('says what to select before "Recover selected" works', async () => {
    const done = aJob({
      id: 'job-done',
      fileName: 'done.csv',
      status: 'succeeded',
      failure: null,
    });
    serveJobs(() => [[done]]);
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, {
      route: '/recovery/jobs?status=all',
    });
    const button = () =>
      screen.getByRole('button', { name: 'Recover selected' });
    await screen.findByText('done.csv');
    await waitFor(() =>
      expect(button()).toHaveAttribute(
        'aria-description',
        'Select the jobs to recover first.',
      ),
    );

    await user.click(screen.getByRole('checkbox', { name: 'Select done.csv' }));

    expect(button()).toHaveAttribute(
      'aria-description',
      'Only failed jobs and jobs waiting for manual intervention can be recovered.',
    );
    expect(button()).toBeDisabled();
  });

  it('says nothing needs a person when no job failed or waits', async () => {
    serveJobs(() => [[]]);
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });

    expect(
      await screen.findByText(/No job has failed or waits for a person/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toHaveTextContent(
      'Failed or waiting for a person',
    );
  });

  it('keeps the selection of one page when another is shown, and recovers both', async () => {
    const later = aJob({ id: 'job-later', fileName: 'later.csv' });
    server.use(
      http.get(`${API}/jobs`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(
          cursor === 'c2'
            ? { items: [later], nextCursor: null }
            : { items: [busy], nextCursor: 'c2' },
        );
      }),
    );
    serveAnalyses([busy, later]);
    let body: BatchRecoveryRequest | undefined;
    server.use(
      http.post(`${API}/recoveries`, async ({ request }) => {
        body = (await request.json()) as BatchRecoveryRequest;
        return HttpResponse.json({
          dryRun: false,
          successful: [],
          failed: [],
          skipped: [],
        } satisfies BatchRecoveryResult);
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await user.click(
      await screen.findByRole('checkbox', { name: 'Select contacts.csv' }),
    );
    const pages = within(
      screen.getByRole('navigation', { name: 'Pages of jobs' }),
    );

    await user.click(pages.getByRole('button', { name: 'Next page' }));
    await user.click(
      await screen.findByRole('checkbox', { name: 'Select later.csv' }),
    );

    expect(
      screen.getByText('2 selected, 1 of them on other pages'),
    ).toBeInTheDocument();
    await user.click(pages.getByRole('button', { name: 'Previous page' }));
    expect(
      await screen.findByRole('checkbox', { name: 'Select contacts.csv' }),
    ).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Recover selected' }));
    const dialog = screen.getByRole('dialog', { name: 'Recover jobs' });
    await user.click(within(dialog).getByRole('button', { name: 'Recover' }));
    await waitFor(() =>
      expect(body?.jobIds?.sort()).toEqual(['job-busy', 'job-later']),
    );
    // Nothing was recovered: the summary must not look like a success.
    const summary = await within(dialog).findByText(/^Nothing was recovered/);
    expect(summary.closest('[role="status"]')).toHaveClass(
      'MuiAlert-standardWarning',
    );
  });

  it('pages through the jobs with the cursor of the answer', async () => {
    const later = aJob({ id: 'job-later', fileName: 'later.csv' });
    const cursors: (string | null)[] = [];
    server.use(
      http.get(`${API}/jobs`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        return HttpResponse.json(
          cursor === 'c2'
            ? { items: [later], nextCursor: null }
            : { items: [busy], nextCursor: 'c2' },
        );
      }),
    );
    serveAnalyses([busy, later]);
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await screen.findByText('contacts.csv');
    const pages = within(
      screen.getByRole('navigation', { name: 'Pages of jobs' }),
    );

    await user.click(pages.getByRole('button', { name: 'Next page' }));

    await screen.findByText('later.csv');
    expect(screen.queryByText('contacts.csv')).not.toBeInTheDocument();
    expect(pages.getByText('Page 2')).toBeInTheDocument();
    expect(pages.getByRole('button', { name: 'Next page' })).toBeDisabled();
    await user.click(pages.getByRole('button', { name: 'Previous page' }));
    await screen.findByText('contacts.csv');
    expect(cursors).toEqual([null, 'c2', null]);
  });

  it('says what failed and what to try when the jobs cannot be loaded', async () => {
    server.use(
      http.get(`${API}/jobs`, () =>
        HttpResponse.json(
          {
            error: { name: 'Error', message: 'database is locked' },
            response: { statusCode: 500 },
          },
          { status: 500 },
        ),
      ),
    );
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Loading the jobs failed (HTTP 500)');
    expect(alert).toHaveTextContent('database is locked');
    expect(alert).toHaveTextContent('The recovery backend failed: try again');
  });

  it('says which plans could not be loaded', async () => {
    serveJobs(() => [[busy, broken]]);
    server.use(
      http.get(`${API}/jobs/:id/analysis`, ({ params }) =>
        params.id === 'job-busy'
          ? HttpResponse.json(anAnalysis(busy))
          : HttpResponse.json(
              {
                error: {
                  name: 'NotFoundError',
                  message: 'There is no job job-broken.',
                },
                response: { statusCode: 404 },
              },
              { status: 404 },
            ),
      ),
    );
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Loading the recovery plan of 1 job failed (HTTP 404)',
    );
    expect(alert).toHaveTextContent('There is no job job-broken.');
    expect(within(rowOf('contacts.csv')).getByText('87%')).toBeInTheDocument();
  });

  it('folds the facts of each job into four columns beside the selection', async () => {
    const once = aJob({ id: 'job-once', fileName: 'once.csv', attempts: 1 });
    const fresh = aJob({ id: 'job-fresh', fileName: 'fresh.csv', attempts: 0 });
    serveJobs(() => [[broken, once, fresh]]);
    serveAnalyses([broken, once, fresh]);
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await screen.findByRole('link', { name: 'fresh.csv' });
    await within(rowOf('fresh.csv')).findByText('87%');

    // Ten columns did not fit a 1024 px window; four and the checkboxes do.
    expect(
      screen.getAllByRole('columnheader').map(header => header.textContent),
    ).toEqual(['', 'Status', 'File', 'Failure', 'Estimated success']);
    const [, status, file, failure, estimate] = within(
      rowOf('orders.csv'),
    ).getAllByRole('cell');
    expect(status).toHaveTextContent(
      /^failedFailed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d2 recoveries run$/,
    );
    expect(
      within(file).getByRole('link', { name: 'orders.csv' }),
    ).toHaveAttribute('title', 'orders.csv');
    expect(within(file).getByText('api upload')).toBeInTheDocument();
    expect(within(file).getByText('erp')).toBeInTheDocument();
    expect(within(failure).getByText('data loss')).toBeInTheDocument();
    expect(within(failure).getByText('low')).toBeInTheDocument();
    expect(within(failure).getByText('recoverability')).toBeInTheDocument();
    // Clamped to three lines in the table; the whole message on hover.
    expect(
      within(failure).getByText('The source file changed since the upload'),
    ).toHaveAttribute('title', 'The source file changed since the upload');
    expect(estimate).toHaveTextContent('manual intervention');
    const [, onceStatus, , , onceEstimate] = within(
      rowOf('once.csv'),
    ).getAllByRole('cell');
    expect(onceStatus).toHaveTextContent(/1 recovery run$/);
    expect(onceEstimate).toHaveTextContent('87%automatic retry');
    // A job that failed on its first run has had no recovery.
    expect(
      within(rowOf('fresh.csv')).getAllByRole('cell')[1],
    ).toHaveTextContent(/not recovered yet$/);
  });

  it('says a chosen file is empty where it shows the first line', async () => {
    serveJobs(() => [[]]);
    server.use(
      http.get(`${API}/targets`, () =>
        HttpResponse.json({
          items: [
            { name: 'crm', type: 'http', batchSize: 200, timeoutMs: 45_000 },
          ],
        }),
      ),
    );
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await screen.findByText('No jobs to show');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Upload CSV' })).toBeEnabled(),
    );
    await user.click(screen.getByRole('button', { name: 'Upload CSV' }));
    const dialog = within(
      screen.getByRole('dialog', { name: 'Upload a CSV file' }),
    );
    await dialog.findByLabelText('Target');

    await user.upload(
      dialog.getByLabelText('CSV file'),
      new PlatformFile([], 'empty.csv', {
        type: 'text/csv',
      }) as unknown as File,
    );

    // The header line and the reason on the Upload button say the same.
    const empty =
      'empty.csv is empty; choose a CSV file whose first line names the columns.';
    await waitFor(() =>
      expect(document.getElementById('upload-header')).toHaveTextContent(empty),
    );
    expect(dialog.getByRole('button', { name: 'Upload' })).toHaveAttribute(
      'aria-description',
      empty,
    );
  });

  it('lets the reason of a skipped job wrap in full', async () => {
    const reason =
      'Not retried: The file cannot be parsed at data row 1 (line 4 of the file): a quoted field is never closed; find the stray quote and close or escape it ("" inside quotes).';
    await renderWithRebound(
      <BatchRecoverySummary
        result={{
          dryRun: false,
          successful: [],
          failed: [],
          skipped: [{ jobId: 'job-broken', priority: 'normal', reason }],
        }}
        jobs={[broken]}
        jobLink={id => `/recovery/jobs/${id}`}
      />,
    );

    // A dense list item keeps to one line and cuts the rest off unseen.
    // jsdom does not inherit white-space: the nearest value set applies.
    let element: HTMLElement | null = screen.getByText(reason);
    let whiteSpace = '';
    while (element && !whiteSpace) {
      whiteSpace = getComputedStyle(element).whiteSpace;
      element = element.parentElement;
    }
    expect(whiteSpace).toBe('normal');
  });
});
