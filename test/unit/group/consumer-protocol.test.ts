import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AssignerProtocol,
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
} from '../../../src/group/consumer-protocol.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('ConsumerProtocolSubscription', () => {
  it('encodes v0 as version, topics, userData', () => {
    const bytes = encodeSubscription({ version: 0, topics: ['a', 'bc'], userData: null });
    // int16 0 | int32 2 | "a" | "bc" | null bytes
    assert.deepEqual(bytes, hex('0000 00000002 0001 61 0002 6263 ffffffff'));
  });

  it('encodes v3 with owned partitions, generation and rack', () => {
    const bytes = encodeSubscription({
      version: 3,
      topics: ['t'],
      userData: Buffer.from([9]),
      ownedPartitions: [{ topic: 't', partitions: [0, 2] }],
      generationId: 7,
      rackId: 'r1',
    });
    assert.deepEqual(
      bytes,
      hex('0003 00000001 0001 74 00000001 09 00000001 0001 74 00000002 00000000 00000002 00000007 0002 7231'),
    );
    const back = decodeSubscription(bytes);
    assert.deepEqual(back, {
      version: 3,
      topics: ['t'],
      userData: Buffer.from([9]),
      ownedPartitions: [{ topic: 't', partitions: [0, 2] }],
      generationId: 7,
      rackId: 'r1',
    });
  });

  it('defaults fields an older version does not carry', () => {
    const back = decodeSubscription(encodeSubscription({ version: 1, topics: ['x'], ownedPartitions: [] }));
    assert.equal(back.version, 1);
    assert.equal(back.generationId, -1);
    assert.equal(back.rackId, null);
    assert.equal(back.userData, null);
  });

  it('reads a future version as the newest known, ignoring trailing fields', () => {
    const v3 = encodeSubscription({ version: 3, topics: ['t'], generationId: 4, rackId: null });
    const future = Buffer.concat([v3, Buffer.from([1, 2, 3, 4])]);
    future.writeInt16BE(9, 0);
    const back = decodeSubscription(future);
    assert.equal(back.version, 9);
    assert.equal(back.generationId, 4);
  });

  it('rejects an out-of-range version on encode', () => {
    assert.throws(() => encodeSubscription({ version: 4, topics: [] }), /0 to 3/);
  });

  it('rejects truncated input', () => {
    assert.throws(() => decodeSubscription(hex('0000 00000002 0001 61')));
  });
});

describe('ConsumerProtocolAssignment', () => {
  it('encodes version, assigned partitions, userData', () => {
    const bytes = encodeAssignment({
      version: 0,
      assignedPartitions: [{ topic: 'ab', partitions: [1] }],
      userData: null,
    });
    assert.deepEqual(bytes, hex('0000 00000001 0002 6162 00000001 00000001 ffffffff'));
    assert.deepEqual(decodeAssignment(bytes), {
      version: 0,
      assignedPartitions: [{ topic: 'ab', partitions: [1] }],
      userData: null,
    });
  });

  it('decodes an empty buffer as no assignment', () => {
    assert.deepEqual(decodeAssignment(Buffer.alloc(0)).assignedPartitions, []);
  });
});

describe('AssignerProtocol (KafkaJS shapes)', () => {
  it('MemberMetadata round trips with KafkaJS object shape', () => {
    const buf = AssignerProtocol.MemberMetadata.encode({
      version: 0,
      topics: ['t1', 't2'],
      userData: Buffer.from('u'),
    });
    assert.deepEqual(buf, hex('0000 00000002 0002 7431 0002 7432 00000001 75'));
    assert.deepEqual(AssignerProtocol.MemberMetadata.decode(buf), {
      version: 0,
      topics: ['t1', 't2'],
      userData: Buffer.from('u'),
    });
  });

  it('MemberAssignment round trips a topic → partitions map', () => {
    const buf = AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: { a: [0, 1], b: [3] } });
    const back = AssignerProtocol.MemberAssignment.decode(buf);
    assert.deepEqual(back?.assignment, { a: [0, 1], b: [3] });
    assert.deepEqual(back?.userData, Buffer.alloc(0));
    assert.equal(AssignerProtocol.MemberAssignment.decode(Buffer.alloc(0)), null);
  });
});

/**
 * Bytes written by the Java client's ConsumerProtocol (Kafka 4.4), printed by
 * `test/java/consumer/ConsumerProtocolVectors.java encode`. The integration test
 * java-protocol.test.ts regenerates them and checks the other direction too.
 */
const JAVA_VECTORS: Record<string, string> = {
  'subscription-v0': '00000000000200066f726465727300087061796d656e747300000003010203',
  'subscription-v1':
    '00010000000200066f726465727300087061796d656e7473000000030102030000000100066f7264657273000000020000000000000002',
  'subscription-v2':
    '00020000000200066f726465727300087061796d656e7473000000030102030000000100066f726465727300000002000000000000000200000007',
  'subscription-v3':
    '00030000000200066f726465727300087061796d656e7473000000030102030000000100066f72646572730000000200000000000000020000000700067261636b2d61',
  'subscription-bare-v3': '000300000001000174ffffffff00000000ffffffffffff',
  'assignment-v0': '00000000000100066f726465727300000002000000010000000300000003010203',
  'assignment-v1': '00010000000100066f726465727300000002000000010000000300000003010203',
  'assignment-v2': '00020000000100066f726465727300000002000000010000000300000003010203',
  'assignment-v3': '00030000000100066f726465727300000002000000010000000300000003010203',
};

