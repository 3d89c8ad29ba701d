import { Reader } from '../protocol/codec/reader.js';
import { Writer } from '../protocol/codec/writer.js';

/**
 * The classic group protocol's "consumer" embedded protocol: what a member puts in JoinGroup's
 * metadata (its subscription) and what the leader hands out in SyncGroup (assignments). The
 * bytes follow Kafka's ConsumerProtocolSubscription / ConsumerProtocolAssignment data specs
 * (an int16 version, then the version's fields, never flexible), so kafkats members share a
 * group with Java, librdkafka and KafkaJS members.
 */

export const SUBSCRIPTION_MAX_VERSION = 3;
export const ASSIGNMENT_MAX_VERSION = 3;

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface ConsumerSubscription {
  /** The int16 version the bytes were (or will be) written in, 0..3. */
  version: number;
  topics: string[];
  userData: Buffer | null;
  /** v1+: the partitions the member owned when it (re)joined; used by sticky and cooperative assignors. */
  ownedPartitions: TopicPartitions[];
  /** v2+: the generation in which ownedPartitions were owned, -1 when unknown. */
  generationId: number;
  /** v3+: the member's rack, for rack-aware assignment. */
  rackId: string | null;
}

export interface ConsumerAssignment {
  version: number;
  assignedPartitions: TopicPartitions[];
  userData: Buffer | null;
}

function writeTopicPartitions(w: Writer, list: readonly TopicPartitions[]): void {
  w.arrayLength(list.length);
  for (const tp of list) {
    w.string(tp.topic);
    w.arrayLength(tp.partitions.length);
    for (const p of tp.partitions) w.int32(p);
  }
}

function readTopicPartitions(r: Reader): TopicPartitions[] {
  const n = r.arrayLength(6);
  const out: TopicPartitions[] = [];
  for (let i = 0; i < n; i++) {
    const topic = r.string();
    const m = r.arrayLength(4);
    const partitions: number[] = new Array(Math.max(m, 0));
    for (let j = 0; j < m; j++) partitions[j] = r.int32();
    out.push({ topic, partitions });
  }
  return out;
}

function checkVersion(version: number, max: number, what: string): void {
  if (!Number.isInteger(version) || version < 0 || version > max) {
    throw new RangeError(`${what} version must be an integer from 0 to ${max}, got ${version}`);
  }
}

export function encodeSubscription(s: Partial<ConsumerSubscription> & { topics: string[] }): Buffer {
  const version = s.version ?? SUBSCRIPTION_MAX_VERSION;
  checkVersion(version, SUBSCRIPTION_MAX_VERSION, 'ConsumerProtocolSubscription');
  const w = new Writer(64);
  w.int16(version);
  w.arrayLength(s.topics.length);
  for (const t of s.topics) w.string(t);
  w.nullableBytes(s.userData ?? null);
  if (version >= 1) writeTopicPartitions(w, s.ownedPartitions ?? []);
  if (version >= 2) w.int32(s.generationId ?? -1);
  if (version >= 3) w.nullableString(s.rackId ?? null);
  return Buffer.from(w.finish());
}

/**
 * Decodes a subscription. A version above the newest we know is read as the newest: later
 * versions only append fields, which is how the Java client reads them too. Fields missing
 * because the input ends early in an older encoder's output (KafkaJS writes v0 or v1 without
 * every field) take their defaults.
 */
export function decodeSubscription(buf: Buffer): ConsumerSubscription {
  const r = new Reader(buf);
  const written = r.int16();
  if (written < 0) throw new RangeError(`ConsumerProtocolSubscription version ${written} is negative`);
  const version = Math.min(written, SUBSCRIPTION_MAX_VERSION);
  const n = r.arrayLength(2);
  const topics: string[] = [];
  for (let i = 0; i < n; i++) topics.push(r.string());
  const userData = r.remaining >= 4 ? r.nullableBytes() : null;
  const ownedPartitions = version >= 1 && r.remaining >= 4 ? readTopicPartitions(r) : [];
  const generationId = version >= 2 && r.remaining >= 4 ? r.int32() : -1;
  const rackId = version >= 3 && r.remaining >= 2 ? r.nullableString() : null;
  return {
    version: written,
    topics,
    userData: userData === null ? null : Buffer.from(userData),
    ownedPartitions,
    generationId,
    rackId,
  };
}

