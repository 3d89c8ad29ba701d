/**
 * What the admin client needs from the network layer: the network's one port
 * ({@link NetworkPort}, implemented by `Cluster`) plus a few admin words (fresh leaders, broker
 * ids, the admin retry policy). Every area module (topics, configs, groups, …) is written against
 * this interface only; `cluster-adapter.ts` binds it to the real `Cluster`, and unit tests bind
 * it to fakes.
 */

import type { Logger } from '../logger.js';
import type { NetworkPort, NodeTarget } from '../network/port.js';
import type { ApiMessage } from '../protocol/api.js';
import type { MetadataResponse } from '../protocol/messages/index.js';

/**
 * Where a request goes. `controller` is the node the metadata names as controller: on KRaft
 * that is any live broker, which forwards controller-bound requests to the active quorum
 * controller (KIP-590); on the rare NOT_CONTROLLER answer the metadata is refreshed and the
 * request sent again.
 */
export type AdminTarget = NodeTarget;

export interface AdminSendOptions {
  /** Overrides the request timeout (an admin `timeout` argument adds to it). */
  timeout?: number;
  /** An exact version instead of the newest both sides support. */
  version?: number;
}

export type { CoordinatorType } from '../network/coordinators.js';

export interface AdminCluster
  extends Pick<
    NetworkPort,
    | 'connect'
    | 'disconnect'
    | 'versionFor'
    | 'coordinator'
    | 'forgetCoordinator'
    | 'features'
    | 'clientSoftware'
  > {
  isConnected(): boolean;
  /** `NetworkPort.send` with the admin's timeout: a broker-side `timeout` plus a margin. */
  send<Req, Res>(
    target: AdminTarget,
    api: ApiMessage<Req, Res>,
    body: Req,
    options?: AdminSendOptions,
  ): Promise<Res>;
  /** A Metadata request now (all topics when `topics` is null, no auto-creation), which also refreshes the cache. */
  metadata(topics: string[] | null): Promise<MetadataResponse>;
  /** Leader of a partition, from the cache, refreshing once when the cache does not know it. */
  leaderFor(topic: string, partition: number): Promise<number>;
  /** Forgets cached leaders and coordinators so that the next routing asks the cluster again. */
  invalidate(topics?: string[]): Promise<void>;
  /** Node ids of every live broker (from a fresh-enough metadata). */
  brokerIds(): Promise<number[]>;
  /** Runs `fn` under the client's retry policy (KafkaJS retry options). */
  retry<T>(fn: (attempt: number) => Promise<T>): Promise<T>;
  readonly logger: Logger;
}
