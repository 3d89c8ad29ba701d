/**
 * Raw framing against a real broker: Produce a batch per codec written by kafkats' record codec,
 * Fetch it back and decode it, at the newest and the oldest Produce/Fetch versions both sides
 * support; and decode batches that kcat (librdkafka) produced with each codec. `.compat`: also
 * runs against Kafka 3.9.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ApiMessage } from '../../../src/protocol/api.js';
import { Reader } from '../../../src/protocol/codec/reader.js';
import { Writer } from '../../../src/protocol/codec/writer.js';
import { CompressionTypes } from '../../../src/protocol/compression/index.js';
import { encodeRequestHeader } from '../../../src/protocol/messages/headers.js';
import { ApiVersions, CreateTopics, Fetch, Produce } from '../../../src/protocol/messages/index.js';
import {
  decodeRecordBatches,
  encodeRecordBatch,
  type KafkaRecord,
} from '../../../src/protocol/records/index.js';
import { useKafka } from '../../../src/testing/index.js';

interface Cluster {
  bootstrap: string;
  stop(): Promise<void>;
}

/** The shared test broker when test/helpers/cluster.ts provides one, else the harness. */
async function cluster(): Promise<{ cluster: Cluster; owned: boolean }> {
  const helper = '../../helpers/cluster.js';
  try {
    const m = (await import(helper)) as { testCluster?: () => Promise<Cluster> };
    if (m.testCluster) return { cluster: await m.testCluster(), owned: false };
  } catch {
    // no shared helper yet
  }
  return { cluster: await useKafka(), owned: true };
}

/** Just enough of a connection to send one request at a time. */
class RawConnection {
  private buffered = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | undefined;
  private correlationId = 0;
  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      if (this.buffered.length >= 4) {
        const size = this.buffered.readInt32BE(0);
        if (this.buffered.length >= 4 + size) {
          const frame = this.buffered.subarray(4, 4 + size);
          this.buffered = this.buffered.subarray(4 + size);
          this.waiting?.(frame);
        }
      }
    });
  }

  static open(address: string): Promise<RawConnection> {
    const [host, port] = address.split(':') as [string, string];
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  async request<Req, Res>(api: ApiMessage<Req, Res>, version: number, body: Req): Promise<Res> {
    const correlationId = ++this.correlationId;
    const w = new Writer();
    const sizeAt = w.reserveInt32();
    encodeRequestHeader(w, api.requestHeaderVersion(version), {
      requestApiKey: api.apiKey,
      requestApiVersion: version,
      correlationId,
      clientId: 'kafkats-compat-test',
    });
    api.encodeRequest(w, version, body);
    w.patchInt32(sizeAt, w.pos - 4);
    const frame = await new Promise<Buffer>((resolve) => {
      this.waiting = resolve;
      this.socket.write(Buffer.from(w.finish()));
    });
    const r = new Reader(frame);
    assert.equal(r.int32(), correlationId);
    if (api.responseHeaderVersion(version) >= 1) {
      // tagged fields of response header v1
      for (let n = r.uvarint(); n > 0; n--) {
        r.uvarint();
        r.skip(r.uvarint());
      }
    }
    return api.decodeResponse(r, version);
  }

  close(): void {
    this.socket.destroy();
  }
}

function run(cmd: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(input);
  });
}

const T0 = 1_700_000_000_000;
const RECORDS = Array.from({ length: 20 }, (_, i) => ({
  key: i % 3 === 0 ? null : Buffer.from(`key-${i}`),
  value: Buffer.from(`value-${i}-`.repeat(i + 1)),
  headers: [
    { key: 'h', value: Buffer.from(String(i)) },
    { key: 'h', value: null },
  ],
  timestamp: T0 + i,
}));

function plain(r: KafkaRecord) {
  return [
    r.key?.toString() ?? null,
    r.value?.toString() ?? null,
    r.headers.map((h) => [h.key, h.value?.toString() ?? null]),
  ];
}

