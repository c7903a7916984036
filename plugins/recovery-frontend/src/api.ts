import {
  createApiRef,
  discoveryApiRef,
  fetchApiRef,
  createApiFactory,
  useApi,
} from '@backstage/core-plugin-api';
import { ReboundClient } from '@rebound/core/client';

/** The client of the recovery backend the pages use. @public */
export const reboundApiRef = createApiRef<ReboundClient>({
  id: 'plugin.recovery.client',
});

/** Builds the client on Backstage's discovery and authenticated fetch. */
export const reboundApiFactory = createApiFactory({
  api: reboundApiRef,
  deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
  factory: ({ discoveryApi, fetchApi }) =>
    new ReboundClient({
      baseUrl: () => discoveryApi.getBaseUrl('recovery'),
      fetch: fetchApi.fetch,
    }),
});

export function useRebound(): ReboundClient {
  return useApi(reboundApiRef);
}
