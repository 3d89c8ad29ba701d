/**
 * What the consumer needs from the network layer: the network's one port ({@link NetworkPort},
 * implemented by `Cluster`) in the consumer's words (purpose first, group coordinators by group
 * id). The fetcher, the group protocols and the front end are written against this interface
 * only; an adapter binds it to the shared `Cluster`, test/helpers/direct-cluster.ts implements it
 * over bare connections, and unit tests bind it to fakes.
 */

import type { InstrumentationEmitter } from '../instrumentation/events.js';
import type { Logger } from '../logger.js';
import type { Cluster } from '../network/cluster.js';
import type { NetworkPort } from '../network/port.js';
import type { RetryOptions } from '../network/retry.js';
import type { ApiMessage } from '../protocol/api.js';
import type { MetadataResponse } from '../protocol/messages/index.js';
import type { TelemetryHook } from '../telemetry/reporter.js';

/** Which pooled connection a request uses: long-polling fetches never queue in front of heartbeats. */
export type ConsumerPurpose = 'fetch' | 'default';

export interface ConsumerSendOptions {
  timeout?: number;
  version?: number;
}

export interface ConsumerCluster extends Pick<NetworkPort, 'connect' | 'disconnect'> {
  /** Sends to a broker by node id over the connection kept for `purpose`. */
  send<Req, Res>(
    nodeId: number,
    purpose: ConsumerPurpose,
    api: ApiMessage<Req, Res>,
    body: Req,
    options?: ConsumerSendOptions,
  ): Promise<Res>;
  /** The version `send` would use with that broker (connecting first when needed). */
  versionFor(nodeId: number, purpose: ConsumerPurpose, api: ApiMessage<unknown, unknown>): Promise<number>;
  /** A Metadata request now (all topics when null): `NetworkPort.metadataFor` with the consumer's auto-creation choice. */
  metadata(topics: string[] | null): Promise<MetadataResponse>;
  /** Node id of the group coordinator (FindCoordinator, cached). */
  coordinator(groupId: string): Promise<number>;
  forgetCoordinator(groupId: string): void;
  /** Drops the connections to one broker for one purpose (after a transport error). */
  resetConnection?(nodeId: number, purpose: ConsumerPurpose): void;
}

/** Everything `createConsumer` is given by the `Kafka` instance. */
export interface ConsumerContext {
  /** The shared network `Cluster` (adapted), or any ConsumerCluster (DirectCluster, a test fake). */
  cluster: ConsumerCluster | Cluster;
  logger: Logger;
  clientId?: string;
  /** KafkaJS `retry` options of the client (used for group and commit retries). */
  retry?: RetryOptions;
  /** The client's network instrumentation, re-emitted as consumer.network.* when given. */
  instrumentation?: InstrumentationEmitter;
  /** The KIP-714 metrics push, started on connect and closed (terminating push) on disconnect. */
  telemetry?: TelemetryHook;
}
