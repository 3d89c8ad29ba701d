/**
 * The one port every client reaches the network through. `Cluster` implements it; the clients'
 * own ports (the admin's `AdminCluster`, the consumer's `ConsumerCluster`, the producer's
 * `ProducerTransport`) are small extensions of it in each client's words, so that a Metadata
 * request, a feature level or a coordinator lookup is written once, here in network/.
 */
import type { ApiMessage } from '../protocol/api.js';
import type { MetadataResponse } from '../protocol/messages/metadata.js';
import type { ConnectionPurpose, SendOptions } from './connection.js';
import type { CoordinatorType } from './coordinators.js';
import type { ClusterFeatures } from './features.js';

/**
 * Where a request goes. `controller` is the node the metadata names as controller: on KRaft any
 * live broker, which forwards controller-bound requests to the active quorum controller (KIP-590).
 */
export type NodeTarget = number | 'any' | 'controller';

export interface PortSendOptions extends SendOptions {
  /** Which pooled connection carries it: long-polling fetches never queue in front of heartbeats. */
  purpose?: ConnectionPurpose;
}

export interface MetadataRequestOptions {
  /** Ask the broker to create unknown topics (when its config allows). Default: the cluster's option. */
  allowAutoTopicCreation?: boolean;
}

export interface NetworkPort {
  /** Loads metadata through the bootstrap brokers. */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Sends one request to a node, any broker or the controller. */
  send<Req, Res>(
    target: NodeTarget,
    api: ApiMessage<Req, Res>,
    body: Req,
    options?: PortSendOptions,
  ): Promise<Res>;
  /** Sends one request to the coordinator of a group or transactional id. */
  sendToCoordinator<Req, Res>(
    type: CoordinatorType,
    key: string,
    api: ApiMessage<Req, Res>,
    body: Req,
    options?: SendOptions,
  ): Promise<Res>;
  /** The version `send` would use with that node for `api` (connecting first when needed). */
  versionFor(
    target: NodeTarget,
    api: ApiMessage<unknown, unknown>,
    purpose?: ConnectionPurpose,
  ): Promise<number>;
  /**
   * A Metadata request now (every topic when `topics` is null), with the top-level error checked;
   * the answer also refreshes the cluster's metadata cache.
   */
  metadataFor(topics: string[] | null, options?: MetadataRequestOptions): Promise<MetadataResponse>;
  /** Node id of the coordinator of a group or transactional id (cached; lookups batched; retried). */
  coordinator(type: CoordinatorType, key: string): Promise<number>;
  /** Forgets a cached coordinator (after NOT_COORDINATOR and the like). */
  forgetCoordinator(type: CoordinatorType, key: string): void;
  /** The finalized and supported feature levels (KIP-584) as one broker reports them now. */
  features(target?: NodeTarget): Promise<ClusterFeatures>;
  /** What this client reports about itself in ApiVersions (KIP-511). */
  readonly clientSoftware: { readonly name: string; readonly version: string };
}
