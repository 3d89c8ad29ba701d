import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, it } from 'node:test';
import { type OperationTraceContext, produceChannel } from '../../../src/observability/channels.js';
import { FakeBroker, producerOn } from '../producer/fake-broker.js';

type Seen = Array<[string, OperationTraceContext]>;

function subscribe(seen: Seen) {
  const handlers = {
    start: (c: OperationTraceContext) => seen.push(['start', c]),
    end: (c: OperationTraceContext) => seen.push(['end', c]),
    asyncStart: (c: OperationTraceContext) => seen.push(['asyncStart', c]),
    asyncEnd: (c: OperationTraceContext) => seen.push(['asyncEnd', c]),
    error: (c: OperationTraceContext) => seen.push(['error', c]),
  };
  produceChannel.subscribe(handlers);
  return () => produceChannel.unsubscribe(handlers);
}

function make(lingerMs = 0) {
  const broker = new FakeBroker('orders', 3);
  return { broker, producer: producerOn(broker, { lingerMs }) };
}

let unsubscribe: (() => void) | undefined;
afterEach(() => {
  unsubscribe?.();
  unsubscribe = undefined;
});

describe('kafkats:produce', () => {
  it('is the channel named kafkats:produce and has no subscribers by default', () => {
    assert.equal(produceChannel.hasSubscribers, false);
    assert.equal(diagnosticsChannel.tracingChannel('kafkats:produce').start.hasSubscribers, false);
  });

  it('traces one send with OpenTelemetry messaging attributes and the partition it landed on', async () => {
    const { producer } = make();
    await producer.connect();
    const seen: Seen = [];
    unsubscribe = subscribe(seen);
    const [meta] = await producer.send({ topic: 'orders', messages: [{ key: 'user-1', value: 'x' }] });
    assert.deepEqual(
      seen.map(([e]) => e),
      ['start', 'end', 'asyncStart', 'asyncEnd'],
    );
    const context = seen[0]![1];
    assert.equal(context.name, 'send orders');
    assert.deepEqual(context.attributes, {
      'messaging.system': 'kafka',
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders',
      'messaging.kafka.message.key': 'user-1',
      'messaging.destination.partition.id': String(meta!.partition),
    });
    assert.deepEqual(context.result, [meta]);
    await producer.disconnect();
  });

  it('publishes error for a failed send and counts it in the metrics', async () => {
    const { producer } = make();
    await producer.connect();
    const seen: Seen = [];
    unsubscribe = subscribe(seen);
    await assert.rejects(producer.send({ topic: 'orders', messages: [{ value: 42 as unknown as string }] }));
    assert.deepEqual(
      seen.map(([e]) => e),
      ['start', 'end', 'error', 'asyncStart', 'asyncEnd'],
    );
    assert.equal(producer.metrics().sendErrors, 1);
    await producer.disconnect();
  });

  it('gives a batch its message count', async () => {
    const { producer } = make();
    await producer.connect();
    const seen: Seen = [];
    unsubscribe = subscribe(seen);
    await producer.send({ topic: 'orders', messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    assert.equal(seen[0]![1].attributes['messaging.batch.message_count'], 3);
    await producer.disconnect();
  });
});

describe('producer.metrics()', () => {
  it('counts records, batches and requests, and frees the buffer once acknowledged', async () => {
    const { producer } = make(60_000);
    await producer.connect();
    const messages = Array.from({ length: 30 }, (_, i) => ({ value: `v${i}`, partition: i % 3 }));
    const sending = producer.send({ topic: 'orders', messages });
    await new Promise((r) => setTimeout(r, 20));
    const during = producer.metrics();
    assert.ok(during.buffer.usedBytes > 0, 'records held in the buffer until acknowledged');
    assert.equal(during.batches.count, 0, 'lingering: nothing drained yet');
    await producer.flush();
    await sending;
    const m = producer.metrics();
    assert.equal(m.recordsSent, 30);
    assert.ok(m.recordsPerSecond > 0);
    assert.equal(m.batches.count, 3);
    assert.equal(m.batches.avgRecords, 10);
    assert.equal(m.batches.maxRecords, 10);
    assert.ok(m.batches.maxBytes > 0);
    assert.ok(m.requests.sent >= 1);
    assert.equal(m.requests.inFlight, 0);
    assert.equal(m.buffer.usedBytes, 0);
    assert.equal(m.buffer.limitBytes, 32 * 1024 * 1024);
    await producer.disconnect();
  });
});
