/** Finding and checking what a component test looks at. */
import { screen, waitFor, within } from '@testing-library/react';

/** The table row that shows a text, e.g. an export's file name. */
export function rowOf(text: string): HTMLElement {
  const row = screen.getByText(text).closest('tr');
  if (!row) {
    throw new Error(`${text} is not in a table row`);
  }
  return row;
}

/** The button `name` in the row that shows `text`, once the row is there. */
export async function findButtonInRow(text: string, name: string) {
  return within(await waitFor(() => rowOf(text))).getByRole('button', {
    name,
  });
}

/** Found anew each time: a disabled button is wrapped for its tooltip. */
export const button = (name: string) => screen.getByRole('button', { name });

/** Waits until the button says `reason`, then checks it is disabled. */
export async function expectDisabledBecause(name: string, reason: string) {
  await waitFor(() =>
    expect(button(name)).toHaveAttribute('aria-description', reason),
  );
  expect(button(name)).toBeDisabled();
}
