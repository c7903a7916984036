#!/usr/bin/env node
import { CliUsageError, parseCliArgs, USAGE } from './cli';
import { startUploadTarget } from './server';

async function main(): Promise<void> {
  const command = parseCliArgs(process.argv.slice(2));
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return;
  }

  const target = await startUploadTarget(command.options);
  process.stdout.write(`upload target listening on ${target.url}\n`);

  const stop = () => {
    target.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  if (error instanceof CliUsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  process.stderr.write(`upload target failed to start: ${error.message}\n`);
  process.exit(1);
});
