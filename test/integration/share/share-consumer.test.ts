// Share groups (KIP-932) against the shared Kafka 4.x broker: delivery, acknowledgement types,
// redelivery, a consumer killed while holding records, iteration, batches and typed errors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeShareGroupOffsets, shareVersionFeatureLevel } from '../../../src/admin/share-groups.js';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import type { Kafka } from '../../../src/kafka.js';
import type { Cluster } from '../../../src/network/cluster.js';
import type { ShareConsumer } from '../../../src/share/consumer.js';
import {
  KafkaJSShareAlreadyAcknowledgedError,
  KafkaJSShareLockExpiredError,
} from '../../../src/share/errors.js';
import { testCluster } from '../../helpers/cluster.js';
import {
  adminCluster,
  adminPort,
  kafka,
  newShareConsumer,
  produce,
  shareTopic,
  sleep,
  waitFor,
} from './helpers.js';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('share consumer (KIP-932)', () => {
  let k: Kafka;
  let admin: Cluster;
  const open: ShareConsumer[] = [];

  before(async () => {
    k = kafka();
    admin = await adminCluster(k);
  });

  after(async () => {
    await Promise.all(open.map((c) => c.disconnect().catch(() => {})));
    await admin.disconnect();
  });

  const setup = (prefix: string, configs: Record<string, string> = {}) => shareTopic(admin, prefix, configs);

  function consumer(options: Parameters<typeof newShareConsumer>[1]): ShareConsumer {
    const c = newShareConsumer(k, options);
    open.push(c);
    return c;
  }

  it('the broker has share groups on (share.version finalized >= 1)', async () => {
    assert.ok((await shareVersionFeatureLevel(adminPort(admin))) >= 1);
  });

  it('two consumers on one partition share the records; no accepted record is delivered twice', async () => {
    const { topic, groupId } = await setup('share-two');
    const total = 120;
    await produce(k, topic, total, 5);
    const byConsumer: Array<Map<number, number>> = [new Map(), new Map()];
    const accepted = new Map<number, number>();
    const consumers = [0, 1].map(() => consumer({ groupId, maxRecords: 10 }));
    await Promise.all(
      consumers.map(async (c, i) => {
        await c.connect();
        await c.subscribe({ topics: [topic] });
        await c.run({
          eachMessage: async ({ message }) => {
            const offset = Number(message.offset);
            byConsumer[i]!.set(offset, (byConsumer[i]!.get(offset) ?? 0) + 1);
            accepted.set(offset, (accepted.get(offset) ?? 0) + 1);
            await sleep(10);
          },
        });
      }),
    );
    await waitFor(() => accepted.size >= total, 60_000, 'every record');
    await sleep(500);
    assert.ok(byConsumer[0]!.size > 0, 'the first consumer received records');
    assert.ok(byConsumer[1]!.size > 0, 'the second consumer received records');
    for (const [offset, n] of accepted) assert.equal(n, 1, `offset ${offset} delivered ${n} times`);
    assert.deepEqual(
      [...accepted.keys()].sort((a, b) => a - b),
      Array.from({ length: total }, (_, i) => i),
    );
    await Promise.all(consumers.map((c) => c.disconnect()));
  });

  it('released records are redelivered with deliveryCount 2; rejected ones never again', async () => {
    const { topic, groupId } = await setup('share-release-reject');
    await produce(k, topic, 30, 10);
    const deliveries: Array<{ offset: number; count: number }> = [];
    const done = new Set<number>();
    const c = consumer({ groupId });
    await c.connect();
    await c.subscribe({ topics: [topic] });
    await c.run({
      eachMessage: async ({ message, acknowledge }) => {
        const offset = Number(message.offset);
        deliveries.push({ offset, count: message.deliveryCount });
        if (message.deliveryCount === 1 && offset % 3 === 0) acknowledge('release');
        else if (message.deliveryCount === 1 && offset % 3 === 1) acknowledge('reject');
        else if (message.deliveryCount === 1 && offset === 29)
          throw new Error('handler failure releases the record');
        else done.add(offset);
      },
    });
    await waitFor(() => done.size >= 10 + 9 + 1, 30_000, 'released records to come back');
    await sleep(1500); // a rejected record coming back would show up here
    for (let o = 0; o < 30; o++) {
      const counts = deliveries.filter((d) => d.offset === o).map((d) => d.count);
      if (o % 3 === 0 || o === 29) assert.deepEqual(counts, [1, 2], `released offset ${o}`);
      else if (o % 3 === 1) assert.deepEqual(counts, [1], `rejected offset ${o} is never redelivered`);
      else assert.deepEqual(counts, [1], `accepted offset ${o}`);
    }
    await c.disconnect();
    const offsets = await describeShareGroupOffsets(adminPort(admin), groupId, [{ topic }]);
    assert.equal(offsets.length, 1);
    assert.equal(offsets[0]!.lag, '0', 'nothing left to deliver');
  });

  it('records held by a killed consumer (no leave, no ack) are delivered to another one', async () => {
    // 15 s is the broker's minimum (group.share.min.record.lock.duration.ms)
    const { topic, groupId } = await setup('share-kill', { 'share.record.lock.duration.ms': '15000' });
    await produce(k, topic, 10, 10);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(fixtures, 'holder.ts'), testCluster().brokers.join(','), groupId, topic],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await waitFor(() => out.includes('HOLDING'), 60_000, 'the child to hold records');
    } finally {
      child.kill('SIGKILL');
    }
    const held = (JSON.parse(/HOLDING (\[.*\])/.exec(out)![1]!) as string[]).map(Number);
    assert.ok(held.length > 0);
    const seen = new Map<number, number>();
    const c = consumer({ groupId });
    await c.connect();
    await c.subscribe({ topics: [topic] });
    const started = Date.now();
    await c.run({
      eachMessage: ({ message }) => {
        seen.set(Number(message.offset), message.deliveryCount);
      },
    });
    await waitFor(() => held.every((o) => seen.has(o)), 45_000, 'the held records to be redelivered');
    for (const o of held)
      assert.ok(seen.get(o)! >= 2, `offset ${o} was delivered before (deliveryCount ${seen.get(o)})`);
    assert.ok(Date.now() - started < 45_000);
    await c.disconnect();
  });

  it('a lock that expires in a slow handler: the record goes to another consumer and the late ack is refused', async () => {
    const { topic, groupId } = await setup('share-lock', { 'share.record.lock.duration.ms': '15000' });
    await produce(k, topic, 1);
    const slow = consumer({ groupId });
    let lateAck: unknown;
    let slowDone = false;
    let slowStarted = false;
    await slow.connect();
    await slow.subscribe({ topics: [topic] });
    await slow.run({
      eachMessage: async ({ acknowledge }) => {
        slowStarted = true;
        await sleep(16_000);
        try {
          acknowledge('accept');
        } catch (error) {
          lateAck = error;
        }
        slowDone = true;
      },
    });
    await waitFor(() => slowStarted, 20_000, 'the slow handler to start');
    const other = consumer({ groupId });
    const seen: number[] = [];
    await other.connect();
    await other.subscribe({ topics: [topic] });
    await other.run({ eachMessage: ({ message }) => void seen.push(message.deliveryCount) });
    await waitFor(() => slowDone, 30_000, 'the slow handler');
    assert.ok(lateAck instanceof KafkaJSShareLockExpiredError, String(lateAck));
    await waitFor(() => seen.length > 0, 10_000, 'the redelivery');
    assert.deepEqual(seen, [2]);
    await Promise.all([slow.disconnect(), other.disconnect()]);
  });

  it('acknowledge("renew") extends the lock of a record a handler works on for longer', async () => {
    const { topic, groupId } = await setup('share-renew', { 'share.record.lock.duration.ms': '15000' });
    await produce(k, topic, 1);
    const c = consumer({ groupId });
    const results: Array<{ offsets: number[]; error: unknown }> = [];
    const deliveries: number[] = [];
    let finished = false;
    await c.connect();
    await c.subscribe({ topics: [topic] });
    await c.run({
      eachMessage: async ({ message, acknowledge }) => {
        deliveries.push(message.deliveryCount);
        await sleep(9_000);
        acknowledge('renew');
        await sleep(9_000); // 18 s after the fetch: past the original 15 s lock
        acknowledge('accept');
        finished = true;
      },
    });
    c.on('acknowledgement', (r) => results.push({ offsets: r.offsets, error: r.error }));
    await waitFor(() => finished, 40_000, 'the handler');
    await waitFor(() => results.some((r) => r.offsets.includes(0)), 5_000, 'the acknowledgement');
    assert.deepEqual(
      results.filter((r) => r.offsets.includes(0)).map((r) => r.error),
      [null],
    );
    assert.deepEqual(deliveries, [1]);
    await c.disconnect();
    const offsets = await describeShareGroupOffsets(adminPort(admin), groupId, [{ topic }]);
    assert.equal(offsets[0]!.lag, '0');
  });

  it('share.version=2 (4.4): a record released at every delivery is archived at share.delivery.count.limit', async () => {
    assert.ok((await shareVersionFeatureLevel(adminPort(admin))) >= 2, 'Kafka 4.4 finalizes share.version=2');
    const { topic, groupId } = await setup('share-count-limit', { 'share.delivery.count.limit': '2' });
    await produce(k, topic, 2);
    const c = consumer({ groupId });
    const deliveries: string[] = [];
    await c.connect();
    await c.subscribe({ topics: [topic] });
    await c.run({
      eachMessage: async ({ message }) => {
        deliveries.push(`${message.offset}/${message.deliveryCount}`);
        if (message.offset === '0') throw new Error('this record always fails');
      },
    });
    // offset 0 is archived after its second delivery, so the group's start offset moves past it
    let lag: string | undefined;
    for (const until = Date.now() + 60_000; lag !== '0'; await sleep(500)) {
      if (Date.now() > until) throw new Error(`the lag stayed at ${lag}; deliveries ${deliveries.join(' ')}`);
      lag = (await describeShareGroupOffsets(adminPort(admin), groupId, [{ topic }]))[0]?.lag;
    }
    await c.disconnect();
    assert.deepEqual(
      deliveries.filter((d) => d.startsWith('0/')),
      ['0/1', '0/2'],
    );
    assert.ok(deliveries.includes('1/1'));
  });

  it('for await iterates; breaking out releases the current record', async () => {
    const { topic, groupId } = await setup('share-iter');
    await produce(k, topic, 5, 5);
    const c = consumer({ groupId });
    await c.connect();
    await c.subscribe({ topics: [topic] });
    const got: string[] = [];
    for await (const { message } of c) {
      got.push(`${message.offset}/${message.deliveryCount}`);
      if (got.length === 3) break;
    }
    assert.deepEqual(got, ['0/1', '1/1', '2/1']);
    const again: string[] = [];
    for await (const { message } of c) {
      again.push(`${message.offset}/${message.deliveryCount}`);
      if (message.offset === '4') break;
    }
    // 0 and 1 were accepted when the loop moved on; 2 (left by break), 3 and 4 were released
    assert.deepEqual(again, ['2/2', '3/2', '4/2']);
    await c.disconnect();
  });

  it('eachBatch with explicit acknowledgement', async () => {
    const { topic, groupId } = await setup('share-batch');
    await produce(k, topic, 6, 6);
    const c = consumer({ groupId, acknowledgementMode: 'explicit' });
    await c.connect();
    await c.subscribe({ topics: [topic] });
    const batches: string[][] = [];
    const results: Array<{ offsets: number[]; error: unknown }> = [];
    c.on('acknowledgement', (r) => results.push({ offsets: r.offsets, error: r.error }));
    await c.run({
      eachBatch: ({ batch, acknowledge }) => {
        batches.push(batch.messages.map((m) => `${m.offset}/${m.deliveryCount}`));
        for (const m of batch.messages)
          acknowledge(m, m.deliveryCount === 1 && m.offset === '5' ? 'release' : 'accept');
      },
    });
    await waitFor(() => batches.flat().includes('5/2'), 20_000, 'the released record');
    assert.deepEqual(batches[0], ['0/1', '1/1', '2/1', '3/1', '4/1', '5/1']);
    await waitFor(() => results.flatMap((r) => r.offsets).includes(5), 5_000, 'acknowledgement results');
    assert.ok(results.every((r) => r.error === null));
    await c.disconnect();
  });

  it('acknowledging twice or with an unknown type is a typed error', async () => {
    const { topic, groupId } = await setup('share-errors');
    await produce(k, topic, 1);
    const c = consumer({ groupId });
    await c.connect();
    await c.subscribe({ topics: [topic] });
    const errors: unknown[] = [];
    let handled = false;
    await c.run({
      eachMessage: ({ acknowledge }) => {
        acknowledge('accept');
        try {
          acknowledge('reject');
        } catch (error) {
          errors.push(error);
        }
        try {
          acknowledge('bogus' as never);
        } catch (error) {
          errors.push(error);
        }
        handled = true;
      },
    });
    await waitFor(() => handled, 20_000, 'the record');
    assert.ok(errors[0] instanceof KafkaJSShareAlreadyAcknowledgedError, String(errors[0]));
    assert.ok(errors[1] instanceof KafkaJSInvalidArgument, String(errors[1]));
    await c.disconnect();
  });
});
