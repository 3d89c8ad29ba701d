/**
 * Golden vectors from the Java client for every generated protocol message:
 * test/java/golden/GoldenMessages.java parses the bytes kafkats writes for the sample value of
 * every API × version × request/response (both sample variants) and every header version with
 * Kafka's own generated `*Data` classes, insists every byte was consumed, and writes them back
 * with Kafka's own serializer — which must give exactly kafkats' bytes. Then messages built by
 * hand in Java must decode in kafkats to the values Java set and re-encode to Java's bytes.
 * Needs Java and the Kafka jars, no broker.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { generateFrom, loadSource } from '../../../scripts/generate/generate.js';
import type { FieldModel, StructModel } from '../../../scripts/generate/model.js';
import { DEFAULT_SPECS } from '../../../scripts/generate/paths.js';
import { defaultOf, SampleBuilder, type Variant } from '../../../scripts/generate/samples.js';
import {
  ALL_APIS,
  type ApiMessage,
  ApiVersions,
  apiByKey,
  ConsumerGroupHeartbeat,
  decodeRecordBatches,
  decodeRequestHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  Fetch,
  JoinGroup,
  Metadata,
  Produce,
  Reader,
  type RequestHeader,
  type ResponseHeader,
  Writer,
} from '../../../src/protocol/index.js';
import { type CompiledJava, compileJava, kafkaLibs, runJava } from '../../helpers/java.js';

const SOURCE = join(import.meta.dirname, '../../java/golden/GoldenMessages.java');
const VARIANTS: readonly Variant[] = ['full', 'nulls'];

/**
 * Cases Java cannot represent, keyed "<JavaClass> v<version> <variant>" ("*" for every variant),
 * each with the reason. Anything listed here is still encoded; it is only not compared.
 */
const EXCLUDED: Record<string, string> = {
  // Request header v0 went with ControlledShutdown v0 only; Kafka 4.x removed both, so
  // RequestHeaderData's versions start at 1 (kafkats still encodes v0 for old brokers).
  'RequestHeaderData v0 *': 'request header v0 is not in the Kafka 4.x Java classes',
};

function excludedReason(javaClass: string, version: number, variant: string): string | undefined {
  return EXCLUDED[`${javaClass} v${version} ${variant}`] ?? EXCLUDED[`${javaClass} v${version} *`];
}

interface Case {
  label: string;
  javaClass: string;
  version: number;
  bytes: Buffer;
  /** The value kafkats encoded, and its struct in the model. */
  sample: Record<string, unknown>;
  struct: StructModel;
}

function encode(write: (w: Writer) => void): Buffer {
  const w = new Writer(64);
  write(w);
  return Buffer.from(w.finish());
}

type AnyApi = ApiMessage<unknown, unknown>;

/** kafkats' bytes for every sample value, in a fixed order. */
function buildCases(): Case[] {
  const { model } = generateFrom(loadSource({}, DEFAULT_SPECS));
  const cases: Case[] = [];
  for (const apiModel of model.apis) {
    const api = apiByKey(apiModel.apiKey) as AnyApi | undefined;
    assert.ok(api, `api ${apiModel.name} is exported`);
    for (let v = api.minVersion; v <= api.maxVersion; v++) {
      for (const variant of VARIANTS) {
        const req = new SampleBuilder(variant).struct(apiModel.request.root, v);
        cases.push({
          label: `${api.name}Request v${v} (${variant})`,
          javaClass: `${apiModel.request.name}Data`,
          version: v,
          bytes: encode((w) => api.encodeRequest(w, v, req)),
          sample: req,
          struct: apiModel.request.root,
        });
        const res = new SampleBuilder(variant).struct(apiModel.response.root, v);
        cases.push({
          label: `${api.name}Response v${v} (${variant})`,
          javaClass: `${apiModel.response.name}Data`,
          version: v,
          bytes: encode((w) => api.encodeResponse(w, v, res)),
          sample: res,
          struct: apiModel.response.root,
        });
      }
    }
  }
  for (let v = 0; v <= 2; v++) {
    for (const variant of VARIANTS) {
      const h = new SampleBuilder(variant).struct(model.requestHeader.root, v);
      cases.push({
        label: `RequestHeader v${v} (${variant})`,
        javaClass: 'RequestHeaderData',
        version: v,
        bytes: encode((w) => encodeRequestHeader(w, v, h as unknown as RequestHeader)),
        sample: h,
        struct: model.requestHeader.root,
      });
    }
  }
  for (let v = 0; v <= 1; v++) {
    for (const variant of VARIANTS) {
      const h = new SampleBuilder(variant).struct(model.responseHeader.root, v);
      cases.push({
        label: `ResponseHeader v${v} (${variant})`,
        javaClass: 'ResponseHeaderData',
        version: v,
        bytes: encode((w) => encodeResponseHeader(w, v, h as unknown as ResponseHeader)),
        sample: h,
        struct: model.responseHeader.root,
      });
    }
  }
  return cases;
}

