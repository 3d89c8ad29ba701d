/**
 * Broker faults on a 3-node cluster (its own, started here): RF 3, min.insync.replicas 2. An
 * idempotent producer streams unique values while the leader of a partition goes through a
 * controlled shutdown (SIGTERM: the harness's restart() stops a node gracefully, then starts it
 * again), round after round. Every acknowledged value must be in the log exactly once.
 *
 * The SIGKILL variant for the producer is test/integration/producer/leader-kill.test.ts (not
 * repeated here). Consumer-side broker faults are in consumer-faults.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaJSError } from '../../src/errors/base.js';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import { type KafkaCluster, startKafka } from '../../src/testing/index.js';
import { createTopic, kcatValues, ProduceStream, printTally, tally, waitFor } from './helpers.js';

const ROUNDS = Number(process.env.SHUTDOWN_ROUNDS ?? 2);
const PARTITIONS = 6;

describe('controlled shutdown of a leader during idempotent produce (3 nodes, RF 3, min ISR 2)', () => {
  let cluster: KafkaCluster;

  before(async () => {
    cluster = await startKafka({ nodes: 3, heapMb: 384, log: (l) => console.log(`[kafka] ${l}`) });
  });
  after(async () => {
    await cluster?.stop();
  });

  it(`loses and duplicates nothing over ${ROUNDS} controlled shutdowns`, { timeout: 900_000 }, async () => {
    const topic = `rel-shutdown-${Date.now()}`;
    await createTopic(cluster.brokers, topic, PARTITIONS, 3, { 'min.insync.replicas': '2' });
    const kafka = new Kafka({
      clientId: 'rel-shutdown',
      brokers: cluster.brokers,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ lingerMs: 2 });
    await producer.connect();
    const meta = kafka.cluster();
    await meta.connect();
    const partitions = async () => {
      await meta.refreshMetadata([topic]);
      return meta.metadata.topics.get(topic)!.partitions;
    };

    const stream = new ProduceStream(producer, topic, 'cs', 20, 20, 1).start();
    try {
      await stream.waitForAcks(2_000, 60_000, 'a clean start');
      for (let round = 1; round <= ROUNDS; round++) {
        const p = (await partitions()).find((x) => x.partitionId === round % PARTITIONS)!;
        const victim = p.leader;
        const started = Date.now();
        const ackedBefore = stream.acknowledged.size;
        // restart() = SIGTERM (controlled shutdown: leadership moves away first), then start.
        await cluster.restart(victim);
        console.log(
          `[figures] round ${round}: node ${victim} shut down and back in ${Date.now() - started} ms, ` +
            `${stream.acknowledged.size - ackedBefore} acknowledged meanwhile`,
        );
        await stream.waitForAcks(2_000, 120_000, `acks after round ${round}`);
        await waitFor(
          async () => (await partitions()).every((x) => x.isr.length === 3),
          120_000,
          'every replica back in the ISR',
        );
      }
    } finally {
      await stream.stop();
      await producer.disconnect();
      await meta.disconnect();
    }
    const log = await kcatValues(cluster.bootstrap, topic);
    const t = tally(stream.produced, stream.acknowledged, stream.failedSends, log);
    printTally(`controlled shutdown × ${ROUNDS}`, t);
    for (const e of stream.errors) assert.ok(e instanceof KafkaJSError, String(e));
    assert.equal(t.lost, 0);
    assert.equal(t.duplicates, 0);
    assert.equal(stream.failedSends, 0, 'no send failed');
  });
});
