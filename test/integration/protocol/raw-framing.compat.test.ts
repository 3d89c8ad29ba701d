/**
 * The generated codecs against a real broker over a bare socket: ApiVersions at v0 and at the
 * newest version, Metadata and CreateTopics at the oldest and newest versions both sides support.
 * `.compat`: also runs against Kafka 3.9. (Produce and Fetch are covered by the record tests.)
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  type ApiMessage,
  ApiVersions,
  type ApiVersionsResponse,
  CreateTopics,
  decodeResponseFrame,
  encodeRequestFrame,
  Metadata,
} from '../../../src/protocol/index.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';

/** One socket, one request at a time: just enough to check the bytes. */
class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: ((frame: Buffer) => void) | undefined;
  private failed: ((err: Error) => void) | undefined;
  private correlationId = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      if (this.buffered.length < 4) return;
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const w = this.waiting;
      this.waiting = undefined;
      w?.(frame);
    });
    const fail = (err: Error) => this.failed?.(err);
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('broker closed the connection')));
  }

  static open(address: string): Promise<RawConnection> {
    const at = address.lastIndexOf(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host: address.slice(0, at), port: Number(address.slice(at + 1)) }, () =>
        resolve(new RawConnection(socket)),
      );
      socket.once('error', reject);
    });
  }

  async request<Req, Res>(api: ApiMessage<Req, Res>, version: number, body: Req): Promise<Res> {
    const correlationId = ++this.correlationId;
    const frame = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${api.name} v${version}: no answer in 15 s`)), 15_000);
      this.waiting = (f) => {
        clearTimeout(timer);
        resolve(f);
      };
      this.failed = (err) => {
        clearTimeout(timer);
        reject(err);
      };
      this.socket.write(encodeRequestFrame(api, version, correlationId, 'kafkats-raw-framing', body));
    });
    const decoded = decodeResponseFrame(api, version, frame);
    assert.equal(decoded.correlationId, correlationId, `${api.name} v${version}: correlation id`);
    return decoded.body;
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('raw framing against the broker', () => {
  let conn: RawConnection;
  let versions: ApiVersionsResponse;

  /** [oldest, newest] version both sides speak. */
  const range = (api: ApiMessage<unknown, unknown>): [number, number] => {
    const b = versions.apiKeys.find((k) => k.apiKey === api.apiKey);
    assert.ok(b, `broker does not offer ${api.name}`);
    const lo = Math.max(api.minVersion, b.minVersion);
    const hi = Math.min(api.maxVersion, b.maxVersion);
    assert.ok(
      lo <= hi,
      `${api.name}: no common version (ours ${api.minVersion}-${api.maxVersion}, broker ${b.minVersion}-${b.maxVersion})`,
    );
    return [lo, hi];
  };

  before(async () => {
    conn = await RawConnection.open(testCluster().brokers[0]!);
  });
  after(() => conn?.close());

  it('ApiVersions v0', async () => {
    const res = await conn.request(ApiVersions, 0, {});
    assert.equal(res.errorCode, 0);
    assert.ok(res.apiKeys.length > 20);
    assert.ok(res.apiKeys.some((k) => k.apiKey === 3));
  });

  it('ApiVersions at the newest version both sides know', async () => {
    const v0 = await conn.request(ApiVersions, 0, {});
    const offered = v0.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey)!;
    const v = Math.min(ApiVersions.maxVersion, offered.maxVersion);
    versions = await conn.request(ApiVersions, v, {
      clientSoftwareName: 'kafkats',
      clientSoftwareVersion: '0.1.0',
    });
    assert.equal(versions.errorCode, 0);
    assert.deepStrictEqual(
      versions.apiKeys.map((k) => k.apiKey),
      v0.apiKeys.map((k) => k.apiKey),
    );
    if (v >= 3) assert.ok(versions.finalizedFeaturesEpoch !== undefined);
  });

  it('CreateTopics and Metadata at the oldest and newest common versions', async () => {
    const [cLo, cHi] = range(CreateTopics as ApiMessage<unknown, unknown>);
    const topics: string[] = [];
    for (const v of new Set([cLo, cHi])) {
      const name = uniqueTopicName(`raw-framing-v${v}`);
      topics.push(name);
      const res = await conn.request(CreateTopics, v, {
        topics: [{ name, numPartitions: 3, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 30_000,
        validateOnly: false,
      });
      assert.equal(res.topics.length, 1);
      assert.equal(res.topics[0]!.name, name);
      assert.equal(res.topics[0]!.errorCode, 0, `CreateTopics v${v}: ${res.topics[0]!.errorMessage}`);
      if (v >= 5) assert.equal(res.topics[0]!.numPartitions, 3);
    }

    const [mLo, mHi] = range(Metadata as ApiMessage<unknown, unknown>);
    for (const v of new Set([mLo, mHi])) {
      // Leaders may take a moment to be elected after creation.
      let ok = false;
      for (let attempt = 0; attempt < 50 && !ok; attempt++) {
        const res = await conn.request(Metadata, v, {
          topics: topics.map((name) => ({ name })),
          // v0-v3 cannot say no (auto-creation is the broker's choice there).
          ...(v >= 4 ? { allowAutoTopicCreation: false } : {}),
        });
        assert.ok(res.brokers.length >= 1, `Metadata v${v}: brokers`);
        assert.equal(res.topics.length, topics.length);
        ok = res.topics.every(
          (t) => t.errorCode === 0 && t.partitions.length === 3 && t.partitions.every((p) => p.leaderId >= 0),
        );
        if (ok) {
          for (const t of res.topics)
            assert.ok(topics.includes(t.name ?? ''), `Metadata v${v}: topic ${t.name}`);
          if (v >= 10) assert.ok(res.topics.every((t) => t.topicId !== 'AAAAAAAAAAAAAAAAAAAAAA'));
        } else await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(ok, `Metadata v${v}: topics never became ready`);
    }
  });
});
