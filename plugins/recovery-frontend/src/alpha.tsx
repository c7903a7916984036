/**
 * The same page for apps on Backstage's new frontend system:
 * `features: [import('@rebound/plugin-recovery/alpha')]`.
 */
import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { reboundApiFactory } from './api';
import { rootRouteRef } from './routes';

const reboundApi = ApiBlueprint.make({
  params: defineParams => defineParams(reboundApiFactory),
});

const recoveryPage = PageBlueprint.make({
  params: {
    path: '/recovery',
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/RecoveryPage').then(m =>
        compatWrapper(<m.RecoveryPage />),
      ),
  },
});

/** @alpha */
export default createFrontendPlugin({
  pluginId: 'recovery',
  info: { packageJson: () => import('../package.json') },
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
  extensions: [reboundApi, recoveryPage],
});
