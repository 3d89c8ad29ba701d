/** KafkaJS's consumer instrumentation event names (`consumer.events`). */
export const CONSUMER_EVENTS = Object.freeze({
  /** A heartbeat reached the group coordinator. */
  HEARTBEAT: 'consumer.heartbeat',
  /** Offsets were committed to the group. */
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  /** The consumer joined (or rejoined) its group and received an assignment. */
  GROUP_JOIN: 'consumer.group_join',
  /** A fetch from a broker completed. */
  FETCH: 'consumer.fetch',
  /** A fetch to a broker begins. */
  FETCH_START: 'consumer.fetch_start',
  /** A batch is handed to eachBatch or eachMessage. */
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  /** A batch was processed. */
  END_BATCH_PROCESS: 'consumer.end_batch_process',
  /** The consumer connected. */
  CONNECT: 'consumer.connect',
  /** The consumer disconnected. */
  DISCONNECT: 'consumer.disconnect',
  /** The consumer stopped consuming (stop() or disconnect()). */
  STOP: 'consumer.stop',
  /** The run loop stopped on an error; the payload says whether it restarts. */
  CRASH: 'consumer.crash',
  /** The group is rebalancing and this member will rejoin. */
  REBALANCING: 'consumer.rebalancing',
  /** The assignment holds topics this member did not subscribe to. */
  RECEIVED_UNSUBSCRIBED_TOPICS: 'consumer.received_unsubscribed_topics',
  /** A request was answered by a broker. */
  REQUEST: 'consumer.network.request',
  /** A request timed out. */
  REQUEST_TIMEOUT: 'consumer.network.request_timeout',
  /** The number of requests waiting on a connection changed. */
  REQUEST_QUEUE_SIZE: 'consumer.network.request_queue_size',
} as const);

/** One of the consumer's event names, e.g. `consumer.group_join`. */
export type ConsumerEventName = (typeof CONSUMER_EVENTS)[keyof typeof CONSUMER_EVENTS];

/** Payloads are KafkaJS's; they are loosely typed records because listeners read named fields. */
export type ConsumerEvents = { [K in ConsumerEventName]: Record<string, unknown> };
