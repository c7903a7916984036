import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FailureAnalysis, Job, RowError } from '@rebound/core/client';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import { captureDownloads } from '../../testing/downloads';
import { button } from '../../testing/queries';
import { API, renderWithRebound, useMockBackend } from '../../testing/render';
import { aJob, anAnalysis, anAttempt, aRowError } from './fixtures';
import { ProgressCard } from './JobCards';
import { JobPage } from './JobPage';
import { RowErrorsTable } from './JobTables';

const server = useMockBackend();

const EMPTY_PAGE = { items: [], nextCursor: null };

/** The routes of one job; `jobs` answers GET /jobs/:id in turn. */
function serveJob(
  jobs: Job[],
  options: {
    analysis?: (job: Job) => FailureAnalysis;
    errors?: (cursor: string | null) => {
      items: RowError[];
      nextCursor: string | null;
    };
  } = {},
) {
  let served = 0;
  server.use(
    http.get(`${API}/jobs/:id`, () => {
      const job = jobs[Math.min(served, jobs.length - 1)];
      served += 1;
      return HttpResponse.json(job);
    }),
    http.get(`${API}/jobs/:id/analysis`, () => {
      const job = jobs[Math.min(served, jobs.length) - 1] ?? jobs[0];
      return HttpResponse.json(
        options.analysis ? options.analysis(job) : anAnalysis(job),
      );
    }),
    http.get(`${API}/jobs/:id/errors`, ({ request }) => {
      const cursor = new URL(request.url).searchParams.get('cursor');
      return HttpResponse.json(options.errors?.(cursor) ?? EMPTY_PAGE);
    }),
    http.get(`${API}/recoveries`, () => HttpResponse.json(EMPTY_PAGE)),
  );
  return { served: () => served };
}

async function renderPage(jobId = 'job-1') {
  await renderWithRebound(
    <Routes>
      <Route path="/recovery/jobs/:jobId" element={<JobPage />} />
    </Routes>,
    { route: `/recovery/jobs/${jobId}` },
  );
}

/** The value next to a label in one of the page's cards. */
function factOf(card: string, label: string): HTMLElement {
  const [container] = screen
    .getAllByText(card)
    .map(title => title.closest<HTMLElement>('.MuiCard-root'))
    .filter((found): found is HTMLElement => found !== null);
  const title = within(container)
    .getAllByRole('cell')
    .find(cell => cell.textContent === label);
  if (!title) {
    throw new Error(`The card "${card}" shows no "${label}".`);
  }
  return title.nextElementSibling as HTMLElement;
}

const runningJob = (percent: number, rowsDone: number, eta: number) =>
  aJob({
    id: 'job-1',
    fileName: 'contacts.csv',
    status: 'running',
    failure: null,
    progress: {
      rowsTotal: 10_000,
      rowsDone,
      rowsAccepted: rowsDone,
      rowsRejected: 0,
      rowsQuarantined: 0,
      bytesTotal: 1_000_000,
      bytesDone: percent * 10_000,
      percent,
      rowsPerSecond: 900,
      etaSeconds: eta,
    },
  });

const notRecoverable = (job: Job): FailureAnalysis => ({
  jobId: job.id,
  status: job.status,
  failure: job.failure,
  plan: null,
  recoverable: false,
  reason: `Job ${job.id} is ${job.status}; only failed jobs can be recovered.`,
  history: { attempts: 0, lastOutcome: null },
});

