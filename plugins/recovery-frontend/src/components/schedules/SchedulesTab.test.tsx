import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Schedule } from '@rebound/core/client';
import { http, HttpResponse } from 'msw';
import { API, renderWithRebound, useMockBackend } from '../../testing/render';
import { formatDateTime } from '../common/format';
import { rowOf } from '../../testing/queries';
import { runOf, scheduleOf } from './fixtures';
import { SchedulesTab } from './SchedulesTab';

const server = useMockBackend();

const weekly = scheduleOf({
  lastRun: {
    id: 'run-9',
    status: 'failed',
    scheduledFor: '2026-11-30T07:00:00.000Z',
    finishedAt: '2026-11-30T07:00:09.000Z',
    error: {
      code: 'delivery_failed',
      message: '1 of 1 deliveries failed: webhook answered 503.',
    },
  },
});
const paused = scheduleOf({
  id: 'sch-2',
  name: 'Nightly analytics',
  owner: 'group:default/data',
  cron: '30 2 * * *',
  timezone: 'Asia/Shanghai',
  description: 'every day at 02:30',
  enabled: false,
  nextRunAt: null,
});

/** Serves the list; every call answers what `list` returns then. */
function serveList(list: () => Schedule[]) {
  server.use(
    http.get(`${API}/schedules`, () =>
      HttpResponse.json({ items: list(), nextCursor: null }),
    ),
  );
}

describe('SchedulesTab: the list', () => {
  it('shows each schedule’s owner, timing, next run, state and last outcome', async () => {
    serveList(() => [weekly, paused]);
    await renderWithRebound(<SchedulesTab />);

    const first = await waitFor(() => rowOf('Failed jobs for the team'));
    expect(first).toHaveTextContent('user:default/ana');
    expect(first).toHaveTextContent('every Monday at 08:00');
    expect(first).toHaveTextContent('0 8 * * 1 in Europe/Berlin');
    expect(first).toHaveTextContent(formatDateTime('2026-12-07T07:00:00.000Z'));
    expect(within(first).getByText('failed')).toBeInTheDocument();
    expect(first).toHaveTextContent(
      '1 of 1 deliveries failed: webhook answered 503.',
    );
    expect(within(first).getByText('enabled')).toBeInTheDocument();

    const second = rowOf('Nightly analytics');
    expect(second).toHaveTextContent('group:default/data');
    expect(second).toHaveTextContent('every day at 02:30');
    expect(second).toHaveTextContent('30 2 * * * in Asia/Shanghai');
    expect(second).toHaveTextContent('No next run while paused');
    expect(second).toHaveTextContent('Last run: none yet');
    expect(within(second).getByText('paused')).toBeInTheDocument();

    // Folded into four columns, so that the list fits a 1024 px window.
    expect(
      screen.getAllByRole('columnheader').map(header => header.textContent),
    ).toEqual(['Schedule', 'When', 'Runs', 'Actions']);
    // The actions are icons: each says its name on hover.
    for (const name of ['Pause', 'Run now', 'Runs', 'Edit', 'Delete']) {
      expect(within(first).getByRole('button', { name })).toHaveAttribute(
        'aria-label',
        name,
      );
    }
  });

  it('says what to do when there is no schedule, and what failed when the list does not load', async () => {
    let fail = true;
    server.use(
      http.get(`${API}/schedules`, () =>
        fail
          ? HttpResponse.json(
              {
                error: { name: 'Error', message: 'database is locked' },
                response: { statusCode: 500 },
              },
              { status: 500 },
            )
          : HttpResponse.json({ items: [], nextCursor: null }),
      ),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Loading the schedules failed (HTTP 500)');
    expect(alert).toHaveTextContent('database is locked');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(screen.getByText('No schedules yet')).toBeInTheDocument(),
    );
    expect(screen.getByText(/Press "New schedule"/)).toBeInTheDocument();
  });
});

