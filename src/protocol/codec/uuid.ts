import { KafkaProtocolError } from '../../errors/base.js';

/**
 * Kafka prints UUIDs (topic ids, directory ids) as URL-safe base64 without padding, 22
 * characters; we use the same text so ids match what kafka-topics.sh and the Java client show.
 */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

/** The 16 bytes of a UUID given in Kafka's textual form; throws {@link KafkaProtocolError} for anything else. */
export function uuidToBytes(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.length !== 16 || text.length !== 22) {
    throw new KafkaProtocolError(`"${text}" is not a Kafka UUID (22 URL-safe base64 characters)`);
  }
  return bytes;
}

/** Kafka's textual form (22 URL-safe base64 characters) of the first 16 bytes of `bytes`. */
export function uuidFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('base64url');
}
