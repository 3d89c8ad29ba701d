import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KafkaProtocolError } from '../../../src/errors/base.js';
import {
  ApiVersions,
  decodeRequestFrame,
  decodeResponseFrame,
  encodeRequestFrame,
  encodeResponseFrame,
  Metadata,
  Produce,
  Reader,
  Writer,
  ZERO_UUID,
} from '../../../src/protocol/index.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

test('ApiVersions v0 request frame: header v1, empty body', () => {
  const frame = encodeRequestFrame(ApiVersions, 0, 1, 'test', {});
  assert.equal(
    frame.toString('hex'),
    `0000000e 0012 0000 00000001 0004 ${ascii('test')}`.replace(/\s+/g, ''),
  );
});

test('ApiVersions v3 request frame: header v2 keeps a non-compact client id; body is compact', () => {
  const frame = encodeRequestFrame(ApiVersions, 3, 7, 'kafkats', {
    clientSoftwareName: 'kafkats',
    clientSoftwareVersion: '0.1.0',
  });
  const header = `0012 0003 00000007 0007 ${ascii('kafkats')} 00`;
  const body = `08 ${ascii('kafkats')} 06 ${ascii('0.1.0')} 00`;
  const bytes = hex(`${header} ${body}`);
  assert.equal(
    frame.toString('hex'),
    `${hex(bytes.length.toString(16).padStart(8, '0')).toString('hex')}${bytes.toString('hex')}`,
  );
  const back = decodeRequestFrame(frame.subarray(4));
  assert.equal(back.api, ApiVersions);
  assert.equal(back.version, 3);
  assert.equal(back.correlationId, 7);
  assert.equal(back.clientId, 'kafkats');
  assert.deepStrictEqual(back.body, {
    clientSoftwareName: 'kafkats',
    clientSoftwareVersion: '0.1.0',
    clusterId: null,
    nodeId: -1,
  });
});

test('Metadata v12 request body', () => {
  const w = new Writer();
  Metadata.encodeRequest(w, 12, {
    topics: [{ topicId: ZERO_UUID, name: 'foo' }],
    allowAutoTopicCreation: true,
    includeTopicAuthorizedOperations: false,
  });
  // compact array of 1 | uuid | compact "foo" | no tags | allowAutoTopicCreation | includeTopicAuthorizedOperations | no tags
  assert.equal(
    w.finish().toString('hex'),
    `02 ${'00'.repeat(16)} 04 ${ascii('foo')} 00 01 00 00`.replace(/\s+/g, ''),
  );
  // Null topics (all topics) is a compact null array.
  const w2 = new Writer();
  Metadata.encodeRequest(w2, 12, {
    topics: null,
    allowAutoTopicCreation: false,
    includeTopicAuthorizedOperations: true,
  });
  assert.equal(w2.finish().toString('hex'), '00000100');
});

test('a flexible response keeps unknown tagged fields, in the body and in nested structs, and writes them back', () => {
  // ApiVersions responses always use header v0 (correlation id only).
  const payload = hex(`
    0000002a
    0000
    02 0012 0000 0003 01 05 02 ${ascii('hi')}
    00000000
    02 01 08 0000000000000005 09 03 ${ascii('abc')}
  `);
  const { correlationId, body } = decodeResponseFrame(ApiVersions, 3, payload);
  assert.equal(correlationId, 42);
  assert.deepStrictEqual(body, {
    errorCode: 0,
    apiKeys: [
      {
        apiKey: 18,
        minVersion: 0,
        maxVersion: 3,
        unknownTaggedFields: [{ tag: 5, data: Buffer.from('hi') }],
      },
    ],
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: 5n,
    finalizedFeatures: [],
    zkMigrationReady: false,
    unknownTaggedFields: [{ tag: 9, data: Buffer.from('abc') }],
  });
  // Encoding what was decoded gives the broker's bytes back (the frame's size prefix aside).
  const again = encodeResponseFrame(ApiVersions, 3, correlationId, body);
  assert.equal(again.subarray(4).toString('hex'), payload.toString('hex'));
});

test('tagged fields are written only when not default, in ascending tag order', () => {
  const frame = encodeResponseFrame(ApiVersions, 3, 1, {
    errorCode: 0,
    apiKeys: [],
    throttleTimeMs: 0,
    zkMigrationReady: true,
    finalizedFeaturesEpoch: 5n,
  });
  assert.equal(
    frame.subarray(4).toString('hex'),
    '00000001 0000 01 00000000 02 01 08 0000000000000005 03 01 01'.replace(/\s+/g, ''),
  );
});

test('a non-default value for a field the version lacks is refused, unless the field is ignorable', () => {
  assert.throws(
    () =>
      Metadata.encodeRequest(new Writer(), 12, {
        topics: [],
        includeClusterAuthorizedOperations: true,
      }),
    (err: unknown) =>
      err instanceof KafkaProtocolError &&
      /IncludeClusterAuthorizedOperations/.test(err.message) &&
      /12/.test(err.message),
  );
  // The default value is fine.
  Metadata.encodeRequest(new Writer(), 12, { topics: [], includeClusterAuthorizedOperations: false });
  // Ignorable fields are dropped silently (ApiVersions v0 has no client software name).
  const w = new Writer();
  ApiVersions.encodeRequest(w, 0, { clientSoftwareName: 'kafkats' });
  assert.equal(w.pos, 0);
  // Produce v13 identifies topics by id; the name is ignorable there.
  const w2 = new Writer();
  Produce.encodeRequest(w2, 13, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 1000,
    topicData: [{ name: 'x', partitionData: [] }],
  });
  const back = Produce.decodeRequest(new Reader(w2.finish()), 13);
  assert.equal(back.topicData[0]!.name, '');
  assert.equal(back.topicData[0]!.topicId, ZERO_UUID);
});

test('null where the version does not allow it is a clear KafkaProtocolError', () => {
  assert.throws(
    () => Metadata.encodeRequest(new Writer(), 9, { topics: [{ name: null }] }),
    (err: unknown) => err instanceof KafkaProtocolError && /MetadataRequestTopic\.Name/.test(err.message),
  );
});
