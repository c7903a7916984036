import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { Route, Routes } from 'react-router-dom';
import { expectDisabledBecause } from '../../testing/queries';
import { API, renderWithRebound, useMockBackend } from '../../testing/render';
import { aJob, anAnalysis } from './fixtures';
import { JobPage } from './JobPage';
import { JobsTab } from './JobsTab';

// A file of its own: the permission hook caches answers per permission
// for a while, so allowed and denied renders do not share one test file.
const server = useMockBackend();

const DENIED = [
  'recovery.job.recover',
  'recovery.job.cancel',
  'recovery.job.create',
];

const job = aJob({ id: 'job-1', fileName: 'contacts.csv' });

function serveJob() {
  server.use(
    http.get(`${API}/jobs`, () =>
      HttpResponse.json({ items: [job], nextCursor: null }),
    ),
    http.get(`${API}/jobs/:id`, () => HttpResponse.json(job)),
    http.get(`${API}/jobs/:id/analysis`, () =>
      HttpResponse.json(anAnalysis(job)),
    ),
    http.get(`${API}/jobs/:id/errors`, () =>
      HttpResponse.json({ items: [], nextCursor: null }),
    ),
    http.get(`${API}/recoveries`, () =>
      HttpResponse.json({ items: [], nextCursor: null }),
    ),
  );
}

describe('without the permissions to change jobs', () => {
  it('disables "Recover selected" and "Upload CSV" with the reason', async () => {
    serveJob();
    const user = userEvent.setup();
    await renderWithRebound(<JobsTab />, {
      route: '/recovery/jobs',
      denied: DENIED,
    });
    await user.click(
      await screen.findByRole('checkbox', { name: 'Select contacts.csv' }),
    );

    await expectDisabledBecause(
      'Recover selected',
      'You may not recover jobs: ask an administrator for recovery.job.recover.',
    );
    await expectDisabledBecause(
      'Upload CSV',
      'You may not upload a file as a new job: ask an administrator for recovery.job.create.',
    );
  });

  it('disables "Recover" and "Cancel job" of a failed job with the reason', async () => {
    serveJob();
    await renderWithRebound(
      <Routes>
        <Route path="/recovery/jobs/:jobId" element={<JobPage />} />
      </Routes>,
      { route: '/recovery/jobs/job-1', denied: DENIED },
    );
    await screen.findByRole('heading', { name: 'contacts.csv' });

    await expectDisabledBecause(
      'Recover',
      'You may not recover jobs: ask an administrator for recovery.job.recover.',
    );
    await expectDisabledBecause(
      'Cancel job',
      'You may not cancel jobs: ask an administrator for recovery.job.cancel.',
    );
  });
});
