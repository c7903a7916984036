import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ScheduleRun } from '@rebound/core/client';
import { http, HttpResponse } from 'msw';
import { API, renderWithRebound, useMockBackend } from '../../testing/render';
import { formatDateTime } from '../common/format';
import { attemptOf, runOf, scheduleOf } from './fixtures';
import { SchedulesTab } from './SchedulesTab';

const server = useMockBackend();

const schedule = scheduleOf({
  deliveries: [
    { type: 'storage', path: '{schedule}/{date}/{name}.{ext}' },
    { type: 'webhook', url: 'https://hooks.example.com/r', hasSecret: true },
  ],
});

const refused = (attempt: number, id: string) =>
  attemptOf({
    id,
    delivery: 1,
    type: 'webhook',
    recipient: 'https://hooks.example.com/r',
    attempt,
    status: 'failed',
    retryable: true,
    error: { code: 'webhook_status', message: 'The webhook answered 503.' },
    detail: null,
  });

const failedRun = runOf({
  status: 'failed',
  error: {
    code: 'delivery_failed',
    message: '1 of 2 deliveries failed: webhook after 2 attempts.',
  },
  attempts: [attemptOf(), refused(1, 'att-2'), refused(2, 'att-3')],
});

function serve(runs: () => ScheduleRun[]) {
  server.use(
    http.get(`${API}/schedules`, () =>
      HttpResponse.json({ items: [schedule], nextCursor: null }),
    ),
    http.get(`${API}/schedules/sch-1/runs`, () =>
      HttpResponse.json({ items: runs() }),
    ),
  );
}

const attemptsTable = () =>
  screen.findByRole('table', {
    name: `Delivery attempts of the run for ${formatDateTime(
      '2026-12-07T07:00:00.000Z',
    )}`,
  });

