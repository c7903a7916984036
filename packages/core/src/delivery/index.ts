/**
 * Delivery channels of scheduled exports, and their registry.
 */
export {
  DeliveryRegistry,
  DeliveryError,
  checkDeliveryKeys,
  summarise,
  unconfiguredChannel,
} from './DeliveryChannel';
export type {
  DeliveryChannel,
  DeliveryContext,
  DeliveryFile,
  DeliveryMessage,
} from './DeliveryChannel';
export { EmailChannel, base64Size } from './EmailChannel';
export type { EmailChannelOptions } from './EmailChannel';
export { WebhookChannel, signWebhook } from './WebhookChannel';
export type { WebhookChannelOptions } from './WebhookChannel';
export { StorageChannel } from './StorageChannel';
export type { StorageChannelOptions } from './StorageChannel';
export { SlackChannel } from './SlackChannel';
export type { SlackChannelOptions } from './SlackChannel';
