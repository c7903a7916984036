import type {
  Delivery,
  DeliveryChannelInfo,
  WebhookDelivery,
} from '@rebound/core/client';

/** The delivery types the form offers; other plugins may add more. */
export type DeliveryType = 'email' | 'webhook' | 'storage' | 'slack';

export const DELIVERY_TYPES: {
  type: DeliveryType;
  label: string;
  /** What a backend lacks when it cannot deliver by the type. */
  lacks: string;
}[] = [
  { type: 'email', label: 'Email', lacks: 'no mail server is set up' },
  { type: 'webhook', label: 'Webhook', lacks: 'no webhook host is allowed' },
  {
    type: 'storage',
    label: 'File storage',
    lacks: 'no delivery folder is set',
  },
  { type: 'slack', label: 'Slack channel', lacks: 'no Slack bot token is set' },
];

/**
 * Why the backend cannot deliver by a type, or undefined when it can or
 * when its channels are not known (the backend checks on save anyway).
 */
export function unavailableReason(
  type: string,
  channels: DeliveryChannelInfo[] | undefined,
): string | undefined {
  if (!channels) {
    return undefined;
  }
  const known = DELIVERY_TYPES.find(t => t.type === type);
  const label = known?.label ?? type;
  const channel = channels.find(c => c.type === type);
  if (!channel) {
    return `${label} cannot deliver: this backend has no such delivery channel.`;
  }
  if (channel.configured) {
    return undefined;
  }
  return (
    `${label} cannot deliver on this backend: ${
      known?.lacks ?? 'it is not configured'
    }. Choose another type, or ask an administrator to set ` +
    `${channel.missingConfig ?? 'it up'}.`
  );
}

export const DEFAULT_STORAGE_PATH = '{schedule}/{date}/{name}.{ext}';

/**
 * A delivery as the form edits it. Every type's fields are kept, so that
 * switching the type back and forth loses nothing typed.
 */
export interface DeliveryDraft {
  /** Stable across edits, for React's keys. */
  key: number;
  type: DeliveryType | 'other';
  /** Email: the addresses as typed, comma separated. */
  to: string;
  url: string;
  /** A new secret; empty keeps the one saved, if any. */
  secret: string;
  /** Whether the saved webhook has a secret (the answer never shows it). */
  hasSecret: boolean;
  path: string;
  channel: string;
  /** A delivery of another plugin's channel, sent back as it came. */
  original?: Delivery;
}

let nextKey = 1;

export function newDeliveryDraft(type: DeliveryType = 'email'): DeliveryDraft {
  return {
    key: nextKey++,
    type,
    to: '',
    url: '',
    secret: '',
    hasSecret: false,
    path: DEFAULT_STORAGE_PATH,
    channel: '',
  };
}

const isKnownType = (type: string): type is DeliveryType =>
  DELIVERY_TYPES.some(t => t.type === type);

/** A saved delivery as a draft; the webhook's secret stays on the backend. */
export function toDeliveryDraft(delivery: Delivery): DeliveryDraft {
  const draft = newDeliveryDraft();
  if (!isKnownType(delivery.type)) {
    return { ...draft, type: 'other', original: delivery };
  }
  const fields = delivery as Record<string, unknown>;
  const text = (name: string) =>
    typeof fields[name] === 'string' ? (fields[name] as string) : '';
  return {
    ...draft,
    type: delivery.type,
    to: Array.isArray(fields.to) ? fields.to.join(', ') : '',
    url: text('url'),
    hasSecret: fields.hasSecret === true,
    path: delivery.type === 'storage' ? text('path') : draft.path,
    channel: text('channel'),
  };
}

/** The type of a delivery as the backend knows it. */
export function typeOfDraft(draft: DeliveryDraft): string {
  return draft.type === 'other' ? draft.original?.type ?? 'other' : draft.type;
}

/** The comma-separated addresses as a list, blanks left out. */
export function splitRecipients(text: string): string[] {
  return text
    .split(',')
    .map(address => address.trim())
    .filter(address => address !== '');
}

/**
 * The delivery the API takes. A webhook without a new secret is sent
 * without one: the backend then keeps the secret saved for its URL.
 */
export function toDelivery(draft: DeliveryDraft): Delivery {
  switch (draft.type) {
    case 'email':
      return { type: 'email', to: splitRecipients(draft.to) };
    case 'webhook': {
      const webhook: WebhookDelivery = {
        type: 'webhook',
        url: draft.url.trim(),
      };
      if (draft.secret !== '') {
        webhook.secret = draft.secret;
      }
      return webhook;
    }
    case 'storage':
      return { type: 'storage', path: draft.path.trim() };
    case 'slack':
      return { type: 'slack', channel: draft.channel.trim() };
    default:
      return draft.original ?? { type: 'other' };
  }
}

/** What a delivery is sent to, as the backend compares repeats. */
function recipientsOf(draft: DeliveryDraft): string[] {
  switch (draft.type) {
    case 'email':
      return splitRecipients(draft.to);
    case 'webhook': {
      const url = draft.url.trim();
      try {
        // The backend keeps the URL as the URL parser writes it.
        return url === '' ? [] : [new URL(url).toString()];
      } catch {
        return [url];
      }
    }
    case 'storage': {
      const path = draft.path.trim().replace(/[\\/]+/g, '/');
      return path === '' ? [] : [path];
    }
    case 'slack':
      return draft.channel.trim() === '' ? [] : [draft.channel.trim()];
    default:
      return [];
  }
}

/** Why a second delivery to one recipient is refused, by type. */
function repeatText(type: DeliveryType | 'other', recipient: string): string {
  switch (type) {
    case 'storage':
      return `both write the file to “${recipient}”, so the second would overwrite the first. Remove one, or give it another path.`;
    case 'email':
      return `both send the file to ${recipient}, who would get it twice. Remove the address from one.`;
    case 'webhook':
      return `both call ${recipient}, which would get every file twice. Remove one.`;
    default:
      return `both post to the Slack channel ${recipient}, which would get every file twice. Remove one.`;
  }
}

/**
 * The deliveries that repeat an earlier one (same type, same recipient),
 * by index, with why; the backend refuses them too.
 */
export function repeatedDeliveries(
  drafts: DeliveryDraft[],
): Record<number, string> {
  const first = new Map<string, number>();
  const repeats: Record<number, string> = {};
  drafts.forEach((draft, index) => {
    for (const recipient of recipientsOf(draft)) {
      const key = `${draft.type} ${
        draft.type === 'email' ? recipient.toLowerCase() : recipient
      }`;
      const earlier = first.get(key);
      if (earlier === index) {
        repeats[index] ??= `Delivery ${
          index + 1
        } lists ${recipient} twice: list each address once.`;
      } else if (earlier !== undefined) {
        repeats[index] ??= `Delivery ${index + 1} repeats delivery ${
          earlier + 1
        }: ${repeatText(draft.type, recipient)}`;
      } else {
        first.set(key, index);
      }
    }
  });
  return repeats;
}
