// A file of its own: permission answers are cached per test file.
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { API, renderWithRebound, useMockBackend } from '../../testing/render';
import { expectDisabledBecause, rowOf } from '../../testing/queries';
import { attemptOf, runOf, scheduleOf } from './fixtures';
import { SchedulesTab } from './SchedulesTab';

const server = useMockBackend();

describe('SchedulesTab without recovery.schedule.manage', () => {
  it('disables every change, saying why, and still shows the runs', async () => {
    server.use(
      http.get(`${API}/schedules`, () =>
        HttpResponse.json({
          items: [
            scheduleOf(),
            scheduleOf({ id: 'sch-2', name: 'Paused one', enabled: false }),
          ],
          nextCursor: null,
        }),
      ),
      http.get(`${API}/schedules/sch-1/runs`, () =>
        HttpResponse.json({
          items: [
            runOf({
              status: 'failed',
              attempts: [
                attemptOf({
                  status: 'failed',
                  retryable: true,
                  error: { code: 'storage_failed', message: 'Disk full.' },
                }),
              ],
            }),
          ],
        }),
      ),
    );
    await renderWithRebound(<SchedulesTab />, {
      route: '/?runs=sch-1',
      denied: ['recovery.schedule.manage'],
    });

    const reason =
      'You may not create, change, run and delete schedules: ask an administrator for recovery.schedule.manage.';
    await expectDisabledBecause('New schedule', reason);

    await screen.findByText('Paused one');
    for (const [name, actions] of [
      ['Failed jobs for the team', ['Pause', 'Run now', 'Edit', 'Delete']],
      ['Paused one', ['Resume', 'Run now', 'Edit', 'Delete']],
    ] as const) {
      for (const action of actions) {
        const button = within(rowOf(name)).getByRole('button', {
          name: action,
        });
        expect(button).toBeDisabled();
        expect(button).toHaveAttribute('aria-description', reason);
      }
      expect(
        within(rowOf(name)).getByRole('button', { name: 'Runs' }),
      ).toBeEnabled();
    }

    const resend = await screen.findByRole('button', { name: 'Resend' });
    expect(resend).toBeDisabled();
    expect(resend).toHaveAttribute('aria-description', reason);
  });
});
