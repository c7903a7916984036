import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';
import { reboundApiFactory } from './api';
import { rootRouteRef } from './routes';

/** Rebound's pages for Backstage apps on the legacy frontend system. @public */
export const recoveryPlugin = createPlugin({
  id: 'recovery',
  apis: [reboundApiFactory],
  routes: { root: rootRouteRef },
});

/**
 * Jobs and recovery, exports, schedules and analytics, as tabs of one page:
 * `<Route path="/recovery" element={<RecoveryPage />} />`. @public
 */
export const RecoveryPage = recoveryPlugin.provide(
  createRoutableExtension({
    name: 'RecoveryPage',
    component: () =>
      import('./components/RecoveryPage').then(m => m.RecoveryPage),
    mountPoint: rootRouteRef,
  }),
);
