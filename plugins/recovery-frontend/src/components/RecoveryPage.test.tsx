import { screen } from '@testing-library/react';
import { renderWithRebound } from '../testing/render';
import { RecoveryPage } from './RecoveryPage';

describe('RecoveryPage', () => {
  it('shows a tab for each part of Rebound', async () => {
    await renderWithRebound(<RecoveryPage />, { route: '/jobs' });
    for (const tab of [
      'Jobs and recovery',
      'Exports',
      'Schedules',
      'Analytics',
    ]) {
      expect(screen.getByRole('tab', { name: tab })).toBeInTheDocument();
    }
  });
});