describe('SchedulesTab: the actions', () => {
  it('pauses, resumes and runs now through their routes', async () => {
    const calls: string[] = [];
    let items = [weekly, paused];
    const started = runOf({
      id: 'run-now',
      trigger: 'manual',
      status: 'running',
      scheduledFor: '2026-12-04T10:00:00.000Z',
      startedAt: '2026-12-04T10:00:00.000Z',
      finishedAt: null,
      exportId: null,
      attempts: [],
    });
    serveList(() => items);
    server.use(
      http.post(`${API}/schedules/:id/:action`, ({ params }) => {
        const { id, action } = params as { id: string; action: string };
        calls.push(`${action} ${id}`);
        if (action === 'run') {
          return HttpResponse.json(started, { status: 202 });
        }
        items = items.map(s =>
          s.id === id ? { ...s, enabled: action === 'resume' } : s,
        );
        return HttpResponse.json(items.find(s => s.id === id));
      }),
      http.get(`${API}/schedules/sch-1/runs`, () =>
        HttpResponse.json({ items: [{ ...started, status: 'succeeded' }] }),
      ),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    await screen.findByText('Failed jobs for the team');

    // Only the action that applies is offered.
    expect(
      within(rowOf('Failed jobs for the team')).queryByRole('button', {
        name: 'Resume',
      }),
    ).toBeNull();
    await user.click(
      within(rowOf('Failed jobs for the team')).getByRole('button', {
        name: 'Pause',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Paused “Failed jobs for the team”',
    );
    await user.click(
      within(rowOf('Nightly analytics')).getByRole('button', {
        name: 'Resume',
      }),
    );
    await waitFor(() =>
      expect(
        within(rowOf('Failed jobs for the team')).getByRole('button', {
          name: 'Resume',
        }),
      ).toBeInTheDocument(),
    );
    expect(
      within(rowOf('Nightly analytics')).getByRole('button', { name: 'Pause' }),
    ).toBeInTheDocument();

    await user.click(
      within(rowOf('Failed jobs for the team')).getByRole('button', {
        name: 'Run now',
      }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      `A run of “Failed jobs for the team” started at ${formatDateTime(
        '2026-12-04T10:00:00.000Z',
      )}`,
    );
    expect(calls).toEqual(['pause sch-1', 'resume sch-2', 'run sch-1']);
    const runs = await screen.findByRole('table', {
      name: 'Runs of “Failed jobs for the team”',
    });
    expect(within(runs).getByText('run now')).toBeInTheDocument();
  });

  it('deletes a schedule only once confirmed', async () => {
    let items = [weekly, paused];
    const deleted: string[] = [];
    serveList(() => items);
    server.use(
      http.delete(`${API}/schedules/:id`, ({ params }) => {
        deleted.push(params.id as string);
        items = items.filter(s => s.id !== params.id);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    await screen.findByText('Nightly analytics');

    const remove = () =>
      within(rowOf('Nightly analytics')).getByRole('button', {
        name: 'Delete',
      });
    await user.click(remove());
    let confirm = await screen.findByRole('dialog', {
      name: 'Delete “Nightly analytics”?',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(deleted).toEqual([]);

    await user.click(remove());
    confirm = await screen.findByRole('dialog', {
      name: 'Delete “Nightly analytics”?',
    });
    await user.click(
      within(confirm).getByRole('button', { name: 'Delete schedule' }),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Deleted “Nightly analytics” and its runs.',
    );
    expect(deleted).toEqual(['sch-2']);
    await waitFor(() =>
      expect(screen.queryByText('Nightly analytics')).toBeNull(),
    );
    expect(screen.getByText('Failed jobs for the team')).toBeInTheDocument();
  });

  it('shows what failed when an action is refused', async () => {
    serveList(() => [weekly]);
    server.use(
      http.post(`${API}/schedules/sch-1/run`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Schedule sch-1 was just run; try again in a moment.',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    await screen.findByText('Failed jobs for the team');

    await user.click(
      within(rowOf('Failed jobs for the team')).getByRole('button', {
        name: 'Run now',
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Starting a run of “Failed jobs for the team” failed (HTTP 409)',
    );
    expect(alert).toHaveTextContent('was just run; try again in a moment.');
  });
});
