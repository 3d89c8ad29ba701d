import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Producer } from '../../../src/producer/index.js';
import { CompressionTypes } from '../../../src/protocol/compression/types.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { bootstrap, createTopic, kafka, kcatRead, newProducer } from './helpers.js';

/** The producer's send/sendBatch, idempotence, every codec read back by kcat: run against 4.x (`produce.test.ts`) and 3.9 (`produce.compat.test.ts`). */
export function produceBasics(): void {
  describe('producer against a real broker', () => {
    const k = kafka();
    let producer: Producer;

    before(async () => {
      producer = newProducer(k);
      await producer.connect();
    });
    after(async () => {
      await producer.disconnect();
    });

    it('writes 100k messages over 6 partitions with idempotence: each once, in order, no gaps (kcat)', async () => {
      const topic = uniqueTopicName('produce-100k');
      await createTopic(k, topic, 6);
      const total = 100_000;
      const perPartition = new Map<number, number[]>();
      const sends: Promise<unknown>[] = [];
      for (let i = 0; i < total; i += 500) {
        const messages = [];
        for (let j = i; j < i + 500; j++) {
          const partition = j % 6;
          messages.push({ key: `k${j}`, value: `v${j}`, partition });
          let list = perPartition.get(partition);
          if (!list) {
            list = [];
            perPartition.set(partition, list);
          }
          list.push(j);
        }
        sends.push(producer.send({ topic, messages }));
      }
      await Promise.all(sends);
      const records = await kcatRead(bootstrap(), topic);
      assert.equal(records.length, total);
      for (let p = 0; p < 6; p++) {
        const got = records.filter((r) => r.partition === p);
        const expected = perPartition.get(p)!;
        assert.equal(got.length, expected.length, `partition ${p} count`);
        got.forEach((r, i) => {
          assert.equal(r.offset, i, `partition ${p}: gap or reorder at ${i}`);
          assert.equal(r.value, `v${expected[i]}`);
        });
      }
    });

    for (const [name, codec] of Object.entries(CompressionTypes)) {
      it(`writes ${name}-compressed batches that kcat reads back`, async () => {
        const topic = uniqueTopicName(`produce-${name}`);
        await createTopic(k, topic, 1);
        const messages = Array.from({ length: 2000 }, (_, i) => ({
          key: `k${i}`,
          value: `value-${i}-${'x'.repeat(i % 50)}`,
        }));
        const result = await producer.send({ topic, messages, compression: codec });
        assert.equal(result[0]!.baseOffset, '0');
        const records = await kcatRead(bootstrap(), topic);
        assert.deepEqual(
          records.map((r) => r.value),
          messages.map((m) => m.value),
        );
      });
    }

    it('coalesces many concurrent single-message sends into few Produce requests', async () => {
      const topic = uniqueTopicName('produce-coalesce');
      await createTopic(k, topic, 3);
      await producer.send({ topic, messages: [{ value: 'warm-up' }] });
      let produceRequests = 0;
      const off = producer.on('producer.network.request', (e) => {
        if (e.payload.apiName === 'Produce') produceRequests++;
      });
      const results = await Promise.all(
        Array.from({ length: 2000 }, (_, i) => producer.send({ topic, messages: [{ value: `m${i}` }] })),
      );
      off();
      assert.equal(results.length, 2000);
      assert.ok(
        produceRequests > 0 && produceRequests <= 20,
        `${produceRequests} Produce requests for 2000 sends`,
      );
      const records = await kcatRead(bootstrap(), topic);
      assert.equal(records.length, 2001);
    });

    it('returns KafkaJS RecordMetadata with offsets of each send', async () => {
      const topic = uniqueTopicName('produce-meta');
      await createTopic(k, topic, 1);
      const first = await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
      const second = await producer.send({
        topic,
        messages: [{ value: 'c', headers: { h: ['1', '2'] }, timestamp: 1700000000000 }],
      });
      assert.deepEqual(first[0], {
        topicName: topic,
        partition: 0,
        errorCode: 0,
        baseOffset: '0',
        logAppendTime: '-1',
        logStartOffset: '0',
      });
      assert.equal(second[0]!.baseOffset, '2');
      const batch = await producer.sendBatch({
        topicMessages: [
          { topic, messages: [{ value: 'd' }] },
          { topic, messages: [{ value: 'e' }] },
        ],
      });
      assert.equal(batch.length, 1);
      assert.equal(batch[0]!.baseOffset, '3');
      const [c] = (await kcatRead(bootstrap(), topic, [], '%T %h %s\\n')).slice(2, 3);
      assert.equal(c!.partition, 1700000000000);
    });

    it('auto-creates a topic on first send (allowAutoTopicCreation defaults to true)', async () => {
      const topic = uniqueTopicName('produce-auto');
      const [meta] = await producer.send({ topic, messages: [{ value: 'hello' }] });
      assert.equal(meta!.errorCode, 0);
    });
  });
}
