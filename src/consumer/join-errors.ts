import { KafkaJSTimeout } from '../errors/kafkajs.js';

/**
 * `consumer.run()` did not complete its first group join and assignment within `joinTimeout`.
 * `cause` is the last thing that stood in the way (the coordinator not available, a subscribed
 * topic that does not exist, …) and the message names it, so the failure says what to fix.
 * Errors that waiting cannot fix (authorization, an inconsistent group protocol) are not turned
 * into this one: run() rejects with them as they are, at once.
 */
export class KafkaJSGroupJoinTimeout extends KafkaJSTimeout {
  readonly groupId: string;
  readonly timeoutMs: number;

  constructor(groupId: string, timeoutMs: number, cause: Error | undefined) {
    super(
      `consumer.run() did not join group "${groupId}" within ${timeoutMs} ms` +
        (cause ? `: ${cause.message}` : ''),
    );
    this.groupId = groupId;
    this.timeoutMs = timeoutMs;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, configurable: true });
  }
}
