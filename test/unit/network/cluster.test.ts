import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { KafkaJSNumberOfRetriesExceeded } from '../../../src/errors/network.js';
import { createProtocolError } from '../../../src/errors/protocol.js';
import { Cluster } from '../../../src/network/cluster.js';
import type { ApiMessage } from '../../../src/protocol/api.js';
import { Codes } from '../../../src/protocol/codes.js';
import {
  FindCoordinator,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
} from '../../../src/protocol/messages/find-coordinator.js';
import {
  Metadata,
  type MetadataRequest,
  type MetadataResponse,
} from '../../../src/protocol/messages/metadata.js';
import { type FakeHandler, type FakeKafka, startFakeKafka } from './fake-kafka.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

const { NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE } = Codes;

function metadataAnswer(port: number, request: MetadataRequest): MetadataResponse {
  const names = request.topics === null ? ['all-1', 'all-2'] : request.topics.map((t) => t.name ?? '');
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
    clusterId: 'fake-cluster',
    controllerId: 1,
    topics: names.map((name) => ({
      errorCode: 0,
      name,
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      isInternal: false,
      partitions: [
        {
          errorCode: 0,
          partitionIndex: 0,
          leaderId: 1,
          leaderEpoch: 0,
          replicaNodes: [1],
          isrNodes: [1],
          offlineReplicas: [],
        },
      ],
      topicAuthorizedOperations: -2147483648,
    })),
    clusterAuthorizedOperations: -2147483648,
    errorCode: 0,
  };
}

interface Setup {
  broker: FakeKafka;
  cluster: Cluster;
  metadataRequests: MetadataRequest[];
  findRequests: Array<{ version: number; request: FindCoordinatorRequest }>;
}

async function setup(
  options: {
    /** Delay of each Metadata answer in ms. */
    metadataDelay?: number;
    findCoordinator?: (request: FindCoordinatorRequest, version: number) => FindCoordinatorResponse;
    findCoordinatorMaxVersion?: number;
  } = {},
): Promise<Setup> {
  const metadataRequests: MetadataRequest[] = [];
  const findRequests: Setup['findRequests'] = [];
  let port = 0;
  const onMetadata: FakeHandler = async (request) => {
    metadataRequests.push(request as MetadataRequest);
    if (options.metadataDelay) await new Promise((r) => setTimeout(r, options.metadataDelay));
    return metadataAnswer(port, request as MetadataRequest);
  };
  const onFind: FakeHandler = (request, { version }) => {
    findRequests.push({ version, request: request as FindCoordinatorRequest });
    return options.findCoordinator?.(request as FindCoordinatorRequest, version);
  };
  const broker = await startFakeKafka([
    { api: Metadata as ApiMessage<unknown, unknown>, handle: onMetadata },
    {
      api: {
        ...(FindCoordinator as ApiMessage<unknown, unknown>),
        maxVersion: options.findCoordinatorMaxVersion ?? FindCoordinator.maxVersion,
      },
      handle: onFind,
    },
  ]);
  port = broker.port;
  const cluster = new Cluster({
    brokers: [`127.0.0.1:${broker.port}`],
    retry: { retries: 5, initialRetryTime: 10, maxRetryTime: 50 },
    connection: { clientId: 'cluster-test' },
  });
  cleanups.push(async () => {
    await cluster.disconnect();
    await broker.close();
  });
  return { broker, cluster, metadataRequests, findRequests };
}

/** A coordinator on node `nodeId` for every key of a v4+ request (and the single key of v0–v3). */
function coordinatorsOn(nodeId: number, port: number) {
  return (request: FindCoordinatorRequest, version: number): FindCoordinatorResponse =>
    version >= 4
      ? {
          throttleTimeMs: 0,
          coordinators: (request.coordinatorKeys ?? []).map((key) => ({
            key,
            nodeId,
            host: '127.0.0.1',
            port,
            errorCode: 0,
            errorMessage: null,
          })),
        }
      : { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId, host: '127.0.0.1', port };
}

describe('Cluster metadata refresh', () => {
  it('coalesces concurrent refreshMetadata() calls into one Metadata request', async () => {
    const s = await setup({ metadataDelay: 50 });
    await s.cluster.connect();
    assert.equal(s.metadataRequests.length, 1);
    await Promise.all(Array.from({ length: 10 }, () => s.cluster.refreshMetadata()));
    assert.equal(s.metadataRequests.length, 2);
    assert.equal(s.cluster.metadata.clusterId, 'fake-cluster');
  });

  it('queues one follow-up for topics the running refresh does not cover, shared by every such caller', async () => {
    const s = await setup({ metadataDelay: 50 });
    await s.cluster.connect();
    const first = s.cluster.refreshMetadata(['a']);
    const covered = s.cluster.refreshMetadata(['a']);
    const second = s.cluster.refreshMetadata(['b']);
    const third = s.cluster.refreshMetadata(['c']);
    assert.equal(covered, first, 'a caller whose topics are covered shares the running refresh');
    assert.equal(second, third, 'callers with new topics share one follow-up');
    await Promise.all([first, second, third]);
    assert.equal(s.metadataRequests.length, 3);
    const names = (r: MetadataRequest) => (r.topics ?? []).map((t) => t.name).sort();
    assert.deepEqual(names(s.metadataRequests[1]!), ['a']);
    assert.deepEqual(names(s.metadataRequests[2]!), ['a', 'b', 'c']);
    for (const t of ['a', 'b', 'c']) assert.equal(s.cluster.leaderFor(t, 0), 1);
    // 'all' is not covered by a topic list; a topic list is covered by a running 'all'
    const all = s.cluster.refreshMetadata('all');
    const during = s.cluster.refreshMetadata(['a']);
    assert.equal(during, all);
    await all;
    assert.equal(s.metadataRequests[3]!.topics, null);
    assert.ok(s.cluster.metadata.topics.has('all-1'));
  });
});

