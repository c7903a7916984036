import { ReboundApiError } from '@rebound/core/client';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useDebounce from 'react-use/esm/useDebounce';
import { useRebound } from '../../api';
import { startOfDayIn } from './runTimes';
import { fieldOfMessage } from './scheduleDraft';

/** How long typing must pause before the preview is asked for. */
export const PREVIEW_DELAY_MS = 400;

/** The numbers of runs the preview offers; the backend lists at most 50. */
export const PREVIEW_COUNTS = [5, 10, 20, 50];

/** Which runs the preview lists. */
export interface PreviewRange {
  count: number;
  /** A day (YYYY-MM-DD) in the schedule's zone to start on; '' for now. */
  startDay: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The backend's preview of a cron in a zone (description, next runs,
 * daylight-saving warnings), asked for once typing pauses. A 400 is
 * the message of the field it names; other failures are `error`.
 */
export function useSchedulePreview(cron: string, timezone: string) {
  const client = useRebound();
  const [range, setRange] = useState<PreviewRange>({
    count: PREVIEW_COUNTS[0],
    startDay: '',
  });
  const [asked, setAsked] = useState({ cron, timezone, range });
  useDebounce(() => setAsked({ cron, timezone, range }), PREVIEW_DELAY_MS, [
    cron,
    timezone,
    range,
  ]);

  const state = useAsyncRetry(async () => {
    if (asked.cron.trim() === '') {
      return undefined;
    }
    const { count, startDay } = asked.range;
    const preview = await client.previewSchedule({
      cron: asked.cron,
      timezone: asked.timezone,
      count,
      ...(DAY.test(startDay)
        ? { from: startOfDayIn(startDay, asked.timezone) }
        : {}),
    });
    return { preview, range: asked.range };
  }, [client, asked]);

  const invalid =
    state.error instanceof ReboundApiError && state.error.status === 400
      ? state.error.message
      : undefined;
  const invalidField = invalid ? fieldOfMessage(invalid) : undefined;
  const aboutRange = invalid !== undefined && /^(from|count)\b/.test(invalid);
  return {
    preview: state.error ? undefined : state.value?.preview,
    /** The range the shown preview was asked for. */
    shownRange: state.error ? undefined : state.value?.range,
    loading: state.loading,
    /** The cron is still being typed or its preview is on its way. */
    stale:
      asked.cron !== cron ||
      asked.timezone !== timezone ||
      asked.range !== range,
    cronError:
      invalid && !aboutRange && invalidField !== 'timezone'
        ? invalid
        : undefined,
    timezoneError: invalidField === 'timezone' ? invalid : undefined,
    /** A refusal of the runs asked for, not of the schedule. */
    rangeError: aboutRange ? invalid : undefined,
    error: invalid ? undefined : state.error,
    retry: state.retry,
    /** The range chosen, perhaps not asked for yet. */
    range,
    setRange,
  };
}

export type SchedulePreviewState = ReturnType<typeof useSchedulePreview>;
