import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { DeliveryChannel } from '@rebound/core';

/** Lets other plugins add delivery channels for scheduled exports. @public */
export interface RecoveryDeliveryChannelsExtensionPoint {
  addDeliveryChannel(channel: DeliveryChannel): void;
}

/** @public */
export const recoveryDeliveryChannelsExtensionPoint =
  createExtensionPoint<RecoveryDeliveryChannelsExtensionPoint>({
    id: 'recovery.delivery-channels',
  });
