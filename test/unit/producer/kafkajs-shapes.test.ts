// What a KafkaJS-typed program hands the producer and what its partitioner sees, as KafkaJS's
// declarations type them (checked at compile time by npm run check:types, at run time here).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import type { ProducerOptions } from '../../../src/producer/options.js';
import type { PartitionerArgs } from '../../../src/producer/partitioners/types.js';
import { FakeBroker, producerOn } from './fake-broker.js';

function make(options: ProducerOptions = {}) {
  const broker = new FakeBroker('t', 2);
  return { broker, producer: producerOn(broker, options) };
}

describe('producer: KafkaJS-shaped input', () => {
  it('sendBatch without topicMessages sends nothing and resolves to [] (KafkaJS types it optional)', async () => {
    const { producer, broker } = make();
    await producer.connect();
    assert.deepEqual(await producer.sendBatch({}), []);
    assert.deepEqual(await producer.sendBatch({ topicMessages: [] }), []);
    await assert.rejects(
      producer.sendBatch({ topicMessages: 'x' as unknown as [] }),
      (e: unknown) => e instanceof KafkaJSInvalidArgument && /topicMessages/.test((e as Error).message),
    );
    assert.equal(broker.requests.length, 0, 'nothing was sent');
    await producer.disconnect();
  });

  it("hands a custom partitioner the message's timestamp as a string and its headers", async () => {
    const seen: PartitionerArgs['message'][] = [];
    const { producer } = make({
      createPartitioner: () => (args: PartitionerArgs) => {
        seen.push(args.message);
        return 1;
      },
    });
    await producer.connect();
    const message = { value: 'v', timestamp: 1700000000000, headers: { h: 'x' } };
    const [meta] = await producer.send({ topic: 't', messages: [message, { value: 'w', timestamp: '42' }] });
    assert.equal(meta!.partition, 1);
    assert.equal(seen[0]!.timestamp, '1700000000000');
    assert.deepEqual(seen[0]!.headers, { h: 'x' });
    assert.equal(seen[1]!.timestamp, '42');
    assert.equal(message.timestamp, 1700000000000, "the program's own message is left as it was");
    await producer.disconnect();
  });
});
