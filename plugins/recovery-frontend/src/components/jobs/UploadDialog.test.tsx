import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TargetInfo } from '@rebound/core/client';
import { http, HttpResponse } from 'msw';
import { File as PlatformFile } from 'node:buffer';
import { createHash } from 'node:crypto';
import { Route, Routes, useLocation } from 'react-router-dom';
import {
  API,
  badRequest,
  renderWithRebound,
  useMockBackend,
} from '../../testing/render';
import { aJob } from './fixtures';
import { JobsTab } from './JobsTab';

const server = useMockBackend();

type User = ReturnType<typeof userEvent.setup>;

const TARGETS: TargetInfo[] = [
  { name: 'local', type: 'table', batchSize: 500, timeoutMs: 30_000 },
  { name: 'crm', type: 'http', batchSize: 200, timeoutMs: 45_000 },
  { name: 'erp', type: 'http', batchSize: 1000, timeoutMs: 30_000 },
];

const CSV = 'id,name\n1,Ada\n2,Grace\n';

/**
 * A chosen file as the browser hands it over. The platform's File, as
 * the test environment's FormData and fetch take no File of jsdom.
 */
function csvFile(text: string, name: string): File {
  return new PlatformFile([text], name, {
    type: 'text/csv',
  }) as unknown as File;
}

function JobPageProbe() {
  return <p>Opened {useLocation().pathname}</p>;
}

async function openUpload(targets: TargetInfo[] = TARGETS) {
  server.use(
    http.get(`${API}/jobs`, () =>
      HttpResponse.json({ items: [], nextCursor: null }),
    ),
    http.get(`${API}/targets`, () => HttpResponse.json({ items: targets })),
  );
  const user = userEvent.setup();
  await renderWithRebound(
    <Routes>
      <Route path="/recovery/jobs" element={<JobsTab />} />
      <Route path="/recovery/jobs/:jobId" element={<JobPageProbe />} />
    </Routes>,
    { route: '/recovery/jobs' },
  );
  await screen.findByText('No jobs to show');
  await waitFor(() =>
    expect(screen.getByRole('button', { name: 'Upload CSV' })).toBeEnabled(),
  );
  await user.click(screen.getByRole('button', { name: 'Upload CSV' }));
  const dialog = screen.getByRole('dialog', { name: 'Upload a CSV file' });
  await within(dialog).findByLabelText('Target');
  return { user, dialog: within(dialog) };
}

/** Opens the dialog again after an upload opened the new job. */
async function reopen() {
  const user = userEvent.setup();
  await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
  await waitFor(() =>
    expect(
      screen.getAllByRole('button', { name: 'Upload CSV' })[0],
    ).toBeEnabled(),
  );
  await user.click(screen.getAllByRole('button', { name: 'Upload CSV' })[0]);
  const dialog = screen.getByRole('dialog', { name: 'Upload a CSV file' });
  await within(dialog).findByLabelText('Target');
  return { user, dialog: within(dialog) };
}

async function choose(user: User, label: string, option: string | RegExp) {
  await user.click(screen.getByLabelText(label));
  await user.click(await screen.findByRole('option', { name: option }));
}

const uploadButton = () => screen.getByRole('button', { name: 'Upload' });

