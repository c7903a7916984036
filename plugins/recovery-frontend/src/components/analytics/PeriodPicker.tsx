import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { type FormEvent, useId } from 'react';
import { ActionButton } from '../common/actions';
import {
  lastDays,
  MAX_PERIOD_DAYS,
  type Period,
  periodProblem,
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
 * last 7, 30 or 90 days, which apply at once. A period the backend would
 * refuse is not sent: the fields say what is wrong and what to do. The
 * dates being typed (`draft`) are the caller's, so that what is shown
 * below can say it is still of the period shown before.
 */
export function PeriodPicker(props: {
  period: Period;
  draft: Period;
  onDraftChange: (draft: Period) => void;
  onChange: (period: Period) => void;
}) {
  const { period, draft, onDraftChange: setDraft, onChange } = props;
  const classes = useStyles();
  const id = useId();
  const problemId = `${id}-problem`;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Enter in a field submits too: a bad period is never sent.
    if (!periodProblem(draft)) {
      onChange(draft);
    }
  };
  const quick = quickChoiceOf(period);
  const problem = periodProblem(draft);
  const wrong = (field: 'from' | 'to') =>
    problem !== undefined &&
    (problem.field === field || problem.field === 'both');

  return (
    <form className={classes.form} onSubmit={submit} aria-label="Period">
      <TextField
        id={`${id}-from`}
        type="date"
        label="From"
        value={draft.from}
        onChange={e => setDraft({ ...draft, from: e.target.value })}
        error={wrong('from')}
        inputProps={{ 'aria-describedby': problemId }}
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
        error={wrong('to')}
        inputProps={{ 'aria-describedby': problemId }}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
      />
      <ActionButton
        type="submit"
        variant="contained"
        color="primary"
        disabledReason={problem?.message}
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
      <FormHelperText id={problemId} error={problem !== undefined}>
        {problem?.message ??
          `Whole days in UTC, both included; at most ${MAX_PERIOD_DAYS} days.`}
      </FormHelperText>
    </form>
  );
}
