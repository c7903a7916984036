/**
 * Component tests render a page in Backstage's test app with a real
 * ReboundClient whose requests msw answers, as the backend would.
 */
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  MockPermissionApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ReboundClient } from '@rebound/core/client';
import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { reboundApiRef } from '../api';
import { rootRouteRef } from '../routes';

/** The base URL the client under test calls; handlers are relative to it. */
export const API = 'http://127.0.0.1:7007/api/recovery';

/** The Backstage error body of a 400, as the backend sends it. */
export function badRequest(message: string) {
  return HttpResponse.json(
    {
      error: { name: 'InputError', message },
      response: { statusCode: 400 },
    },
    { status: 400 },
  );
}

/** One msw server per test file: `const server = useMockBackend();`. */
export function useMockBackend() {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

export interface RenderOptions {
  /** The URL the test app opens; the page's root route is mounted at /recovery. */
  route?: string;
  /** Permission names the user does not hold. */
  denied?: string[];
}

export async function renderWithRebound(
  ui: ReactNode,
  options: RenderOptions = {},
) {
  const denied = new Set(options.denied ?? []);
  const permissionApi = new MockPermissionApi(request =>
    denied.has(request.permission.name)
      ? AuthorizeResult.DENY
      : AuthorizeResult.ALLOW,
  );
  // usePermission caches answers in swr; a cache of each render's own
  // keeps one test's permissions out of the next.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [reboundApiRef, new ReboundClient({ baseUrl: API })],
          [permissionApiRef, permissionApi],
        ]}
      >
        {ui}
      </TestApiProvider>
    </SWRConfig>,
    {
      routeEntries: [options.route ?? '/'],
      mountedRoutes: { '/recovery': rootRouteRef },
    },
  );
}
