import { createRouteRef } from '@backstage/core-plugin-api';

/** Where the app mounts the recovery page. @public */
export const rootRouteRef = createRouteRef({ id: 'recovery' });
