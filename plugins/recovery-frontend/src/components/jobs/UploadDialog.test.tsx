import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TargetInfo } from '@rebound/core/client';
import { http, HttpResponse } from 'msw';
import { File as PlatformFile } from 'node:buffer';
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
    const { user, dialog } = await openUpload();
    await user.upload(
      dialog.getByLabelText('CSV file'),
      csvFile('id,name,id\n1,2,3\n', 'twice.csv'),
    );
    await user.click(uploadButton());

    const alert = await dialog.findByRole('alert');
    expect(alert).toHaveTextContent('Uploading the file failed (HTTP 400)');
    expect(alert).toHaveTextContent(
      "The header names 'id' twice (columns 1 and 3).",
    );
    expect(alert).toHaveTextContent(
      'Correct the value the message names and try again.',
    );
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
