/**
 * The network layer against its own 3-node KRaft cluster: leaders of every partition, a topic
 * created by someone else, a broker SIGKILLed under pending requests, and the reconnect after it
 * comes back. This file starts (and stops) its cluster itself because it kills brokers; the
 * shared test cluster is not touched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaJSConnectionError } from '../../../src/errors/network.js';
import { createProtocolError } from '../../../src/errors/protocol.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import type { Cluster } from '../../../src/network/cluster.js';
import { ApiVersions } from '../../../src/protocol/messages/api-versions.js';
import { CreateTopics } from '../../../src/protocol/messages/create-topics.js';
import { Fetch } from '../../../src/protocol/messages/fetch.js';
import { ListOffsets } from '../../../src/protocol/messages/list-offsets.js';
import { Metadata } from '../../../src/protocol/messages/metadata.js';
import { type KafkaCluster, startKafka } from '../../../src/testing/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';

let harness: KafkaCluster | undefined;
const clusters: Cluster[] = [];
const topic = uniqueTopicName('network-3node');

function newCluster(brokers: string[]): Cluster {
  const cluster = new Kafka({
    clientId: 'network-3node',
    brokers,
    logLevel: logLevel.NOTHING,
    // a killed broker must not push the reconnect backoff to Java's 30 s ceiling in a test
    retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 },
  }).cluster();
  clusters.push(cluster);
  return cluster;
}

async function createTopic(
  cluster: Cluster,
  nodeId: number,
  name: string,
  partitions: number,
): Promise<void> {
  const response = await cluster.sendTo(nodeId, CreateTopics, {
    topics: [{ name, numPartitions: partitions, replicationFactor: 3, assignments: [], configs: [] }],
    timeoutMs: 15_000,
    validateOnly: false,
  });
  const result = response.topics.find((t) => t.name === name);
  assert.equal(result?.errorCode, 0, `CreateTopics ${name}: ${result?.errorMessage ?? 'no result'}`);
}

/** Whether `error` is what a caller may retry after a broker dies: a (closed) connection error. */
function isRetriableConnectionError(error: unknown): boolean {
  return error instanceof KafkaJSConnectionError && error.retriable;
}

before(async () => {
  const started = Date.now();
  harness = await startKafka({ nodes: 3, heapMb: 384 });
  console.log(`# 3-node Kafka ${harness.version} started in ${Date.now() - started} ms`);
});

after(async () => {
  for (const c of clusters) await c.disconnect().catch(() => {});
  await harness?.stop();
});