export function encodeAssignment(
  a: Partial<ConsumerAssignment> & { assignedPartitions: TopicPartitions[] },
): Buffer {
  const version = a.version ?? ASSIGNMENT_MAX_VERSION;
  checkVersion(version, ASSIGNMENT_MAX_VERSION, 'ConsumerProtocolAssignment');
  const w = new Writer(64);
  w.int16(version);
  writeTopicPartitions(w, a.assignedPartitions);
  w.nullableBytes(a.userData ?? null);
  return Buffer.from(w.finish());
}

/** Decodes an assignment; an empty buffer (a member given nothing by some leaders) is an empty assignment. */
export function decodeAssignment(buf: Buffer): ConsumerAssignment {
  if (buf.length === 0) return { version: 0, assignedPartitions: [], userData: null };
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0) throw new RangeError(`ConsumerProtocolAssignment version ${version} is negative`);
  const assignedPartitions = readTopicPartitions(r);
  const userData = r.remaining >= 4 ? r.nullableBytes() : null;
  return { version, assignedPartitions, userData: userData === null ? null : Buffer.from(userData) };
}

// --- KafkaJS's AssignerProtocol shapes over the same bytes ---------------------------------

/** KafkaJS's `MemberMetadata`: what a custom assigner's `protocol()` returns as metadata. */
export interface MemberMetadata {
  version: number;
  topics: string[];
  userData?: Buffer | null;
}

/** KafkaJS's `MemberAssignment`: `{ topic: partitions[] }`. */
export interface MemberAssignment {
  version: number;
  assignment: Record<string, number[]>;
  userData?: Buffer | null;
}

/** KafkaJS's `AssignerProtocol`: `MemberMetadata.encode/decode`, `MemberAssignment.encode/decode`. */
export const AssignerProtocol = {
  /** Codec of a member's subscription metadata (the ConsumerProtocol subscription). */
  MemberMetadata: {
    /** Encodes a subscription as JoinGroup metadata. */
    encode({ version, topics, userData }: MemberMetadata): Buffer {
      // KafkaJS writes version 0/1 layouts with only topics and userData; keep that for v0 and
      // write the full layout for newer versions.
      return encodeSubscription({
        version: Math.min(version, SUBSCRIPTION_MAX_VERSION),
        topics,
        userData: userData ?? Buffer.alloc(0),
      });
    },
    /** Decodes JoinGroup metadata; null for an empty or null buffer. */
    decode(buffer: Buffer | null): MemberMetadata | null {
      if (buffer === null || buffer.length === 0) return null;
      const s = decodeSubscription(buffer);
      return { version: s.version, topics: s.topics, userData: s.userData ?? Buffer.alloc(0) };
    },
  },
  /** Codec of a member's assignment (the ConsumerProtocol assignment). */
  MemberAssignment: {
    /** Encodes an assignment as SyncGroup bytes. */
    encode({ version, assignment, userData }: MemberAssignment): Buffer {
      const assignedPartitions = Object.keys(assignment).map((topic) => ({
        topic,
        partitions: assignment[topic]!,
      }));
      return encodeAssignment({
        version: Math.min(version, ASSIGNMENT_MAX_VERSION),
        assignedPartitions,
        userData: userData ?? Buffer.alloc(0),
      });
    },
    /** Decodes SyncGroup assignment bytes; null for an empty or null buffer. */
    decode(buffer: Buffer | null): MemberAssignment | null {
      if (buffer === null || buffer.length === 0) return null;
      const a = decodeAssignment(buffer);
      const assignment: Record<string, number[]> = {};
      for (const tp of a.assignedPartitions)
        assignment[tp.topic] = [...(assignment[tp.topic] ?? []), ...tp.partitions];
      return { version: a.version, assignment, userData: a.userData ?? Buffer.alloc(0) };
    },
  },
};
