/**
 * Backpressure: with 50 000 records (about 50 MB) waiting and a handler that sleeps on every
 * message, the consumer's heap stays bounded by its fetch buffer (one fetched batch per
 * partition, at most `maxBufferedBatches`), not by the backlog.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RECORDS = 50_000;
const VALUE_BYTES = 1000;
const PARTITIONS = 4;

describe('memory while the handler is slow', () => {
  it('stays bounded by the fetch buffer while 50k records wait', async () => {
    const kafka = new Kafka({ clientId: 'memory', brokers: brokers(), logLevel: logLevel.NOTHING });
    const topic = uniqueTopicName('consumer-memory');
    await createTopic(topic, PARTITIONS);
    const producer = kafka.producer();
    await producer.connect();
    const filler = 'x'.repeat(VALUE_BYTES - 8);
    for (let i = 0; i < RECORDS; i += 1000) {
      await producer.send({
        topic,
        messages: Array.from({ length: 1000 }, (_, j) => ({
          partition: (i + j) % PARTITIONS,
          value: `${String(i + j).padStart(7, '0')} ${filler}`,
        })),
      });
    }
    await producer.disconnect();

    // Settle the producer's garbage (buffers are freed over more than one collection).
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 100));
    }
    const base = process.memoryUsage();
    const consumer = kafka.consumer({
      groupId: `g-${topic}`,
      groupProtocol: 'classic',
      maxWaitTimeInMs: 200,
    });
    let processed = 0;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async () => {
        processed++;
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    await waitFor(() => processed > 0, 30_000, 'the first record');
    let maxHeap = 0;
    let maxRss = 0;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      gc();
      const m = process.memoryUsage();
      maxHeap = Math.max(maxHeap, m.heapUsed + m.arrayBuffers - base.heapUsed - base.arrayBuffers);
      maxRss = Math.max(maxRss, m.rss - base.rss);
    }
    await consumer.disconnect();
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    const dataMb = mb(RECORDS * VALUE_BYTES);
    console.log(
      `# memory: ${dataMb} MB waiting, ${processed} processed in 15 s; heap+arrayBuffers growth max ${mb(maxHeap)} MB, RSS growth max ${mb(maxRss)} MB`,
    );
    assert.ok(processed < RECORDS / 2, 'most of the backlog was still waiting while memory was sampled');
    // 4 partitions × 1 MiB per partition fetch, plus the response being decoded: well under 50 MB.
    assert.ok(maxHeap < 16 * 1024 * 1024, `heap grew by ${mb(maxHeap)} MB`);
  });
});
