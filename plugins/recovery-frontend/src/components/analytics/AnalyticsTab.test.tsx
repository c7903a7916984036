import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  API,
  badRequest,
  renderWithRebound,
  useMockBackend,
} from '../../testing/render';
import { AnalyticsTab } from './AnalyticsTab';
import { busyReport, emptyReport, jobIds } from './analyticsFixture';

// A whole report renders in one to two seconds under jsdom, and a test
// that changes the period renders it twice or three times.
jest.setTimeout(30_000);

const DAY = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Answers GET /analytics with `report` and records each query. */
function answer(
  server: ReturnType<typeof useMockBackend>,
  report = busyReport(),
) {
  const queries: { from: string | null; to: string | null }[] = [];
  server.use(
    http.get(`${API}/analytics`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      queries.push({ from: params.get('from'), to: params.get('to') });
      return HttpResponse.json(report);
    }),
  );
  return queries;
}

function figure(label: string) {
  return within(screen.getByRole('group', { name: label }));
}

describe('AnalyticsTab', () => {
  const server = useMockBackend();

  it('asks for the last 30 days and shows the summary figures', async () => {
    const queries = answer(server);
    await renderWithRebound(<AnalyticsTab />);

    expect(await screen.findByText('80.0%')).toBeInTheDocument();
    const today = utcDay(Date.now());
    expect(queries).toEqual([
      {
        from: utcDay(Date.parse(today) - 29 * DAY),
        to: `${today}T23:59:59.999Z`,
      },
    ]);
    expect(
      screen.getByRole('button', { name: 'Last 30 days', pressed: true }),
    ).toBeInTheDocument();

    expect(
      figure('Recovery success rate').getByText(
        '24 of 30 finished attempts succeeded',
      ),
    ).toBeInTheDocument();
    expect(
      figure('Rate on recoverable failures').getByText('92.0%'),
    ).toBeInTheDocument();
    expect(figure('Failures').getByText('42')).toBeInTheDocument();
    expect(figure('Recovery attempts').getByText('30')).toBeInTheDocument();
    expect(
      figure('Time to recover').getByText('4 min 12 s median'),
    ).toBeInTheDocument();
    expect(
      figure('Time to recover').getByText(/p90 1 h 30 min, over 24/),
    ).toBeInTheDocument();
    expect(
      figure('Attempts per recovered job').getByText('1.25 / 1 / 4'),
    ).toBeInTheDocument();
    expect(figure('Rows quarantined').getByText('0.15%')).toBeInTheDocument();
    expect(
      figure('Rows quarantined').getByText(/180 of 120,000 rows/),
    ).toBeInTheDocument();
    expect(
      figure('Waiting for a person').getByText('2 jobs'),
    ).toBeInTheDocument();
    expect(
      figure('Waiting for a person').getByText(
        'oldest waiting 3 h 0 min, median 2 h 0 min',
      ),
    ).toBeInTheDocument();
  });

  it('counts one of a thing in the singular', async () => {
    const report = busyReport();
    answer(server, {
      ...report,
      summary: {
        ...report.summary,
        attempts: 1,
        successes: 1,
        rate: 1,
        recoverableAttempts: 1,
        recoverableSuccesses: 1,
        recoverableRate: 1,
      },
      timeToRecover: { count: 1, medianMs: 60_000, p90Ms: 60_000 },
      attemptsPerRecoveredJob: { count: 1, mean: 1, median: 1, max: 1 },
      quarantine: { rowsDone: 1, rowsQuarantined: 0, share: 0 },
    });
    await renderWithRebound(<AnalyticsTab />);

    expect(
      await figure('Recovery success rate').findByText(
        '1 of 1 finished attempt succeeded',
      ),
    ).toBeInTheDocument();
    expect(
      figure('Rate on recoverable failures').getByText(
        '1 of 1 attempt on high or medium recoverability succeeded',
      ),
    ).toBeInTheDocument();
    expect(
      figure('Time to recover').getByText(/over 1 recovered failure$/),
    ).toBeInTheDocument();
    expect(
      figure('Attempts per recovered job').getByText(
        'mean / median / max, over 1 recovered failure',
      ),
    ).toBeInTheDocument();
    expect(
      figure('Rows quarantined').getByText(/^0 of 1 row done/),
    ).toBeInTheDocument();
  });

  it('shows both charts of the report', async () => {
    answer(server);
    await renderWithRebound(<AnalyticsTab />);

    const bars = await screen.findByRole('img', {
      name: 'Success rate by failure type',
    });
    expect(bars.querySelectorAll('rect')).toHaveLength(4);
    const lines = screen.getByRole('img', {
      name: 'Failures and recoveries over time',
    });
    expect(lines.querySelectorAll('circle')).toHaveLength(15);
  });

  it('sends the picked dates and the quick choices to /analytics', async () => {
    const queries = answer(server);
    const user = userEvent.setup();
    await renderWithRebound(<AnalyticsTab />);
    await screen.findByText('80.0%');

    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-10-01' },
    });
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: '2026-10-31' },
    });
    await user.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(queries).toHaveLength(2));
    expect(queries[1]).toEqual({
      from: '2026-10-01',
      to: '2026-10-31T23:59:59.999Z',
    });
    await screen.findByText('80.0%');
    expect(
      screen.queryByRole('button', { pressed: true }),
    ).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Last 7 days' }));
    await waitFor(() => expect(queries).toHaveLength(3));
    const today = utcDay(Date.now());
    expect(queries[2]).toEqual({
      from: utcDay(Date.parse(today) - 6 * DAY),
      to: `${today}T23:59:59.999Z`,
    });
    expect(screen.getByLabelText('From')).toHaveValue(queries[2].from);
    expect(screen.getByLabelText('To')).toHaveValue(today);
  });

  it('disables Show until both dates are whole', async () => {
    answer(server);
    await renderWithRebound(<AnalyticsTab />);
    await screen.findByText('80.0%');

    fireEvent.change(screen.getByLabelText('From'), { target: { value: '' } });
    const show = screen.getByRole('button', { name: 'Show' });
    expect(show).toBeDisabled();
    expect(show).toHaveAttribute(
      'aria-description',
      'Enter both dates, e.g. 2026-12-01.',
    );
  });

  it('refuses a From date after the To date in the form, saying what to do', async () => {
    const queries = answer(server);
    const user = userEvent.setup();
    await renderWithRebound(<AnalyticsTab />);
    await screen.findByText('80.0%');

    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-03-01' },
    });
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: '2026-02-01' },
    });

    const reason =
      'The From date (2026-03-01) is after the To date (2026-02-01): pick a From date on or before the To date.';
    const show = screen.getByRole('button', { name: 'Show' });
    expect(show).toBeDisabled();
    expect(show).toHaveAttribute('aria-description', reason);
    expect(screen.getByLabelText('From')).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    expect(screen.getByLabelText('To')).toHaveAccessibleDescription(reason);
    await user.type(screen.getByLabelText('To'), '{Enter}');
    expect(queries).toHaveLength(1);
  });

  it('refuses a period longer than the backend reports on, naming the day to move From to', async () => {
    const queries = answer(server);
    await renderWithRebound(<AnalyticsTab />);
    await screen.findByText('80.0%');

    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2025-01-01' },
    });
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: '2026-06-30' },
    });

    expect(screen.getByRole('button', { name: 'Show' })).toHaveAttribute(
      'aria-description',
      'The period 2025-01-01 to 2026-06-30 is 546 days long; it may be at most 366: move From to 2025-06-30 or later, or pick a quick choice.',
    );
    expect(queries).toHaveLength(1);
  });

  it('marks the figures as the previous period’s while the dates typed are refused', async () => {
    const queries = answer(server);
    await renderWithRebound(<AnalyticsTab />);
    await screen.findByText('80.0%');
    const shown = queries[0];
    const shownTo = shown.to!.slice(0, 10);
    expect(screen.queryByRole('status')).toBeNull();

    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-03-01' },
    });
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: '2026-02-01' },
    });

    expect(screen.getByRole('status')).toHaveTextContent(
      `The figures below are still those of ${shown.from} to ${shownTo}, the period shown before: the dates above cannot be shown until they are fixed.`,
    );
    const figures = screen.getByRole('region', {
      name: `Analytics of ${shown.from} to ${shownTo}`,
    });
    expect(figures).toHaveStyle('opacity: 0.5');
    expect(within(figures).getByText('80.0%')).toBeInTheDocument();

    // Dates that can be shown, not shown yet: the figures say whose they are.
    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-01-01' },
    });
    expect(screen.getByRole('status')).toHaveTextContent(
      `The figures below are of ${shown.from} to ${shownTo}: press Show for 2026-01-01 to 2026-02-01.`,
    );
    expect(figures).not.toHaveStyle('opacity: 0.5');
    expect(queries).toHaveLength(1);
  });

  it('explains a refused period in the words of the form, not the query’s', async () => {
    const answerText =
      'from (2026-10-01T00:00:00.000Z) and to (2026-10-31T23:59:59.999Z) are 31 days apart; the period may be at most 30 days, ask for a shorter one.';
    server.use(
      http.get(`${API}/analytics`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        if (params.get('from') === '2026-10-01') {
          return badRequest(answerText);
        }
        return HttpResponse.json(busyReport());
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<AnalyticsTab />);
    await screen.findByText('80.0%');

    fireEvent.change(screen.getByLabelText('From'), {
      target: { value: '2026-10-01' },
    });
    fireEvent.change(screen.getByLabelText('To'), {
      target: { value: '2026-10-31' },
    });
    await user.click(screen.getByRole('button', { name: 'Show' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The analytics of 2026-10-01 to 2026-10-31 cannot be shown' +
        'The backend shows at most 30 days at once: pick a shorter period, e.g. one of the quick choices.',
    );
    expect(alert).not.toHaveTextContent('T23:59:59.999Z');
    expect(alert).not.toHaveTextContent('from (');
    expect(
      within(alert).queryByRole('button', { name: 'Retry' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByText('80.0%')).not.toBeInTheDocument();
  });

  it('offers to retry when the backend fails', async () => {
    let calls = 0;
    server.use(
      http.get(`${API}/analytics`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json(
              { error: { name: 'Error', message: 'database is locked' } },
              { status: 500 },
            )
          : HttpResponse.json(busyReport());
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<AnalyticsTab />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('database is locked');
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('80.0%')).toBeInTheDocument();
  });

  it('lists the failure patterns with their trend and jobs', async () => {
    answer(server);
    await renderWithRebound(<AnalyticsTab />);

    const signature = await screen.findByText(
      'Target <str> answered <n> for rows <n>-<n>',
    );
    const row = within(signature.closest('tr')!);
    expect(row.getByText('14')).toBeInTheDocument();
    expect(row.getByText('rising')).toBeInTheDocument();
    expect(row.getByText(/before: 3/)).toBeInTheDocument();
    expect(row.getByText('temporary resource')).toBeInTheDocument();
    expect(row.getByText('crm')).toBeInTheDocument();
    expect(row.getByText('14 jobs')).toBeInTheDocument();
    expect(row.getByText('and 4 more')).toBeInTheDocument();
    expect(
      row.getByText("Target 'crm' answered 503 for rows 2501-3000"),
    ).toBeInTheDocument();
    const links = row.getAllByRole('link');
    expect(links).toHaveLength(10);
    expect(links[0]).toHaveAttribute('href', `/recovery/jobs/${jobIds[0]}`);
    expect(links[9]).toHaveAttribute('href', `/recovery/jobs/${jobIds[9]}`);

    // Four columns, so that the table fits its card in a 1024 px window:
    // the example under the pattern, the trend under the count, the jobs
    // under the types and targets. Short values keep to one line; job ids
    // wrap between ids, never inside.
    expect(
      within(signature.closest('table')!)
        .getAllByRole('columnheader')
        .map(header => header.textContent),
    ).toEqual(['Pattern', 'Failures', 'Where', 'First and last seen']);
    const cells = within(signature.closest('tr')!).getAllByRole('cell');
    expect(cells).toHaveLength(4);
    for (const index of [1, 3]) {
      expect(cells[index]).toHaveStyle('white-space: nowrap');
    }
    expect(links[0]).toHaveStyle('white-space: nowrap');

    const other = within(
      screen.getByText('Column <str> is not a date: <str>').closest('tr')!,
    );
    expect(other.getByText('new')).toBeInTheDocument();
    expect(
      other.getByText('validation error, data quality'),
    ).toBeInTheDocument();
    expect(other.getByText('1 job')).toBeInTheDocument();
  });

  it('shows each recommendation with its setting, value and evidence', async () => {
    answer(server);
    await renderWithRebound(<AnalyticsTab />);

    const timeouts = within(
      await screen.findByRole('article', {
        name: "Target 'crm' times out with its batch size",
      }),
    );
    expect(
      timeouts.getByText(
        'Most of its timeouts recovered only with a longer timeout.',
      ),
    ).toBeInTheDocument();
    expect(
      timeouts.getByText('recovery.targets.crm.batchSize'),
    ).toBeInTheDocument();
    expect(timeouts.getByText('250')).toBeInTheDocument();
    const evidence = within(timeouts.getByRole('table'));
    const evidenceRow = within(
      evidence.getByText('Recovered after longer timeout').closest('tr')!,
    );
    expect(evidenceRow.getByText('4')).toBeInTheDocument();
    expect(evidence.getByText('Batch size')).toBeInTheDocument();

    const retries = within(
      screen.getByRole('article', {
        name: 'Automatic retries of validation errors mostly fail',
      }),
    );
    expect(
      retries.getByText('recovery.retry.manualFailureTypes'),
    ).toBeInTheDocument();
    expect(retries.getByText('security, validation_error')).toBeInTheDocument();
    expect(retries.getByText('Failure type')).toBeInTheDocument();
  });

  it('shows open alerts first and the resolved ones folded away', async () => {
    answer(server);
    const user = userEvent.setup();
    await renderWithRebound(<AnalyticsTab />);

    const open = await screen.findByRole('table', { name: 'Open alerts' });
    const rows = within(open).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const rate = within(rows[0]);
    expect(rate.getByText('Recovery failure rate')).toBeInTheDocument();
    expect(rate.getByText('Whole service')).toBeInTheDocument();
    expect(
      rate.getByText('23.5% of the recoveries of the last hour failed.'),
    ).toBeInTheDocument();
    expect(
      rate.getByText('23.5% failed; opens above 15.0%'),
    ).toBeInTheDocument();
    expect(
      within(rows[1]).getByText('512.0 MB free; opens below 1.0 GB'),
    ).toBeInTheDocument();
    // Open alerts are of now, not of the period: the card says so.
    expect(
      screen.getByText(
        'Open now, whatever the period: 2 alerts. Resolved in the period: 1 alert.',
      ),
    ).toBeVisible();

    const resolvedMessage = '2 exports failed in the last 60 minutes.';
    expect(screen.queryByText(resolvedMessage)).not.toBeVisible();
    await user.click(
      screen.getByRole('button', { name: 'Resolved in this period (1)' }),
    );
    await waitFor(() =>
      expect(screen.getByText(resolvedMessage)).toBeVisible(),
    );
    const resolved = screen.getByRole('table', { name: 'Resolved alerts' });
    expect(within(resolved).getByText('Failed exports')).toBeInTheDocument();
    expect(
      within(resolved).getByText('2 failed exports; opens above 0'),
    ).toBeInTheDocument();
  });

  it('keeps short alert values on one line and folds the rest to fit the card', async () => {
    answer(server);
    await renderWithRebound(<AnalyticsTab />);

    const open = await screen.findByRole('table', { name: 'Open alerts' });
    const [, first] = within(open).getAllByRole('row');
    const [status, alert, message, opened] = within(first).getAllByRole('cell');
    // Backstage's cells break words anywhere: "o p e n" in a narrow card.
    for (const cell of [status, opened]) {
      expect(cell).toHaveStyle('white-space: nowrap');
    }
    // Four columns that fit the card rather than scroll: the scope under
    // the kind, the value and threshold under the message.
    expect(
      within(open)
        .getAllByRole('columnheader')
        .map(header => header.textContent),
    ).toEqual([
      'Status',
      'Alert',
      'Message, value and threshold',
      'Opened and updated',
    ]);
    expect(alert).toHaveTextContent('Recovery failure rateWhole service');
    expect(message).toHaveTextContent(
      '23.5% of the recoveries of the last hour failed.23.5% failed; opens above 15.0%',
    );
    expect(open).not.toHaveStyle('min-width: 56rem');
  });

  it('names the schedule of a missed-runs alert, with its id on hover', async () => {
    const scheduleId = '7d9c1f0e-2b4a-4c8e-9f10-3a5b6c7d8e9f';
    const goneId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const missed = (id: string, scope: string, scopeName?: string) => ({
      id,
      kind: 'missed_runs' as const,
      scope,
      ...(scopeName ? { scopeName } : {}),
      status: 'open' as const,
      message: `Schedule "${
        scopeName ?? scope
      }" has 1 missed or failed runs in the last 60 minutes; see the schedule's runs for why.`,
      value: 1,
      threshold: 0,
      openedAt: '2026-12-05T10:00:00.000Z',
      updatedAt: '2026-12-05T10:00:00.000Z',
      resolvedAt: null,
    });
    answer(server, {
      ...busyReport(),
      alerts: [
        missed('a-9', scheduleId, 'Nightly failed jobs'),
        missed('a-10', goneId),
      ],
    });
    await renderWithRebound(<AnalyticsTab />);

    const open = await screen.findByRole('table', { name: 'Open alerts' });
    const [, named, gone] = within(open).getAllByRole('row');
    const link = within(named).getByRole('link', {
      name: 'Nightly failed jobs',
    });
    expect(link).toHaveAttribute('title', `Schedule ${scheduleId}`);
    expect(link).toHaveAttribute(
      'href',
      `/recovery/schedules?runs=${scheduleId}`,
    );
    expect(named).not.toHaveTextContent(scheduleId);
    expect(
      within(named).getByText('1 missed or failed run; opens above 0'),
    ).toBeInTheDocument();
    // A schedule deleted since has no name: its id, short, whole on hover.
    const short = within(gone).getByText('Schedule 0a1b2c3d…');
    expect(short).toHaveAttribute('title', `Schedule ${goneId}`);
  });

  it('gives the alerts the whole width in an empty period', async () => {
    answer(server, { ...emptyReport(), alerts: busyReport().alerts });
    await renderWithRebound(<AnalyticsTab />);

    const open = await screen.findByRole('table', { name: 'Open alerts' });
    const item = open.closest('.MuiGrid-item');
    expect(item).toHaveClass('MuiGrid-grid-xs-12');
    expect(item).not.toHaveClass('MuiGrid-grid-md-6');
  });

  it('shows the breakdowns by job type, target and hour', async () => {
    answer(server);
    await renderWithRebound(<AnalyticsTab />);

    const byJobType = await screen.findByRole('table', {
      name: 'Success rate by job type',
    });
    expect(within(byJobType).getByText('csv import')).toBeInTheDocument();
    expect(within(byJobType).getByText('75%')).toBeInTheDocument();
    const byTarget = screen.getByRole('table', {
      name: 'Success rate by target',
    });
    expect(within(byTarget).getByText('local')).toBeInTheDocument();
    expect(within(byTarget).getByText('50%')).toBeInTheDocument();
    const failures = screen.getByRole('table', { name: 'Failures by target' });
    expect(
      within(failures).getByText('temporary resource 20, timeout 10'),
    ).toBeInTheDocument();
    const hours = screen.getByRole('img', {
      name: 'Failures by hour of the day (UTC)',
    });
    expect(hours.querySelectorAll('rect')).toHaveLength(24);
  });

  it('says so when no recommendation applies and no alert is open', async () => {
    answer(server, {
      ...busyReport(),
      recommendations: [],
      alerts: busyReport().alerts.filter(a => a.status === 'resolved'),
    });
    await renderWithRebound(<AnalyticsTab />);

    expect(
      await screen.findByText(/No recommendation: each rule needs a minimum/),
    ).toBeInTheDocument();
    expect(screen.getByText(/No alert is open/)).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Open alerts' }),
    ).not.toBeInTheDocument();
  });

  it('shows what to do when the period holds nothing', async () => {
    const queries = answer(server, {
      ...emptyReport(),
      manualIntervention: {
        waiting: 1,
        oldestWaitingMs: 26 * 3_600_000,
        medianWaitingMs: 26 * 3_600_000,
      },
    });
    const user = userEvent.setup();
    await renderWithRebound(<AnalyticsTab />);

    expect(
      await screen.findByText('This period holds no failures or recoveries'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Pick a longer period, or run jobs/)).toBeVisible();
    expect(
      screen.getByText(
        /This period holds no failures or recoveries, so there is nothing to recommend/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/1 job waits for a person, the oldest for 26 h 0 min/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /Success rate/ })).toBeNull();
    expect(
      screen.getByRole('link', { name: 'Go to the jobs' }),
    ).toHaveAttribute('href', '/recovery/jobs');

    await user.click(
      screen.getByRole('button', { name: 'Show the last 90 days' }),
    );
    await waitFor(() => expect(queries).toHaveLength(2));
    const today = utcDay(Date.now());
    expect(queries[1].from).toBe(utcDay(Date.parse(today) - 89 * DAY));
  });
});