describe('Produce and Fetch raw record batches against the broker', { timeout: 300_000 }, () => {
  let handle: { cluster: Cluster; owned: boolean };
  let conn: RawConnection;
  const ranges = new Map<number, [number, number]>();
  const topic = `kafkats-records-${process.pid}-${Date.now()}`;
  let topicId = '';

  function versions(api: ApiMessage<unknown, unknown>): [number, number] {
    const broker = ranges.get(api.apiKey);
    assert.ok(broker, `broker does not support ${api.name}`);
    return [Math.max(api.minVersion, broker[0]), Math.min(api.maxVersion, broker[1])];
  }

  async function createTopic(name: string): Promise<string> {
    const v = versions(CreateTopics as ApiMessage<unknown, unknown>)[1];
    const res = await conn.request(CreateTopics, v, {
      topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 30_000,
      validateOnly: false,
    });
    assert.equal(res.topics[0]!.errorCode, 0, res.topics[0]!.errorMessage ?? '');
    return res.topics[0]!.topicId ?? '';
  }

  async function fetchAll(name: string, id: string, version: number, offset: bigint) {
    const res = await conn.request(Fetch, version, {
      replicaId: -1,
      maxWaitMs: 100,
      minBytes: 1,
      maxBytes: 4 * 1024 * 1024,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: name,
          topicId: id,
          partitions: [
            {
              partition: 0,
              currentLeaderEpoch: -1,
              fetchOffset: offset,
              logStartOffset: -1n,
              partitionMaxBytes: 4 * 1024 * 1024,
            },
          ],
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    });
    const p = res.responses[0]!.partitions[0]!;
    assert.equal(p.errorCode, 0);
    return decodeRecordBatches(p.records ?? Buffer.alloc(0));
  }

  before(async () => {
    handle = await cluster();
    conn = await RawConnection.open(handle.cluster.bootstrap.split(',')[0]!);
    const av = await conn.request(ApiVersions, 3, {
      clientSoftwareName: 'kafkats',
      clientSoftwareVersion: '0.0.0',
    });
    assert.equal(av.errorCode, 0);
    for (const k of av.apiKeys) ranges.set(k.apiKey, [k.minVersion, k.maxVersion]);
    topicId = await createTopic(topic);
    // The new partition needs a moment to get a leader.
    await new Promise((r) => setTimeout(r, 1000));
  });

  after(async () => {
    conn?.close();
    if (handle?.owned) await handle.cluster.stop();
  });

  for (const [name, compression] of Object.entries(CompressionTypes)) {
    for (const which of ['newest', 'oldest'] as const) {
      it(`${name} at the ${which} Produce/Fetch versions`, async () => {
        const [pMin, pMax] = versions(Produce as ApiMessage<unknown, unknown>);
        const [fMin, fMax] = versions(Fetch as ApiMessage<unknown, unknown>);
        // zstd needs Produce v7 and Fetch v10 (KIP-110).
        const zstd = compression === CompressionTypes.ZSTD;
        const pv = which === 'newest' ? pMax : Math.max(pMin, zstd ? 7 : 0);
        const fv = which === 'newest' ? fMax : Math.max(fMin, zstd ? 10 : 0);
        const batch = await encodeRecordBatch({ compression, records: RECORDS });
        const res = await conn.request(Produce, pv, {
          transactionalId: null,
          acks: -1,
          timeoutMs: 30_000,
          topicData: [{ name: topic, topicId, partitionData: [{ index: 0, records: batch }] }],
        });
        const pr = res.responses[0]!.partitionResponses[0]!;
        assert.equal(pr.errorCode, 0, `produce v${pv} error ${pr.errorCode}`);
        const batches = await fetchAll(topic, topicId, fv, pr.baseOffset);
        const first = batches[0]!;
        assert.equal(first.baseOffset, pr.baseOffset);
        assert.equal(first.compression, compression);
        const records = await first.records();
        assert.deepEqual(
          records.map(plain),
          RECORDS.map((r) => plain({ ...r, offset: 0, offsetDelta: 0, attributes: 0 })),
        );
        assert.deepEqual(
          records.map((r) => r.offset),
          RECORDS.map((_, i) => Number(pr.baseOffset) + i),
        );
      });
    }
  }

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    it(`decodes what kcat (librdkafka) produced with ${codec}`, async () => {
      const kcatTopic = `${topic}-kcat-${codec}`;
      const id = await createTopic(kcatTopic);
      await new Promise((r) => setTimeout(r, 500));
      const lines = Array.from({ length: 50 }, (_, i) => `k${i}:${`payload ${i} `.repeat(10)}`);
      await run(
        'kcat',
        [
          '-P',
          '-b',
          handle.cluster.bootstrap,
          '-t',
          kcatTopic,
          '-p',
          '0',
          '-K',
          ':',
          '-z',
          codec,
          '-H',
          'src=kcat',
          '-X',
          'linger.ms=50',
        ],
        `${lines.join('\n')}\n`,
      );
      const batches = await fetchAll(kcatTopic, id, versions(Fetch as ApiMessage<unknown, unknown>)[1], 0n);
      const records = (await Promise.all(batches.map((b) => b.records()))).flat();
      assert.deepEqual(
        records.map((r) => `${r.key}:${r.value}`),
        lines,
      );
      assert.deepEqual(
        records[0]!.headers.map((h) => [h.key, h.value?.toString()]),
        [['src', 'kcat']],
      );
      if (codec !== 'none')
        assert.ok(
          batches.some((b) => b.compression !== 0),
          'kcat compressed at least one batch',
        );
    });
  }
});