describe('UploadDialog', () => {
  it('sends the file with its type, target, batch size and priority, then opens the new job', async () => {
    let sent: { options: unknown; name: string; text: string } | undefined;
    server.use(
      http.post(`${API}/jobs`, async ({ request }) => {
        const form = await request.formData();
        const file = form.get('file') as File;
        sent = {
          options: JSON.parse(String(form.get('options'))),
          name: file.name,
          text: await file.text(),
        };
        return HttpResponse.json(aJob({ id: 'job-new', status: 'pending' }), {
          status: 201,
        });
      }),
    );
    const { user, dialog } = await openUpload();

    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile(CSV, 'people.csv'),
    );
    await choose(user, 'Job type', /API upload/);
    await choose(user, 'Target', /^erp/);
    await user.type(dialog.getByLabelText('Batch size'), '250');
    await choose(user, 'Priority', 'high');
    await user.click(uploadButton());

    await screen.findByText('Opened /recovery/jobs/job-new');
    expect(sent).toEqual({
      options: {
        type: 'api_upload',
        target: 'erp',
        batchSize: 250,
        priority: 'high',
      },
      name: 'people.csv',
      text: CSV,
    });
  });

  it("offers the targets of the job type and leaves the batch size to the target's default", async () => {
    let options: unknown;
    server.use(
      http.post(`${API}/jobs`, async ({ request }) => {
        options = JSON.parse(String((await request.formData()).get('options')));
        return HttpResponse.json(aJob({ id: 'job-new' }), { status: 201 });
      }),
    );
    const { user, dialog } = await openUpload();
    expect(
      dialog.getByText("Optional: 500 rows, the target's default, when empty."),
    ).toBeInTheDocument();

    await user.click(dialog.getByLabelText('Target'));
    const offered = (await screen.findAllByRole('option')).map(
      o => o.textContent,
    );
    expect(offered).toEqual(['local (table, 500 rows a batch)']);
    await user.click(screen.getByRole('option', { name: /^local/ }));
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile(CSV, 'people.csv'),
    );
    await user.click(uploadButton());

    await screen.findByText('Opened /recovery/jobs/job-new');
    expect(options).toEqual({
      type: 'csv_import',
      target: 'local',
      priority: 'normal',
    });
  });

  it('says what is missing before it uploads', async () => {
    const { user, dialog } = await openUpload();

    expect(uploadButton()).toHaveAttribute(
      'aria-description',
      'Choose a CSV file first.',
    );
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile('', 'empty.csv'),
    );
    expect(uploadButton()).toHaveAttribute(
      'aria-description',
      'empty.csv is empty; choose a CSV file whose first line names the columns.',
    );
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile(CSV, 'people.csv'),
    );
    await user.type(dialog.getByLabelText('Batch size'), '0');

    const problem =
      "Batch size must be a whole number from 1 to 100,000. Leave it empty for the target's default.";
    expect(dialog.getByText(problem)).toBeInTheDocument();
    expect(uploadButton()).toBeDisabled();
    expect(uploadButton()).toHaveAttribute('aria-description', problem);
  });

  /** Serves POST /jobs; returns what the form sent as options. */
  function captureOptions() {
    const sent: { options?: Record<string, unknown> } = {};
    server.use(
      http.post(`${API}/jobs`, async ({ request }) => {
        const form = await request.formData();
        sent.options = JSON.parse(String(form.get('options')));
        return HttpResponse.json(aJob({ id: 'job-new' }), { status: 201 });
      }),
    );
    return sent;
  }

  it('detects a semicolon-separated file, shows its columns and sends its delimiter', async () => {
    const sent = captureOptions();
    const { user, dialog } = await openUpload();

    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile('id;name;city\n1;Ada;London\n', 'people.csv'),
    );

    expect(
      await dialog.findByText('3 columns in the first line: id, name, city.'),
    ).toBeInTheDocument();
    expect(dialog.getByLabelText('Delimiter')).toHaveTextContent(
      'Detect: Semicolon ;',
    );
    await user.click(uploadButton());
    await screen.findByText('Opened /recovery/jobs/job-new');
    expect(sent.options).toMatchObject({ delimiter: ';' });
    expect(sent.options).not.toHaveProperty('encoding');
  });

  it('warns when the chosen delimiter reads the header as one column, and sends the comma chosen', async () => {
    const sent = captureOptions();
    const { user, dialog } = await openUpload();
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile('id\tname\tcity\n1\tAda\tLondon\n', 'people.tsv'),
    );
    await dialog.findByText(/^3 columns in the first line/);

    await choose(user, 'Delimiter', 'Comma ,');

    expect(
      await dialog.findByText(
        /^1 column in the first line: .* Tab gives 3: choose the delimiter the file uses\.$/,
      ),
    ).toBeInTheDocument();
    // Chosen by hand, the comma is sent: the backend would otherwise
    // refuse a header that a tab splits better.
    await user.click(uploadButton());
    await screen.findByText('Opened /recovery/jobs/job-new');
    expect(sent.options).toMatchObject({ delimiter: ',' });
  });

  it('detects Latin-1 and UTF-16 files and sends their encoding', async () => {
    const sent = captureOptions();
    const { user, dialog } = await openUpload();
    const latin1 = new PlatformFile(
      [Buffer.from('id,caf\xe9\n1,cr\xe8me\n', 'latin1')],
      'menu.csv',
    ) as unknown as File;

    await user.upload(dialog.getByLabelText('CSV file'), latin1);

    expect(
      await dialog.findByText('2 columns in the first line: id, café.'),
    ).toBeInTheDocument();
    expect(dialog.getByLabelText('Encoding')).toHaveTextContent(
      'Detect: Latin-1',
    );
    await user.click(uploadButton());
    await screen.findByText('Opened /recovery/jobs/job-new');
    expect(sent.options).toMatchObject({ encoding: 'latin1' });

    const { user: again, dialog: second } = await reopen();
    const utf16 = new PlatformFile(
      [Buffer.from('\ufeffid,name\n1,Ada\n', 'utf16le')],
      'unicode.csv',
    ) as unknown as File;
    await again.upload(second.getByLabelText('CSV file'), utf16);
    expect(
      await second.findByText('2 columns in the first line: id, name.'),
    ).toBeInTheDocument();
    expect(second.getByLabelText('Encoding')).toHaveTextContent(
      'Detect: UTF-16 LE',
    );
  });

  it('refuses a batch size a number field would silently drop', async () => {
    const { user, dialog } = await openUpload();
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile(CSV, 'people.csv'),
    );

    await user.type(dialog.getByLabelText('Batch size'), '1e');

    expect(uploadButton()).toHaveAttribute(
      'aria-description',
      "Batch size must be a whole number from 1 to 100,000. Leave it empty for the target's default.",
    );
  });

  it('sends a schema given as JSON, and says what is wrong with one that is not', async () => {
    const sent = captureOptions();
    const { user, dialog } = await openUpload();
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile(CSV, 'people.csv'),
    );
    const schema = dialog.getByLabelText('Schema (optional, JSON)');

    await user.click(schema);
    await user.paste('{"columns": {"id": {"type": "integer"');
    expect(uploadButton()).toHaveAttribute(
      'aria-description',
      expect.stringMatching(
        /^The schema is not valid JSON \(.+\); fix it or leave the field empty\.$/,
      ),
    );
    await user.paste('}}}');
    await user.click(uploadButton());

    await screen.findByText('Opened /recovery/jobs/job-new');
    expect(sent.options).toMatchObject({
      schema: { columns: { id: { type: 'integer' } } },
    });
  });

  it('warns that a file was uploaded before, and what reached the target then', async () => {
    const earlier = aJob({
      id: 'job-old',
      fileName: 'people.csv',
      status: 'cancelled',
      progress: { ...aJob().progress, rowsAccepted: 1000 },
      checkpoint: {
        ...aJob().checkpoint!,
        inDoubt: { firstRow: 1001, lastRow: 1500 },
      },
    });
    const asked: (string | null)[] = [];
    const { user, dialog } = await openUpload();
    server.use(
      http.get(`${API}/jobs`, ({ request }) => {
        const sha = new URL(request.url).searchParams.get('fileSha256');
        asked.push(sha);
        return HttpResponse.json({
          items: sha ? [earlier] : [],
          nextCursor: null,
        });
      }),
    );

    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile(CSV, 'people.csv'),
    );

    const warning = await dialog.findByRole('status', {
      name: 'Uploaded before',
    });
    expect(warning).toHaveTextContent(
      "people.csv was cancelled after 1,000 rows reached target 'crm' (and perhaps rows 1,001–1,500, in flight when it stopped).",
    );
    expect(warning).toHaveTextContent(
      /rows an earlier job delivered would then be at the target twice/,
    );
    expect(
      within(warning).getByRole('link', { name: 'people.csv' }),
    ).toHaveAttribute('href', '/recovery/jobs/job-old');
    expect(asked).toContain(createHash('sha256').update(CSV).digest('hex'));
    // It advises; the upload stays possible.
    expect(uploadButton()).toBeEnabled();
  });

  it('says so when no target takes the job type', async () => {
    const { user, dialog } = await openUpload([TARGETS[0]]);

    await choose(user, 'Job type', /API upload/);

    expect(
      dialog.getByText(/None is configured for this job type/),
    ).toBeInTheDocument();
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile(CSV, 'people.csv'),
    );
    expect(uploadButton()).toHaveAttribute(
      'aria-description',
      'No HTTP target is configured for this job type.',
    );
  });

  it("shows the backend's message when it refuses the file", async () => {
    server.use(
      http.post(`${API}/jobs`, () =>
        badRequest("The header names 'id' twice (columns 1 and 3)."),
      ),
    );
    // jsdom lays nothing out; the dialog's call is what can be seen.
    const scrolled: Element[] = [];
    Element.prototype.scrollIntoView = function record(this: Element) {
      scrolled.push(this);
    };
    const { user, dialog } = await openUpload();
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile('id,name,id\n1,2,3\n', 'twice.csv'),
    );
    await user.click(uploadButton());

    const alert = await dialog.findByRole('alert');
    expect(alert).toHaveTextContent('Uploading the file failed (HTTP 400)');
    // A long form scrolls: the failure is brought into view.
    await waitFor(() => expect(scrolled).toHaveLength(1));
    expect(scrolled[0]).toContainElement(alert);
    delete (Element.prototype as Partial<Element>).scrollIntoView;
    expect(alert).toHaveTextContent(
      "The header names 'id' twice (columns 1 and 3).",
    );
    // The message says what to do; no generic advice is added to it.
    expect(alert.textContent).toMatch(/\(columns 1 and 3\)\.$/);
    expect(screen.queryByText(/^Opened/)).not.toBeInTheDocument();
  });

  it('says what failed when the targets cannot be loaded', async () => {
    server.use(
      http.get(`${API}/jobs`, () =>
        HttpResponse.json({ items: [], nextCursor: null }),
      ),
      http.get(`${API}/targets`, () => HttpResponse.error()),
    );
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, { route: '/recovery/jobs' });
    await screen.findByText('No jobs to show');
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Upload CSV' })).toBeEnabled(),
    );
    await user.click(screen.getByRole('button', { name: 'Upload CSV' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Loading the upload targets failed');
    expect(alert).toHaveTextContent(
      'The recovery backend could not be reached: check that it is running, then try again.',
    );
  });
});
