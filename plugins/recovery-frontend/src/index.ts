/**
 * Rebound's portal pages: recovery, exports, schedules and analytics.
 *
 * @packageDocumentation
 */
export { recoveryPlugin, RecoveryPage } from './plugin';
export { reboundApiRef } from './api';
export { rootRouteRef } from './routes';
