import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { decodeSubscription, encodeAssignment, encodeSubscription } from '../../../src/consumer/index.js';
import { type CompiledJava, compileJava, kafkaLibs, runJava } from '../../helpers/java.js';

const SOURCE = join(process.cwd(), 'test/java/consumer/ConsumerProtocolVectors.java');

describe('ConsumerProtocol against the Java client', () => {
  let java: CompiledJava;
  before(async () => {
    java = await compileJava(SOURCE, await kafkaLibs(), 'kafkats-consumer-java');
  });

  it('encodes every version exactly as the Java client does', async () => {
    const lines = (await runJava(java.classpath, 'ConsumerProtocolVectors', ['encode'])).trim().split('\n');
    const vectors = new Map(lines.map((l) => l.split(' ') as [string, string]));
    for (let v = 0; v <= 3; v++) {
      const ours = encodeSubscription({
        version: v,
        topics: ['orders', 'payments'],
        userData: Buffer.from([1, 2, 3]),
        ownedPartitions: [{ topic: 'orders', partitions: [0, 2] }],
        generationId: 7,
        rackId: 'rack-a',
      });
      assert.equal(ours.toString('hex'), vectors.get(`subscription-v${v}`));
      assert.deepEqual(decodeSubscription(Buffer.from(vectors.get(`subscription-v${v}`)!, 'hex')).topics, [
        'orders',
        'payments',
      ]);
      const asg = encodeAssignment({
        version: v,
        assignedPartitions: [{ topic: 'orders', partitions: [1, 3] }],
        userData: Buffer.from([1, 2, 3]),
      });
      assert.equal(asg.toString('hex'), vectors.get(`assignment-v${v}`));
    }
  });

  it('writes bytes the Java client reads back', async () => {
    const sub = encodeSubscription({
      topics: ['a', 'b'],
      ownedPartitions: [{ topic: 'a', partitions: [4] }],
      generationId: 12,
      rackId: 'r9',
    });
    const out = await runJava(java.classpath, 'ConsumerProtocolVectors', ['decode-sub', sub.toString('hex')]);
    assert.equal(
      out.trim(),
      'topics=[a, b] owned=[a-4] generation=Optional[12] rack=Optional[r9] userData=null',
    );
    const asg = encodeAssignment({
      assignedPartitions: [{ topic: 'x', partitions: [0, 5] }],
      userData: null,
    });
    const out2 = await runJava(java.classpath, 'ConsumerProtocolVectors', [
      'decode-asg',
      asg.toString('hex'),
    ]);
    assert.equal(out2.trim(), 'partitions=[x-0, x-5] userData=null');
  });
});
