import type { DeliveryChannelInfo } from '@rebound/core/client';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useRebound } from '../../api';

/** The backend's delivery channels, and whether each can deliver. */
export function useDeliveryChannels(): {
  /** Undefined while loading or after a failure. */
  channels?: DeliveryChannelInfo[];
  error?: Error;
  retry: () => void;
} {
  const client = useRebound();
  const state = useAsyncRetry(
    async () => (await client.listDeliveryChannels()).items,
    [client],
  );
  return { channels: state.value, error: state.error, retry: state.retry };
}

export type DeliveryChannelsState = ReturnType<typeof useDeliveryChannels>;
