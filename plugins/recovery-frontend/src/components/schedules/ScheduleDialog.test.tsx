import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  DeliveryChannelInfo,
  Schedule,
  ScheduleInput,
} from '@rebound/core/client';
import { http, HttpResponse } from 'msw';
import {
  API,
  badRequest,
  renderWithRebound,
  useMockBackend,
} from '../../testing/render';
import { findButtonInRow, rowOf } from '../../testing/queries';
import { DATASETS } from '../exports/fixtures';
import {
  ALL_CHANNELS,
  plainPreview,
  ROME_DECEMBER_PREVIEW,
  ROME_PREVIEW,
  scheduleOf,
  STORAGE_ONLY,
} from './fixtures';
import { SchedulesTab } from './SchedulesTab';

const server = useMockBackend();

type User = ReturnType<typeof userEvent.setup>;

interface PreviewBody {
  cron: string;
  timezone: string;
  from?: string;
  count?: number;
}

/**
 * Serves the list, the datasets, the delivery channels and previews;
 * records the preview bodies.
 */
function serveTab(
  list: () => Schedule[],
  channels: DeliveryChannelInfo[] = ALL_CHANNELS,
) {
  const previews: PreviewBody[] = [];
  server.use(
    http.get(`${API}/schedules`, () =>
      HttpResponse.json({ items: list(), nextCursor: null }),
    ),
    http.get(`${API}/exports/datasets`, () =>
      HttpResponse.json({ items: DATASETS }),
    ),
    http.get(`${API}/delivery-channels`, () =>
      HttpResponse.json({ items: channels }),
    ),
    http.post(`${API}/schedules/preview`, async ({ request }) => {
      const body = (await request.json()) as PreviewBody;
      previews.push(body);
      if (body.cron === '0 25 * * 1') {
        return badRequest(
          'cron "0 25 * * 1" is not valid: hour 25 is not 0–23; use five fields: minute hour day-of-month month day-of-week, e.g. "0 8 * * 1" for every Monday at 08:00.',
        );
      }
      return HttpResponse.json(
        body.cron === '30 2 * * 0' && body.timezone === 'Europe/Rome'
          ? ROME_PREVIEW
          : plainPreview(body.cron, body.timezone),
      );
    }),
  );
  return previews;
}

async function openNewSchedule(user: User) {
  await user.click(await screen.findByRole('button', { name: 'New schedule' }));
  const dialog = await screen.findByRole('dialog', { name: 'New schedule' });
  await within(dialog).findByLabelText('Name');
  return dialog;
}

const timing = (dialog: HTMLElement) =>
  within(dialog).getByRole('group', { name: 'When it runs' });

async function chooseZone(user: User, group: HTMLElement, words: string) {
  const zone = within(group).getByLabelText('Time zone');
  await user.clear(zone);
  await user.type(zone, words);
  await user.click(
    await screen.findByRole('option', { name: new RegExp(words) }),
  );
}

async function typeCron(user: User, dialog: HTMLElement, cron: string) {
  const field = within(timing(dialog)).getByLabelText('Cron expression');
  await user.clear(field);
  await user.type(field, cron);
  return field;
}

/** Presses "Create schedule" once the form allows it. */
async function createWhenEnabled(user: User, dialog: HTMLElement) {
  const create = () =>
    within(dialog).getByRole('button', { name: 'Create schedule' });
  await waitFor(() => expect(create()).toBeEnabled());
  await user.click(create());
}

