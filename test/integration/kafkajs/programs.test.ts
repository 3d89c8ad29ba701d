/**
 * KafkaJS programs, run unchanged but for their import line, against the shared broker.
 *
 * Each file in programs/ is written the way KafkaJS's documentation writes producers, consumers,
 * transactions and admin calls; its one import from kafkats carries the marker comment
 * `// the only line changed from KafkaJS`. The tests check that rule, run every program, and assert
 * what a KafkaJS user would check. Where kafkats behaves differently from KafkaJS the assertion
 * says so and docs/migrating-from-kafkajs.md lists the difference.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';
import { run as runAdmin } from './programs/admin.js';
import { run as runEachBatch } from './programs/consumer-each-batch.js';
import { run as runEachMessage } from './programs/consumer-each-message.js';
import { run as runProducer } from './programs/producer.js';
import { run as runTransactions } from './programs/transactions.js';

const MARKER = '// the only line changed from KafkaJS';
const programsDir = join(import.meta.dirname, 'programs');
const brokers = () => testCluster().brokers;

describe('KafkaJS programs', () => {
  test('every program imports kafkats once, on the marked line, and nothing else but node:', () => {
    const files = readdirSync(programsDir).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length >= 5, `expected the programs, found ${files.join(', ')}`);
    for (const file of files) {
      const source = readFileSync(join(programsDir, file), 'utf8');
      const imports = source.split('\n').filter((line) => /^\s*import\b/.test(line));
      const fromKafkats = imports.filter((line) => line.includes("'../../../../src/index.js'"));
      assert.equal(fromKafkats.length, 1, `${file}: one import from kafkats, found ${fromKafkats.length}`);
      assert.ok(fromKafkats[0]!.trimEnd().endsWith(MARKER), `${file}: the kafkats import carries the marker`);
      const others = imports.filter((line) => !fromKafkats.includes(line));
      assert.deepEqual(
        others.filter((line) => !/from 'node:/.test(line)),
        [],
        `${file}: imports nothing but kafkats and node: modules`,
      );
    }
  });

  test('producer: send and sendBatch answer RecordMetadata as KafkaJS does', async () => {
    const topic = uniqueTopicName('kjs-producer');
    const otherTopic = uniqueTopicName('kjs-producer-other');
    const { single, batch } = await runProducer({ brokers: brokers(), topic, otherTopic });

    // One entry per partition written, offsets as strings, errorCode 0.
    const total = (rs: typeof single) => rs.length;
    assert.ok(total(single) >= 1 && total(single) <= 3);
    for (const r of [...single, ...batch]) {
      assert.equal(r.errorCode, 0);
      assert.equal(typeof r.baseOffset, 'string');
      assert.match(r.baseOffset!, /^\d+$/);
    }
    assert.ok(single.some((r) => r.topicName === topic && r.partition === 2));
    assert.deepEqual([...new Set(batch.map((r) => r.topicName))].sort(), [topic, otherTopic].sort());
    const other = batch.find((r) => r.topicName === otherTopic)!;
    assert.equal(other.partition, 0);
    assert.equal(other.baseOffset, '0');
  });

  test('consumer eachMessage: every message once, keys and values intact, GROUP_JOIN emitted', async () => {
    const topic = uniqueTopicName('kjs-each-message');
    const { seen, groupJoined } = await runEachMessage({
      brokers: brokers(),
      topic,
      groupId: `${topic}-group`,
      expected: 30,
    });
    assert.equal(seen.length, 30);
    assert.deepEqual(
      seen.map((m) => m.value).sort(),
      Array.from({ length: 30 }, (_, i) => `message ${i}`).sort(),
    );
    // Order within a partition is offset order.
    const byPartition = new Map<number, number[]>();
    for (const m of seen)
      byPartition.set(m.partition, [...(byPartition.get(m.partition) ?? []), Number(m.offset)]);
    for (const offsets of byPartition.values())
      assert.deepEqual(
        offsets,
        [...offsets].sort((a, b) => a - b),
      );
    assert.equal(groupJoined, true);
  });

  test('consumer eachBatch: resolveOffset + commitOffsetsIfNecessary commit the last offset + 1', async () => {
    const topic = uniqueTopicName('kjs-each-batch');
    const groupId = `${topic}-group`;
    const { processed, batches, committed } = await runEachBatch({
      brokers: brokers(),
      topic,
      groupId,
      expected: 25,
    });
    assert.equal(processed, 25);
    assert.ok(batches >= 1);
    assert.equal(committed.length, 1);
    const partitions = committed[0]!.partitions;
    const sum = partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    assert.equal(sum, 25, `committed ${JSON.stringify(partitions)}`);
  });

  test('transactions: send + sendOffsets + commit is visible, abort is not', async () => {
    const inputTopic = uniqueTopicName('kjs-txn-in');
    const outputTopic = uniqueTopicName('kjs-txn-out');
    const groupId = `${inputTopic}-group`;
    const { transformed, output, committed } = await runTransactions({
      brokers: brokers(),
      inputTopic,
      outputTopic,
      groupId,
      transactionalId: `${inputTopic}-txn`,
    });
    assert.deepEqual(transformed, ['A', 'B', 'C']);
    assert.deepEqual(output, ['A', 'B', 'C', 'DONE']);
    assert.equal(committed[0]!.partitions[0]!.offset, '3');
  });

  test('admin: topics, partitions, offsets, groups', async () => {
    const topic = uniqueTopicName('kjs-admin');
    const groupId = `${topic}-group`;
    const r = await runAdmin({ brokers: brokers(), topic, groupId });

    assert.equal(r.created, true);
    assert.equal(r.createdAgain, false);
    assert.ok(r.topics.includes(topic));
    assert.equal(r.metadata.topics[0]!.name, topic);
    assert.equal(r.metadata.topics[0]!.partitions.length, 4, 'createPartitions took the topic from 3 to 4');
    assert.deepEqual(r.topicOffsets.map((p) => [p.partition, p.offset, p.high, p.low]).sort(), [
      [0, '2', '2', '0'],
      [1, '2', '2', '0'],
      [2, '2', '2', '0'],
    ]);
    assert.ok(r.listed.groups.some((g) => g.groupId === groupId));

    // On Kafka 4.x the consumer joins with the KIP-848 protocol by default; DescribeGroups does
    // not know such a group, so describeGroups asks ConsumerGroupDescribe and answers in
    // KafkaJS's shape, as KafkaJS's program expects on a classic group.
    assert.equal(r.described.error, undefined);
    const group = r.described.value!.groups[0]!;
    assert.equal(group.groupId, groupId);
    assert.equal(group.state, 'Stable');
    assert.equal(group.protocolType, 'consumer');
    assert.equal(group.members.length, 1);

    assert.deepEqual(r.committed[0]!.partitions.map((p) => [p.partition, p.offset]).sort(), [
      [0, '2'],
      [1, '2'],
      [2, '2'],
      [3, '-1'], // added by createPartitions after the commits: nothing committed, KafkaJS's '-1'
    ]);
    assert.deepEqual(r.afterReset[0]!.partitions.map((p) => [p.partition, p.offset]).sort(), [
      [0, '0'],
      [1, '0'],
      [2, '0'],
      [3, '0'],
    ]);
    assert.ok(r.cluster.brokers.length >= 1);
    assert.equal(typeof r.cluster.clusterId, 'string');
    assert.ok(!r.topicsAfterDelete.includes(topic));
  });
});
