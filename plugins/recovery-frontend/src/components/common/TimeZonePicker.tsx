import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Autocomplete, {
  createFilterOptions,
} from '@material-ui/lab/Autocomplete';
import { useMemo } from 'react';

const useStyles = makeStyles(theme => ({
  option: {
    display: 'flex',
    justifyContent: 'space-between',
    width: '100%',
    gap: theme.spacing(2),
  },
  offset: {
    color: theme.palette.text.secondary,
    whiteSpace: 'nowrap',
  },
}));

/** The zones a picker offers: UTC first, then every zone the browser knows. */
export function timeZoneNames(): string[] {
  const known = Intl.supportedValuesOf('timeZone');
  return ['UTC', ...known.filter(zone => zone !== 'UTC')];
}

/** The zone's offset from UTC at `at`, e.g. "UTC+01:00" or "UTC+00:00". */
export function utcOffset(zone: string, at: Date = new Date()): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: 'longOffset',
    }).formatToParts(at);
    const name = parts.find(part => part.type === 'timeZoneName')?.value;
    // "GMT" alone is how the format writes a zero offset.
    return !name || name === 'GMT' ? 'UTC+00:00' : name.replace('GMT', 'UTC');
  } catch {
    return 'unknown offset';
  }
}

/**
 * Browsers list some zones under the names they had before a rename;
 * people search for the current one.
 */
const CURRENT_NAMES: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

interface ZoneOption {
  zone: string;
  offset: string;
  currentName?: string;
}

const filterZones = createFilterOptions<ZoneOption>({
  // "new york" finds America/New_York, "+05:30" finds Asia/Calcutta.
  stringify: option =>
    [option.zone, option.currentName ?? '', option.offset]
      .map(name => `${name} ${name.replace(/_/g, ' ')}`)
      .join(' '),
});

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

  const options = useMemo(() => {
    const now = new Date();
    const zones = timeZoneNames();
    // A zone saved elsewhere may be an alias the list does not name.
    if (value && !zones.includes(value)) {
      zones.unshift(value);
    }
    return zones.map(zone => ({
      zone,
      offset: utcOffset(zone, now),
      currentName: CURRENT_NAMES[zone],
    }));
  }, [value]);
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
      getOptionLabel={option => option.zone}
      getOptionSelected={(option, current) => option.zone === current.zone}
      filterOptions={filterZones}
      renderOption={option => (
        <span className={classes.option}>
          <span>
            {option.zone}
            {option.currentName && ` (${option.currentName})`}
          </span>
          <Typography
            component="span"
            variant="body2"
            className={classes.offset}
          >
            {option.offset}
          </Typography>
        </span>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label={label}
          variant="outlined"
          helperText={
            helperText ?? (selected ? `Now ${selected.offset}` : undefined)
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
