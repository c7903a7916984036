import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  API,
  badRequest,
  renderWithRebound,
  useMockBackend,
} from '../../testing/render';
import { ExportsTab } from './ExportsTab';
import { captureDownloads } from '../../testing/downloads';
import { findButtonInRow, rowOf } from '../../testing/queries';
import { exportRecord, serveExports, SHA } from './fixtures';

const server = useMockBackend();

async function renderTab(denied: string[] = []) {
  await renderWithRebound(<ExportsTab />, { denied });
  await screen.findByLabelText('Dataset');
}

/** Waits for the list's polling to show `text` in the row of `fileName`. */
async function untilRowShows(fileName: string, text: string) {
  await waitFor(
    () => expect(within(rowOf(fileName)).getByText(text)).toBeInTheDocument(),
    { timeout: 5000 },
  );
}

describe('ExportsTab: the new export form', () => {
  it('sends dataset, format, columns, filters and time zone, and lists the new export at once', async () => {
    serveExports(server, () => []);
    let body: unknown;
    server.use(
      http.post(`${API}/exports`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          exportRecord({
            id: 'exp-new',
            format: 'xlsx',
            fileName: 'failed-jobs.xlsx',
          }),
          { status: 201 },
        );
      }),
    );
    const user = userEvent.setup();
    await renderTab();
    expect(await screen.findByText('No exports yet')).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Format'), 'xlsx');
    await user.click(screen.getByLabelText('Columns'));
    await user.click(await screen.findByRole('option', { name: 'Status' }));
    await user.click(screen.getByRole('option', { name: 'Job' }));
    await user.keyboard('{Escape}');

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const first = screen.getByRole('group', { name: 'Filter 1' });
    await user.selectOptions(within(first).getByLabelText('Column'), 'status');
    await user.selectOptions(within(first).getByLabelText('Operator'), 'in');
    await user.type(within(first).getByLabelText('Value'), 'failed, cancelled');
    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const second = screen.getByRole('group', { name: 'Filter 2' });
    await user.selectOptions(
      within(second).getByLabelText('Column'),
      'attempts',
    );
    await user.selectOptions(within(second).getByLabelText('Operator'), 'gte');
    await user.type(within(second).getByLabelText('Value'), '2');

    const zone = screen.getByLabelText('Time zone');
    await user.clear(zone);
    await user.type(zone, 'Berlin');
    await user.click(
      await screen.findByRole('option', { name: /Europe\/Berlin/ }),
    );
    await user.type(screen.getByLabelText('File name'), 'failed-jobs');
    await user.click(screen.getByRole('button', { name: 'Create export' }));

    expect(await screen.findByRole('status')).toHaveTextContent(
      'Created failed-jobs.xlsx',
    );
    expect(body).toEqual({
      dataset: 'jobs',
      format: 'xlsx',
      columns: ['status', 'id'],
      filters: {
        status: { in: ['failed', 'cancelled'] },
        attempts: { gte: 2 },
      },
      options: { timezone: 'Europe/Berlin', fileName: 'failed-jobs' },
    });
    const row = rowOf('failed-jobs.xlsx');
    expect(within(row).getByText('succeeded')).toBeInTheDocument();
    expect(within(row).getByText('Excel (xlsx)')).toBeInTheDocument();
  }, 30000);

  it('shows the message of a refused request next to the form', async () => {
    serveExports(server, () => []);
    server.use(
      http.post(`${API}/exports`, () =>
        badRequest(
          "filters.createdAt: '2026-02-30' is not a calendar date; use YYYY-MM-DD.",
        ),
      ),
    );
    const user = userEvent.setup();
    await renderTab();

    await user.click(screen.getByRole('button', { name: 'Create export' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Creating the export failed (HTTP 400)');
    // The backend's message names the filter and the form to use.
    expect(alert).toHaveTextContent(
      "filters.createdAt: '2026-02-30' is not a calendar date; use YYYY-MM-DD.",
    );
  });

  it('keeps a filter without a value out of the request and says so', async () => {
    serveExports(server, () => []);
    const user = userEvent.setup();
    await renderTab();

    await user.click(screen.getByRole('button', { name: 'Add filter' }));

    const create = screen.getByRole('button', { name: 'Create export' });
    expect(create).toBeDisabled();
    expect(create).toHaveAttribute(
      'aria-description',
      'Filter 1 (Job equals): enter a value or remove the filter.',
    );
    await user.click(screen.getByRole('button', { name: 'Remove filter 1' }));
    expect(screen.getByRole('button', { name: 'Create export' })).toBeEnabled();
  });

  it('refuses an impossible time or date in a filter before sending, saying which filter, what is wrong and the form', async () => {
    serveExports(server, () => []);
    let posted = 0;
    server.use(
      http.post(`${API}/exports`, () => {
        posted += 1;
        return HttpResponse.json(exportRecord(), { status: 201 });
      }),
    );
    const user = userEvent.setup();
    await renderTab();

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const row = screen.getByRole('group', { name: 'Filter 1' });
    await user.selectOptions(within(row).getByLabelText('Column'), 'createdAt');
    await user.selectOptions(within(row).getByLabelText('Operator'), 'gte');
    const value = within(row).getByLabelText('Value');
    await user.type(value, '2026-12-04T25:99');

    const create = screen.getByRole('button', { name: 'Create export' });
    expect(create).toBeDisabled();
    expect(create).toHaveAttribute(
      'aria-description',
      'Filter 1 (Created >=): "2026-12-04T25:99" is not a real time: hour 25 is not 00 to 23 and minute 99 is not 00 to 59; write a date (2026-12-04) or a time (2026-12-04T10:00).',
    );
    expect(value).toHaveAttribute('aria-invalid', 'true');
    expect(
      within(row).getByText(/"2026-12-04T25:99" is not a real time/),
    ).toBeVisible();

    await user.clear(value);
    await user.type(value, '2026-02-31');
    expect(
      screen.getByRole('button', { name: 'Create export' }),
    ).toHaveAttribute(
      'aria-description',
      'Filter 1 (Created >=): "2026-02-31" is not a calendar date: February 2026 has 28 days; write a date (2026-12-04) or a time (2026-12-04T10:00).',
    );
    await user.clear(value);
    await user.type(value, '2026-02-31T10:00');
    expect(
      screen.getByRole('button', { name: 'Create export' }),
    ).toHaveAttribute(
      'aria-description',
      expect.stringContaining('February 2026 has 28 days'),
    );
    expect(
      screen.getByRole('button', { name: 'Create export' }),
    ).toBeDisabled();
    expect(posted).toBe(0);

    await user.clear(value);
    await user.type(value, '2026-02-28T23:59');
    await user.click(screen.getByRole('button', { name: 'Create export' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Created');
    expect(posted).toBe(1);
  });

  it('says what failed when the datasets cannot be loaded', async () => {
    serveExports(server, () => []);
    server.use(
      http.get(`${API}/exports/datasets`, () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'database is locked' } },
          { status: 500 },
        ),
      ),
    );
    await renderWithRebound(<ExportsTab />);

    const alert = await screen.findByText(
      /Loading the datasets to export failed/,
    );
    expect(alert.closest('[role="alert"]')).toHaveTextContent(
      'database is locked',
    );
  });
});

describe('ExportsTab: the list of exports', () => {
  afterEach(() => jest.restoreAllMocks());

  it('shows status, rows, size, SHA-256 and the error of a failed export', async () => {
    serveExports(server, () => [
      exportRecord(),
      exportRecord({
        id: 'exp-2',
        fileName: 'errors.json',
        dataset: 'errors',
        format: 'json',
        status: 'failed',
        rowCount: null,
        size: null,
        sha256: null,
        finishedAt: '2026-12-04T10:20:00.000Z',
        error: {
          code: 'export_storage_failed',
          message: 'Writing to /data/exports failed: no space left on device.',
        },
      }),
    ]);
    const user = userEvent.setup();
    await renderTab();

    expect(
      await screen.findByRole('heading', { name: 'Exports' }),
    ).toBeInTheDocument();
    const done = rowOf('jobs-20261204-101500.csv');
    expect(within(done).getByText('succeeded')).toBeInTheDocument();
    expect(within(done).getByText('1,234 rows')).toBeInTheDocument();
    expect(within(done).getByText('2.0 KB')).toBeInTheDocument();
    const digest = within(done).getByText(`${SHA.slice(0, 12)}…`);
    await user.hover(digest);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(SHA);
    expect(
      within(done).getByRole('button', { name: 'Copy SHA-256' }),
    ).toBeInTheDocument();

    const failed = rowOf('errors.json');
    expect(within(failed).getByText('failed')).toBeInTheDocument();
    expect(
      within(failed).getByText(
        'Writing to /data/exports failed: no space left on device.',
      ),
    ).toBeInTheDocument();
  });

  it('puts Download first and folds the secondary facts into four columns', async () => {
    const long =
      'failed jobs of the December import run for the CRM, every target.csv';
    serveExports(server, () => [exportRecord({ fileName: long })]);
    await renderTab();

    const table = await screen.findByRole('table', { name: 'Exports' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(header => header.textContent),
    ).toEqual(['Actions', 'Export', 'Status', 'Details']);
    const cells = within(rowOf(long)).getAllByRole('cell');
    expect(
      within(cells[0]).getByRole('button', { name: 'Download' }),
    ).toBeEnabled();
    // Shortened on the page, whole on hover.
    expect(within(cells[1]).getByText(long)).toHaveAttribute('title', long);
    expect(cells[1]).toHaveTextContent(
      `${long}Jobs · CSV · 1,234 rows · 2.0 KB`,
    );
    expect(cells[2]).toHaveTextContent(/^succeededFinished 2026-12-04 \d\d:/);
    expect(cells[3]).toHaveTextContent(
      new RegExp(
        `^SHA-256 ${SHA.slice(0, 12)}…Created 2026-12-0\\d .+Expires 2099-01-0`,
      ),
    );
    expect(
      within(cells[3]).getByRole('button', { name: 'Copy SHA-256' }),
    ).toBeInTheDocument();
  });

  it('prints no material-table warning while the list updates', async () => {
    let requests = 0;
    serveExports(server, () => {
      requests += 1;
      return [
        requests === 1
          ? exportRecord({ status: 'running', rowCount: null, sha256: null })
          : exportRecord(),
      ];
    });
    // The table library checks its props only in development builds.
    const environment = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    const warn = jest.spyOn(console, 'warn');
    try {
      await renderTab();
      await untilRowShows('jobs-20261204-101500.csv', 'succeeded');
    } finally {
      process.env.NODE_ENV = environment;
    }

    const tableWarnings = warn.mock.calls
      .map(args => String(args[0]))
      .filter(text => /material table|unique id/.test(text));
    expect(tableWarnings).toEqual([]);
  });

  it('says how to make the first export when there is none', async () => {
    serveExports(server, () => []);
    await renderTab();

    expect(await screen.findByText('No exports yet')).toBeInTheDocument();
    expect(
      screen.getByText(/Choose a dataset and a format under "New export"/),
    ).toBeInTheDocument();
  });

  it('says what failed when the list cannot be loaded', async () => {
    serveExports(server, () =>
      HttpResponse.json(
        { error: { name: 'Error', message: 'connection refused' } },
        { status: 503 },
      ),
    );
    await renderTab();

    const title = await screen.findByText(/Loading the exports failed/);
    const alert = title.closest('[role="alert"]') as HTMLElement;
    expect(alert).toHaveTextContent('(HTTP 503)');
    expect(alert).toHaveTextContent('connection refused');
    expect(
      within(alert).getByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
  });

  it('downloads the file under the record’s file name', async () => {
    serveExports(server, () => [
      exportRecord({ fileName: 'Fehler Dezember.csv' }),
    ]);
    server.use(
      http.get(
        `${API}/exports/exp-1/content`,
        () =>
          new HttpResponse('id,status\r\n1,failed\r\n', {
            headers: { 'content-type': 'text/csv; charset=utf-8' },
          }),
      ),
    );
    const downloads = captureDownloads('blob:http://localhost/export-1');
    const user = userEvent.setup();
    await renderTab();

    await user.click(await findButtonInRow('Fehler Dezember.csv', 'Download'));

    await waitFor(() =>
      expect(downloads.clicks).toEqual([
        {
          href: 'blob:http://localhost/export-1',
          download: 'Fehler Dezember.csv',
        },
      ]),
    );
    expect(await downloads.files[0].text()).toBe('id,status\r\n1,failed\r\n');
  });

  it('disables Download with the reason until there is a file', async () => {
    serveExports(server, () => [
      exportRecord({ id: 'a', fileName: 'a.csv', status: 'running' }),
      exportRecord({ id: 'b', fileName: 'b.csv', status: 'failed' }),
      exportRecord({ id: 'c', fileName: 'c.csv', status: 'expired' }),
      exportRecord({
        id: 'd',
        fileName: 'd.csv',
        expiresAt: '2020-01-01T00:00:00.000Z',
      }),
    ]);
    // A running export keeps the list polling; no answer needs to change.
    await renderTab();
    await screen.findByText('a.csv');

    const reasons = Object.fromEntries(
      ['a.csv', 'b.csv', 'c.csv', 'd.csv'].map(name => {
        const button = within(rowOf(name)).getByRole('button', {
          name: 'Download',
        });
        expect(button).toBeDisabled();
        return [name, button.getAttribute('aria-description')];
      }),
    );
    expect(reasons).toEqual({
      'a.csv':
        'The export is still running: download it once it has succeeded.',
      'b.csv': 'The export failed, so there is no file: retry it first.',
      'c.csv': 'The file has expired and was deleted: create the export again.',
      'd.csv': 'The file has expired and was deleted: create the export again.',
    });
  });

  it('updates a running export until it has succeeded', async () => {
    let requests = 0;
    serveExports(server, () => {
      requests += 1;
      return [
        requests === 1
          ? exportRecord({
              status: 'running',
              progress: 500,
              rowsTotal: 2000,
              rowCount: null,
              size: null,
              sha256: null,
              finishedAt: null,
              downloadUrl: null,
            })
          : exportRecord({ rowCount: 2000, rowsTotal: 2000 }),
      ];
    });
    await renderTab();

    const row = await waitFor(() => rowOf('jobs-20261204-101500.csv'));
    expect(within(row).getByText('running')).toBeInTheDocument();
    expect(within(row).getByText('500 / 2,000 rows')).toBeInTheDocument();
    expect(within(row).getByRole('progressbar')).toHaveAttribute(
      'aria-valuenow',
      '25',
    );

    await untilRowShows('jobs-20261204-101500.csv', 'succeeded');
    const done = rowOf('jobs-20261204-101500.csv');
    expect(within(done).getByText('2,000 rows')).toBeInTheDocument();
    expect(
      within(done).getByRole('button', { name: 'Download' }),
    ).toBeEnabled();
    expect(requests).toBe(2);
  });

  it('retries a failed export and follows it to the end', async () => {
    let retried: string | undefined;
    serveExports(server, () => [
      retried
        ? exportRecord({ attempts: 2 })
        : exportRecord({
            status: 'failed',
            error: { code: 'export_interrupted', message: 'Interrupted.' },
          }),
    ]);
    server.use(
      http.post(`${API}/exports/:id/retry`, ({ params }) => {
        retried = String(params.id);
        return HttpResponse.json(
          exportRecord({
            status: 'running',
            progress: 0,
            rowCount: null,
            attempts: 2,
          }),
        );
      }),
    );
    const user = userEvent.setup();
    await renderTab();

    await user.click(
      await findButtonInRow('jobs-20261204-101500.csv', 'Retry'),
    );

    expect(retried).toBe('exp-1');
    expect(
      within(rowOf('jobs-20261204-101500.csv')).getByText('running'),
    ).toBeInTheDocument();
    await untilRowShows('jobs-20261204-101500.csv', 'succeeded');
  });

  it('pages to older exports with the cursor', async () => {
    serveExports(server, url =>
      url.searchParams.get('cursor') === 'page-2'
        ? HttpResponse.json({
            items: [exportRecord({ id: 'old', fileName: 'old.csv' })],
            nextCursor: null,
          })
        : HttpResponse.json({
            items: [exportRecord({ id: 'new', fileName: 'new.csv' })],
            nextCursor: 'page-2',
          }),
    );
    const user = userEvent.setup();
    await renderTab();
    await screen.findByText('new.csv');

    await user.click(screen.getByRole('button', { name: 'Next page' }));

    expect(await screen.findByText('old.csv')).toBeInTheDocument();
    expect(screen.queryByText('new.csv')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toHaveAttribute(
      'aria-description',
      'There are no more exports.',
    );
    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    expect(await screen.findByText('new.csv')).toBeInTheDocument();
  });
});
