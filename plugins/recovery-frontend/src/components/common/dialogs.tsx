import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import {
  useEffect,
  useRef,
  useState,
  type ReactElement,
  type ReactNode,
} from 'react';
import { ActionButton } from './actions';
import { RequestError } from './errors';

/**
 * The submit of a form dialog: `sending` from the start on, and again
 * false only when it fails, so that the button stays disabled while the
 * dialog moves on; `error` is the failure to show.
 */
export function useSubmit() {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (action: () => Promise<void>) => {
    setSending(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
      setSending(false);
    }
  };
  return { sending, error, submit };
}

/**
 * The body of a dialog whose form needs data first: a progress bar while
 * it loads, the failure with Retry and Cancel when it fails, then the form.
 */
export function DialogLoader<T>(props: {
  state: { loading: boolean; error?: unknown; value?: T; retry: () => void };
  /** What failed, e.g. "Loading the upload targets failed". */
  failureTitle: string;
  onCancel: () => void;
  children: (value: T) => ReactElement;
}) {
  const { state, failureTitle, onCancel, children } = props;
  if (state.loading) {
    return (
      <DialogContent>
        <Progress />
      </DialogContent>
    );
  }
  if (state.error || !state.value) {
    return (
      <>
        <DialogContent>
          <RequestError
            title={failureTitle}
            error={state.error}
            onRetry={state.retry}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Cancel</Button>
        </DialogActions>
      </>
    );
  }
  return children(state.value);
}

/**
 * The body of a form dialog: the fields, the failure of the last submit
 * below them, then Cancel and the submit button, which says why it is
 * disabled when it is.
 */
export function DialogForm(props: {
  children: ReactNode;
  /** Lines above and below the fields, for a form that scrolls. */
  dividers?: boolean;
  /** The failure of the last submit, if it failed. */
  error: unknown;
  /** What failed, e.g. "Uploading the file failed". */
  errorTitle: string;
  submitLabel: string;
  disabledReason: string | undefined;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const { error, errorTitle, disabledReason, onSubmit, onCancel } = props;
  // A long form scrolls: the failure of a submit is brought into view,
  // or the click would seem to do nothing.
  const errorBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error !== undefined) {
      errorBox.current?.scrollIntoView?.({ block: 'nearest' });
    }
  }, [error]);
  return (
    <>
      <DialogContent dividers={props.dividers}>
        {props.children}
        {error !== undefined && (
          <div ref={errorBox}>
            <Box mt={2}>
              <RequestError title={errorTitle} error={error} />
            </Box>
          </div>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <ActionButton
          color="primary"
          variant="contained"
          disabledReason={disabledReason}
          onClick={onSubmit}
        >
          {props.submitLabel}
        </ActionButton>
      </DialogActions>
    </>
  );
}
