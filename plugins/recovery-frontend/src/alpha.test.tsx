import { renderTestApp } from '@backstage/frontend-test-utils';
import { ReboundClient } from '@rebound/core/client';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import alphaPlugin from './alpha';
import { reboundApiRef } from './api';
import { aJob } from './components/jobs/fixtures';
import { API, useMockBackend } from './testing/render';

const server = useMockBackend();

describe('the plugin on the new frontend system', () => {
  it('mounts the recovery page at /recovery with its tabs and jobs', async () => {
    server.use(
      http.get(`${API}/jobs`, () =>
        HttpResponse.json({
          items: [aJob({ fileName: 'orders-nfs.csv' })],
          nextCursor: null,
        }),
      ),
      http.get(`${API}/jobs/:id/analysis`, () =>
        HttpResponse.json({}, { status: 404 }),
      ),
    );
    renderTestApp({
      features: [alphaPlugin],
      initialRouteEntries: ['/recovery/jobs'],
      apis: [[reboundApiRef, new ReboundClient({ baseUrl: API })]],
    });
    // The page is loaded lazily, as the app would load it.
    expect(
      await screen.findByRole(
        'tab',
        { name: 'Jobs and recovery' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Analytics' })).toBeInTheDocument();
    expect(
      await screen.findByText('orders-nfs.csv', {}, { timeout: 15_000 }),
    ).toBeInTheDocument();
  });
});
