import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import type { Cluster } from '../../../src/network/cluster.js';
import { ApiVersions } from '../../../src/protocol/messages/api-versions.js';
import { Fetch } from '../../../src/protocol/messages/fetch.js';
import { Metadata } from '../../../src/protocol/messages/metadata.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';

const info = testCluster();
let cluster: Cluster;
after(async () => {
  await cluster?.disconnect();
});

describe('connection against the broker', () => {
  it('answers 1,000 pipelined Metadata/ApiVersions requests on one connection, in order', async () => {
    cluster = new Kafka({
      clientId: 'network-it',
      brokers: info.listeners.plaintext,
      logLevel: logLevel.NOTHING,
    }).cluster();
    await cluster.connect();
    const nodeId = [...cluster.metadata.brokers.keys()][0]!;
    const connection = await cluster.connectionTo(nodeId);
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        i % 2 === 0
          ? connection.send(Metadata, { topics: [] }).then((r) => r.brokers.length > 0)
          : connection
              .send(ApiVersions, { clientSoftwareName: 'kafkats', clientSoftwareVersion: '0.1.0' })
              .then((r) => r.errorCode === 0),
      ),
    );
    const elapsed = performance.now() - started;
    assert.equal(results.length, 1000);
    assert.ok(results.every(Boolean));
    console.log(`# 1000 pipelined requests in ${elapsed.toFixed(0)} ms`);
  });

  it('a long-polling Fetch on the fetch connection does not delay Metadata on the default one', async () => {
    const topic = uniqueTopicName('network-fetch');
    const kafka = new Kafka({
      clientId: 'network-it',
      brokers: info.listeners.plaintext,
      logLevel: logLevel.NOTHING,
    });
    const c = kafka.cluster({ allowAutoTopicCreation: true });
    try {
      await c.connect();
      await c.ensureTopicMetadata([topic]);
      const meta = c.topicMetadata(topic);
      const leader = c.leaderFor(topic, 0);
      const fetchConnection = await c.connectionTo(leader, 'fetch');
      const defaultConnection = await c.connectionTo(leader, 'default');
      const fetchStarted = performance.now();
      const fetching = fetchConnection.send(
        Fetch,
        {
          maxWaitMs: 3000,
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
        { timeout: 30_000 + 3000 },
      );
      await new Promise((r) => setTimeout(r, 100));
      const metaStarted = performance.now();
      await defaultConnection.send(Metadata, { topics: [{ name: topic }] });
      const metadataMs = performance.now() - metaStarted;
      await fetching;
      const fetchMs = performance.now() - fetchStarted;
      console.log(
        `# metadata during a long poll: ${metadataMs.toFixed(0)} ms; fetch: ${fetchMs.toFixed(0)} ms`,
      );
      assert.ok(metadataMs < 1000, `metadata took ${metadataMs} ms`);
      assert.ok(fetchMs >= 2500, `fetch returned after ${fetchMs} ms, expected a long poll`);
    } finally {
      await c.disconnect();
    }
  });
});
