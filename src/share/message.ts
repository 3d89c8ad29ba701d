import type { KafkaRecord } from '../protocol/records/types.js';
import type { ShareMessage, ShareMessageHeaders } from './types.js';

/** A decoded record as the share consumer hands it out: KafkaJS's message shape plus its delivery count. */
export function toShareMessage(r: KafkaRecord, deliveryCount: number): ShareMessage {
  let headers: ShareMessageHeaders = {};
  if (r.headers.length > 0) {
    headers = {};
    for (const h of r.headers) {
      const v = (h.value ?? undefined) as Buffer | undefined;
      const prev = headers[h.key];
      if (prev === undefined) headers[h.key] = v;
      else headers[h.key] = Array.isArray(prev) ? [...prev, v as Buffer] : [prev, v as Buffer];
    }
  }
  return {
    key: r.key,
    value: r.value,
    timestamp: String(r.timestamp),
    attributes: r.attributes,
    offset: String(r.offset),
    headers,
    deliveryCount,
  };
}