describe('Java client vectors', () => {
  for (let v = 0; v <= 3; v++) {
    it(`subscription v${v} encodes to the Java client's bytes and decodes back`, () => {
      const ours = encodeSubscription({
        version: v,
        topics: ['orders', 'payments'],
        userData: Buffer.from([1, 2, 3]),
        ownedPartitions: [{ topic: 'orders', partitions: [0, 2] }],
        generationId: 7,
        rackId: 'rack-a',
      });
      assert.equal(ours.toString('hex'), JAVA_VECTORS[`subscription-v${v}`]);
      const back = decodeSubscription(Buffer.from(JAVA_VECTORS[`subscription-v${v}`]!, 'hex'));
      assert.deepEqual(back.topics, ['orders', 'payments']);
      assert.deepEqual(back.userData, Buffer.from([1, 2, 3]));
      if (v >= 1) assert.deepEqual(back.ownedPartitions, [{ topic: 'orders', partitions: [0, 2] }]);
      assert.equal(back.generationId, v >= 2 ? 7 : -1);
      assert.equal(back.rackId, v >= 3 ? 'rack-a' : null);
    });
  }

  it('a subscription with nothing optional matches Java', () => {
    const ours = encodeSubscription({ version: 3, topics: ['t'] });
    assert.equal(ours.toString('hex'), JAVA_VECTORS['subscription-bare-v3']);
  });

  for (let v = 0; v <= 3; v++) {
    it(`assignment v${v} matches Java and decodes back`, () => {
      const assignment = {
        version: v,
        assignedPartitions: [{ topic: 'orders', partitions: [1, 3] }],
        userData: Buffer.from([1, 2, 3]),
      };
      const ours = encodeAssignment(assignment);
      assert.equal(ours.toString('hex'), JAVA_VECTORS[`assignment-v${v}`]);
      assert.deepEqual(decodeAssignment(Buffer.from(JAVA_VECTORS[`assignment-v${v}`]!, 'hex')), assignment);
    });
  }
});

describe('KafkaJS short payloads', () => {
  // KafkaJS's MemberMetadata.encode writes version, topics and userData whatever the version.
  it('a v1 subscription without owned partitions decodes with the defaults', () => {
    const kafkajsV1 = hex('0001 00000001 0001 74 00000002 abcd');
    assert.deepEqual(decodeSubscription(kafkajsV1), {
      version: 1,
      topics: ['t'],
      userData: Buffer.from([0xab, 0xcd]),
      ownedPartitions: [],
      generationId: -1,
      rackId: null,
    });
  });

  it('a v0 subscription that stops after the topics has no user data', () => {
    const back = decodeSubscription(hex('0000 00000001 0001 74'));
    assert.deepEqual(back.topics, ['t']);
    assert.equal(back.userData, null);
  });

  it('a v3 subscription that stops after the owned partitions keeps what it carries', () => {
    const full = encodeSubscription({
      version: 3,
      topics: ['t'],
      ownedPartitions: [{ topic: 't', partitions: [5] }],
      generationId: 9,
    });
    // Drop generation (4 bytes) and rack (2 bytes).
    const back = decodeSubscription(full.subarray(0, full.length - 6));
    assert.deepEqual(back.ownedPartitions, [{ topic: 't', partitions: [5] }]);
    assert.equal(back.generationId, -1);
    assert.equal(back.rackId, null);
  });

  it('an assignment without user data decodes with null user data', () => {
    assert.deepEqual(decodeAssignment(hex('0000 00000001 0001 74 00000001 00000002')), {
      version: 0,
      assignedPartitions: [{ topic: 't', partitions: [2] }],
      userData: null,
    });
  });

  it('a field cut in the middle is still an error', () => {
    assert.throws(() => decodeSubscription(hex('0001 00000001 0001 74 ffffffff 000000')));
    assert.throws(() => decodeAssignment(hex('0000 00000001 0001 74 00000002 00000001')));
  });
});

describe('round trips', () => {
  const subscriptions = [
    { topics: [], userData: null, ownedPartitions: [], generationId: -1, rackId: null },
    {
      topics: ['a', 'ünïcode', 'x'.repeat(249)],
      userData: Buffer.alloc(0),
      ownedPartitions: [
        { topic: 'a', partitions: [0, 2147483647] },
        { topic: 'b', partitions: [] },
      ],
      generationId: 2147483647,
      rackId: '',
    },
  ];
  for (let v = 0; v <= 3; v++) {
    it(`subscription v${v} decodes to what was encoded, less the fields v${v} lacks`, () => {
      for (const s of subscriptions) {
        const back = decodeSubscription(encodeSubscription({ ...s, version: v }));
        assert.deepEqual(back, {
          version: v,
          topics: s.topics,
          userData: s.userData,
          ownedPartitions: v >= 1 ? s.ownedPartitions : [],
          generationId: v >= 2 ? s.generationId : -1,
          rackId: v >= 3 ? s.rackId : null,
        });
      }
    });

    it(`assignment v${v} decodes to what was encoded`, () => {
      const a = {
        version: v,
        assignedPartitions: [
          { topic: 'a', partitions: [3, 1] },
          { topic: 'a', partitions: [0] },
        ],
        userData: Buffer.from('state'),
      };
      assert.deepEqual(decodeAssignment(encodeAssignment(a)), a);
      assert.deepEqual(decodeAssignment(encodeAssignment({ ...a, userData: null })), {
        ...a,
        userData: null,
      });
    });
  }
});
