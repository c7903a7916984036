// `npm start`: the backend on its embedded defaults and the portal's dev
// server, both on 127.0.0.1; prints the portal's address once both answer
// and stops both on Ctrl-C. Extra arguments go to the backend
// (`npm start -- --config my.yaml`).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const portal = 'http://127.0.0.1:3000/recovery';
const readiness = 'http://127.0.0.1:7007/.backstage/health/v1/readiness';
const children = [];

function start(name, command, args, options) {
  const child = spawn(command, args, {
    stdio: 'inherit',
    detached: true,
    ...options,
  });
  child.on('exit', code => {
    if (!stopping) {
      console.error(`\n${name} stopped (exit code ${code}); stopping Rebound.`);
      stop(code ?? 1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
function stop(code) {
  stopping = true;
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url, what, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  console.error(`${what} did not answer at ${url} within ${seconds} s.`);
  stop(1);
}

// The guest sign-in of the portal works only in development mode.
start(
  'The backend',
  process.execPath,
  [
    'plugins/recovery-backend/dist/standalone.js',
    '--config',
    'app-config.yaml',
    ...process.argv.slice(2),
  ],
  { cwd: root, env: { ...process.env, NODE_ENV: 'development' } },
);
await waitFor(readiness, 'The backend', 120);

start('The portal', 'npx', ['backstage-cli', 'package', 'start'], {
  cwd: path.join(root, 'plugins/recovery-frontend'),
  env: { ...process.env, BROWSER: 'none' },
});
await waitFor('http://127.0.0.1:3000/', 'The portal', 180);

console.log(`\nRebound is running. Open ${portal}\n(Ctrl-C stops it.)\n`);
