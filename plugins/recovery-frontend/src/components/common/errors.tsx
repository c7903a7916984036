import Button from '@material-ui/core/Button';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { ReboundApiError } from '@rebound/core/client';

/**
 * What a user can try after a request failed, from its status; empty for
 * a 400, whose message already names the value and what to do.
 */
export function hintFor(error: unknown): string {
  if (error instanceof ReboundApiError) {
    switch (error.status) {
      case 400:
        return '';
      case 401:
        return 'Your session has ended: reload the page to sign in again.';
      case 403:
        return 'Ask an administrator to grant the permission the message names.';
      case 404:
        return 'It may have been deleted or may have expired: go back to the list and reload it.';
      case 409:
        return 'It changed while you looked at it: reload and try again.';
      case 413:
        return 'The file is larger than the backend accepts: split it into smaller files.';
      case 429:
        return 'Too many requests: wait a moment and try again.';
      default:
        return error.status >= 500
          ? 'The recovery backend failed: try again, and if it keeps failing look at its log.'
          : 'Try again.';
    }
  }
  return 'The recovery backend could not be reached: check that it is running, then try again.';
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * A failed request: what was being done, what the backend said and what
 * to try, with a retry button when the action can be repeated.
 */
export function RequestError(props: {
  /** What failed, e.g. "Loading the jobs failed". */
  title: string;
  error: unknown;
  onRetry?: () => void;
}) {
  const { title, error, onRetry } = props;
  const status =
    error instanceof ReboundApiError ? ` (HTTP ${error.status})` : '';
  return (
    <Alert
      severity="error"
      role="alert"
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            Retry
          </Button>
        ) : undefined
      }
    >
      <AlertTitle>
        {title}
        {status}
      </AlertTitle>
      {[messageOf(error), hintFor(error)].filter(Boolean).join(' ')}
    </Alert>
  );
}
