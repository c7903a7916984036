import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import IconButton from '@material-ui/core/IconButton';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import Alert from '@material-ui/lab/Alert';
import type { DeliveryChannelInfo } from '@rebound/core/client';
import { useId } from 'react';
import { ActionButton } from '../common/actions';
import { messageOf } from '../common/errors';
import {
  DEFAULT_STORAGE_PATH,
  DELIVERY_TYPES,
  newDeliveryDraft,
  typeOfDraft,
  unavailableReason,
  type DeliveryDraft,
  type DeliveryType,
} from './deliveryDrafts';

const useStyles = makeStyles(theme => ({
  delivery: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

type Change = (patch: Partial<DeliveryDraft>) => void;

function text(
  id: string,
  label: string,
  value: string,
  onChange: (value: string) => void,
  extra: { helperText: string; disabled?: boolean; type?: string },
) {
  return (
    <TextField
      id={id}
      label={label}
      variant="outlined"
      fullWidth
      value={value}
      onChange={e => onChange(e.target.value)}
      inputProps={{ spellCheck: false }}
      {...extra}
    />
  );
}

function WebhookFields(props: {
  id: string;
  draft: DeliveryDraft;
  onChange: Change;
  disabled?: boolean;
}) {
  const { id, draft, onChange, disabled } = props;
  const secretHelp = draft.hasSecret
    ? 'Secret set: it is kept unless you type a new one here. It is kept for this URL only.'
    : 'Optional: signs each request (X-Rebound-Signature). It is never shown again once saved.';
  return (
    <>
      <Grid item xs={12} sm={7}>
        {text(`${id}-url`, 'URL', draft.url, url => onChange({ url }), {
          helperText:
            'Called with POST and the export’s manifest; its host must be allowed in recovery.delivery.webhook.allowedHosts.',
          disabled,
        })}
      </Grid>
      <Grid item xs={12} sm={5}>
        {text(
          `${id}-secret`,
          draft.hasSecret ? 'New secret' : 'Secret',
          draft.secret,
          secret => onChange({ secret }),
          { helperText: secretHelp, disabled, type: 'password' },
        )}
      </Grid>
    </>
  );
}

function TypeFields(props: {
  id: string;
  draft: DeliveryDraft;
  onChange: Change;
  disabled?: boolean;
}) {
  const { id, draft, onChange, disabled } = props;
  switch (draft.type) {
    case 'email':
      return (
        <Grid item xs={12}>
          {text(`${id}-to`, 'Recipients', draft.to, to => onChange({ to }), {
            helperText:
              'Email addresses, comma separated; each gets the file (or a link when it is too large to attach).',
            disabled,
          })}
        </Grid>
      );
    case 'webhook':
      return <WebhookFields {...props} />;
    case 'storage':
      return (
        <Grid item xs={12}>
          {text(
            `${id}-path`,
            'Path template',
            draft.path,
            path => onChange({ path }),
            {
              helperText: `Under the delivery root, e.g. ${DEFAULT_STORAGE_PATH}; placeholders {schedule}, {date}, {time}, {name}, {ext}, {run}.`,
              disabled,
            },
          )}
        </Grid>
      );
    case 'slack':
      return (
        <Grid item xs={12}>
          {text(
            `${id}-channel`,
            'Channel ID',
            draft.channel,
            channel => onChange({ channel }),
            {
              helperText:
                'The channel’s id, e.g. C0123456789, not its #name; the Rebound bot must be in the channel.',
              disabled,
            },
          )}
        </Grid>
      );
    default:
      return (
        <Grid item xs={12}>
          <Typography variant="body2">
            A “{draft.original?.type}” delivery of a channel another plugin
            adds; it is kept as it is.
          </Typography>
        </Grid>
      );
  }
}

function DeliveryCard(props: {
  index: number;
  draft: DeliveryDraft;
  onChange: Change;
  onRemove: () => void;
  channels?: DeliveryChannelInfo[];
  error?: string;
  disabled?: boolean;
}) {
  const { index, draft, onChange, onRemove, channels, error, disabled } = props;
  const classes = useStyles();
  const id = useId();
  const label = `Delivery ${index + 1}`;
  const unavailable = unavailableReason(typeOfDraft(draft), channels);
  return (
    <Paper
      variant="outlined"
      role="group"
      aria-label={label}
      className={classes.delivery}
    >
      <Grid container spacing={2} alignItems="flex-start">
        <Grid item xs={10} sm={6}>
          {draft.type === 'other' ? (
            <Typography variant="subtitle2">{label}</Typography>
          ) : (
            <TextField
              select
              SelectProps={{ native: true }}
              id={`${id}-type`}
              label="Delivery type"
              variant="outlined"
              fullWidth
              value={draft.type}
              disabled={disabled}
              error={unavailable !== undefined}
              helperText={unavailable}
              onChange={e => onChange({ type: e.target.value as DeliveryType })}
            >
              {DELIVERY_TYPES.map(t => {
                const reason = unavailableReason(t.type, channels);
                // The saved type stays choosable, so that the field shows it.
                const off = reason !== undefined && t.type !== draft.type;
                return (
                  <option
                    key={t.type}
                    value={t.type}
                    disabled={off}
                    title={reason}
                    aria-description={reason}
                  >
                    {reason ? `${t.label} (not set up here)` : t.label}
                  </option>
                );
              })}
            </TextField>
          )}
        </Grid>
        <Grid item xs={2} sm={6}>
          <Box display="flex" justifyContent="flex-end">
            <Tooltip title={`Remove ${label.toLowerCase()}`}>
              <span>
                <IconButton
                  aria-label={`Remove ${label.toLowerCase()}`}
                  onClick={onRemove}
                  disabled={disabled}
                >
                  <DeleteIcon />
                </IconButton>
              </span>
            </Tooltip>
          </Box>
        </Grid>
        <TypeFields
          id={id}
          draft={draft}
          onChange={onChange}
          disabled={disabled}
        />
        {draft.type === 'other' && unavailable && (
          <Grid item xs={12}>
            <FormHelperText error>{unavailable}</FormHelperText>
          </Grid>
        )}
        {error && (
          <Grid item xs={12}>
            <FormHelperText error>{error}</FormHelperText>
          </Grid>
        )}
      </Grid>
    </Paper>
  );
}

/**
 * The deliveries of a schedule: where each run's file goes. Each is a
 * group named "Delivery 1", "Delivery 2", … with its type's fields; the
 * types this backend cannot deliver by are offered disabled, with why.
 */
export function DeliveriesEditor(props: {
  value: DeliveryDraft[];
  onChange: (value: DeliveryDraft[]) => void;
  /** Messages of the last save, by delivery index. */
  errors: Record<number, string>;
  /** A message of the last save about the deliveries as a whole. */
  listError?: string;
  /** The backend's channels; undefined while not known. */
  channels?: DeliveryChannelInfo[];
  /** Why the channels could not be read, with a retry. */
  channelsError?: unknown;
  onRetryChannels?: () => void;
  disabled?: boolean;
}) {
  const { value, onChange, errors, listError, channels, disabled } = props;
  const usable = DELIVERY_TYPES.find(
    t => unavailableReason(t.type, channels) === undefined,
  );
  const change = (index: number) => (patch: Partial<DeliveryDraft>) =>
    onChange(value.map((d, i) => (i === index ? { ...d, ...patch } : d)));
  const remove = (index: number) => () =>
    onChange(value.filter((_d, i) => i !== index));

  return (
    <>
      {props.channelsError !== undefined && (
        <Box mb={2}>
          <Alert
            severity="info"
            role="note"
            action={
              props.onRetryChannels && (
                <Button
                  color="inherit"
                  size="small"
                  onClick={props.onRetryChannels}
                >
                  Retry
                </Button>
              )
            }
          >
            Which delivery channels this backend has set up could not be read (
            {messageOf(props.channelsError)}); every type is offered, and the
            backend checks them when you save.
          </Alert>
        </Box>
      )}
      {value.length === 0 && (
        <Typography variant="body2" color="textSecondary" paragraph>
          No delivery yet: add at least one, so that each run’s file goes
          somewhere.
        </Typography>
      )}
      {value.map((draft, index) => (
        <DeliveryCard
          key={draft.key}
          index={index}
          draft={draft}
          onChange={change(index)}
          onRemove={remove(index)}
          channels={channels}
          error={errors[index]}
          disabled={disabled}
        />
      ))}
      {listError && <FormHelperText error>{listError}</FormHelperText>}
      <ActionButton
        variant="outlined"
        startIcon={<AddIcon />}
        disabled={disabled}
        disabledReason={
          usable
            ? undefined
            : 'No delivery channel is set up on this backend: ask an administrator to configure one (recovery.delivery).'
        }
        onClick={() =>
          onChange([...value, newDeliveryDraft(usable?.type ?? 'email')])
        }
      >
        Add delivery
      </ActionButton>
    </>
  );
}
