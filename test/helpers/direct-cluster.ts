import type { ConsumerCluster, ConsumerPurpose, ConsumerSendOptions } from '../../src/consumer/context.js';
import { protocolError } from '../../src/consumer/errors.js';
import { KafkaJSError } from '../../src/errors/base.js';
import { KafkaJSGroupCoordinatorNotFound } from '../../src/errors/network.js';
import type { InstrumentationEmitter } from '../../src/instrumentation/events.js';
import type { Logger } from '../../src/logger.js';
import { Connection, type ConnectionOptions } from '../../src/network/connection.js';
import { negotiateApiVersions } from '../../src/network/handshake.js';
import type { ApiMessage } from '../../src/protocol/api.js';
import { FindCoordinator, Metadata, type MetadataResponse } from '../../src/protocol/messages/index.js';

export interface DirectClusterOptions {
  brokers: string[];
  clientId?: string;
  logger: Logger;
  connectionTimeout?: number;
  requestTimeout?: number;
  ssl?: ConnectionOptions['ssl'];
  instrumentation?: InstrumentationEmitter;
}

/**
 * A small ConsumerCluster over bare connections: bootstrap, Metadata, FindCoordinator, one
 * connection per broker and purpose, ApiVersions negotiated on each. It lets the consumer run
 * (and be tested) on its own; inside a `Kafka` instance the shared Cluster is used instead.
 * No SASL: connections that need it must come from the shared Cluster.
 */
export class DirectCluster implements ConsumerCluster {
  private readonly nodes = new Map<number, { host: string; port: number }>();
  private readonly connections = new Map<string, Connection>();
  private readonly coordinators = new Map<string, number>();
  private bootstrap: Connection | undefined;

  constructor(private readonly options: DirectClusterOptions) {}

  private newConnection(host: string, port: number, purpose: ConsumerPurpose): Connection {
    return new Connection({
      host,
      port,
      purpose: purpose === 'fetch' ? 'fetch' : 'default',
      clientId: this.options.clientId,
      logger: this.options.logger,
      connectionTimeout: this.options.connectionTimeout ?? 3000,
      requestTimeout: this.options.requestTimeout ?? 30_000,
      ssl: this.options.ssl,
      instrumentation: this.options.instrumentation,
      // the network's own negotiation: the same client software and version fallback as Cluster's
      initialize: async (c) => {
        await negotiateApiVersions(c);
      },
    });
  }

  async connect(): Promise<void> {
    let lastError: unknown;
    for (const b of this.options.brokers) {
      const i = b.lastIndexOf(':');
      const conn = this.newConnection(b.slice(0, i), Number(b.slice(i + 1)), 'default');
      try {
        await conn.connect();
        this.bootstrap = conn;
        await this.metadata([]);
        return;
      } catch (e) {
        lastError = e;
        await conn.close().catch(() => {});
      }
    }
    throw new KafkaJSError(`Could not connect to any of ${this.options.brokers.join(', ')}`, {
      retriable: true,
      cause: lastError,
    });
  }

  async disconnect(): Promise<void> {
    const all = [...this.connections.values()];
    if (this.bootstrap) all.push(this.bootstrap);
    this.connections.clear();
    this.bootstrap = undefined;
    await Promise.all(all.map((c) => c.close().catch(() => {})));
  }

  private connection(nodeId: number, purpose: ConsumerPurpose): Connection {
    const key = `${nodeId}/${purpose}`;
    let c = this.connections.get(key);
    if (c === undefined || c.isClosed) {
      const node = this.nodes.get(nodeId);
      if (!node) throw new KafkaJSError(`Broker ${nodeId} is not in the metadata`, { retriable: true });
      c = this.newConnection(node.host, node.port, purpose);
      this.connections.set(key, c);
    }
    return c;
  }

  private anyConnection(): Connection {
    if (this.bootstrap && !this.bootstrap.isClosed) return this.bootstrap;
    const first = [...this.nodes.keys()][0];
    if (first === undefined) throw new KafkaJSError('Not connected', { retriable: true });
    return this.connection(first, 'default');
  }

  async send<Req, Res>(
    nodeId: number,
    purpose: ConsumerPurpose,
    api: ApiMessage<Req, Res>,
    body: Req,
    options?: ConsumerSendOptions,
  ): Promise<Res> {
    return this.connection(nodeId, purpose).send(api, body, options);
  }

  async versionFor(
    nodeId: number,
    purpose: ConsumerPurpose,
    api: ApiMessage<unknown, unknown>,
  ): Promise<number> {
    const c = this.connection(nodeId, purpose);
    await c.connect();
    return c.versionFor(api);
  }

  resetConnection(nodeId: number, purpose: ConsumerPurpose): void {
    const key = `${nodeId}/${purpose}`;
    const c = this.connections.get(key);
    this.connections.delete(key);
    c?.close().catch(() => {});
  }

  async metadata(topics: string[] | null): Promise<MetadataResponse> {
    const conn = this.anyConnection();
    await conn.connect();
    const version = conn.versionFor(Metadata);
    const res = await conn.send(
      Metadata,
      {
        topics: topics === null ? null : topics.map((name) => ({ name, topicId: undefined })),
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: false,
      },
      { version },
    );
    for (const b of res.brokers) this.nodes.set(b.nodeId, { host: b.host, port: b.port });
    return res;
  }

  async coordinator(groupId: string): Promise<number> {
    const cached = this.coordinators.get(groupId);
    if (cached !== undefined) return cached;
    const conn = this.anyConnection();
    await conn.connect();
    const version = conn.versionFor(FindCoordinator);
    const res = await conn.send(
      FindCoordinator,
      version >= 4 ? { keyType: 0, coordinatorKeys: [groupId] } : { key: groupId, keyType: 0 },
      { version },
    );
    const c = version >= 4 ? res.coordinators?.[0] : res;
    const code = c?.errorCode ?? 0;
    if (c === undefined || code !== 0 || c.nodeId === undefined || c.host === undefined) {
      if (code !== 0) throw protocolError(code, `FindCoordinator(${groupId})`);
      throw new KafkaJSGroupCoordinatorNotFound(`No coordinator for group ${groupId}`);
    }
    this.nodes.set(c.nodeId, { host: c.host, port: c.port! });
    this.coordinators.set(groupId, c.nodeId);
    return c.nodeId;
  }

  forgetCoordinator(groupId: string): void {
    this.coordinators.delete(groupId);
  }
}
