/**
 * Runs Rebound's backend on its own: `npm run start:backend -- --config
 * FILE.yaml` merges FILE.yaml over app-config.yaml.
 */
import { createBackend } from '@backstage/backend-defaults';
import authPlugin from '@backstage/plugin-auth-backend';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';
import { recoveryPlugin } from './plugin';

const token = process.env.REBOUND_API_TOKEN;
if (token !== undefined) {
  if (token.length < 8 || /\s/.test(token)) {
    process.stderr.write(
      'REBOUND_API_TOKEN must be at least 8 characters without spaces.\n',
    );
    process.exit(2);
  }
  // Backstage reads APP_CONFIG_* variables as config, over the files.
  process.env.APP_CONFIG_backend_auth_externalAccess = JSON.stringify([
    { type: 'static', options: { token, subject: 'rebound-api-token' } },
  ]);
}

if (token === undefined) {
  process.stderr.write(
    'REBOUND_API_TOKEN is not set: only Backstage user and service tokens ' +
      'are accepted. Set it to call the API from scripts or curl.\n',
  );
}

const backend = createBackend();
backend.add(recoveryPlugin);
// Sign-in for the portal: the auth plugin issues user tokens and the guest
// provider signs a local user in as user:development/guest.
backend.add(authPlugin);
backend.add(guestProvider);
backend.start().catch(error => {
  process.stderr.write(`Rebound could not start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
