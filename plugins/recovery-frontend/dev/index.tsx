/**
 * The portal `npm start` opens: a Backstage app holding the recovery page,
 * signed in as the guest user of the backend's guest provider without a
 * sign-in page, with a switch between the light and dark themes.
 */
import { createApp } from '@backstage/app-defaults';
import { AppRouter, FlatRoutes } from '@backstage/core-app-api';
import {
  AlertDisplay,
  OAuthRequestDialog,
  ProxiedSignInPage,
  Sidebar,
  SidebarDivider,
  SidebarItem,
  SidebarPage,
  SidebarSpace,
} from '@backstage/core-components';
import { appThemeApiRef, useApi } from '@backstage/core-plugin-api';
import Brightness4Icon from '@material-ui/icons/Brightness4';
import RestoreIcon from '@material-ui/icons/Restore';
import '@backstage/ui/css/styles.css';
import { createRoot } from 'react-dom/client';
import { Navigate, Route } from 'react-router-dom';
import useObservable from 'react-use/esm/useObservable';
import { recoveryPlugin, RecoveryPage } from '../src';
import { SignInProblem } from '../src/signIn/SignInProblem';

function ThemeSwitch() {
  const themeApi = useApi(appThemeApiRef);
  const active = useObservable(
    themeApi.activeThemeId$(),
    themeApi.getActiveThemeId(),
  );
  const dark = active === 'dark';
  return (
    <SidebarItem
      icon={Brightness4Icon}
      text={dark ? 'Light theme' : 'Dark theme'}
      onClick={() => themeApi.setActiveThemeId(dark ? 'light' : 'dark')}
    />
  );
}

const app = createApp({
  plugins: [recoveryPlugin],
  components: {
    SignInPage: props => (
      <ProxiedSignInPage
        {...props}
        provider="guest"
        ErrorComponent={SignInProblem}
      />
    ),
  },
});

const Root = app.createRoot(
  <>
    <AlertDisplay />
    <OAuthRequestDialog />
    <AppRouter>
      <SidebarPage>
        <Sidebar>
          <SidebarItem icon={RestoreIcon} to="/recovery" text="Rebound" />
          <SidebarSpace />
          <SidebarDivider />
          <ThemeSwitch />
        </Sidebar>
        <FlatRoutes>
          <Route path="/" element={<Navigate to="/recovery/jobs" />} />
          <Route path="/recovery" element={<RecoveryPage />} />
        </FlatRoutes>
      </SidebarPage>
    </AppRouter>
  </>,
);

createRoot(document.getElementById('root')!).render(<Root />);
