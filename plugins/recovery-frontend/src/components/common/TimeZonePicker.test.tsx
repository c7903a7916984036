import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TimeZonePicker, timeZoneNames, utcOffset } from './TimeZonePicker';

describe('utcOffset', () => {
  it('reads a zone’s offset at an instant, summer time included', () => {
    const winter = new Date('2026-01-15T12:00:00Z');
    const summer = new Date('2026-07-15T12:00:00Z');
    expect(utcOffset('Europe/Berlin', winter)).toBe('UTC+01:00');
    expect(utcOffset('Europe/Berlin', summer)).toBe('UTC+02:00');
    expect(utcOffset('Asia/Calcutta', winter)).toBe('UTC+05:30');
    expect(utcOffset('UTC', winter)).toBe('UTC+00:00');
  });
});

describe('TimeZonePicker', () => {
  it('offers UTC first and every zone the browser knows', () => {
    const zones = timeZoneNames();
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('Pacific/Auckland');
    expect(zones.filter(zone => zone === 'UTC')).toHaveLength(1);
  });

  it('finds a zone by words or by offset and reports the choice', async () => {
    const user = userEvent.setup();
    const chosen: string[] = [];
    render(<TimeZonePicker value="UTC" onChange={zone => chosen.push(zone)} />);

    const input = screen.getByLabelText('Time zone');
    expect(input).toHaveValue('UTC');
    expect(screen.getByText('Now UTC+00:00')).toBeInTheDocument();
    await user.clear(input);
    await user.type(input, 'new york');
    const option = await screen.findByRole('option', {
      name: /America\/New_York/,
    });
    expect(option).toHaveTextContent(utcOffset('America/New_York'));
    await user.click(option);
    expect(chosen).toEqual(['America/New_York']);

    await user.clear(input);
    await user.type(input, '+05:30');
    expect(
      await screen.findByRole('option', { name: /Asia\/Calcutta/ }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: /Europe\/Berlin/ })).toBeNull();

    // Listed under its old name, found under its current one too.
    await user.clear(input);
    await user.type(input, 'kyiv');
    expect(
      await screen.findByRole('option', {
        name: /Europe\/Kiev \(Europe\/Kyiv\)/,
      }),
    ).toBeInTheDocument();
  });

  it('keeps a saved zone the list does not name, and shows the given label and help', () => {
    render(
      <TimeZonePicker
        label="Schedule time zone"
        value="Etc/GMT+3"
        onChange={() => undefined}
        helperText="Runs are planned in this zone."
        disabled
      />,
    );

    const input = screen.getByLabelText('Schedule time zone');
    expect(input).toHaveValue('Etc/GMT+3');
    expect(input).toBeDisabled();
    expect(
      screen.getByText('Runs are planned in this zone.'),
    ).toBeInTheDocument();
  });
});