describe('SchedulesTab: the runs of a schedule', () => {
  it('shows each run and every delivery attempt with its error', async () => {
    serve(() => [failedRun]);
    await renderWithRebound(<SchedulesTab />, { route: '/?runs=sch-1' });

    const runs = await screen.findByRole('table', {
      name: 'Runs of “Failed jobs for the team”',
    });
    const [, run] = within(runs).getAllByRole('row');
    expect(run).toHaveTextContent('cron');
    expect(run).toHaveTextContent('exp-1');
    expect(run).toHaveTextContent(
      '1 of 2 deliveries failed: webhook after 2 attempts. (delivery_failed)',
    );
    expect(run).toHaveTextContent('2026-12-07 07:00 UTC');

    const attempts = await attemptsTable();
    const rows = within(attempts).getAllByRole('row').slice(1);
    expect(
      rows.map(row =>
        within(row)
          .getAllByRole('cell')
          .slice(0, 3)
          .map(cell => cell.textContent),
      ),
    ).toEqual([
      [
        'File storage (delivery 1)Failed_jobs/2026-12-07/jobs.csv in the delivery folder',
        `deliveredAttempt 1${formatDateTime('2026-12-07T07:00:03.000Z')}`,
        '—',
      ],
      [
        'Webhook (delivery 2)https://hooks.example.com/r',
        `failedAttempt 1${formatDateTime('2026-12-07T07:00:03.000Z')}`,
        'The webhook answered 503. (webhook_status)Retryable',
      ],
      [
        'Webhook (delivery 2)https://hooks.example.com/r',
        `failedAttempt 2${formatDateTime('2026-12-07T07:00:03.000Z')}`,
        'The webhook answered 503. (webhook_status)Retryable',
      ],
    ]);
    expect(
      within(rows[0]).queryByRole('button', { name: 'Resend' }),
    ).toBeNull();
    const older = within(rows[1]).getByRole('button', { name: 'Resend' });
    expect(older).toBeDisabled();
    expect(older).toHaveAttribute(
      'aria-description',
      'Attempt 2 is the newest try of this delivery: resend that one.',
    );
    expect(
      within(rows[2]).getByRole('button', { name: 'Resend' }),
    ).toBeEnabled();
  });

  it('shows the path a storage delivery wrote, not its template', async () => {
    const blocked = attemptOf({
      id: 'att-9',
      status: 'failed',
      retryable: true,
      detail: { path: 'Failed_jobs/2026-12-07/jobs (1).csv' },
      error: {
        code: 'storage_write_failed',
        message:
          'The file could not be written to Failed_jobs/2026-12-07/jobs (1).csv.',
      },
    });
    serve(() => [
      runOf({
        attempts: [
          attemptOf(),
          blocked,
          attemptOf({ id: 'att-10', detail: null }),
        ],
      }),
    ]);
    await renderWithRebound(<SchedulesTab />, { route: '/?runs=sch-1' });

    const rows = within(await attemptsTable())
      .getAllByRole('row')
      .slice(1);
    const written = within(rows[0]).getByText(
      'Failed_jobs/2026-12-07/jobs.csv',
    );
    expect(written).toHaveAttribute(
      'title',
      'Path template: {schedule}/{date}/{name}.{ext}',
    );
    expect(rows[0]).not.toHaveTextContent('{schedule}');
    expect(rows[1]).toHaveTextContent('Failed_jobs/2026-12-07/jobs (1).csv');
    // An attempt recorded without the path shows the template it had.
    expect(rows[2]).toHaveTextContent('{schedule}/{date}/{name}.{ext}');
  });

  it('shows that a resend is under way until the backend answers', async () => {
    let answer: () => void = () => undefined;
    serve(() => [failedRun]);
    server.use(
      http.post(
        `${API}/schedules/:id/runs/:runId/attempts/:attemptId/resend`,
        async () => {
          await new Promise<void>(resolve => {
            answer = resolve;
          });
          return HttpResponse.json(failedRun);
        },
      ),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />, { route: '/?runs=sch-1' });
    const rows = within(await attemptsTable()).getAllByRole('row');

    await user.click(within(rows[3]).getByRole('button', { name: 'Resend' }));

    const busy = await within(rows[3]).findByRole('button', {
      name: 'Resending…',
    });
    expect(busy).toBeDisabled();
    expect(busy).toHaveAttribute('aria-busy', 'true');
    expect(
      within(busy).getByRole('progressbar', { hidden: true }),
    ).toBeTruthy();
    answer();
    expect(
      await within(rows[3]).findByRole('button', { name: 'Resend' }),
    ).toBeInTheDocument();
  });

  it('resends a failed delivery through the resend route and shows the new attempt', async () => {
    const resends: string[] = [];
    serve(() => [failedRun]);
    server.use(
      http.post(
        `${API}/schedules/:id/runs/:runId/attempts/:attemptId/resend`,
        ({ params }) => {
          resends.push(`${params.id} ${params.runId} ${params.attemptId}`);
          return HttpResponse.json({
            ...failedRun,
            status: 'succeeded',
            error: null,
            attempts: [
              ...failedRun.attempts,
              attemptOf({
                id: 'att-4',
                delivery: 1,
                type: 'webhook',
                recipient: 'https://hooks.example.com/r',
                attempt: 3,
                status: 'delivered',
              }),
            ],
          });
        },
      ),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />, { route: '/?runs=sch-1' });
    const rows = within(await attemptsTable()).getAllByRole('row');

    await user.click(within(rows[3]).getByRole('button', { name: 'Resend' }));

    expect(await screen.findByRole('status')).toHaveTextContent(
      'Resent the webhook delivery to https://hooks.example.com/r: the run is now succeeded.',
    );
    expect(resends).toEqual(['sch-1 run-1 att-3']);
    const after = within(await attemptsTable()).getAllByRole('row');
    expect(after).toHaveLength(5);
    expect(after[4]).toHaveTextContent('Webhook (delivery 2)');
    expect(within(after[4]).getAllByRole('cell')[1]).toHaveTextContent(
      'Attempt 3',
    );
    expect(within(after[4]).getByText('delivered')).toBeInTheDocument();
    // The failed tries are settled by the delivered one.
    expect(
      within(after[3]).getByRole('button', { name: 'Resend' }),
    ).toHaveAttribute('aria-description', 'Attempt 3 delivered it since.');
    const runs = screen.getByRole('table', {
      name: 'Runs of “Failed jobs for the team”',
    });
    expect(within(runs).getAllByRole('row')[1]).toHaveTextContent('succeeded');
  });

  it('reloads a running run until it has finished', async () => {
    let calls = 0;
    const running = runOf({
      status: 'running',
      finishedAt: null,
      attempts: [refused(1, 'att-2')],
    });
    serve(() => {
      calls += 1;
      return [calls === 1 ? running : runOf()];
    });
    await renderWithRebound(<SchedulesTab />, { route: '/?runs=sch-1' });

    const runs = await screen.findByRole('table', {
      name: 'Runs of “Failed jobs for the team”',
    });
    expect(within(runs).getAllByRole('row')[1]).toHaveTextContent('running');
    const resend = within(runs).getByRole('button', { name: 'Resend' });
    expect(resend).toBeDisabled();
    expect(resend).toHaveAttribute(
      'aria-description',
      'The run is still going: resend once it has finished.',
    );

    await waitFor(
      () =>
        expect(within(runs).getAllByRole('row')[1]).toHaveTextContent(
          'succeeded',
        ),
      { timeout: 5000 },
    );
    expect(await attemptsTable()).toHaveTextContent('delivered');
    expect(calls).toBe(2);
  });
});