describe('network layer on a 3-node cluster', { timeout: 150_000 }, () => {
  let cluster: Cluster;

  it('finds the leader of every partition of a 6-partition RF-3 topic, and each answers as leader', async () => {
    cluster = newCluster(harness!.brokers);
    await cluster.connect();
    assert.equal(cluster.metadata.brokers.size, 3);
    await createTopic(cluster, [...cluster.metadata.brokers.keys()][0]!, topic, 6);
    await cluster.ensureTopicMetadata([topic]);
    const meta = cluster.topicMetadata(topic);
    assert.equal(meta.partitions.length, 6);
    const leaders = new Set<number>();
    for (let p = 0; p < 6; p++) {
      assert.equal(meta.partitions[p]!.replicas.length, 3);
      // ListOffsets is served by the leader only. Right after creation a leader may not have
      // applied the new partition yet and answers NOT_LEADER_OR_FOLLOWER: withRetry() refreshes
      // the metadata and asks again, as the clients do.
      const leader = await cluster.withRetry(async () => {
        const node = cluster.leaderFor(topic, p);
        const answer = await cluster.sendTo(node, ListOffsets, {
          replicaId: -1,
          isolationLevel: 0,
          topics: [{ name: topic, partitions: [{ partitionIndex: p, timestamp: -1n }] }],
        });
        const code = answer.topics[0]!.partitions[0]!.errorCode;
        if (code !== 0) throw createProtocolError(code, `partition ${p} on node ${node}`);
        return node;
      });
      assert.ok(cluster.topicMetadata(topic).partitions[p]!.replicas.includes(leader));
      leaders.add(leader);
    }
    assert.equal(leaders.size, 3, 'leadership is spread over the three brokers');
  });

  it('sees a topic created through another connection and broker after refreshMetadata()', async () => {
    const later = uniqueTopicName('network-3node-later');
    await cluster.refreshMetadata([topic]);
    assert.equal(cluster.metadata.topics.has(later), false);
    // a second client, bootstrapped from the last broker only, creates it on a different node
    const other = newCluster([harness!.brokers[2]!]);
    await other.connect();
    const creator = [...other.metadata.brokers.keys()].sort().at(-1)!;
    await createTopic(other, creator, later, 2);
    const deadline = Date.now() + 15_000;
    for (;;) {
      await cluster.refreshMetadata([later]);
      const m = cluster.metadata.topics.get(later);
      if (m && m.errorCode === 0 && m.partitions.every((p) => p.leader >= 0)) break;
      assert.ok(Date.now() < deadline, 'the new topic never appeared in the metadata');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(cluster.topicMetadata(later).partitions.length, 2);
    await cluster.refreshMetadata('all');
    assert.ok(cluster.metadata.topics.has(later));
    assert.ok(cluster.metadata.topics.has(topic));
  });

  it('fails pending requests retriably when their broker is SIGKILLed, and reconnects after restart', async () => {
    const victim = cluster.leaderFor(topic, 0);
    const meta = cluster.topicMetadata(topic);
    const fetchConnection = await cluster.connectionTo(victim, 'fetch');
    const defaultConnection = await cluster.connectionTo(victim, 'default');
    // a long poll that would sit for 20 s on an empty partition
    const fetching = fetchConnection
      .send(
        Fetch,
        {
          replicaId: -1,
          maxWaitMs: 20_000,
          minBytes: 1,
          maxBytes: 1024 * 1024,
          isolationLevel: 0,
          topics: [
            {
              topic,
              topicId: meta.topicId,
              partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 1024 * 1024 }],
            },
          ],
        },
        { timeout: 60_000 },
      )
      .then(
        (value) => ({ ok: true as const, value, at: Date.now() }),
        (error: unknown) => ({ ok: false as const, error, at: Date.now() }),
      );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fetchConnection.inFlightCount, 1, 'the Fetch is parked on the broker');

    const killedAt = Date.now();
    const killing = harness!.kill(victim);
    // a pipelined burst racing the kill: each request either gets its answer or a retriable error
    const burst = await Promise.allSettled(
      Array.from({ length: 200 }, () => defaultConnection.send(Metadata, { topics: [{ name: topic }] })),
    );
    await killing;
    const outcome = await fetching;
    assert.equal(outcome.ok, false, 'the long poll cannot succeed: its broker is dead');
    if (!outcome.ok) assert.ok(isRetriableConnectionError(outcome.error), String(outcome.error));
    assert.ok(outcome.at - killedAt < 10_000, `the Fetch failed ${outcome.at - killedAt} ms after the kill`);
    for (const r of burst) {
      if (r.status === 'rejected') assert.ok(isRetriableConnectionError(r.reason), String(r.reason));
    }
    const failed = burst.filter((r) => r.status === 'rejected').length;
    console.log(
      `# kill of node ${victim}: Fetch failed after ${outcome.at - killedAt} ms; ${failed}/200 of the burst failed`,
    );
    assert.ok(fetchConnection.isClosed && defaultConnection.isClosed);

    // while it is down, a request to it fails with a retriable connection error
    const down = await cluster.sendTo(victim, Metadata, { topics: [] }).catch((e: unknown) => e);
    assert.ok(isRetriableConnectionError(down), String(down));

    // the rest of the cluster moves leadership away from the dead broker
    const deadline = Date.now() + 30_000;
    for (;;) {
      await cluster.refreshMetadata([topic]);
      if (cluster.topicMetadata(topic).partitions.every((p) => p.leader >= 0 && p.leader !== victim)) break;
      assert.ok(Date.now() < deadline, 'leadership never moved off the killed broker');
      await new Promise((r) => setTimeout(r, 250));
    }

    const restartedAt = Date.now();
    await harness!.restart(victim);
    console.log(`# node ${victim} restarted in ${Date.now() - restartedAt} ms`);
    // the pool opens fresh connections (within the short backoff) and the node answers; the node
    // left the metadata while it was dead, so withRetry() refreshes until it is listed again
    const back = await cluster.withRetry(() =>
      cluster.sendTo(victim, Metadata, { topics: [{ name: topic }] }),
    );
    assert.ok(back.brokers.some((b) => b.nodeId === victim));
    const fetchAgain = await cluster.connectionTo(victim, 'fetch');
    assert.notEqual(fetchAgain, fetchConnection);
    const versions = await fetchAgain.send(ApiVersions, {
      clientSoftwareName: 'kafkats',
      clientSoftwareVersion: '0.1.0',
    });
    assert.equal(versions.errorCode, 0);
  });
});
