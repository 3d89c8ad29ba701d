import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveConsumerOptions } from '../../../src/consumer/options.js';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import { InstrumentationEmitter } from '../../../src/instrumentation/events.js';
import { nullLogger } from '../../../src/logger.js';
import { resolveProducerOptions } from '../../../src/producer/options.js';
import type { PartitionerArgs } from '../../../src/producer/partitioners/types.js';
import { Producer, type ProducerEventMap } from '../../../src/producer/producer.js';
import {
  bufferSerde,
  deserializer,
  jsonSerde,
  KafkaJSSerializationError,
  Serdes,
  serializer,
  stringSerde,
} from '../../../src/serdes/index.js';
import { FakeBroker } from '../producer/fake-broker.js';

const dctx = { topic: 't', partition: 0, offset: '0', headers: {} };
const sctx = { topic: 't', headers: {} };

describe('built-in serdes', () => {
  it('string: UTF-8 both ways, null kept', () => {
    assert.deepEqual(stringSerde.serialize('héllo', sctx), Buffer.from('héllo'));
    assert.equal(stringSerde.deserialize(Buffer.from('héllo'), dctx), 'héllo');
    assert.equal(stringSerde.serialize(null, sctx), null);
    assert.equal(stringSerde.deserialize(null, dctx), null);
  });

  it('buffer: bytes as they are', () => {
    const b = Buffer.from([1, 2, 3]);
    assert.equal(bufferSerde.serialize(b, sctx), b);
    assert.equal(bufferSerde.deserialize(b, dctx), b);
  });

  it('json: round trip, null is a tombstone, bad JSON and failed validation throw', () => {
    const serde = jsonSerde<{ id: number }>();
    const bytes = serde.serialize({ id: 7 }, sctx)!;
    assert.equal(bytes.toString(), '{"id":7}');
    assert.deepEqual(serde.deserialize(bytes, dctx), { id: 7 });
    assert.equal(serde.serialize(null, sctx), null);
    assert.equal(serde.deserialize(null, dctx), null);
    assert.throws(() => serde.deserialize(Buffer.from('{oops'), dctx), SyntaxError);
    const checked = Serdes.json<{ id: number }>({
      validate: (v): v is { id: number } => typeof (v as { id?: unknown })?.id === 'number',
    });
    assert.throws(() => checked.deserialize(Buffer.from('{"id":"x"}'), dctx), /failed validation/);
    assert.throws(() => serde.serialize((() => 1) as unknown as { id: number }, sctx), TypeError);
  });

  it('custom serializers from functions see the topic and may add headers', () => {
    const s = serializer<number>((n, { topic, headers }) => {
      headers['content-type'] = 'int32';
      const b = Buffer.alloc(4);
      b.writeInt32BE(n);
      return topic === 't' ? b : null;
    });
    const headers: Record<string, string> = {};
    assert.deepEqual(s.serialize(5, { topic: 't', headers }), Buffer.from([0, 0, 0, 5]));
    assert.equal(headers['content-type'], 'int32');
    const d = deserializer<number>((b) => b!.readInt32BE(0));
    assert.equal(d.deserialize(Buffer.from([0, 0, 1, 0]), dctx), 256);
  });
});

describe('serdes options', () => {
  it('are checked up front', () => {
    assert.throws(
      () => resolveProducerOptions({ valueSerializer: {} as never }),
      (e: unknown) => e instanceof KafkaJSInvalidArgument && /valueSerializer/.test(e.message),
    );
    assert.throws(() => resolveConsumerOptions({ keyDeserializer: 'x' as never }), KafkaJSInvalidArgument);
    assert.throws(
      () => resolveConsumerOptions({ onDeserializationError: 'ignore' as never }),
      KafkaJSInvalidArgument,
    );
    assert.equal(resolveConsumerOptions({}).onDeserializationError, 'fail');
    assert.equal(resolveConsumerOptions({ valueDeserializer: stringSerde }).valueDeserializer, stringSerde);
  });
});

describe('producer serializers', () => {
  function make<K, V>(options: ConstructorParameters<typeof Producer<K, V>>[1], seen: PartitionerArgs[]) {
    const broker = new FakeBroker('t', 4);
    return new Producer<K, V>(
      {
        transport: broker,
        logger: nullLogger,
        instrumentation: new InstrumentationEmitter<ProducerEventMap>(),
      },
      {
        ...options,
        lingerMs: 0,
        createPartitioner: () => (args) => {
          seen.push(args);
          return 0;
        },
      },
    );
  }

  it('serializes keys and values before partitioning; a per-send serializer wins', async () => {
    const seen: PartitionerArgs[] = [];
    const producer = make<{ user: string }, { n: number }>(
      {
        keySerializer: serializer((k: { user: string }) => Buffer.from(k.user)),
        valueSerializer: jsonSerde<{ n: number }>(),
      },
      seen,
    );
    await producer.connect();
    await producer.send({ topic: 't', messages: [{ key: { user: 'ann' }, value: { n: 1 } }] });
    assert.deepEqual(seen[0]!.message.key, Buffer.from('ann'));
    assert.deepEqual(seen[0]!.message.value, Buffer.from('{"n":1}'));
    await producer.send({
      topic: 't',
      messages: [{ key: { user: 'bob' }, value: { n: 2 } }],
      valueSerializer: serializer((v: { n: number }) => Buffer.from(String(v.n))),
    });
    assert.deepEqual(seen[1]!.message.value, Buffer.from('2'));
    await producer.disconnect();
  });

  it('fails the send with a typed error naming the message when a serializer throws', async () => {
    const producer = make<string, string>(
      {
        valueSerializer: serializer((v: string) => {
          if (v === 'bad') throw new Error('no bad values');
          return Buffer.from(v);
        }),
      },
      [],
    );
    await producer.connect();
    await assert.rejects(
      producer.send({ topic: 't', messages: [{ value: 'ok' }, { value: 'bad' }] }),
      (e: unknown) =>
        e instanceof KafkaJSSerializationError &&
        e.field === 'value' &&
        e.index === 1 &&
        e.topic === 't' &&
        e.retriable === false &&
        /no bad values/.test(e.message),
    );
    // Nothing of the failed call was queued; the producer still works.
    assert.equal(producer.metrics().recordsSent, 0);
    await producer.send({ topic: 't', messages: [{ value: 'ok' }] });
    assert.equal(producer.metrics().recordsSent, 1);
    await producer.disconnect();
  });
});
