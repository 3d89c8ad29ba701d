import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSProtocolError } from '../../../src/errors/protocol.js';
import { KafkaJSTransactionStateError } from '../../../src/producer/index.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';
import { bootstrap, committedOffsets, createTopic, kafka, kcatRead, newProducer } from './helpers.js';

const READ_COMMITTED = ['-X', 'isolation.level=read_committed'];

/** The producer's commit/abort visibility, fencing, state errors: run against 4.x (`transactions.test.ts`) and 3.9 (`transactions.compat.test.ts`). */
export function transactionBasics(): void {
  describe('transactions', () => {
    it('a committed transaction is visible to read_committed readers, an aborted one is not', async () => {
      const k = kafka();
      const topic = uniqueTopicName('txn');
      await createTopic(k, topic, 3);
      const producer = newProducer(k, { transactionalId: uniqueTopicName('txn-id') });
      await producer.connect();
      try {
        const committed = await producer.transaction();
        assert.equal(committed.isActive(), true);
        await committed.send({
          topic,
          messages: Array.from({ length: 30 }, (_, i) => ({ key: `c${i}`, value: `committed-${i}` })),
        });
        await committed.commit();
        assert.equal(committed.isActive(), false);

        const aborted = await producer.transaction();
        await aborted.send({
          topic,
          messages: Array.from({ length: 20 }, (_, i) => ({ key: `a${i}`, value: `aborted-${i}` })),
        });
        await aborted.abort();

        const again = await producer.transaction();
        await again.sendBatch({
          topicMessages: [{ topic, messages: [{ key: 'z', value: 'committed-last' }] }],
        });
        await again.commit();
      } finally {
        await producer.disconnect();
      }
      const committedView = await kcatRead(bootstrap(), topic, READ_COMMITTED);
      const values = committedView.map((r) => r.value).sort();
      assert.equal(values.length, 31);
      assert.ok(values.every((v) => v.startsWith('committed-')));
      const uncommittedView = await kcatRead(bootstrap(), topic, ['-X', 'isolation.level=read_uncommitted']);
      assert.equal(uncommittedView.length, 51, 'the aborted records are in the log, hidden by the marker');
    });

    it('a second producer with the same transactionalId fences the first', async () => {
      const k = kafka();
      const topic = uniqueTopicName('txn-fence');
      await createTopic(k, topic, 1);
      const transactionalId = uniqueTopicName('fence-id');
      const first = newProducer(k, { transactionalId });
      const second = newProducer(k, { transactionalId });
      await first.connect();
      try {
        const t1 = await first.transaction();
        await t1.send({ topic, messages: [{ value: 'from-first' }] });
        await second.connect(); // InitProducerId bumps the epoch: the first is fenced
        await assert.rejects(
          (async () => {
            await t1.send({ topic, messages: [{ value: 'first-again' }] });
            await t1.commit();
          })(),
          (e: unknown) => {
            assert.ok(
              e instanceof KafkaJSProtocolError || e instanceof KafkaJSTransactionStateError,
              String(e),
            );
            assert.match(
              String((e as KafkaJSProtocolError).type ?? (e as Error).message),
              /FENCED|EPOCH|fatal/i,
            );
            return true;
          },
        );
        const t2 = await second.transaction();
        await t2.send({ topic, messages: [{ value: 'from-second' }] });
        await t2.commit();
      } finally {
        await first.disconnect().catch(() => {});
        await second.disconnect();
      }
      const records = await kcatRead(bootstrap(), topic, READ_COMMITTED);
      assert.deepEqual(
        records.map((r) => r.value),
        ['from-second'],
      );
    });

    it('sendOffsets: committed offsets become visible on commit, not on abort (OffsetFetch)', async () => {
      const k = kafka();
      const input = uniqueTopicName('txn-offsets-in');
      const output = uniqueTopicName('txn-offsets-out');
      await createTopic(k, input, 2);
      await createTopic(k, output, 1);
      const groupId = uniqueTopicName('txn-group');
      const producer = newProducer(k, { transactionalId: uniqueTopicName('txn-offsets-id') });
      await producer.connect();
      try {
        const t1 = await producer.transaction();
        await t1.send({ topic: output, messages: [{ value: 'out-1' }] });
        await t1.sendOffsets({
          consumerGroupId: groupId,
          topics: [
            {
              topic: input,
              partitions: [
                { partition: 0, offset: '5' },
                { partition: 1, offset: '7' },
              ],
            },
          ],
        });
        await t1.commit();
        assert.deepEqual(await committedOffsets(k, groupId, input, [0, 1]), [5n, 7n]);

        const t2 = await producer.transaction();
        await t2.send({ topic: output, messages: [{ value: 'out-2' }] });
        await t2.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic: input, partitions: [{ partition: 0, offset: '9' }] }],
        });
        await t2.abort();
        assert.deepEqual(
          await committedOffsets(k, groupId, input, [0, 1]),
          [5n, 7n],
          'abort keeps the old offsets',
        );

        // Offsets alone (no records) make a transaction too.
        const t3 = await producer.transaction();
        await t3.sendOffsets({
          consumerGroupId: groupId,
          topics: [{ topic: input, partitions: [{ partition: 1, offset: '11' }] }],
        });
        await t3.commit();
        assert.deepEqual(await committedOffsets(k, groupId, input, [0, 1]), [5n, 11n]);
      } finally {
        await producer.disconnect();
      }
      const records = await kcatRead(bootstrap(), output, READ_COMMITTED);
      assert.deepEqual(
        records.map((r) => r.value),
        ['out-1'],
      );
    });

    it('uses transaction version 2 (KIP-890 part 2) exactly when the broker finalized it', async () => {
      const k = kafka();
      const topic = uniqueTopicName('txn-version');
      await createTopic(k, topic, 2);
      const producer = newProducer(k, { transactionalId: uniqueTopicName('txn-version-id') });
      const requests: Array<{ apiName: string; apiVersion: number }> = [];
      const off = producer.on('producer.network.request', (e) => requests.push(e.payload));
      await producer.connect();
      try {
        // Kafka 4.x formats new clusters with transaction.version 2; 3.9 has version 0.
        const expected = testCluster().version.startsWith('3.') ? 1 : 2;
        assert.equal(producer.transactionVersion(), expected);
        for (const commit of [true, false, true, true]) {
          const t = await producer.transaction();
          await t.send({
            topic,
            messages: [
              { key: 'a', value: `v-${requests.length}-${commit}`, partition: 0 },
              { key: 'b', value: `v-${requests.length}-${commit}`, partition: 1 },
            ],
          });
          await t.sendOffsets({
            consumerGroupId: 'txn-version-group',
            topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
          });
          if (commit) await t.commit();
          else await t.abort();
        }
        const names = (name: string) => requests.filter((r) => r.apiName === name);
        const produce = names('Produce');
        const endTxn = names('EndTxn');
        assert.equal(endTxn.length, 4);
        if (expected === 2) {
          assert.equal(names('AddPartitionsToTxn').length, 0, 'Produce v12 adds partitions implicitly');
          assert.equal(names('AddOffsetsToTxn').length, 0, 'TxnOffsetCommit v5 adds the group implicitly');
          assert.ok(produce.every((r) => r.apiVersion === 12));
          assert.ok(endTxn.every((r) => r.apiVersion === 5));
        } else {
          assert.ok(names('AddPartitionsToTxn').length >= 4);
          assert.equal(names('AddOffsetsToTxn').length, 4);
          assert.ok(produce.every((r) => r.apiVersion <= 11));
          assert.ok(endTxn.every((r) => r.apiVersion <= 4));
        }
      } finally {
        off();
        await producer.disconnect();
      }
      // Three committed transactions of two records each; the epoch bumps kept every one writable.
      const records = await kcatRead(bootstrap(), topic, READ_COMMITTED);
      assert.equal(records.length, 6);
      assert.ok(records.every((r) => r.value.endsWith('-true')));
    });

    it('refuses sends outside a transaction and commits without one', async () => {
      const k = kafka();
      const producer = newProducer(k, { transactionalId: uniqueTopicName('txn-state') });
      await producer.connect();
      try {
        await assert.rejects(
          producer.send({ topic: 'x', messages: [{ value: 'v' }] }),
          KafkaJSTransactionStateError,
        );
        const t = await producer.transaction();
        await assert.rejects(producer.transaction(), /already active/);
        await t.abort();
        await assert.rejects(t.commit(), /no transaction is active/);
      } finally {
        await producer.disconnect();
      }
    });
  });
}