describe('JobPage', () => {
  it('follows a running job: progress, rows, rate and time left, without a reload', async () => {
    const backend = serveJob(
      [runningJob(40, 4_000, 7), runningJob(75, 7_500, 3)],
      { analysis: notRecoverable },
    );
    await renderPage();

    await screen.findByRole('heading', { name: 'contacts.csv' });
    expect(
      screen.getByRole('progressbar', { name: 'Progress' }),
    ).toHaveAttribute('aria-valuenow', '40');
    expect(screen.getByText('40.0%')).toBeInTheDocument();
    expect(screen.getByText('4,000 of 10,000')).toBeInTheDocument();
    expect(screen.getByText('900')).toBeInTheDocument();
    expect(screen.getByText('about 7 s')).toBeInTheDocument();

    await screen.findByText('75.0%', {}, { timeout: 5000 });
    expect(screen.getByText('7,500 of 10,000')).toBeInTheDocument();
    expect(screen.getByText('about 3 s')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Progress' }),
    ).toHaveAttribute('aria-valuenow', '75');
    expect(backend.served()).toBeGreaterThanOrEqual(2);
    expect(
      await screen.findByText(
        'Job job-1 is running; only failed jobs can be recovered.',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(button('Recover')).toHaveAttribute(
        'aria-description',
        'Only failed jobs and jobs waiting for manual intervention can be recovered. This job is running.',
      ),
    );
    expect(button('Cancel job')).toBeEnabled();
  });

  it('shows the failure, the checkpoint and the plan a recovery would follow', async () => {
    const job = aJob({
      id: 'job-1',
      fileName: 'contacts.csv',
      attempts: 1,
      settings: { ...aJob().settings, autoRetry: false },
      checkpoint: {
        ...aJob().checkpoint!,
        inDoubt: { firstRow: 301, lastRow: 400 },
      },
    });
    serveJob([job], {
      analysis: j =>
        anAnalysis(j, {
          strategy: 'retry_with_adjustments',
          reason: 'The batch of 500 rows was too large; retry with 250.',
          adjustments: { batchSize: 250, timeoutMs: 60_000 },
          delayMs: 2_000,
          estimatedSuccess: 0.72,
          resumeFrom: { row: 300, byteOffset: 3_600, replayInDoubt: true },
          actions: ['Check the size limit of the target.'],
          attempt: 12,
          maxAttempts: 5,
          stalledAttempts: 1,
          maxTotalAttempts: 200,
        }),
    });
    await renderPage();

    await screen.findByText('retry with adjustments');
    expect(factOf('Recovery plan', 'Reason')).toHaveTextContent(
      'The batch of 500 rows was too large; retry with 250.',
    );
    expect(factOf('Recovery plan', 'Adjustments')).toHaveTextContent(
      'Batch size 250 rows',
    );
    expect(factOf('Recovery plan', 'Adjustments')).toHaveTextContent(
      'Timeout 1 min 0 s',
    );
    expect(factOf('Recovery plan', 'Delay')).toHaveTextContent('2 s');
    expect(factOf('Recovery plan', 'Estimated success')).toHaveTextContent(
      '72%',
    );
    expect(factOf('Recovery plan', 'Resumes from')).toHaveTextContent(
      'Row 300, byte 3,600',
    );
    expect(
      factOf('Recovery plan', 'In-doubt batch replayed'),
    ).toHaveTextContent('Yes');
    expect(factOf('Recovery plan', 'Actions for a person')).toHaveTextContent(
      'Check the size limit of the target.',
    );
    // Twelve recoveries, but only the last one stalled: the cap is far.
    expect(factOf('Recovery plan', 'Attempt')).toHaveTextContent(
      'Recovery 12 of at most 200; 1 of 5 allowed in a row without progress',
    );

    expect(factOf('Failure analysis', 'Type')).toHaveTextContent(
      'temporary resource',
    );
    expect(factOf('Failure analysis', 'Recoverability')).toHaveTextContent(
      'high',
    );
    expect(factOf('Failure analysis', 'Confidence')).toHaveTextContent('95%');
    expect(factOf('Failure analysis', 'Evidence')).toHaveTextContent(
      'HTTP status: 503',
    );
    expect(factOf('Checkpoint', 'Byte offset')).toHaveTextContent('3,600');
    expect(factOf('Checkpoint', 'In-doubt batch')).toHaveTextContent(
      'Rows 301–400',
    );
    expect(factOf('Job', 'SHA-256')).toHaveTextContent('ab'.repeat(32));
    expect(factOf('Job', 'Automatic retry')).toHaveTextContent(
      'Off: if its recovery fails, the job waits for a person',
    );
    await waitFor(() => expect(button('Recover')).toBeEnabled());
  });

  it('recovers the job and reloads it', async () => {
    const failed = aJob({ id: 'job-1', fileName: 'contacts.csv' });
    const pending = aJob({
      ...failed,
      status: 'pending',
      attempts: 1,
      version: 4,
    });
    let recovered = false;
    server.use(
      http.post(`${API}/jobs/:id/recover`, async ({ params, request }) => {
        recovered = params.id === 'job-1';
        expect(await request.json()).toEqual({});
        return HttpResponse.json({
          job: pending,
          plan: anAnalysis(failed).plan,
        });
      }),
    );
    serveJob([failed, pending], {
      analysis: job =>
        job.status === 'failed' ? anAnalysis(job) : notRecoverable(job),
    });
    const user = userEvent.setup();
    await renderPage();
    await waitFor(() => expect(button('Recover')).toBeEnabled());

    await user.click(button('Recover'));

    expect(
      await screen.findByText(
        'Recovery scheduled: The target was busy; retry after a backoff.',
      ),
    ).toBeInTheDocument();
    expect(recovered).toBe(true);
    await waitFor(() =>
      expect(factOf('Job', 'Status')).toHaveTextContent('pending'),
    );
  });

  it('drops the recovery notice once that recovery has ended', async () => {
    const failed = aJob({ id: 'job-1', fileName: 'contacts.csv' });
    const pending = aJob({
      ...failed,
      status: 'pending',
      attempts: 1,
      version: 4,
    });
    const failedAgain = aJob({ ...failed, attempts: 1, version: 6 });
    server.use(
      http.post(`${API}/jobs/:id/recover`, () =>
        HttpResponse.json({ job: pending, plan: anAnalysis(failed).plan }),
      ),
    );
    serveJob([failed, pending, failedAgain], {
      analysis: job =>
        job.status === 'failed' ? anAnalysis(job) : notRecoverable(job),
    });
    const user = userEvent.setup();
    await renderPage();
    await waitFor(() => expect(button('Recover')).toBeEnabled());

    await user.click(button('Recover'));
    await screen.findByText(/^Recovery scheduled/);
    await waitFor(() =>
      expect(factOf('Job', 'Status')).toHaveTextContent('pending'),
    );

    await waitFor(
      () => expect(factOf('Job', 'Recoveries run')).toHaveTextContent('1'),
      { timeout: 9000 },
    );
    await waitFor(() =>
      expect(factOf('Job', 'Status')).toHaveTextContent('failed'),
    );
    await waitFor(() =>
      expect(screen.queryByText(/^Recovery scheduled/)).toBeNull(),
    );
  });

  it('cancels the job once the user confirms', async () => {
    const failed = aJob({ id: 'job-1', fileName: 'contacts.csv' });
    let cancelled = 0;
    server.use(
      http.post(`${API}/jobs/:id/cancel`, () => {
        cancelled += 1;
        return HttpResponse.json({ ...failed, status: 'cancelled' });
      }),
    );
    serveJob([failed, { ...failed, status: 'cancelled', version: 4 }]);
    const user = userEvent.setup();
    await renderPage();
    await waitFor(() => expect(button('Cancel job')).toBeEnabled());

    await user.click(button('Cancel job'));
    const dialog = screen.getByRole('dialog', { name: 'Cancel contacts.csv?' });
    expect(cancelled).toBe(0);
    // What stays at the target, so that the file is not sent twice.
    expect(dialog).toHaveTextContent(
      "The 300 rows it delivered stay at target 'crm'; uploading the file again would send them a second time.",
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Cancel job' }),
    );

    await screen.findByText('The job was cancelled.');
    expect(cancelled).toBe(1);
    await waitFor(() =>
      expect(button('Cancel job')).toHaveAttribute(
        'aria-description',
        'Finished jobs cannot be cancelled. This job was cancelled.',
      ),
    );
  });

  it('says why a succeeded job can be neither recovered nor cancelled', async () => {
    const done = aJob({
      id: 'job-1',
      fileName: 'contacts.csv',
      status: 'succeeded',
      failure: null,
      fileRemovedAt: '2026-12-04T12:00:00.000Z',
    });
    serveJob([done], { analysis: notRecoverable });
    await renderPage();
    await screen.findByRole('heading', { name: 'contacts.csv' });

    await waitFor(() =>
      expect(button('Recover')).toHaveAttribute(
        'aria-description',
        'Only failed jobs and jobs waiting for manual intervention can be recovered. This job succeeded.',
      ),
    );
    expect(button('Cancel job')).toHaveAttribute(
      'aria-description',
      'Finished jobs cannot be cancelled. This job succeeded.',
    );
    expect(button('Download quarantined rows')).toHaveAttribute(
      'aria-description',
      'This job has no quarantined rows.',
    );
    expect(
      screen.getByText('The job has not failed: there is nothing to analyse.'),
    ).toBeInTheDocument();
    expect(factOf('Job', 'Stored file')).toHaveTextContent(
      /^Removed at 2026-12-04 \d\d:00:00, .* upload it as a new job\.$/,
    );
  });

  it('says why a plan that needs a person cannot be run from here', async () => {
    const job = aJob({ id: 'job-1', fileName: 'contacts.csv' });
    serveJob([job], {
      analysis: j =>
        anAnalysis(j, {
          strategy: 'manual_intervention',
          automatic: false,
          reason: 'The source file is missing or changed.',
          actions: ['Upload the file again as a new job.'],
        }),
    });
    await renderPage();

    await waitFor(() =>
      expect(button('Recover')).toHaveAttribute(
        'aria-description',
        'A recovery would not run the job: The source file is missing or changed.',
      ),
    );
    expect(factOf('Recovery plan', 'Actions for a person')).toHaveTextContent(
      'Upload the file again as a new job.',
    );
  });

  it('cancels once when the confirmation is clicked twice', async () => {
    const failed = aJob({ id: 'job-1', fileName: 'contacts.csv' });
    let cancelled = 0;
    server.use(
      http.post(`${API}/jobs/:id/cancel`, () => {
        cancelled += 1;
        return cancelled === 1
          ? HttpResponse.json({ ...failed, status: 'cancelled' })
          : HttpResponse.json(
              { error: { name: 'ConflictError', message: 'Job is cancelled' } },
              { status: 409 },
            );
      }),
    );
    serveJob([failed, { ...failed, status: 'cancelled', version: 4 }]);
    const user = userEvent.setup();
    await renderPage();
    await waitFor(() => expect(button('Cancel job')).toBeEnabled());
    await user.click(button('Cancel job'));
    const dialog = screen.getByRole('dialog', { name: 'Cancel contacts.csv?' });

    await user.dblClick(
      within(dialog).getByRole('button', { name: 'Cancel job' }),
    );

    await screen.findByText('The job was cancelled.');
    expect(cancelled).toBe(1);
    expect(screen.queryByText(/Cancelling the job failed/)).toBeNull();
  });

  it('keeps following a failed job, which automatic recovery may take up', async () => {
    const failed = aJob({ id: 'job-1', fileName: 'contacts.csv' });
    const resumed = runningJob(50, 5_000, 4);
    const backend = serveJob([failed, resumed], {
      analysis: job =>
        job.status === 'failed' ? anAnalysis(job) : notRecoverable(job),
    });
    await renderPage();
    await waitFor(() =>
      expect(factOf('Job', 'Status')).toHaveTextContent('failed'),
    );

    await waitFor(
      () => expect(factOf('Job', 'Status')).toHaveTextContent('running'),
      { timeout: 9000 },
    );
    expect(backend.served()).toBeGreaterThanOrEqual(2);
    expect(screen.getByText('50.0%')).toBeInTheDocument();
  });

  it('shows a stale running job without a rate or time left', async () => {
    await renderWithRebound(
      <ProgressCard job={runningJob(40, 4_000, 7)} stale />,
    );

    expect(
      screen.getByText(
        'Updates stopped: the figures are the last ones Rebound sent.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('about 7 s')).toBeNull();
    expect(screen.queryByText('900')).toBeNull();
    expect(screen.getAllByText('unknown')).toHaveLength(2);
    expect(screen.getByText('4,000 of 10,000')).toBeInTheDocument();
  });

  it('pages the row errors with the cursor of the answer', async () => {
    const cursors: (string | null)[] = [];
    serveJob([aJob({ id: 'job-1', fileName: 'contacts.csv' })], {
      errors: cursor => {
        cursors.push(cursor);
        return cursor === 'after-2'
          ? {
              items: [aRowError(7, { kind: 'rejected', column: undefined })],
              nextCursor: null,
            }
          : { items: [aRowError(1), aRowError(2)], nextCursor: 'after-2' };
      },
    });
    const user = userEvent.setup();
    await renderPage();

    await screen.findByText('not-an-email-1');
    const first = screen.getByText('not-an-email-2').closest('tr')!;
    expect(within(first).getByText('email')).toBeInTheDocument();
    expect(within(first).getByText('pattern')).toBeInTheDocument();
    expect(
      within(first).getByText('Row 2: email does not match the pattern'),
    ).toBeInTheDocument();
    expect(within(first).getByText('quarantined')).toBeInTheDocument();

    const pages = within(
      screen.getByRole('navigation', { name: 'Pages of row errors' }),
    );
    await user.click(pages.getByRole('button', { name: 'Next page' }));

    await screen.findByText('not-an-email-7');
    expect(screen.queryByText('not-an-email-1')).not.toBeInTheDocument();
    const row = screen.getByText('not-an-email-7').closest('tr')!;
    expect(within(row).getByText('rejected')).toBeInTheDocument();
    expect(cursors).toEqual([null, 'after-2']);
  });

  it.each([
    {
      kind: 'quarantined',
      label: 'Download quarantined rows',
      other: 'Download rejected rows',
      otherReason: 'The target rejected no row of this job.',
      path: 'quarantine.csv',
      file: 'contacts-quarantine.csv',
      progress: { rowsQuarantined: 2 },
    },
    {
      kind: 'rejected',
      label: 'Download rejected rows',
      other: 'Download quarantined rows',
      otherReason: 'This job has no quarantined rows.',
      path: 'rejected.csv',
      file: 'contacts-rejected.csv',
      progress: { rowsRejected: 1 },
    },
  ])('downloads the $kind rows as $file', async rows => {
    const job = aJob({
      id: 'job-1',
      fileName: 'contacts.csv',
      progress: { ...aJob().progress, ...rows.progress },
    });
    serveJob([job]);
    const csv = `id,email,error_row,error_column,error_message\n4,x,4,email,${rows.kind}\n`;
    server.use(
      http.get(`${API}/jobs/:id/${rows.path}`, ({ params }) =>
        params.id === 'job-1'
          ? new HttpResponse(csv, { headers: { 'content-type': 'text/csv' } })
          : new HttpResponse(null, { status: 404 }),
      ),
    );
    const downloads = captureDownloads(`blob:${rows.kind}`);
    const user = userEvent.setup();
    try {
      await renderPage();
      await waitFor(() => expect(button(rows.label)).toBeEnabled());
      expect(button(rows.other)).toHaveAttribute(
        'aria-description',
        rows.otherReason,
      );

      await user.click(button(rows.label));

      await waitFor(() =>
        expect(downloads.clicks).toEqual([
          { href: `blob:${rows.kind}`, download: rows.file },
        ]),
      );
      expect(downloads.files).toHaveLength(1);
      expect(await downloads.files[0].text()).toBe(csv);
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('lists the recovery history of the job', async () => {
    serveJob([aJob({ id: 'job-1', fileName: 'contacts.csv', attempts: 2 })]);
    const asked: (string | null)[] = [];
    server.use(
      http.get(`${API}/recoveries`, ({ request }) => {
        asked.push(new URL(request.url).searchParams.get('jobId'));
        return HttpResponse.json({
          items: [
            anAttempt({
              id: 'a2',
              attempt: 2,
              trigger: 'automatic',
              requestedBy: null,
            }),
            anAttempt(),
          ],
          nextCursor: null,
        });
      }),
    );
    await renderPage();

    const outcome = await screen.findAllByText(
      'Failed again: 503 from the target',
    );
    expect(outcome).toHaveLength(2);
    const latest = outcome[0].closest('tr')!;
    expect(within(latest).getByText('automatic')).toBeInTheDocument();
    expect(
      within(latest).getByText('the automatic recovery'),
    ).toBeInTheDocument();
    expect(within(latest).getByText('1 min 5 s')).toBeInTheDocument();
    expect(within(latest).getByText('120')).toBeInTheDocument();
    const older = outcome[1].closest('tr')!;
    expect(within(older).getByText('user:default/ada')).toBeInTheDocument();
    expect(asked).toEqual(['job-1']);
  });

  it('says what failed and what to try when the job cannot be loaded', async () => {
    server.use(
      http.get(`${API}/jobs/:id`, () =>
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: 'There is no job nope.' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await renderPage('nope');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Loading job nope failed (HTTP 404)');
    expect(alert).toHaveTextContent('There is no job nope.');
    expect(alert).toHaveTextContent(
      'It may have been deleted or may have expired: go back to the list and reload it.',
    );
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeEnabled();
    expect(screen.getByRole('link', { name: '← All jobs' })).toHaveAttribute(
      'href',
      '/recovery/jobs',
    );
  });

  it('tells a decision that the job needs a person apart from the recovery that follows', async () => {
    serveJob([aJob({ id: 'job-1', fileName: 'contacts.csv', attempts: 3 })]);
    server.use(
      http.get(`${API}/recoveries`, () =>
        HttpResponse.json({
          items: [
            anAttempt({
              id: 'a3',
              attempt: 3,
              status: 'succeeded',
              outcome: 'Recovered: 1,000 rows',
              durationMs: 2_000,
              rowsProcessed: 1,
            }),
            anAttempt({
              id: 'a3-decision',
              attempt: 3,
              trigger: 'automatic',
              requestedBy: null,
              strategy: 'manual_intervention',
              status: 'manual',
              outcome: "The job's last 2 recoveries made no progress.",
              startedAt: null,
              durationMs: null,
              rowsProcessed: null,
            }),
          ],
          nextCursor: null,
        }),
      ),
    );
    await renderPage();

    const decided = await screen.findByText(
      "The job's last 2 recoveries made no progress.",
    );
    const history = decided.closest('table')!;
    expect(
      within(history)
        .getAllByRole('columnheader')
        .map(header => header.textContent),
    ).toEqual(['Attempt', 'Trigger', 'Strategy', 'Outcome', 'Run']);
    const [decision, attempt, trigger, strategy, , run] = [
      decided.closest('tr')!,
      ...within(decided.closest('tr')!).getAllByRole('cell'),
    ];
    // The decision ran nothing: it is no attempt of its own.
    expect(attempt).toHaveTextContent('— (decision)');
    expect(trigger).toHaveTextContent('automaticthe automatic recovery');
    expect(strategy).toHaveTextContent('manual interventiontemporary resource');
    expect(run).toHaveTextContent('Decided: no run, no rows processed');
    expect(within(decision).getByText('manual')).toBeInTheDocument();
    const [recovery, , , outcome, ran] = within(
      screen.getByText('Recovered: 1,000 rows').closest('tr')!,
    ).getAllByRole('cell');
    expect(recovery).toHaveTextContent(/^3$/);
    expect(outcome).toHaveTextContent('succeededRecovered: 1,000 rows');
    expect(ran).toHaveTextContent(/Took 2 s1 row processed$/);
  });

  it('says on the page why a job that failed before its first row has no row errors', async () => {
    const job = aJob({
      id: 'job-1',
      fileName: 'broken.csv',
      checkpoint: null,
      progress: { ...aJob().progress, rowsDone: 0, rowsAccepted: 0 },
      failure: {
        ...aJob().failure!,
        type: 'data_quality',
        message: 'The file cannot be parsed at data row 1.',
      },
    });
    serveJob([job]);
    await renderPage();

    expect(
      await screen.findByText(
        'No row was set aside: the job failed (data quality) before any row was checked. The failure analysis says what to fix.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a finished time only once the job has finished', async () => {
    // A recovered job waits again; its last run ended when it failed.
    serveJob([
      aJob({
        id: 'job-1',
        fileName: 'contacts.csv',
        status: 'pending',
        attempts: 1,
        finishedAt: '2026-12-04T10:05:00.000Z',
      }),
    ]);
    await renderPage();

    await waitFor(() =>
      expect(factOf('Job', 'Status')).toHaveTextContent('pending'),
    );
    expect(factOf('Job', 'Finished')).toHaveTextContent(/^—$/);
  });

  it('reads the rows of the batch a target refused as a range', async () => {
    const failure = aJob().failure!;
    serveJob([
      aJob({
        id: 'job-1',
        fileName: 'contacts.csv',
        failure: {
          ...failure,
          message:
            "Target 'crm' answered 503 Service Unavailable for rows 2001-2500",
          evidence: { httpStatus: 503, code: 'http_503', rows: [2001, 2500] },
        },
      }),
    ]);
    await renderPage();

    await screen.findByText(/answered 503 Service Unavailable for rows/);
    expect(factOf('Failure analysis', 'Evidence')).toHaveTextContent(
      'Batch: rows 2,001–2,500',
    );
  });

  it('says of a cancelled job that its in-doubt rows may or may not have reached the target', async () => {
    serveJob(
      [
        aJob({
          id: 'job-1',
          fileName: 'contacts.csv',
          status: 'cancelled',
          checkpoint: {
            ...aJob().checkpoint!,
            inDoubt: { firstRow: 301, lastRow: 400 },
          },
        }),
      ],
      { analysis: notRecoverable },
    );
    await renderPage();

    await waitFor(() =>
      expect(factOf('Checkpoint', 'In-doubt batch')).toHaveTextContent(
        'Rows 301–400: in flight or unanswered when the job was cancelled; they may or may not have reached the target',
      ),
    );
    // A cancelled job never runs again.
    expect(factOf('Checkpoint', 'In-doubt batch')).not.toHaveTextContent(
      /resumed/,
    );
  });

  it.each([
    {
      state: 'failed on a quote never closed, before any row was checked',
      job: aJob({
        status: 'failed',
        progress: { ...aJob().progress, rowsDone: 0, rowsAccepted: 0 },
        failure: { ...aJob().failure!, type: 'data_quality' },
      }),
      text: 'No row was set aside: the job failed (data quality) before any row was checked. The failure analysis says what to fix.',
    },
    {
      state: 'failed after 300 valid rows',
      job: aJob(),
      text: 'All 300 rows read before the job stopped were valid and accepted by the target.',
    },
    {
      state: 'pending, not started',
      job: aJob({
        status: 'pending',
        failure: null,
        progress: { ...aJob().progress, rowsDone: 0 },
      }),
      text: 'No row has been read yet: the job waits for a worker.',
    },
    {
      state: 'not known to the table',
      job: undefined,
      text: 'No row of this job was set aside or refused by the target.',
    },
  ])('says why a job $state has no row errors', async ({ job, text }) => {
    server.use(
      http.get(`${API}/jobs/:id/errors`, () => HttpResponse.json(EMPTY_PAGE)),
    );
    await renderWithRebound(
      <RowErrorsTable jobId="job-1" refreshKey="1" job={job} />,
    );

    expect(await screen.findByText(text)).toBeInTheDocument();
    expect(screen.queryByText(/Every row read so far/)).toBeNull();
  });
});
