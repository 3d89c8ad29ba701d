/**
 * A cluster of its own (not the shared one): three combined nodes, one killed and restarted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type KafkaCluster,
  parseHostPort,
  probeApiVersions,
  probeMetadata,
  startKafka,
} from '../../../src/testing/index.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(address: string): Promise<boolean> {
  const { host, port } = parseHostPort(address);
  try {
    return (await probeApiVersions(host, port, { timeoutMs: 2_000 })).errorCode === 0;
  } catch {
    return false;
  }
}

describe('a 3-node cluster', { timeout: 180_000 }, () => {
  let cluster: KafkaCluster;
  let startMs = 0;

  before(async () => {
    const started = Date.now();
    cluster = await startKafka({ nodes: 3 });
    startMs = Date.now() - started;
  });
  after(() => cluster?.stop());

  it('starts three brokers that all see each other', async () => {
    console.log(`# 3-node start (Kafka ${cluster.version}): ${startMs} ms`);
    assert.equal(cluster.nodes.length, 3);
    assert.equal(cluster.bootstrap.split(',').length, 3);
    for (const address of cluster.brokers) {
      const { host, port } = parseHostPort(address);
      const metadata = await probeMetadata(host, port);
      assert.deepEqual(
        metadata.brokers.map((b) => b.nodeId),
        [1, 2, 3],
      );
      assert.equal(metadata.clusterId, cluster.clusterId);
    }
  });

  it('kill(node) stops that node only', async () => {
    const victim = cluster.nodes[1]!;
    await cluster.kill(victim.nodeId);
    assert.equal(alive(victim.pid!), false);
    assert.equal(cluster.nodes[1]!.running, false);
    assert.equal(await answers(victim.listeners.plaintext), false);
    for (const other of [cluster.nodes[0]!, cluster.nodes[2]!]) {
      assert.equal(await answers(other.listeners.plaintext), true);
    }
  });

  it('restart(node) brings it back on the same ports, listed by Metadata', async () => {
    const node = cluster.nodes[1]!;
    await cluster.restart(node.nodeId);
    const restarted = cluster.nodes[1]!;
    assert.equal(restarted.running, true);
    assert.deepEqual(restarted.listeners, node.listeners);
    assert.equal(await answers(restarted.listeners.plaintext), true);
    const { host, port } = parseHostPort(restarted.listeners.plaintext);
    assert.equal((await probeMetadata(host, port)).brokers.length, 3);
    assert.match(await cluster.logTail(restarted.nodeId, 20), /\S/);
  });

  it('stop() leaves no JVM behind', async () => {
    const pids = cluster.nodes.map((n) => n.pid!);
    assert.equal(pids.length, 3);
    assert.ok(pids.every(alive));
    const started = Date.now();
    await cluster.stop();
    console.log(`# 3-node stop: ${Date.now() - started} ms`);
    assert.deepEqual(pids.map(alive), [false, false, false]);
    assert.ok(cluster.nodes.every((n) => !n.running));
  });
});
