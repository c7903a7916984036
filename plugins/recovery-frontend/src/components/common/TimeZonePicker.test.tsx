import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TimeZonePicker, timeZoneNames, utcOffset } from './TimeZonePicker';

const escape = (text: string) => text.replace(/[+()]/g, '\\$&');

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

  it('labels each zone with its offset now and reports the IANA name', async () => {
    const user = userEvent.setup();
    const chosen: string[] = [];
    render(<TimeZonePicker value="UTC" onChange={zone => chosen.push(zone)} />);

    const input = screen.getByLabelText('Time zone');
    expect(input).toHaveValue('UTC');
    expect(input).toHaveAccessibleDescription(
      'Now UTC+00:00, Coordinated Universal Time. Search by city, zone or offset.',
    );
    await user.clear(input);
    await user.type(input, 'berlin');
    const berlin = await screen.findByRole('option', {
      name: new RegExp(
        `^Europe/Berlin \\(${escape(utcOffset('Europe/Berlin'))}\\)`,
      ),
    });
    expect(berlin).toHaveTextContent(
      `Europe/Berlin (${utcOffset(
        'Europe/Berlin',
      )})Berlin · Central European Time`,
    );
    await user.click(berlin);
    expect(chosen).toEqual(['Europe/Berlin']);
  });

  it('says when the text names no zone, and keeps the zone chosen before', async () => {
    const user = userEvent.setup();
    const chosen: string[] = [];
    render(
      <TimeZonePicker
        value="Europe/Rome"
        onChange={zone => chosen.push(zone)}
      />,
    );
    const input = screen.getByLabelText('Time zone');

    await user.clear(input);
    await user.type(input, 'Atlantis');
    expect(
      await screen.findByText(
        'No time zone matches: search by city, zone or offset (e.g. Berlin, Europe/Rome, +05:30). The zone stays Europe/Rome.',
      ),
    ).toBeInTheDocument();
    await user.tab();

    expect(input).toHaveValue('Europe/Rome');
    expect(chosen).toEqual([]);
  });

  it('matches words at their start, so an abbreviation picks no unrelated zone', async () => {
    const user = userEvent.setup();
    render(<TimeZonePicker value="UTC" onChange={() => undefined} />);
    const input = screen.getByLabelText('Time zone');

    for (const abbreviation of ['EST', 'MST']) {
      await user.clear(input);
      await user.type(input, abbreviation);
      expect(
        await screen.findByText(/^No time zone matches/),
      ).toBeInTheDocument();
      expect(screen.queryByRole('option')).toBeNull();
    }
  });

  it('finds a zone by its city in words, by an offset, by a former name or by its name in words', async () => {
    const user = userEvent.setup();
    render(<TimeZonePicker value="UTC" onChange={() => undefined} />);
    const input = screen.getByLabelText('Time zone');
    const search = async (words: string) => {
      await user.clear(input);
      await user.type(input, words);
    };

    await search('new york');
    expect(
      await screen.findByRole('option', { name: /^America\/New_York \(UTC/ }),
    ).toHaveTextContent('New York · Eastern Time');

    await search('+05:30');
    expect(
      await screen.findByRole('option', {
        name: /^Asia\/Kolkata \(UTC\+05:30\)/,
      }),
    ).toHaveTextContent(
      'Kolkata · India Standard Time · formerly Asia/Calcutta',
    );
    expect(screen.queryByRole('option', { name: /Europe\/Berlin/ })).toBeNull();

    // Browsers list it under its former name; it is offered and found
    // under its current one, and found under the former too.
    for (const words of ['kyiv', 'kiev']) {
      await search(words);
      expect(
        await screen.findByRole('option', { name: /^Europe\/Kyiv \(UTC/ }),
      ).toHaveTextContent(
        'Kyiv · Eastern European Time · formerly Europe/Kiev',
      );
    }
    expect(screen.queryByRole('option', { name: /^Europe\/Kiev/ })).toBeNull();

    await search('central european');
    expect(
      await screen.findByRole('option', { name: /^Europe\/Berlin/ }),
    ).toBeInTheDocument();
  });

  it('shows the chosen zone’s offset beside its name in the field', () => {
    render(
      <TimeZonePicker
        value="Asia/Kolkata"
        onChange={() => undefined}
        helperText="Dates in the file are shown in it."
      />,
    );
    const input = screen.getByLabelText('Time zone');
    expect(input).toHaveValue('Asia/Kolkata');
    expect(input.parentElement).toHaveTextContent('UTC+05:30');
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
