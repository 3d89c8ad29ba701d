import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSDeliveryTimeoutError } from '../../../src/producer/errors.js';
import { Codes } from '../../../src/protocol/codes.js';
import { FakeBroker, producerOn } from './fake-broker.js';

const msgs = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ value: `v${from + i}`, partition: 0 }));

describe('Sender with idempotence (fake broker)', () => {
  it('stamps consecutive sequences and coalesces concurrent sends into few requests', async () => {
    const broker = new FakeBroker('t', 3);
    const p = producerOn(broker);
    await p.connect();
    const sends = Array.from({ length: 200 }, (_, i) => p.send({ topic: 't', messages: msgs(1, i) }));
    const results = await Promise.all(sends);
    assert.deepEqual(
      broker.sequences(0),
      Array.from({ length: 200 }, (_, i) => i),
    );
    assert.ok(broker.requests.length <= 3, `${broker.requests.length} requests`);
    assert.deepEqual(
      results.map((r) => r[0]!.baseOffset),
      Array.from({ length: 200 }, (_, i) => String(i)),
    );
    await p.disconnect();
  });

  it('retries a lost answer with the same sequence: the broker dedups, nothing is written twice', async () => {
    const broker = new FakeBroker('t', 1);
    broker.writeBeforeError = true;
    let failed = false;
    broker.inject = (_t, _p, seq) => {
      if (seq === 10 && !failed) {
        failed = true;
        return Object.assign(new Error('socket closed'), { retriable: true });
      }
      return undefined;
    };
    const p = producerOn(broker, { batchSize: 200 });
    await p.connect();
    const all = await Promise.all(
      Array.from({ length: 40 }, (_, i) => p.send({ topic: 't', messages: msgs(1, i) })),
    );
    assert.equal(all.length, 40);
    assert.deepEqual(
      broker.sequences(0),
      Array.from({ length: 40 }, (_, i) => i),
    );
    await p.disconnect();
  });

  it('keeps order when a batch fails retriably while later ones are in flight', async () => {
    const broker = new FakeBroker('t', 1);
    let fails = 0;
    broker.inject = (_t, _p, seq) => (seq > 0 && fails++ < 2 ? 6 /* NOT_LEADER_OR_FOLLOWER */ : undefined);
    const p = producerOn(broker, { batchSize: 120 });
    await p.connect();
    await Promise.all(Array.from({ length: 30 }, (_, i) => p.send({ topic: 't', messages: msgs(1, i) })));
    assert.deepEqual(
      broker.sequences(0),
      Array.from({ length: 30 }, (_, i) => i),
    );
    assert.ok(broker.metadataRefreshes > 0, 'NOT_LEADER_OR_FOLLOWER refreshes metadata');
    await p.disconnect();
  });

  it('bumps the epoch on UNKNOWN_PRODUCER_ID and resends from sequence 0 (KIP-360)', async () => {
    const broker = new FakeBroker('t', 1);
    const p = producerOn(broker);
    await p.connect();
    await p.send({ topic: 't', messages: msgs(3) });
    broker.failOnce(Codes.UNKNOWN_PRODUCER_ID);
    await p.send({ topic: 't', messages: msgs(2, 3) });
    assert.equal(broker.epochBumps, 1);
    const log = broker.logs.get('t-0')!;
    assert.deepEqual(
      log.map((s) => [s.epoch, s.baseSequence, s.count]),
      [
        [0, 0, 3],
        [1, 0, 2],
      ],
    );
    await p.disconnect();
  });

  /** Sends `n` one-record sends to partition 0 and waits until `held` requests are held by the broker. */
  async function fiveInFlight(broker: FakeBroker, n: number) {
    const p = producerOn(broker, { batchSize: 1, lingerMs: 0 });
    await p.connect();
    broker.holdRequests = true;
    const settled = Array.from({ length: n }, (_, i) =>
      p.send({ topic: 't', messages: msgs(1, i) }).then(
        (r) => ({ ok: true as const, offset: r[0]!.baseOffset }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
    while (broker.heldRequests < 5) await new Promise((r) => setImmediate(r));
    return { p, settled };
  }

  const connectionLost = () =>
    Object.assign(new Error('Connection closed (request timed out)'), { retriable: true });

  async function assertExactlyOnceInOrder(
    broker: FakeBroker,
    settled: Promise<{ ok: boolean; offset?: string; error?: unknown }>[],
    n: number,
  ) {
    const results = await Promise.all(settled);
    const failed = results.filter((r) => !r.ok);
    assert.deepEqual(failed, [], 'no send is rejected');
    assert.deepEqual(
      results.map((r) => r.offset),
      Array.from({ length: n }, (_, i) => String(i)),
    );
    const log = broker.logs.get('t-0')!;
    assert.deepEqual(
      log.map((s) => [s.epoch, s.baseSequence]),
      Array.from({ length: n }, (_, i) => [0, i]),
      'every record appended exactly once, in order, under the first epoch',
    );
    assert.equal(broker.epochBumps, 0);
  }

  it('resends 5 in-flight batches in order after the connection drops with 2 of them written', async () => {
    const broker = new FakeBroker('t', 1);
    const { p, settled } = await fiveInFlight(broker, 8);
    broker.dropConnection(2, connectionLost());
    await assertExactlyOnceInOrder(broker, settled, 8);
    await p.disconnect();
  });

  it('retries OUT_OF_ORDER_SEQUENCE_NUMBER for a batch that reached a new connection before its failed predecessors', async () => {
    const broker = new FakeBroker('t', 1);
    const { p, settled } = await fiveInFlight(broker, 8);
    // Batches 0-1 written, 2-3 lost with the connection, 4 reaches the broker on the new one: gap.
    broker.dropConnection(2, connectionLost(), 1);
    await assertExactlyOnceInOrder(broker, settled, 8);
    await p.disconnect();
  });

  it('retries OUT_OF_ORDER_SEQUENCE_NUMBER answers behind a batch that failed retriably (no bump)', async () => {
    const broker = new FakeBroker('t', 1);
    let failed = false;
    broker.inject = (_t, _p, seq) => {
      if (seq !== 2 || failed) return undefined;
      failed = true;
      return 19; // NOT_ENOUGH_REPLICAS: not written; the broker answers 45 for sequences 3 and 4
    };
    const { p, settled } = await fiveInFlight(broker, 8);
    broker.dropConnection(0, connectionLost(), 5);
    await assertExactlyOnceInOrder(broker, settled, 8);
    await p.disconnect();
  });

  it('bumps the epoch when a refused batch falls behind later ones a fresh partition accepted', async () => {
    // A new topic: the first batch meets NOT_ENOUGH_REPLICAS while the ISR forms, the next ones
    // arrive once it has, and a broker with no state for the producer takes them as its first.
    // The first batch can never be written under this epoch; resending it as it is looped until
    // the delivery timeout.
    const broker = new FakeBroker('t', 1);
    broker.acceptAnyFirstSequence = true;
    let refused = false;
    broker.inject = (_t, _p, seq) => {
      if (seq !== 0 || refused) return undefined;
      refused = true;
      return 19; // NOT_ENOUGH_REPLICAS
    };
    const { p, settled } = await fiveInFlight(broker, 8);
    broker.release();
    const results = await Promise.all(settled);
    assert.deepEqual(
      results.filter((r) => !r.ok),
      [],
      'no send is rejected',
    );
    assert.equal(broker.epochBumps, 1, 'one epoch bump');
    const log = broker.logs.get('t-0')!;
    assert.equal(
      log.reduce((n, s) => n + s.count, 0),
      8,
      'every record written exactly once',
    );
    assert.deepEqual(
      new Set(results.map((r) => (r.ok ? r.offset : undefined))).size,
      8,
      'eight distinct offsets',
    );
    await p.disconnect();
  });

  it('bumps the epoch when the lowest unacknowledged batch gets OUT_OF_ORDER_SEQUENCE_NUMBER, failing no send', async () => {
    const broker = new FakeBroker('t', 1);
    const p = producerOn(broker);
    await p.connect();
    await p.send({ topic: 't', messages: msgs(3) });
    broker.failOnce(Codes.OUT_OF_ORDER_SEQUENCE_NUMBER);
    await p.send({ topic: 't', messages: msgs(2, 3) });
    assert.equal(broker.epochBumps, 1);
    assert.deepEqual(
      broker.logs.get('t-0')!.map((s) => [s.epoch, s.baseSequence, s.count]),
      [
        [0, 0, 3],
        [1, 0, 2],
      ],
    );
    await p.disconnect();
  });

  it('fails with a typed error after deliveryTimeout', async () => {
    const broker = new FakeBroker('t', 1);
    broker.inject = () => 19; // NOT_ENOUGH_REPLICAS forever
    const p = producerOn(broker, { deliveryTimeout: 80 });
    await p.connect();
    await assert.rejects(p.send({ topic: 't', messages: msgs(1) }), KafkaJSDeliveryTimeoutError);
    broker.inject = undefined;
    // The producer stays usable (a new epoch closes the sequence gap).
    const [meta] = await p.send({ topic: 't', messages: msgs(1) });
    assert.equal(meta!.errorCode, 0);
    await p.disconnect();
  });

  it('acks 0 without idempotence resolves with baseOffset -1', async () => {
    const broker = new FakeBroker('t', 1);
    const p = producerOn(broker, { idempotent: false, acks: 0 });
    await p.connect();
    const [meta] = await p.send({ topic: 't', messages: msgs(1) });
    assert.equal(meta!.baseOffset, '-1');
    assert.equal(broker.requests[0]!.acks, 0);
    await p.disconnect();
  });

  it('splits a batch the broker finds too large (MESSAGE_TOO_LARGE) and keeps sequences and order', async () => {
    const broker = new FakeBroker('t', 1);
    broker.maxBatchRecords = 7;
    const p = producerOn(broker, { batchSize: 1_000_000, lingerMs: 20 });
    await p.connect();
    // 40 concurrent sends of 3 records coalesce into one 120-record batch, then a second wave
    // queued behind it: halving goes 120 → 60 → 30 → 15 → 8 → 4 records.
    const first = Array.from({ length: 40 }, (_, i) => p.send({ topic: 't', messages: msgs(3, i * 3) }));
    const results = await Promise.all(first);
    const second = await p.send({ topic: 't', messages: msgs(5, 120) });
    assert.deepEqual(
      broker.sequences(0),
      Array.from({ length: 125 }, (_, i) => i),
    );
    assert.deepEqual(
      results.map((r) => r[0]!.baseOffset),
      Array.from({ length: 40 }, (_, i) => String(i * 3)),
    );
    assert.equal(second[0]!.baseOffset, '120');
    assert.ok(broker.requests.length > 5, 'the batch was split and resent');
    await p.disconnect();
  });

  it('splits without idempotence too, and fails a single record that is too large', async () => {
    const broker = new FakeBroker('t', 1);
    broker.maxBatchRecords = 2;
    const p = producerOn(broker, { idempotent: false, batchSize: 1_000_000, lingerMs: 20 });
    await p.connect();
    const [meta] = await p.send({ topic: 't', messages: msgs(9) });
    assert.equal(meta!.baseOffset, '0');
    assert.equal(
      broker.logs.get('t-0')!.reduce((n, s) => n + s.count, 0),
      9,
    );
    broker.maxBatchRecords = 0;
    await assert.rejects(p.send({ topic: 't', messages: msgs(1) }), { code: 10, type: 'MESSAGE_TOO_LARGE' });
    await p.disconnect();
  });
});
