/**
 * `consumer.stream()`: a Node Readable in object mode. Piped through `pipeline`, every record
 * arrives in order per partition; a reader that stops reading stops fetching (backpressure reaches
 * the broker); destroying the stream commits what was taken and stops the consumer.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import type { ConsumedMessage } from '../../../src/consumer/index.js';
import { Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { brokers, createTopic, waitFor } from './helpers.js';

export function streamTests(): void {
  describe('consumer.stream()', () => {
    it('pipes every record, pauses fetching while the reader waits, commits on destroy', async () => {
      const kafka = new Kafka({ clientId: 'stream', brokers: brokers(), logLevel: logLevel.NOTHING });
      const topic = uniqueTopicName('consumer-stream');
      await createTopic(topic, 2);
      const producer = kafka.producer();
      await producer.connect();
      for (let i = 0; i < 4000; i += 500) {
        await producer.send({
          topic,
          messages: Array.from({ length: 500 }, (_, j) => ({ partition: (i + j) % 2, value: `v${i + j}` })),
        });
      }
      const groupId = `g-${topic}`;
      const consumer = kafka.consumer({
        groupId,
        groupProtocol: 'classic',
        maxWaitTimeInMs: 200,
        maxBytesPerPartition: 16 * 1024,
      });
      let fetches = 0;
      consumer.on('consumer.fetch', () => void fetches++);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const stream = consumer.stream();
      assert.equal(stream.readableObjectMode, true);

      // Take 10 messages, then stop reading for two seconds: fetching must stop too.
      const first: ConsumedMessage[] = [];
      await new Promise<void>((resolve) => {
        const onData = (m: ConsumedMessage) => {
          first.push(m);
          if (first.length === 10) {
            stream.pause();
            stream.off('data', onData);
            resolve();
          }
        };
        stream.on('data', onData);
      });
      await new Promise((r) => setTimeout(r, 1000));
      const fetchesWhilePaused = fetches;
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(fetches, fetchesWhilePaused, 'no Fetch while the reader does not read');

      // Read the rest through a pipeline with a slow-ish writer, then destroy after 4000.
      const values = new Set(first.map((m) => m.message.value!.toString()));
      const lastOffset = new Map<number, number>();
      for (const m of first) lastOffset.set(m.partition, Number(m.message.offset));
      let inOrder = true;
      const sink = new Writable({
        objectMode: true,
        highWaterMark: 4,
        write(m: ConsumedMessage, _enc, done) {
          const o = Number(m.message.offset);
          if (o !== (lastOffset.get(m.partition) ?? -1) + 1) inOrder = false;
          lastOffset.set(m.partition, o);
          values.add(m.message.value!.toString());
          if (values.size === 4000) stream.destroy();
          setImmediate(done);
        },
      });
      stream.resume();
      await pipeline(stream, sink).catch((e: Error) => {
        if ((e as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw e;
      });
      assert.equal(values.size, 4000);
      assert.ok(inOrder, 'offsets in order per partition');
      await waitFor(() => consumer.assignment().length === 0, 10_000, 'the consumer to stop');

      // The destroy committed everything taken: a new member of the group finds nothing left.
      await producer.send({ topic, messages: [{ partition: 0, value: 'after' }] });
      await producer.disconnect();
      const next = kafka.consumer({ groupId, groupProtocol: 'classic', maxWaitTimeInMs: 200 });
      const later: string[] = [];
      await next.connect();
      await next.subscribe({ topics: [topic], fromBeginning: true });
      await next.run({ eachMessage: async ({ message }) => void later.push(message.value!.toString()) });
      await waitFor(() => later.length >= 1, 30_000, 'the record written after');
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(later, ['after']);
      await next.disconnect();
      await consumer.disconnect();
    });
  });
}
