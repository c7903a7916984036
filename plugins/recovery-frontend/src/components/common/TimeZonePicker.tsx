import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { currentZoneName, formerZoneName } from '@rebound/core/client';
import { useMemo } from 'react';

const useStyles = makeStyles(theme => ({
  option: {
    display: 'flex',
    flexDirection: 'column',
  },
  offset: {
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
  },
}));

/**
 * The zones a picker offers: UTC first, then every zone the browser
 * knows, by its current name (browsers list some by a former one).
 */
export function timeZoneNames(): string[] {
  const known = Intl.supportedValuesOf('timeZone').map(currentZoneName);
  return ['UTC', ...new Set(known.filter(zone => zone !== 'UTC'))];
}

/** Minutes east of UTC of the zone at `at`; 0 for a zone Intl does not know. */
export function offsetMinutes(zone: string, at: Date = new Date()): number {
  try {
    const name = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: 'longOffset',
    })
      .formatToParts(at)
      .find(part => part.type === 'timeZoneName')?.value;
    // "GMT" alone is how the format writes a zero offset.
    const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name ?? '');
    if (!match) {
      return 0;
    }
    const minutes = Number(match[2]) * 60 + Number(match[3]);
    return match[1] === '-' ? -minutes : minutes;
  } catch {
    return 0;
  }
}

/** The zone's offset from UTC at `at`, e.g. "UTC+01:00" or "UTC+00:00". */
export function utcOffset(zone: string, at: Date = new Date()): string {
  if (!isKnownZone(zone)) {
    return 'unknown offset';
  }
  const minutes = offsetMinutes(zone, at);
  const abs = Math.abs(minutes);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `UTC${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(
    abs % 60,
  )}`;
}

function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The zone's name in words, e.g. "Central European Time", or undefined
 * where Intl only knows it by its offset.
 */
function zoneWords(zone: string, at: Date): string | undefined {
  try {
    const style = zone === 'UTC' ? 'long' : 'longGeneric';
    const words = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: style,
    })
      .formatToParts(at)
      .find(part => part.type === 'timeZoneName')?.value;
    return words && !/^GMT/.test(words) ? words : undefined;
  } catch {
    return undefined;
  }
}

interface ZoneOption {
  /** The IANA name, the value the picker reports. */
  zone: string;
  offset: string;
  /** The name a renamed zone had, e.g. Europe/Kiev for Europe/Kyiv. */
  formerName?: string;
  /** The city part of the name in words, e.g. "New York". */
  city: string;
  words?: string;
}

function zoneOption(zone: string, at: Date): ZoneOption {
  const formerName = formerZoneName(zone);
  const city = zone.split('/').pop()!.replace(/_/g, ' ');
  return {
    zone,
    offset: utcOffset(zone, at),
    formerName,
    city,
    words: zoneWords(zone, at),
  };
}

/** "Europe/Berlin (UTC+01:00)": how an option reads. */
export function zoneLabel(option: { zone: string; offset: string }): string {
  return `${option.zone} (${option.offset})`;
}

/** The second line of an option: the city, the zone in words, a rename. */
function zoneDetails(option: ZoneOption): string {
  return [
    option.city,
    option.words,
    option.formerName && `formerly ${option.formerName}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** All a zone is found by, lower-cased. */
function searchText(option: ZoneOption): string {
  return [
    option.zone,
    option.zone.replace(/_/g, ' '),
    option.formerName ?? '',
    option.city,
    option.words ?? '',
    option.offset,
  ]
    .join(' | ')
    .toLowerCase();
}

/**
 * "new york" finds America/New_York, "kiev" Europe/Kyiv, "+05:30"
 * Asia/Kolkata, "eastern" the zones of Eastern Time. Words match at
 * their start, so "est" does not pick West Africa nor "mst" Amsterdam;
 * an offset or a path matches anywhere.
 */
function filterZones(
  options: ZoneOption[],
  state: { inputValue: string },
): ZoneOption[] {
  const query = state.inputValue.trim().toLowerCase();
  if (query === '') {
    return options;
  }
  if (/[\d+/:]/.test(query)) {
    return options.filter(option => searchText(option).includes(query));
  }
  const starts = query
    .split(/\s+/)
    .map(
      word =>
        new RegExp(`(^|[^a-z])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  return options.filter(option => {
    const text = searchText(option);
    return starts.every(start => start.test(text));
  });
}

/**
 * A searchable choice of IANA time zone, each shown with its current
 * offset from UTC.
 */
export function TimeZonePicker(props: {
  label?: string;
  value: string;
  onChange: (zone: string) => void;
  disabled?: boolean;
  helperText?: string;
}): JSX.Element {
  const { label = 'Time zone', value, onChange, disabled, helperText } = props;
  const classes = useStyles();

  // Built once: a few Intl look-ups for each of some 400 zones.
  const known = useMemo(() => {
    const now = new Date();
    return timeZoneNames().map(zone => zoneOption(zone, now));
  }, []);
  const options = useMemo(
    () =>
      // A zone saved elsewhere may be an alias the list does not name.
      value && !known.some(option => option.zone === value)
        ? [zoneOption(value, new Date()), ...known]
        : known,
    [known, value],
  );
  const selected = options.find(option => option.zone === value);

  return (
    <Autocomplete
      options={options}
      value={selected}
      onChange={(_event, option) => {
        if (option) {
          onChange(option.zone);
        }
      }}
      // The field shows the IANA name that is sent; the list adds the rest.
      getOptionLabel={option => option.zone}
      getOptionSelected={(option, current) => option.zone === current.zone}
      filterOptions={filterZones}
      // Leaving the field with text that names no zone keeps the zone
      // chosen before; the list says so while the text is typed.
      noOptionsText={`No time zone matches: search by city, zone or offset (e.g. Berlin, Europe/Rome, +05:30). The zone stays ${value}.`}
      renderOption={option => (
        <span className={classes.option}>
          <Typography component="span" variant="body2">
            {zoneLabel(option)}
          </Typography>
          <Typography component="span" variant="caption" color="textSecondary">
            {zoneDetails(option)}
          </Typography>
        </span>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          variant="outlined"
          InputProps={{
            ...params.InputProps,
            // The chosen zone's offset beside its name, not while searching.
            endAdornment: (
              <>
                {selected &&
                  (params.inputProps as { value?: unknown }).value ===
                    selected.zone && (
                    <InputAdornment position="end" className={classes.offset}>
                      {selected.offset}
                    </InputAdornment>
                  )}
                {params.InputProps.endAdornment}
              </>
            ),
          }}
          helperText={
            helperText ??
            (selected
              ? `Now ${selected.offset}${
                  selected.words ? `, ${selected.words}` : ''
                }. Search by city, zone or offset.`
              : undefined)
          }
        />
      )}
      disabled={disabled}
      disableClearable
      autoHighlight
      fullWidth
    />
  );
}
