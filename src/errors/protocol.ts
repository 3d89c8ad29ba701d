import * as generated from './protocol-classes.js';
import { KafkaJSProtocolError, type KafkaJSProtocolErrorOptions } from './protocol-error.js';

export * from './protocol-classes.js';
export { KafkaJSProtocolError, type KafkaJSProtocolErrorOptions } from './protocol-error.js';

type ProtocolErrorClass = (new (
  brokerMessage?: string | null,
  options?: KafkaJSProtocolErrorOptions,
) => KafkaJSProtocolError) & { readonly code: number };

// The generated module exports nothing but the classes, each carrying its code; the deprecated
// aliases are the same class objects, so they land on the same key.
const CLASSES = new Map<number, ProtocolErrorClass>(
  Object.values(generated).map((c: ProtocolErrorClass) => [c.code, c]),
);

/**
 * The error for a code a broker returned (with the message it sent, if any): an instance of the
 * code's subclass when it has one, else of {@link KafkaJSProtocolError}.
 */
export function createProtocolError(
  code: number,
  brokerMessage?: string | null,
  options?: KafkaJSProtocolErrorOptions,
): KafkaJSProtocolError {
  const Cls = CLASSES.get(code);
  return Cls ? new Cls(brokerMessage, options) : new KafkaJSProtocolError(code, brokerMessage, options);
}

/** Whether `code` has its own subclass. */
export function hasProtocolErrorClass(code: number): boolean {
  return CLASSES.has(code);
}
