// A file of its own: permission answers are cached per test file.
import { within } from '@testing-library/react';
import { renderWithRebound, useMockBackend } from '../../testing/render';
import { ExportsTab } from './ExportsTab';
import {
  expectDisabledBecause,
  findButtonInRow,
  rowOf,
} from '../../testing/queries';
import { exportRecord, serveExports } from './fixtures';

const server = useMockBackend();

describe('ExportsTab without recovery.export.create', () => {
  it('disables creating and retrying, saying why', async () => {
    serveExports(server, () => [
      exportRecord({
        status: 'failed',
        error: { code: 'export_storage_failed', message: 'Disk full.' },
      }),
    ]);
    await renderWithRebound(<ExportsTab />, {
      denied: ['recovery.export.create'],
    });

    const reason =
      'You may not create and retry exports: ask an administrator for recovery.export.create.';
    await expectDisabledBecause('Create export', reason);
    const retry = await findButtonInRow('jobs-20261204-101500.csv', 'Retry');
    expect(retry).toBeDisabled();
    expect(retry).toHaveAttribute('aria-description', reason);
    // Downloading needs no permission of its own.
    expect(
      within(rowOf('jobs-20261204-101500.csv')).getByRole('button', {
        name: 'Download',
      }),
    ).toHaveAttribute(
      'aria-description',
      'The export failed, so there is no file: retry it first.',
    );
  });
});
