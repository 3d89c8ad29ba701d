import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateFrom, loadSource } from '../../../scripts/generate/generate.js';
import { DEFAULT_SPECS } from '../../../scripts/generate/paths.js';
import { Reader } from '../../../src/protocol/codec/reader.js';
import { Writer } from '../../../src/protocol/codec/writer.js';
import {
  decodeConsumerProtocolAssignment,
  encodeConsumerProtocolAssignment,
} from '../../../src/protocol/messages/consumer-protocol-assignment.js';
import {
  ConsumerProtocolSubscriptionVersions,
  decodeConsumerProtocolSubscription,
  encodeConsumerProtocolSubscription,
} from '../../../src/protocol/messages/consumer-protocol-subscription.js';
import { API_KEYS } from '../../../src/protocol/messages/index.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('generated data specs (ConsumerProtocol)', () => {
  it('come from the "data" specs with their own version ranges, not as APIs', () => {
    const { model, files } = generateFrom(loadSource({}, DEFAULT_SPECS));
    assert.deepEqual(
      model.data.map((d) => [d.name, d.minVersion, d.maxVersion]),
      [
        ['ConsumerProtocolSubscription', 0, 3],
        ['ConsumerProtocolAssignment', 0, 3],
      ],
    );
    assert.ok(files.has('consumer-protocol-subscription.ts'));
    assert.ok(files.has('consumer-protocol-assignment.ts'));
    assert.ok(!API_KEYS.some((a) => a.name.startsWith('ConsumerProtocol')));
    assert.deepEqual(ConsumerProtocolSubscriptionVersions, { min: 0, max: 3 });
  });

  it('write the body without a version prefix', () => {
    const w = new Writer(16);
    encodeConsumerProtocolAssignment(w, 0, { assignedPartitions: [], userData: null });
    assert.deepEqual(Buffer.from(w.finish()), hex('00000000 ffffffff'));
  });

  it('reject a version outside the spec', () => {
    assert.throws(() => encodeConsumerProtocolSubscription(new Writer(8), 4, { topics: [], userData: null }));
    assert.throws(() => decodeConsumerProtocolSubscription(new Reader(hex('00000000')), 4));
  });

  it('read short input strictly unless asked for shortTail', () => {
    // A v1 body as KafkaJS writes it: topics and user data, no owned partitions.
    const body = hex('00000001 0001 74 ffffffff');
    assert.throws(() => decodeConsumerProtocolSubscription(new Reader(body), 1));
    assert.deepEqual(decodeConsumerProtocolSubscription(new Reader(body), 1, true), {
      topics: ['t'],
      userData: null,
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    });
    const asg = hex('00000000');
    assert.throws(() => decodeConsumerProtocolAssignment(new Reader(asg), 0));
    assert.deepEqual(decodeConsumerProtocolAssignment(new Reader(asg), 0, true), {
      assignedPartitions: [],
      userData: null,
    });
  });

  it('the first field is never optional, even with shortTail', () => {
    assert.throws(() => decodeConsumerProtocolSubscription(new Reader(Buffer.alloc(0)), 0, true));
  });
});