describe('SchedulesTab: the schedule form', () => {
  it('shows the backend’s description, next runs in the zone and UTC, and the daylight-saving warnings as you type', async () => {
    const previews = serveTab(() => []);
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openNewSchedule(user);

    await chooseZone(user, timing(dialog), 'Europe/Rome');
    const before = previews.length;
    await typeCron(user, dialog, '30 2 * * 0');

    expect(
      await within(dialog).findByText(
        'Runs every Sunday at 02:30 (Europe/Rome).',
      ),
    ).toBeInTheDocument();
    const runs = within(dialog).getByRole('list', { name: 'Next runs' });
    const items = within(runs).getAllByRole('listitem');
    expect(items).toHaveLength(5);
    expect(items[1]).toHaveTextContent('Sun 2025-03-30 03:30 (UTC+02:00)');
    expect(items[1]).toHaveTextContent('2025-03-30 01:30 UTC');
    expect(within(items[1]).getByRole('alert')).toHaveTextContent(
      '02:30 does not exist on 2025-03-30 in Europe/Rome',
    );
    expect(within(items[0]).queryByRole('alert')).toBeNull();
    expect(
      within(dialog).getByText(
        'Daylight saving moves or merges one of the next 5 runs',
      ),
    ).toBeInTheDocument();

    // Asked once typing paused, not once per key.
    const asked = previews.slice(before);
    expect(asked.length).toBeLessThan('30 2 * * 0'.length);
    expect(asked[asked.length - 1]).toEqual({
      cron: '30 2 * * 0',
      timezone: 'Europe/Rome',
      count: 5,
    });
  });

  it('shows the backend’s 400 for a bad cron under the field and will not create', async () => {
    serveTab(() => []);
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openNewSchedule(user);
    await user.type(within(dialog).getByLabelText('Name'), 'Broken');

    const field = await typeCron(user, dialog, '0 25 * * 1');

    const message =
      'cron "0 25 * * 1" is not valid: hour 25 is not 0–23; use five fields: minute hour day-of-month month day-of-week, e.g. "0 8 * * 1" for every Monday at 08:00.';
    await waitFor(() => expect(field).toHaveAccessibleDescription(message));
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(
      within(dialog).queryByRole('list', { name: 'Next runs' }),
    ).toBeNull();
    const create = within(dialog).getByRole('button', {
      name: 'Create schedule',
    });
    expect(create).toBeDisabled();
    expect(create).toHaveAttribute('aria-description', message);
  });

  it('creates a schedule with the export, every kind of delivery and the missed-run policy', async () => {
    let created: Schedule | undefined;
    let body: ScheduleInput | undefined;
    serveTab(() => (created ? [created] : []));
    server.use(
      http.post(`${API}/schedules`, async ({ request }) => {
        body = (await request.json()) as ScheduleInput;
        created = scheduleOf({
          id: 'sch-new',
          name: body.name,
          cron: body.cron,
          timezone: body.timezone,
        });
        return HttpResponse.json(created, { status: 201 });
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    await waitFor(() =>
      expect(screen.getByText('No schedules yet')).toBeInTheDocument(),
    );
    const dialog = await openNewSchedule(user);

    await user.type(within(dialog).getByLabelText('Name'), 'Weekly errors');
    await typeCron(user, dialog, '0 6 * * 1-5');
    await chooseZone(user, timing(dialog), 'Europe/Berlin');
    const what = within(dialog).getByRole('group', { name: 'What it exports' });
    // Dates in the file follow the schedule's zone.
    expect(what).toHaveTextContent(
      'Jobs as CSV: the default columns, every row, dates in Europe/Berlin.',
    );
    await user.click(
      within(what).getByRole('button', { name: 'Change the export' }),
    );
    await user.selectOptions(within(what).getByLabelText('Format'), 'xlsx');

    const first = within(dialog).getByRole('group', { name: 'Delivery 1' });
    expect(within(first).getByLabelText('Path template')).toHaveValue(
      '{schedule}/{date}/{name}.{ext}',
    );
    const add = within(dialog).getByRole('button', { name: 'Add delivery' });
    await user.click(add);
    const second = within(dialog).getByRole('group', { name: 'Delivery 2' });
    await user.type(
      within(second).getByLabelText('Recipients'),
      'ana@example.com, partner@example.com',
    );
    await user.click(add);
    const third = within(dialog).getByRole('group', { name: 'Delivery 3' });
    await user.selectOptions(
      within(third).getByLabelText('Delivery type'),
      'webhook',
    );
    await user.type(
      within(third).getByLabelText('URL'),
      'https://hooks.example.com/rebound',
    );
    await user.type(within(third).getByLabelText('Secret'), 's3cret');
    await user.click(add);
    const fourth = within(dialog).getByRole('group', { name: 'Delivery 4' });
    await user.selectOptions(
      within(fourth).getByLabelText('Delivery type'),
      'slack',
    );
    await user.type(within(fourth).getByLabelText('Channel ID'), 'C0123456789');
    // A fifth, removed again, is not sent.
    await user.click(add);
    await user.click(
      within(dialog).getByRole('button', { name: 'Remove delivery 5' }),
    );
    await user.selectOptions(
      within(dialog).getByLabelText('Missed runs'),
      'all',
    );
    expect(
      within(dialog).getByText(/every missed slot runs/),
    ).toBeInTheDocument();

    await user.click(
      within(dialog).getByRole('button', { name: 'Create schedule' }),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(body).toEqual({
      name: 'Weekly errors',
      cron: '0 6 * * 1-5',
      timezone: 'Europe/Berlin',
      export: {
        dataset: 'jobs',
        format: 'xlsx',
        options: { timezone: 'Europe/Berlin' },
      },
      deliveries: [
        { type: 'storage', path: '{schedule}/{date}/{name}.{ext}' },
        { type: 'email', to: ['ana@example.com', 'partner@example.com'] },
        {
          type: 'webhook',
          url: 'https://hooks.example.com/rebound',
          secret: 's3cret',
        },
        { type: 'slack', channel: 'C0123456789' },
      ],
      missedRunPolicy: 'all',
      enabled: true,
    });
    // The first run in the schedule's zone, named, not the viewer's alone.
    expect(screen.getByRole('status')).toHaveTextContent(
      'Created “Weekly errors”: the first run is at Mon 2026-12-07 08:00 Europe/Berlin (UTC+01:00)',
    );
    expect(await screen.findByText('Weekly errors')).toBeInTheDocument();
  });

  it('shows the backend’s validation message at the delivery it names', async () => {
    serveTab(() => []);
    server.use(
      http.post(`${API}/schedules`, () =>
        badRequest(
          'deliveries[1].to[0] is "bob", which is not an email address',
        ),
      ),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openNewSchedule(user);
    await user.type(within(dialog).getByLabelText('Name'), 'To Bob');
    await user.click(
      within(dialog).getByRole('button', { name: 'Add delivery' }),
    );
    const second = within(dialog).getByRole('group', { name: 'Delivery 2' });
    await user.type(within(second).getByLabelText('Recipients'), 'bob');
    await createWhenEnabled(user, dialog);

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Creating the schedule failed (HTTP 400)');
    expect(alert).toHaveTextContent('deliveries[1].to[0] is "bob"');
    expect(
      within(second).getByText(
        'deliveries[1].to[0] is "bob", which is not an email address',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog', { name: 'New schedule' })).toBeVisible();
  });

  it('refuses a delivery that repeats another before sending it', async () => {
    serveTab(() => []);
    let posts = 0;
    server.use(
      http.post(`${API}/schedules`, () => {
        posts += 1;
        return HttpResponse.json(scheduleOf(), { status: 201 });
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openNewSchedule(user);
    await user.type(within(dialog).getByLabelText('Name'), 'Twice');
    await typeCron(user, dialog, '0 6 * * 1');
    const add = within(dialog).getByRole('button', { name: 'Add delivery' });
    await user.click(add);
    const second = within(dialog).getByRole('group', { name: 'Delivery 2' });
    await user.selectOptions(
      within(second).getByLabelText('Delivery type'),
      'storage',
    );

    const reason =
      'Delivery 2 repeats delivery 1: both write the file to “{schedule}/{date}/{name}.{ext}”, so the second would overwrite the first. Remove one, or give it another path.';
    expect(within(second).getByText(reason)).toBeInTheDocument();
    const create = within(dialog).getByRole('button', {
      name: 'Create schedule',
    });
    await waitFor(() =>
      expect(create).toHaveAttribute('aria-description', reason),
    );
    expect(create).toBeDisabled();

    // Another path is another file: nothing is repeated any more.
    const path = within(second).getByLabelText('Path template');
    await user.clear(path);
    await user.type(path, 'copies/{{name}.{{ext}');
    expect(within(second).queryByText(reason)).toBeNull();

    // Two email deliveries to one address, whatever its case, repeat too.
    await user.click(add);
    const third = within(dialog).getByRole('group', { name: 'Delivery 3' });
    await user.type(
      within(third).getByLabelText('Recipients'),
      'ana@example.com',
    );
    await user.click(add);
    const fourth = within(dialog).getByRole('group', { name: 'Delivery 4' });
    await user.type(
      within(fourth).getByLabelText('Recipients'),
      'bo@example.com, Ana@Example.com',
    );
    expect(
      within(fourth).getByText(
        'Delivery 4 repeats delivery 3: both send the file to Ana@Example.com, who would get it twice. Remove the address from one.',
      ),
    ).toBeInTheDocument();
    expect(create).toBeDisabled();
    expect(posts).toBe(0);
  });

  it('opens the export fields to show a message about the export', async () => {
    serveTab(() => []);
    const message =
      'export: columns[0] is "owner", which is not a column of jobs; allowed: id, status, createdAt.';
    server.use(http.post(`${API}/schedules`, () => badRequest(message)));
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openNewSchedule(user);
    await user.type(within(dialog).getByLabelText('Name'), 'Owners');
    await createWhenEnabled(user, dialog);

    const what = within(dialog).getByRole('group', { name: 'What it exports' });
    expect(await within(what).findByRole('alert')).toHaveTextContent(message);
    expect(within(what).getByLabelText('Dataset')).toHaveValue('jobs');
  });
});

describe('SchedulesTab: an export that would be empty', () => {
  it('warns that filters leaving no value make every run’s file empty, and still saves', async () => {
    const empty = scheduleOf({
      export: {
        dataset: 'jobs',
        format: 'csv',
        filters: { createdAt: { gte: '2026-12-05', lt: '2026-12-01' } },
      },
    });
    serveTab(() => [empty]);
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    await user.click(await findButtonInRow('Failed jobs for the team', 'Edit'));
    const dialog = await screen.findByRole('dialog', { name: 'Edit schedule' });
    const what = within(
      await within(dialog).findByRole('group', { name: 'What it exports' }),
    );

    expect(what.getByRole('note')).toHaveTextContent(
      'Created >= 2026-12-05 and Created < 2026-12-01 leave no value between them: the export will have no rows.',
    );
    await user.type(within(dialog).getByLabelText('Name'), ' (empty)');
    expect(
      within(dialog).getByRole('button', { name: 'Save schedule' }),
    ).toBeEnabled();
  });
});

describe('SchedulesTab: editing a schedule', () => {
  const hooked = scheduleOf({
    deliveries: [
      { type: 'webhook', url: 'https://hooks.example.com/r', hasSecret: true },
    ],
  });

  async function openEdit(user: User, patches: unknown[]) {
    serveTab(() => [hooked]);
    server.use(
      http.patch(`${API}/schedules/sch-1`, async ({ request }) => {
        const patch = (await request.json()) as Partial<ScheduleInput>;
        patches.push(patch);
        return HttpResponse.json({ ...hooked, ...patch });
      }),
    );
    await renderWithRebound(<SchedulesTab />);
    await screen.findByText(hooked.name);
    await user.click(
      within(rowOf(hooked.name)).getByRole('button', { name: 'Edit' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit schedule' });
    return within(dialog).findByRole('group', { name: 'Delivery 1' });
  }

  it('says a secret is set, and sends only the changed fields', async () => {
    const patches: unknown[] = [];
    const user = userEvent.setup();
    const delivery = await openEdit(user, patches);
    const secret = within(delivery).getByLabelText('New secret');
    expect(secret).toHaveValue('');
    expect(secret).toHaveAccessibleDescription(/^Secret set/);
    const dialog = screen.getByRole('dialog', { name: 'Edit schedule' });
    const save = within(dialog).getByRole('button', { name: 'Save schedule' });
    expect(save).toHaveAttribute(
      'aria-description',
      'Nothing has been changed yet.',
    );

    const name = within(dialog).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'Failed jobs, weekly');
    await user.click(
      within(dialog).getByRole('button', { name: 'Save schedule' }),
    );

    await waitFor(() =>
      expect(patches).toEqual([{ name: 'Failed jobs, weekly' }]),
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Saved “Failed jobs, weekly”',
    );
  });

  it('replaces the secret only when a new one is typed', async () => {
    const patches: unknown[] = [];
    const user = userEvent.setup();
    const delivery = await openEdit(user, patches);
    await user.type(within(delivery).getByLabelText('New secret'), 'rotated');
    await user.click(screen.getByRole('button', { name: 'Save schedule' }));

    await waitFor(() =>
      expect(patches).toEqual([
        {
          deliveries: [
            {
              type: 'webhook',
              url: 'https://hooks.example.com/r',
              secret: 'rotated',
            },
          ],
        },
      ]),
    );
  });
});

describe('SchedulesTab: how far the preview looks', () => {
  /** Weekly runs of the cron in Rome, as many as asked, from December on. */
  function serveRome(previews: PreviewBody[]) {
    server.use(
      http.post(`${API}/schedules/preview`, async ({ request }) => {
        const body = (await request.json()) as PreviewBody;
        previews.push(body);
        if (body.from === '2025-03-29T22:59:59.999Z') {
          return HttpResponse.json(ROME_PREVIEW);
        }
        const count = body.count ?? 5;
        const runs = Array.from({ length: count }, (_, i) => {
          const at = new Date(Date.UTC(2024, 11, 1 + 7 * i, 1, 30));
          return {
            at: at.toISOString(),
            local: `${at.toISOString().slice(0, 10)}T02:30:00+01:00`,
          };
        });
        return HttpResponse.json({
          ...ROME_DECEMBER_PREVIEW,
          runs: count === 5 ? ROME_DECEMBER_PREVIEW.runs : runs,
        });
      }),
    );
  }

  async function openRome(user: User) {
    const dialog = await openNewSchedule(user);
    await chooseZone(user, timing(dialog), 'Europe/Rome');
    await typeCron(user, dialog, '30 2 * * 0');
    await within(dialog).findByText(
      'Runs every Sunday at 02:30 (Europe/Rome).',
    );
    return dialog;
  }

  it('lists up to 50 runs and starts on a later day in the schedule’s zone', async () => {
    serveTab(() => []);
    const previews: PreviewBody[] = [];
    serveRome(previews);
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openRome(user);
    const group = timing(dialog);

    await user.selectOptions(
      within(group).getByLabelText('Runs to preview'),
      '50',
    );
    await waitFor(() =>
      expect(
        within(
          within(dialog).getByRole('list', { name: 'Next runs' }),
        ).getAllByRole('listitem'),
      ).toHaveLength(50),
    );
    expect(previews[previews.length - 1]).toEqual({
      cron: '30 2 * * 0',
      timezone: 'Europe/Rome',
      count: 50,
    });

    await user.selectOptions(
      within(group).getByLabelText('Runs to preview'),
      '5',
    );
    const start = within(group).getByLabelText('Preview from');
    fireEvent.change(start, { target: { value: '2024-12-01' } });
    // Midnight in Rome is 23:00 UTC the day before, in winter.
    await waitFor(() =>
      expect(previews[previews.length - 1]).toEqual({
        cron: '30 2 * * 0',
        timezone: 'Europe/Rome',
        count: 5,
        from: '2024-11-30T22:59:59.999Z',
      }),
    );
    expect(start).toHaveAccessibleDescription(
      'The runs from the start of 2024-12-01 in Europe/Rome; clear it to start now.',
    );
  });

  it('says the shown runs are clear only as far as they go, and points to the change months later', async () => {
    serveTab(() => []);
    const previews: PreviewBody[] = [];
    serveRome(previews);
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openRome(user);
    fireEvent.change(within(timing(dialog)).getByLabelText('Preview from'), {
      target: { value: '2024-12-01' },
    });

    expect(
      await within(dialog).findByText(
        'No daylight-saving problem in the 5 runs from 2024-12-01 (up to Sun 2024-12-29 02:30 (UTC+01:00)).',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByText(/nor in any run/),
    ).not.toBeInTheDocument();
    const later = within(dialog)
      .getByText('Daylight saving moves a later run, on 2025-03-30')
      .closest('[role="note"]') as HTMLElement;
    expect(later).toHaveTextContent(
      '02:30 does not exist on 2025-03-30 in Europe/Rome (the clocks go forward); this run is at 03:30 local time.',
    );

    await user.click(
      within(later).getByRole('button', { name: 'Preview from 2025-03-30' }),
    );

    expect(
      await within(dialog).findByText(
        'Daylight saving moves or merges one of the 5 runs from 2025-03-30',
      ),
    ).toBeInTheDocument();
    expect(within(timing(dialog)).getByLabelText('Preview from')).toHaveValue(
      '2025-03-30',
    );
    expect(previews[previews.length - 1].from).toBe('2025-03-29T22:59:59.999Z');
  });

  it('gives an all-clear that names the runs and the year it covers', async () => {
    serveTab(() => []);
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openNewSchedule(user);
    await typeCron(user, dialog, '0 8 * * 1');

    expect(
      await within(dialog).findByText(
        'No daylight-saving problem in the next run (up to Mon 2026-12-07 08:00 (UTC+01:00)), nor in any run up to 2027-12-05.',
      ),
    ).toBeInTheDocument();
  });
});

describe('SchedulesTab: delivery channels the backend has not set up', () => {
  it('offers only the channels that can deliver, and says why the others cannot', async () => {
    serveTab(() => [], STORAGE_ONLY);
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openNewSchedule(user);
    const first = within(dialog).getByRole('group', { name: 'Delivery 1' });

    const email = await within(first).findByRole('option', {
      name: 'Email (not set up here)',
    });
    expect(email).toBeDisabled();
    expect(email).toHaveAccessibleDescription(
      'Email cannot deliver on this backend: no mail server is set up. Choose another type, or ask an administrator to set recovery.delivery.email.smtp.',
    );
    expect(
      within(first).getByRole('option', { name: 'Webhook (not set up here)' }),
    ).toHaveAccessibleDescription(
      /no webhook host is allowed.*recovery\.delivery\.webhook\.allowedHosts/,
    );
    expect(
      within(first).getByRole('option', {
        name: 'Slack channel (not set up here)',
      }),
    ).toBeDisabled();
    expect(
      within(first).getByRole('option', { name: 'File storage' }),
    ).toBeEnabled();

    // A new delivery starts on a channel that can deliver.
    await user.click(
      within(dialog).getByRole('button', { name: 'Add delivery' }),
    );
    const second = within(dialog).getByRole('group', { name: 'Delivery 2' });
    expect(within(second).getByLabelText('Delivery type')).toHaveValue(
      'storage',
    );
    expect(within(second).getByLabelText('Path template')).toBeInTheDocument();
  });

  it('keeps a saved delivery of a channel gone, says why, and will not save it changed', async () => {
    const slacked = scheduleOf({
      deliveries: [{ type: 'slack', channel: 'C0123456789' }],
    });
    serveTab(() => [slacked], STORAGE_ONLY);
    const patches: unknown[] = [];
    server.use(
      http.patch(`${API}/schedules/sch-1`, async ({ request }) => {
        const patch = (await request.json()) as Partial<ScheduleInput>;
        patches.push(patch);
        return HttpResponse.json({ ...slacked, ...patch });
      }),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    await screen.findByText(slacked.name);
    await user.click(
      within(rowOf(slacked.name)).getByRole('button', { name: 'Edit' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Edit schedule' });
    const delivery = await within(dialog).findByRole('group', {
      name: 'Delivery 1',
    });
    const reason =
      'Slack channel cannot deliver on this backend: no Slack bot token is set. Choose another type, or ask an administrator to set recovery.delivery.slack.token.';
    await waitFor(() =>
      expect(
        within(delivery).getByLabelText('Delivery type'),
      ).toHaveAccessibleDescription(reason),
    );
    const save = () =>
      within(dialog).getByRole('button', { name: 'Save schedule' });

    const channel = within(delivery).getByLabelText('Channel ID');
    await user.clear(channel);
    await user.type(channel, 'C0000000042');
    await waitFor(() =>
      expect(save()).toHaveAttribute(
        'aria-description',
        `Delivery 1: ${reason}`,
      ),
    );
    expect(save()).toBeDisabled();

    await user.selectOptions(
      within(delivery).getByLabelText('Delivery type'),
      'storage',
    );
    await waitFor(() => expect(save()).toBeEnabled());
    await user.click(save());
    await waitFor(() =>
      expect(patches).toEqual([
        {
          deliveries: [
            { type: 'storage', path: '{schedule}/{date}/{name}.{ext}' },
          ],
        },
      ]),
    );
  });

  it('offers every type, and says so, when the channels cannot be read', async () => {
    serveTab(() => []);
    server.use(
      http.get(`${API}/delivery-channels`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'backend restarting' } },
          { status: 503 },
        ),
      ),
    );
    const user = userEvent.setup();
    await renderWithRebound(<SchedulesTab />);
    const dialog = await openNewSchedule(user);

    expect(
      await within(dialog).findByText(/backend restarting/),
    ).toHaveTextContent(
      'Which delivery channels this backend has set up could not be read (backend restarting); every type is offered, and the backend checks them when you save.',
    );
    const first = within(dialog).getByRole('group', { name: 'Delivery 1' });
    expect(within(first).getByRole('option', { name: 'Email' })).toBeEnabled();
  });
});
