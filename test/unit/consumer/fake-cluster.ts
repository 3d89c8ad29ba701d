import type { ConsumerCluster } from '../../../src/consumer/context.js';
import type { ApiMessage } from '../../../src/protocol/api.js';
import type { MetadataResponse } from '../../../src/protocol/messages/index.js';

type Handler = (body: never, nodeId: number) => unknown;

/**
 * A ConsumerCluster whose brokers are functions: `on('JoinGroup', (req) => response)`. Requests
 * are recorded so tests can assert what was sent; versions are fixed per API.
 */
export class FakeCluster implements ConsumerCluster {
  readonly sent: Array<{ api: string; body: unknown; nodeId: number }> = [];
  private readonly handlers = new Map<string, Handler>();
  versions: Record<string, number> = {};
  metadataResponse: MetadataResponse = { brokers: [{ nodeId: 1, host: 'h', port: 1 }], topics: [] };

  on<Req, Res>(api: ApiMessage<Req, Res>, handler: (body: Req, nodeId: number) => Res | Promise<Res>): this {
    this.handlers.set(api.name, handler as Handler);
    return this;
  }

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}

  async send<Req, Res>(nodeId: number, _purpose: string, api: ApiMessage<Req, Res>, body: Req): Promise<Res> {
    this.sent.push({ api: api.name, body, nodeId });
    const h = this.handlers.get(api.name);
    if (!h) throw new Error(`no fake handler for ${api.name}`);
    return (await h(body as never, nodeId)) as Res;
  }

  async versionFor(_nodeId: number, _purpose: string, api: ApiMessage<unknown, unknown>): Promise<number> {
    const v = this.versions[api.name];
    if (v === undefined) throw new Error(`no version for ${api.name}`);
    return v;
  }

  async metadata(): Promise<MetadataResponse> {
    return this.metadataResponse;
  }

  async coordinator(): Promise<number> {
    return 1;
  }

  forgetCoordinator(): void {}

  requests(api: string): unknown[] {
    return this.sent.filter((s) => s.api === api).map((s) => s.body);
  }
}

export function metadataFor(topics: Record<string, { id: string; partitions: number }>): MetadataResponse {
  return {
    brokers: [{ nodeId: 1, host: 'h', port: 1, rack: null }],
    topics: Object.entries(topics).map(([name, t]) => ({
      errorCode: 0,
      name,
      topicId: t.id,
      isInternal: false,
      partitions: Array.from({ length: t.partitions }, (_, i) => ({
        errorCode: 0,
        partitionIndex: i,
        leaderId: 1,
        leaderEpoch: 0,
        replicaNodes: [1],
        isrNodes: [1],
        offlineReplicas: [],
      })),
    })),
  };
}
