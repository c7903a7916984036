/**
 * What the portal of `npm start` shows when it cannot sign in: Backstage's
 * own panel says only "you do not appear to be signed in", which sends a
 * person looking for a sign-in page that does not exist.
 */
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { useEffect } from 'react';

/** How often the page asks whether the backend is back. */
export const RETRY_MS = 5_000;

/** A failure to reach the server at all, as browsers report it to fetch. */
function isUnreachable(error: Error | undefined): boolean {
  return error?.name === 'TypeError' || /fetch/i.test(error?.message ?? '');
}

/**
 * Reloads the page once the backend answers its readiness check, so that
 * sign-in runs again without a person reloading by hand.
 */
function useReloadWhenReady(
  backend: string,
  active: boolean,
  reload: () => void,
) {
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    const timer = setInterval(async () => {
      try {
        const res = await fetch(`${backend}/.backstage/health/v1/readiness`);
        if (res.ok) {
          clearInterval(timer);
          reload();
        }
      } catch {
        // Still down: the next tick asks again.
      }
    }, RETRY_MS);
    return () => clearInterval(timer);
  }, [backend, active, reload]);
}

const reloadPage = () => window.location.reload();

export function SignInProblem(props: { error?: Error; reload?: () => void }) {
  const { error, reload = reloadPage } = props;
  const backend = useApi(configApiRef).getString('backend.baseUrl');
  const unreachable = isUnreachable(error);
  useReloadWhenReady(backend, unreachable, reload);

  return (
    <Box p={4} maxWidth={720}>
      <Alert severity="error">
        <AlertTitle>
          {unreachable
            ? `Rebound's backend at ${backend} does not answer`
            : 'Signing in as the guest user failed'}
        </AlertTitle>
        <Typography variant="body2" paragraph>
          {unreachable
            ? 'The portal signs you in through the backend, so nothing can ' +
              'be shown until it runs. Start it with `npm start` (or, ' +
              'beside `npm run start:portal`, with `NODE_ENV=development ' +
              'REBOUND_API_TOKEN=rebound-dev-token npm run start:backend`: ' +
              'the guest sign-in needs development mode); this page opens ' +
              'by itself once the backend answers.'
            : 'The portal signs in as the guest user, which the backend ' +
              'allows only in development mode: start it with `npm start`, ' +
              'or with NODE_ENV=development before `npm run start:backend`, ' +
              'then reload this page.'}
        </Typography>
        {error && (
          <Typography variant="body2" color="textSecondary">
            The error: {error.message}
          </Typography>
        )}
      </Alert>
    </Box>
  );
}
