/**
 * Tagged fields this client's specs do not know (a newer broker's or client's) survive decode →
 * encode byte for byte, as in Java's generated messages: a proxy or tool built on
 * kafkats/protocol forwards what it did not understand instead of dropping it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeRequestHeader,
  encodeRequestHeader,
  Fetch,
  type FetchRequest,
  Reader,
  type RequestHeader,
  Writer,
} from '../../../src/protocol/index.js';

function bytesOf(write: (w: Writer) => void): Buffer {
  const w = new Writer(64);
  write(w);
  return Buffer.from(w.finish());
}

/** One tagged field on the wire: tag, size, value. */
function tagged(tag: number, value: Buffer): Buffer {
  return bytesOf((w) => w.uvarint(tag).uvarint(value.length).raw(value));
}

test('a header with no known tagged fields keeps unknown ones and writes them back in tag order', () => {
  const header: RequestHeader = { requestApiKey: 3, requestApiVersion: 12, correlationId: 7, clientId: 'c' };
  const plain = bytesOf((w) => encodeRequestHeader(w, 2, header));
  assert.equal(plain.at(-1), 0, 'no tagged fields: the section is a zero count');
  // A newer peer's header: the same fields plus tags 9 and 2 (tags 2 and 9 in ascending order on the wire).
  const newer = Buffer.concat([
    plain.subarray(0, -1),
    Buffer.from([2]),
    tagged(2, Buffer.from([0xab, 0xcd])),
    tagged(9, Buffer.from('newer field')),
  ]);
  const r = new Reader(newer);
  const decoded = decodeRequestHeader(r, 2);
  assert.equal(r.remaining, 0);
  assert.equal(decoded.clientId, 'c');
  assert.deepEqual(
    decoded.unknownTaggedFields?.map((f) => [f.tag, Buffer.from(f.data).toString('hex')]),
    [
      [2, 'abcd'],
      [9, Buffer.from('newer field').toString('hex')],
    ],
  );
  assert.ok(bytesOf((w) => encodeRequestHeader(w, 2, decoded)).equals(newer), 're-encoded bytes differ');

  // Given out of order by a caller, they are still written in ascending tag order.
  const reordered = { ...decoded, unknownTaggedFields: [...decoded.unknownTaggedFields!].reverse() };
  assert.ok(bytesOf((w) => encodeRequestHeader(w, 2, reordered)).equals(newer));
});

test('unknown tags interleave with known ones, and a tag of a later version is kept, not dropped', () => {
  const v = 13; // ClusterId (tag 0) is known from v12; ReplicaState (tag 1) only from v15
  const body: FetchRequest = {
    clusterId: null,
    maxWaitMs: 500,
    minBytes: 1,
    maxBytes: 52428800,
    isolationLevel: 1,
    topics: [],
  };
  const plain = bytesOf((w) => Fetch.encodeRequest(w, v, body));
  assert.equal(plain.at(-1), 0, 'no tagged fields at the top level');
  const clusterId = bytesOf((w) => w.compactNullableString('cluster-a'));
  const newer = Buffer.concat([
    plain.subarray(0, -1),
    Buffer.from([3]),
    tagged(0, clusterId), // known at v13
    tagged(1, Buffer.from([1, 2, 3])), // ReplicaState's tag, which v13 does not carry
    tagged(4, Buffer.from([0x7f])), // a tag no version of these specs knows
  ]);
  const r = new Reader(newer);
  const decoded = Fetch.decodeRequest(r, v);
  assert.equal(r.remaining, 0);
  assert.equal(decoded.clusterId, 'cluster-a');
  assert.deepEqual(
    decoded.unknownTaggedFields?.map((f) => f.tag),
    [1, 4],
  );
  assert.ok(bytesOf((w) => Fetch.encodeRequest(w, v, decoded)).equals(newer), 're-encoded bytes differ');

  // A known field the caller sets wins over an unknown entry with its tag: the tag is written once.
  const clash = { ...decoded, unknownTaggedFields: [{ tag: 0, data: Buffer.from([9]) }] };
  const out = new Reader(bytesOf((w) => Fetch.encodeRequest(w, v, clash)));
  const again = Fetch.decodeRequest(out, v);
  assert.equal(again.clusterId, 'cluster-a');
  assert.equal(again.unknownTaggedFields, undefined);
});

test('a message with no unknown tags decodes without the property (plain objects stay plain)', () => {
  const header: RequestHeader = { requestApiKey: 18, requestApiVersion: 4, correlationId: 1, clientId: null };
  const decoded = decodeRequestHeader(new Reader(bytesOf((w) => encodeRequestHeader(w, 2, header))), 2);
  assert.equal('unknownTaggedFields' in decoded, false);
});