const present = (f: FieldModel, v: number) => v >= f.present.lo && v <= f.present.hi;

/** Whether a primitive value kafkats holds is the one Java's JSON shows. */
function primEquals(prim: string, ours: unknown, theirs: unknown): boolean {
  switch (prim) {
    case 'int64':
      // Sample int64 values stay below 2^53, so JSON numbers hold them exactly.
      return typeof ours === 'bigint' && theirs === Number(ours);
    case 'bytes':
      return (
        Buffer.isBuffer(ours) && typeof theirs === 'string' && Buffer.from(theirs, 'base64').equals(ours)
      );
    default:
      return ours === theirs;
  }
}

/**
 * Compares a value kafkats encoded with the JSON Kafka's converter made of Java's parse, field by
 * field for the fields of version `v`, so that a field Java reads into a different slot than
 * kafkats meant shows up even when the bytes happen to round-trip. Mismatches go to `out`.
 */
function compareJson(
  struct: StructModel,
  v: number,
  ours: Record<string, unknown>,
  theirs: Record<string, unknown>,
  path: string,
  out: string[],
): void {
  for (const f of struct.fields) {
    if (!present(f, v)) continue;
    const at = `${path}.${f.name}`;
    const value = ours[f.name];
    const t = f.type;
    if (t.kind === 'prim' && t.prim === 'records') {
      // Kafka's converter shows records as their size.
      const size = theirs.recordsSizeInBytes;
      if (value === null ? theirs.records !== null : !(Buffer.isBuffer(value) && size === value.length)) {
        out.push(
          `${at}: kafkats ${value === null ? 'null' : `${(value as Buffer).length} bytes`}, Java ${size}`,
        );
      }
      continue;
    }
    if (!(f.name in theirs)) {
      // Java leaves out tagged fields holding their default.
      if (f.tagged === null || !isDeepStrictEqual(value, defaultOf(f)))
        out.push(`${at}: missing from Java's JSON`);
      continue;
    }
    const j = theirs[f.name];
    if (value === null || j === null) {
      if (value !== j) out.push(`${at}: kafkats ${show(value)}, Java ${show(j)}`);
      continue;
    }
    if (t.kind === 'struct') {
      compareJson(t.struct, v, value as Record<string, unknown>, j as Record<string, unknown>, at, out);
    } else if (t.kind === 'array') {
      const a = value as unknown[];
      const b = j as unknown[];
      if (!Array.isArray(b) || a.length !== b.length) {
        out.push(`${at}: kafkats ${a.length} elements, Java ${show(j)}`);
        continue;
      }
      const elem = t.elem;
      a.forEach((x, i) => {
        if (elem.kind === 'struct') {
          compareJson(
            elem.struct,
            v,
            x as Record<string, unknown>,
            b[i] as Record<string, unknown>,
            `${at}[${i}]`,
            out,
          );
        } else if (!primEquals(elem.prim, x, b[i])) {
          out.push(`${at}[${i}]: kafkats ${show(x)}, Java ${show(b[i])}`);
        }
      });
    } else if (!primEquals(t.prim, value, j)) {
      out.push(`${at}: kafkats ${show(value)}, Java ${show(j)}`);
    }
  }
}