describe('Cluster coordinators', () => {
  it('batches lookups made in one tick into one FindCoordinator (v4+) and caches the answers', async () => {
    let port = 0;
    const s = await setup({ findCoordinator: (r, v) => coordinatorsOn(1, port)(r, v) });
    port = s.broker.port;
    await s.cluster.connect();
    const found = await Promise.all([
      s.cluster.findCoordinator('group', 'g1'),
      s.cluster.findCoordinator('group', 'g2'),
      s.cluster.findCoordinator('group', 'g1'),
      s.cluster.findCoordinator('group', 'g3'),
    ]);
    assert.ok(found.every((b) => b.nodeId === 1 && b.port === port));
    assert.equal(s.findRequests.length, 1);
    assert.ok(s.findRequests[0]!.version >= 4);
    assert.deepEqual(s.findRequests[0]!.request.coordinatorKeys, ['g1', 'g2', 'g3']);
    assert.equal(s.findRequests[0]!.request.keyType, 0);
    // cached: no new request
    await s.cluster.findCoordinator('group', 'g2');
    assert.equal(s.findRequests.length, 1);
    // a transaction id is a different key type, in its own request
    await s.cluster.findCoordinator('transaction', 'g2');
    assert.equal(s.findRequests.length, 2);
    assert.equal(s.findRequests[1]!.request.keyType, 1);
  });

  it('sends one request per key to a broker that only has FindCoordinator v0–v3', async () => {
    let port = 0;
    const s = await setup({
      findCoordinator: (r, v) => coordinatorsOn(1, port)(r, v),
      findCoordinatorMaxVersion: 3,
    });
    port = s.broker.port;
    await s.cluster.connect();
    await Promise.all(['x', 'y'].map((k) => s.cluster.findCoordinator('group', k)));
    assert.deepEqual(s.findRequests.map((f) => [f.version, f.request.key]).sort(), [
      [3, 'x'],
      [3, 'y'],
    ]);
  });

  it('forgets a coordinator on NOT_COORDINATOR and looks it up again', async () => {
    let port = 0;
    let nodeId = 1;
    const s = await setup({ findCoordinator: (r, v) => coordinatorsOn(nodeId, port)(r, v) });
    port = s.broker.port;
    await s.cluster.connect();
    assert.equal((await s.cluster.findCoordinator('group', 'g')).nodeId, 1);
    nodeId = 2; // the group moved
    let attempts = 0;
    const seen: number[] = [];
    await s.cluster.withRetry(
      async () => {
        const c = await s.cluster.findCoordinator('group', 'g');
        seen.push(c.nodeId);
        if (attempts++ === 0) throw createProtocolError(NOT_COORDINATOR);
      },
      { type: 'group', key: 'g' },
    );
    assert.deepEqual(seen, [1, 2]);
    assert.equal(s.findRequests.length, 2);
    assert.equal(s.cluster.coordinators.get('group', 'g')?.nodeId, 2);
  });

  it('retries a per-key COORDINATOR_NOT_AVAILABLE without failing the other keys of the batch', async () => {
    let port = 0;
    let refusals = 2;
    const s = await setup({
      findCoordinator: (r, v) => {
        const answer = coordinatorsOn(1, port)(r, v);
        for (const c of answer.coordinators ?? []) {
          if (c.key.startsWith('slow') && refusals > 0) {
            refusals--;
            c.errorCode = COORDINATOR_NOT_AVAILABLE;
            c.nodeId = -1;
          }
        }
        return answer;
      },
    });
    port = s.broker.port;
    await s.cluster.connect();
    const [fast, slow] = await Promise.all([
      s.cluster.findCoordinator('group', 'fast'),
      s.cluster.findCoordinator('group', 'slow'),
    ]);
    assert.equal(fast.nodeId, 1);
    assert.equal(slow.nodeId, 1);
    assert.equal(s.findRequests.length, 3);
    assert.deepEqual(s.findRequests[1]!.request.coordinatorKeys, ['slow']);
    // an error that never clears ends in KafkaJSNumberOfRetriesExceeded
    refusals = 100;
    const error = await s.cluster.findCoordinator('group', 'slow2').catch((e: unknown) => e);
    assert.ok(error instanceof KafkaJSNumberOfRetriesExceeded, inspect(error));
    assert.equal((error.cause as { code?: number }).code, COORDINATOR_NOT_AVAILABLE);
  });
});
