import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ActionButton } from '../common/actions';
import {
  isDay,
  lastDays,
  type Period,
  QUICK_DAYS,
  quickChoiceOf,
} from './period';

const useStyles = makeStyles(theme => ({
  form: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
}));

/**
 * From and to dates with a button to show them, and quick choices of the
 * last 7, 30 or 90 days, which apply at once.
 */
export function PeriodPicker(props: {
  period: Period;
  onChange: (period: Period) => void;
}) {
  const { period, onChange } = props;
  const classes = useStyles();
  const id = useId();
  const [draft, setDraft] = useState(period);
  useEffect(() => setDraft(period), [period]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  const quick = quickChoiceOf(period);
  const incomplete =
    !isDay(draft.from) || !isDay(draft.to)
      ? 'Enter both dates, e.g. 2026-12-01.'
      : undefined;

  return (
    <form className={classes.form} onSubmit={submit} aria-label="Period">
      <TextField
        id={`${id}-from`}
        type="date"
        label="From"
        value={draft.from}
        onChange={e => setDraft({ ...draft, from: e.target.value })}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
      />
      <TextField
        id={`${id}-to`}
        type="date"
        label="To"
        value={draft.to}
        onChange={e => setDraft({ ...draft, to: e.target.value })}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
      />
      <ActionButton
        type="submit"
        variant="contained"
        color="primary"
        disabledReason={incomplete}
      >
        Show
      </ActionButton>
      <ButtonGroup color="primary" aria-label="Quick choices">
        {QUICK_DAYS.map(days => (
          <Button
            key={days}
            variant={quick === days ? 'contained' : 'outlined'}
            aria-pressed={quick === days}
            onClick={() => onChange(lastDays(days))}
          >
            Last {days} days
          </Button>
        ))}
      </ButtonGroup>
      <FormHelperText>
        Whole days in UTC, both included; at most 366 days.
      </FormHelperText>
    </form>
  );
}