function show(x: unknown): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (Buffer.isBuffer(x)) return `<${x.toString('hex')}>`;
  return JSON.stringify(x);
}

function variantOf(label: string): string {
  return /\((\w+)\)$/.exec(label)?.[1] ?? '*';
}

/** Where two byte strings first differ, with a little context. */
function firstDifference(ours: Buffer, theirs: Buffer): string {
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  const at = (b: Buffer) => b.subarray(Math.max(0, i - 4), i + 8).toString('hex') || '(end)';
  return (
    `first differing byte ${i} (kafkats ${ours.length} bytes, Java ${theirs.length}); ` +
    `kafkats …${at(ours)}…, Java …${at(theirs)}…`
  );
}

const fromHex = (hex: string) => (hex === '-' ? Buffer.alloc(0) : Buffer.from(hex, 'hex'));

let java: CompiledJava;
let work: string;

before(async () => {
  java = await compileJava(SOURCE, await kafkaLibs(), 'kafkats-golden-messages');
  work = await mkdtemp(join(tmpdir(), 'kafkats-golden-messages-run-'));
});

after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('golden protocol messages (Java client)', { timeout: 600_000 }, () => {
  // Its own timeout: from Node 24 on, the runner's per-test --test-timeout (5 min) replaces the
  // suite's for each test inside it.
  it('Java parses every kafkats sample message completely and writes back the same bytes', {
    timeout: 600_000,
  }, async (t) => {
    const started = Date.now();
    const cases = buildCases();
    const input = join(work, 'cases.txt');
    await writeFile(
      input,
      cases
        .map((c) => `${c.javaClass} ${c.version} ${c.bytes.length ? c.bytes.toString('hex') : '-'}\n`)
        .join(''),
    );
    const lines = (await runJava(java.classpath, 'GoldenMessages', ['check', input])).split('\n');
    if (lines.at(-1) === '') lines.pop();
    assert.equal(lines.length, cases.length, 'one Java answer per case');

    const failures: string[] = [];
    let compared = 0;
    const excluded: string[] = [];
    const apisSeen = new Set<string>();
    cases.forEach((c, i) => {
      const [cls, ver, status, ...rest] = lines[i]!.split(' ');
      assert.equal(`${cls} ${ver}`, `${c.javaClass} ${c.version}`, `answer ${i} is for case ${i}`);
      const reason = excludedReason(c.javaClass, c.version, variantOf(c.label));
      if (reason !== undefined) {
        excluded.push(`${c.label}: ${reason}`);
        return;
      }
      compared++;
      apisSeen.add(c.javaClass);
      if (status !== 'OK') {
        failures.push(`${c.label} [${c.javaClass}]: Java: ${rest.join(' ')}`);
        return;
      }
      const theirs = fromHex(rest[0] ?? '-');
      if (!theirs.equals(c.bytes)) {
        failures.push(`${c.label}: ${firstDifference(c.bytes, theirs)}`);
        return;
      }
      const mismatches: string[] = [];
      compareJson(c.struct, c.version, c.sample, JSON.parse(rest.slice(1).join(' ')), '', mismatches);
      if (mismatches.length) failures.push(`${c.label}: field values differ: ${mismatches.join('; ')}`);
    });
    const passed = compared - failures.length;
    t.diagnostic(
      `${cases.length} cases, ${compared} compared, ${passed} passed, ${excluded.length} excluded, ` +
        `${Date.now() - started} ms`,
    );
    for (const e of excluded) t.diagnostic(`excluded ${e}`);
    assert.deepEqual(failures, [], `${failures.length} of ${compared} cases differ:\n${failures.join('\n')}`);
    // Every API, both directions, plus both headers.
    assert.equal(apisSeen.size, ALL_APIS.length * 2 + 2);
    assert.ok(compared > 1000, `only ${compared} cases compared`);
  });

  describe('messages built by hand in Java decode in kafkats', () => {
    let built: Map<string, { javaClass: string; version: number; bytes: Buffer }>;

    before(async () => {
      built = new Map();
      for (const line of (await runJava(java.classpath, 'GoldenMessages', ['build'])).split('\n')) {
        if (!line) continue;
        const [label, javaClass, version, hex] = line.split(' ');
        built.set(label!, { javaClass: javaClass!, version: Number(version), bytes: fromHex(hex!) });
      }
    });

    /** Java's message `label`, which must be a `<api><Request|Response>Data`. */
    function javaMessage(label: string, api: AnyApi, side: 'Request' | 'Response') {
      const m = built.get(label);
      assert.ok(m, `Java built ${label}`);
      assert.equal(m.javaClass, `${api.name}${side}Data`);
      return m;
    }

    /** Decodes Java's request with kafkats, insisting on every byte being read. */
    function decodeRequest<Req>(label: string, api: ApiMessage<Req, unknown>): Req {
      const { version, bytes } = javaMessage(label, api as AnyApi, 'Request');
      const r = new Reader(bytes);
      const value = api.decodeRequest(r, version);
      assert.equal(r.remaining, 0, `${label}: ${r.remaining} bytes left`);
      return value;
    }

    /** Decodes Java's request, then checks kafkats writes it back to Java's exact bytes. */
    function requestRoundTrip<Req>(label: string, api: ApiMessage<Req, unknown>): Req {
      const value = decodeRequest(label, api);
      const { version, bytes } = built.get(label)!;
      const again = encode((w) => api.encodeRequest(w, version, value));
      assert.ok(again.equals(bytes), `${label}: ${firstDifference(again, bytes)}`);
      return value;
    }

    /** The same for a response. */
    function responseRoundTrip<Res>(label: string, api: ApiMessage<unknown, Res>): Res {
      const { version, bytes } = javaMessage(label, api as AnyApi, 'Response');
      const r = new Reader(bytes);
      const value = api.decodeResponse(r, version);
      assert.equal(r.remaining, 0, `${label}: ${r.remaining} bytes left`);
      const again = encode((w) => api.encodeResponse(w, version, value));
      assert.ok(again.equals(bytes), `${label}: ${firstDifference(again, bytes)}`);
      return value;
    }

    const uuid = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
    const TOPIC_ID = uuid('0123456789abcdeffedcba9876543210');

    function checkRecords(records: Buffer | null): void {
      assert.ok(records);
      const [batch, ...more] = decodeRecordBatches(records);
      assert.equal(more.length, 0);
      const rs = batch!.recordsSync();
      assert.deepEqual(
        rs.map((r) => [r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null]),
        [
          [1700000000000, 'k', 'v'],
          [1700000000001, null, 'second'],
        ],
      );
    }

    it('ApiVersionsRequest v3 with client software name and version', () => {
      const m = requestRoundTrip('api-versions-v3', ApiVersions);
      assert.equal(m.clientSoftwareName, 'kafkats-golden');
      assert.equal(m.clientSoftwareVersion, '1.2.3-é');
    });

    it('ApiVersionsRequest v4 with an unknown tagged field: kept, and written back byte for byte', () => {
      const m = decodeRequest('api-versions-v4-unknown-tag', ApiVersions);
      const { bytes } = built.get('api-versions-v4-unknown-tag')!;
      assert.equal(m.clientSoftwareName, 'kafkats');
      assert.equal(m.clientSoftwareVersion, '9');
      // Java's bytes end with a tag section of one field this version does not know (tag 7,
      // 3 bytes 010203): kafkats keeps it, so encoding what it decoded gives Java's bytes back.
      const tagSection = Buffer.from('010703010203', 'hex');
      assert.ok(bytes.subarray(bytes.length - tagSection.length).equals(tagSection));
      assert.deepEqual(
        m.unknownTaggedFields?.map((f) => [f.tag, Buffer.from(f.data).toString('hex')]),
        [[7, '010203']],
      );
      const again = encode((w) => ApiVersions.encodeRequest(w, 4, m));
      assert.ok(again.equals(bytes));
    });

    it('MetadataRequest v12 with a topic by name and one by id', () => {
      const m = requestRoundTrip('metadata-v12', Metadata);
      assert.deepEqual(m.topics, [
        { topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: 'orders' },
        { topicId: TOPIC_ID, name: null },
      ]);
      assert.equal(m.allowAutoTopicCreation, false);
      assert.equal(m.includeTopicAuthorizedOperations, true);
      const all = requestRoundTrip('metadata-v12-all-topics', Metadata);
      assert.equal(all.topics, null);
      assert.equal(all.allowAutoTopicCreation, true);
    });

    for (const v of [9, 11]) {
      it(`ProduceRequest v${v} with records`, () => {
        const m = requestRoundTrip(`produce-v${v}`, Produce);
        assert.equal(m.transactionalId, 'txn-1');
        assert.equal(m.acks, -1);
        assert.equal(m.timeoutMs, 30000);
        assert.equal(m.topicData.length, 1);
        assert.equal(m.topicData[0].name, 'orders');
        const [p3, p4] = m.topicData[0].partitionData;
        assert.equal(p3.index, 3);
        checkRecords(p3.records);
        assert.equal(p4.index, 4);
        assert.equal(p4.records, null);
      });
    }

    it('FetchResponse v16 with tagged fields set', () => {
      const m = responseRoundTrip('fetch-response-v16', Fetch);
      assert.equal(m.throttleTimeMs, 5);
      assert.equal(m.errorCode, 0);
      assert.equal(m.sessionId, 77);
      assert.deepEqual(m.nodeEndpoints, [{ nodeId: 2, host: 'broker-2', port: 9093, rack: 'r1' }]);
      assert.equal(m.responses.length, 1);
      assert.equal(m.responses[0].topicId, uuid('11112222333344445555666677778888'));
      const [p] = m.responses[0].partitions;
      const { records, ...rest } = p;
      assert.deepEqual(rest, {
        partitionIndex: 1,
        errorCode: 6,
        highWatermark: 1000n,
        lastStableOffset: 990n,
        logStartOffset: 10n,
        divergingEpoch: { epoch: 4, endOffset: 500n },
        currentLeader: { leaderId: 2, leaderEpoch: 5 },
        snapshotId: { endOffset: 321n, epoch: 3 },
        abortedTransactions: [{ producerId: 42n, firstOffset: 100n }],
        preferredReadReplica: -1,
      });
      checkRecords(records);
    });

    it('JoinGroupRequest v9', () => {
      const m = requestRoundTrip('join-group-v9', JoinGroup);
      assert.equal(m.groupId, 'group-a');
      assert.equal(m.sessionTimeoutMs, 45000);
      assert.equal(m.rebalanceTimeoutMs, 300000);
      assert.equal(m.memberId, 'member-1');
      assert.equal(m.groupInstanceId, null);
      assert.equal(m.protocolType, 'consumer');
      assert.deepEqual(
        m.protocols.map((p: { name: string; metadata: Buffer }) => [p.name, p.metadata.toString('hex')]),
        [
          ['range', '000102'],
          ['roundrobin', ''],
        ],
      );
      assert.equal(m.reason, 'rejoin');
    });

    it('ConsumerGroupHeartbeatRequest v1', () => {
      const m = requestRoundTrip('consumer-group-heartbeat-v1', ConsumerGroupHeartbeat);
      assert.deepEqual(m, {
        groupId: 'group-b',
        memberId: 'Zm9vYmFyYmF6cXV4MTIzNA',
        memberEpoch: 12,
        instanceId: null,
        rackId: 'rack-1',
        rebalanceTimeoutMs: 60000,
        subscribedTopicNames: ['orders', 'payments'],
        subscribedTopicRegex: 'ord.*',
        serverAssignor: 'uniform',
        topicPartitions: [{ topicId: TOPIC_ID, partitions: [0, 2, 5] }],
      });
    });

    it('RequestHeader v2', () => {
      const m = built.get('request-header-v2');
      assert.ok(m);
      const r = new Reader(m.bytes);
      const h = decodeRequestHeader(r, 2);
      assert.equal(r.remaining, 0);
      assert.deepEqual(h, {
        requestApiKey: 18,
        requestApiVersion: 4,
        correlationId: 123456,
        clientId: 'cliént',
      });
      assert.ok(encode((w) => encodeRequestHeader(w, 2, h)).equals(m.bytes));
    });
  });
});
