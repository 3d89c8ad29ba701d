import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import {
  KafkaJSProducerNotConnectedError,
  KafkaJSRecordTooLargeError,
  KafkaJSTransactionStateError,
} from '../../../src/producer/errors.js';
import { type ProducerOptions, resolveProducerOptions } from '../../../src/producer/options.js';
import { FakeBroker, producerOn } from './fake-broker.js';

function make(options: ProducerOptions = {}) {
  const broker = new FakeBroker('t', 2);
  return { broker, producer: producerOn(broker, options) };
}

describe('producer input validation', () => {
  it('rejects send before connect and after disconnect with a typed error', async () => {
    const { producer } = make();
    await assert.rejects(
      producer.send({ topic: 't', messages: [{ value: 'x' }] }),
      KafkaJSProducerNotConnectedError,
    );
    await producer.connect();
    await producer.disconnect();
    await assert.rejects(producer.send({ topic: 't', messages: [{ value: 'x' }] }), /producer\.connect\(\)/);
  });

  it('rejects bad input clearly and stays usable', async () => {
    const { producer, broker } = make({ maxRequestSize: 2048 });
    await producer.connect();
    await assert.rejects(producer.send({ topic: '', messages: [{ value: 'x' }] }), (e: unknown) => {
      assert.ok(e instanceof KafkaJSInvalidArgument);
      assert.match((e as Error).message, /topic/);
      return true;
    });
    await assert.rejects(
      producer.send({ topic: 't', messages: [{ value: 42 as unknown as string }] }),
      /messages\[0\]\.value.*Buffer, a string or null, got number/,
    );
    await assert.rejects(producer.send({ topic: 't', messages: [] }), /non-empty array/);
    await assert.rejects(
      producer.send({ topic: 't', messages: [{ value: 'x' }], compression: 9 }),
      /unknown compression codec 9/,
    );
    await assert.rejects(
      producer.send({ topic: 't', messages: [{ value: Buffer.alloc(5000) }] }),
      (e: unknown) => {
        assert.ok(e instanceof KafkaJSRecordTooLargeError);
        assert.equal(e.limit, 2048);
        assert.ok(e.size > 5000);
        assert.match(e.message, /maxRequestSize \(2048 bytes\)/);
        return true;
      },
    );
    await assert.rejects(
      producer.send({ topic: 't', messages: [{ value: 'x', partition: 7 }] }),
      /partition 7 does not exist \(the topic has 2 partitions\)/,
    );
    await assert.rejects(
      producer.send({ topic: 't', messages: [{ value: 'x', headers: { h: 5 as unknown as string } }] }),
      /headers\.h/,
    );
    assert.equal(broker.requests.length, 0, 'nothing was sent for bad input');
    const [meta] = await producer.send({
      topic: 't',
      messages: [
        { key: 'k', value: 'ok', headers: { a: ['1', Buffer.from('2')] }, timestamp: '1700000000000' },
      ],
    });
    assert.equal(meta!.errorCode, 0);
    await producer.disconnect();
  });

  it('a transactional producer refuses sends outside a transaction', async () => {
    assert.throws(() => make({ transactionalId: 'x', idempotent: false }), /always idempotent/);
  });

  it('resolves defaults as documented', () => {
    const o = resolveProducerOptions();
    assert.equal(o.lingerMs, 5);
    assert.equal(o.batchSize, 262144);
    assert.equal(o.maxRequestSize, 1048576);
    assert.equal(o.bufferMemory, 32 * 1024 * 1024);
    assert.equal(o.maxBlockMs, 60000);
    assert.equal(o.deliveryTimeout, 120000);
    assert.equal(o.maxInFlightRequests, 5);
    assert.equal(o.idempotent, true);
    assert.equal(o.acks, -1);
    assert.equal(o.transactionTimeout, 60000);
    assert.equal(o.allowAutoTopicCreation, true);
    assert.throws(() => resolveProducerOptions({ idempotent: true, acks: 1 }), /idempotent: false/);
    assert.throws(() => resolveProducerOptions({ idempotent: true, maxInFlightRequests: 6 }), /5 batches/);
    assert.equal(resolveProducerOptions({ idempotent: false, acks: 0 }).acks, 0);
    assert.ok(KafkaJSTransactionStateError);
  });
});
