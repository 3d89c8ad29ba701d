import { KafkaJSTimeout } from '../errors/kafkajs.js';

/**
 * `consumer.run()` did not complete its first group join and assignment within `joinTimeout`.
 * `cause` is the last thing that stood in the way (the coordinator not available, a subscribed
 * topic that does not exist, …) and the message names it, so the failure says what to fix.
 * Errors that waiting cannot fix (authorization, an inconsistent group protocol) are not turned
 * into this one: run() rejects with them as they are, at once.
 */
export class KafkaJSGroupJoinTimeout extends KafkaJSTimeout {
  /** The group run() tried to join. */
  readonly groupId: string;
  /** The consumer's `joinTimeout`. */
  readonly timeoutMs: number;

  constructor(groupId: string, timeoutMs: number, cause: Error | undefined) {
    super(`consumer.run() did not join group "${groupId}" within ${timeoutMs} ms${describeCause(cause)}`);
    this.groupId = groupId;
    this.timeoutMs = timeoutMs;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, configurable: true });
  }
}

/** The cause's message, with the broker's error name of the innermost cause that has one. */
function describeCause(cause: Error | undefined): string {
  if (cause === undefined) return ': no answer from the group coordinator yet';
  let type: string | undefined;
  for (let e: unknown = cause, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const t = (e as { type?: unknown }).type;
    if (typeof t === 'string') type = t;
  }
  return `: ${cause.message}${type && !cause.message.includes(type) ? ` (${type})` : ''}`;
}
