import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ExportRequest } from '@rebound/core/client';
import { useState } from 'react';
import { renderWithRebound } from '../../testing/render';
import { ExportDefinitionFields } from './ExportDefinitionFields';
import { DATASETS } from './fixtures';

/** The fields as a form holds them, with every value they emit. */
async function renderFields(initial: ExportRequest) {
  const values: ExportRequest[] = [];
  const problems: string[][] = [];
  function Form() {
    const [value, setValue] = useState(initial);
    return (
      <ExportDefinitionFields
        value={value}
        datasets={DATASETS}
        onChange={next => {
          values.push(next);
          setValue(next);
        }}
        onProblemsChange={next => problems.push(next)}
      />
    );
  }
  await renderWithRebound(<Form />);
  return {
    last: () => values[values.length - 1],
    problems: () => problems[problems.length - 1],
  };
}

const optionTexts = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map(option => option.textContent);

describe('ExportDefinitionFields', () => {
  it('offers only filterable columns, and only the operators that fit their type', async () => {
    const user = userEvent.setup();
    await renderFields({ dataset: 'jobs', format: 'csv' });

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const row = screen.getByRole('group', { name: 'Filter 1' });
    const column = within(row).getByLabelText('Column');
    const operator = within(row).getByLabelText('Operator');

    expect(optionTexts(column)).toEqual([
      'Job',
      'Status',
      'Attempts',
      'Accepted share',
      'Created',
    ]);
    expect(optionTexts(operator)).toEqual(['equals', 'in', 'contains']);
    await user.selectOptions(column, 'attempts');
    expect(optionTexts(operator)).toEqual([
      'equals',
      'in',
      '>',
      '>=',
      '<',
      '<=',
    ]);
  });

  it('takes true or false for a boolean column and a date for a date column', async () => {
    const user = userEvent.setup();
    const fields = await renderFields({ dataset: 'analytics', format: 'csv' });

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const first = screen.getByRole('group', { name: 'Filter 1' });
    await user.selectOptions(
      within(first).getByLabelText('Column'),
      'alerting',
    );
    expect(optionTexts(within(first).getByLabelText('Operator'))).toEqual([
      'equals',
    ]);
    await user.selectOptions(within(first).getByLabelText('Value'), 'false');

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const second = screen.getByRole('group', { name: 'Filter 2' });
    await user.selectOptions(within(second).getByLabelText('Column'), 'date');
    await user.selectOptions(within(second).getByLabelText('Operator'), 'lt');
    const date = within(second).getByLabelText('Value');
    expect(date).toHaveAttribute('type', 'date');
    await user.type(date, '2026-12-01');

    expect(fields.last().filters).toEqual({
      alerting: false,
      date: { lt: '2026-12-01' },
    });
    expect(fields.problems()).toEqual([]);
  });

  it('says what is wrong with a value and leaves the filter out until it is right', async () => {
    const user = userEvent.setup();
    const fields = await renderFields({ dataset: 'jobs', format: 'csv' });

    await user.click(screen.getByRole('button', { name: 'Add filter' }));
    const row = screen.getByRole('group', { name: 'Filter 1' });
    await user.selectOptions(within(row).getByLabelText('Column'), 'attempts');
    await user.type(within(row).getByLabelText('Value'), 'two');

    const wrong =
      '"two" is not a whole number: write digits only, with no separators, point or exponent (an optional - in front), e.g. 1000 or -25';
    expect(within(row).getByText(wrong)).toBeVisible();
    expect(fields.problems()).toEqual([
      `Filter 1 (Attempts equals): ${wrong}.`,
    ]);
    expect(fields.last()).not.toHaveProperty('filters');

    await user.clear(within(row).getByLabelText('Value'));
    await user.type(within(row).getByLabelText('Value'), '3');
    expect(fields.last().filters).toEqual({ attempts: 3 });
    expect(fields.problems()).toEqual([]);
  });

  it('shows the filters of a saved request and keeps them while one changes', async () => {
    const user = userEvent.setup();
    const fields = await renderFields({
      dataset: 'jobs',
      format: 'ndjson',
      columns: ['id', 'status'],
      filters: {
        status: 'failed',
        createdAt: { gte: '2026-12-01', lt: '2026-12-04T12:00' },
      },
      options: { timezone: 'America/New_York' },
    });

    const rows = screen.getAllByRole('group', { name: /^Filter/ });
    expect(
      rows.map(row => [
        (within(row).getByLabelText('Column') as HTMLSelectElement).value,
        (within(row).getByLabelText('Operator') as HTMLSelectElement).value,
        (within(row).getByLabelText('Value') as HTMLInputElement).value,
      ]),
    ).toEqual([
      ['status', 'eq', 'failed'],
      ['createdAt', 'gte', '2026-12-01'],
      ['createdAt', 'lt', '2026-12-04T12:00'],
    ]);
    expect(screen.getByLabelText('Time zone')).toHaveValue('America/New_York');
    expect(screen.getByRole('button', { name: 'Status' })).toBeInTheDocument();

    await user.selectOptions(within(rows[2]).getByLabelText('Operator'), 'lte');
    expect(fields.last().filters).toEqual({
      status: 'failed',
      createdAt: { gte: '2026-12-01', lte: '2026-12-04T12:00' },
    });
  });

  it('starts columns and filters afresh for another dataset', async () => {
    const user = userEvent.setup();
    const fields = await renderFields({
      dataset: 'jobs',
      format: 'csv',
      columns: ['status'],
      filters: { status: 'failed' },
      options: { timezone: 'UTC' },
    });

    await user.selectOptions(screen.getByLabelText('Dataset'), 'analytics');

    expect(fields.last()).toEqual({
      dataset: 'analytics',
      format: 'csv',
      options: { timezone: 'UTC' },
    });
    expect(screen.queryByRole('group', { name: 'Filter 1' })).toBeNull();
    expect(
      screen.getByText('None chosen: the default columns (Section, Count).'),
    ).toBeInTheDocument();
  });

  it('asks for a title only for PDF, and drops it for other formats', async () => {
    const user = userEvent.setup();
    const fields = await renderFields({
      dataset: 'jobs',
      format: 'csv',
      options: { timezone: 'UTC' },
    });
    expect(screen.queryByLabelText('Title')).toBeNull();

    await user.selectOptions(screen.getByLabelText('Format'), 'pdf');
    await user.type(screen.getByLabelText('Title'), 'Failed jobs');
    expect(fields.last()).toEqual({
      dataset: 'jobs',
      format: 'pdf',
      options: { timezone: 'UTC', title: 'Failed jobs' },
    });

    await user.selectOptions(screen.getByLabelText('Format'), 'csv');
    expect(fields.last().options).toEqual({ timezone: 'UTC' });
    expect(screen.queryByLabelText('Title')).toBeNull();
  });
});
