import { ReboundApiError } from '@rebound/core/client';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { useRebound } from '../../api';
import { fieldOfMessage } from './scheduleDraft';

/** How long typing must pause before the preview is asked for. */
export const PREVIEW_DELAY_MS = 400;

/**
 * The backend's preview of a cron in a zone (description, next runs,
 * daylight-saving warnings), asked for once typing pauses. A 400 is
 * the message of the field it names; other failures are `error`.
 */
export function useSchedulePreview(cron: string, timezone: string) {
  const client = useRebound();
  const [asked, setAsked] = useState({ cron, timezone });
  useDebounce(() => setAsked({ cron, timezone }), PREVIEW_DELAY_MS, [
    cron,
    timezone,
  ]);

  const state = useAsyncRetry(async () => {
    if (asked.cron.trim() === '') {
      return undefined;
    }
    return client.previewSchedule({
      cron: asked.cron,
      timezone: asked.timezone,
      count: 5,
    });
  }, [client, asked.cron, asked.timezone]);

  const invalid =
    state.error instanceof ReboundApiError && state.error.status === 400
      ? state.error.message
      : undefined;
  const invalidField = invalid ? fieldOfMessage(invalid) : undefined;
  return {
    preview: state.error ? undefined : state.value,
    loading: state.loading,
    /** The cron is still being typed or its preview is on its way. */
    stale: asked.cron !== cron || asked.timezone !== timezone,
    cronError: invalid && invalidField !== 'timezone' ? invalid : undefined,
    timezoneError: invalidField === 'timezone' ? invalid : undefined,
    error: invalid ? undefined : state.error,
    retry: state.retry,
  };
}

export type SchedulePreviewState = ReturnType<typeof useSchedulePreview>;
