import { Reader } from '../protocol/codec/reader.js';
import { Writer } from '../protocol/codec/writer.js';
import {
  decodeConsumerProtocolAssignment,
  encodeConsumerProtocolAssignment,
} from '../protocol/messages/consumer-protocol-assignment.js';
import {
  decodeConsumerProtocolSubscription,
  encodeConsumerProtocolSubscription,
} from '../protocol/messages/consumer-protocol-subscription.js';

/**
 * The classic group protocol's "consumer" embedded protocol: what a member puts in JoinGroup's
 * metadata (its subscription) and what the leader hands out in SyncGroup (assignments). The
 * bytes follow Kafka's ConsumerProtocolSubscription / ConsumerProtocolAssignment data specs
 * (an int16 version, then the version's fields, never flexible), so kafkats members share a
 * group with Java, librdkafka and KafkaJS members. The bodies are read and written by the codec
 * `npm run generate` makes from those specs (src/protocol/messages/consumer-protocol-*.ts);
 * this module adds the version prefix, the defaults and the KafkaJS shapes.
 */

export const SUBSCRIPTION_MAX_VERSION = 3;
export const ASSIGNMENT_MAX_VERSION = 3;

/** A topic and some of its partitions. */
export interface TopicPartitions {
  /** Topic name. */
  topic: string;
  /** Partition indexes. */
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

function checkVersion(version: number, max: number, what: string): void {
  if (!Number.isInteger(version) || version < 0 || version > max) {
    throw new RangeError(`${what} version must be an integer from 0 to ${max}, got ${version}`);
  }
}

/** The int16 version the embedding writes in front of the generated body, then the body. */
function withVersion(version: number, body: (w: Writer) => void): Buffer {
  const w = new Writer(64);
  w.int16(version);
  body(w);
  return Buffer.from(w.finish());
}

export function encodeSubscription(s: Partial<ConsumerSubscription> & { topics: string[] }): Buffer {
  const version = s.version ?? SUBSCRIPTION_MAX_VERSION;
  checkVersion(version, SUBSCRIPTION_MAX_VERSION, 'ConsumerProtocolSubscription');
  return withVersion(version, (w) =>
    encodeConsumerProtocolSubscription(w, version, {
      topics: s.topics,
      userData: s.userData ?? null,
      ownedPartitions: s.ownedPartitions ?? [],
      generationId: s.generationId ?? -1,
      rackId: s.rackId ?? null,
    }),
  );
}

/**
 * Decodes a subscription. A version above the newest we know is read as the newest: later
 * versions only append fields, which is how the Java client reads them too. Fields missing
 * because the input ends early in an older encoder's output (KafkaJS writes v0 or v1 without
 * every field) take their defaults: the generated decoder's `shortTail` mode.
 */
export function decodeSubscription(buf: Buffer): ConsumerSubscription {
  const r = new Reader(buf);
  const written = r.int16();
  if (written < 0) throw new RangeError(`ConsumerProtocolSubscription version ${written} is negative`);
  const s = decodeConsumerProtocolSubscription(r, Math.min(written, SUBSCRIPTION_MAX_VERSION), true);
  return {
    version: written,
    topics: s.topics,
    userData: s.userData === null ? null : Buffer.from(s.userData),
    ownedPartitions: s.ownedPartitions ?? [],
    generationId: s.generationId ?? -1,
    rackId: s.rackId ?? null,
  };
}

export function encodeAssignment(
  a: Partial<ConsumerAssignment> & { assignedPartitions: TopicPartitions[] },
): Buffer {
  const version = a.version ?? ASSIGNMENT_MAX_VERSION;
  checkVersion(version, ASSIGNMENT_MAX_VERSION, 'ConsumerProtocolAssignment');
  return withVersion(version, (w) =>
    encodeConsumerProtocolAssignment(w, version, {
      assignedPartitions: a.assignedPartitions,
      userData: a.userData ?? null,
    }),
  );
}

/** Decodes an assignment; an empty buffer (a member given nothing by some leaders) is an empty assignment. */
export function decodeAssignment(buf: Buffer): ConsumerAssignment {
  if (buf.length === 0) return { version: 0, assignedPartitions: [], userData: null };
  const r = new Reader(buf);
  const version = r.int16();
  if (version < 0) throw new RangeError(`ConsumerProtocolAssignment version ${version} is negative`);
  // Versions above the newest only append fields (the spec's promise), so read them as the newest.
  const a = decodeConsumerProtocolAssignment(r, Math.min(version, ASSIGNMENT_MAX_VERSION), true);
  return {
    version,
    assignedPartitions: a.assignedPartitions,
    userData: a.userData === null ? null : Buffer.from(a.userData),
  };
}

// --- KafkaJS's AssignerProtocol shapes over the same bytes ---------------------------------

/** KafkaJS's `MemberMetadata`: what a custom assigner's `protocol()` returns as metadata. */
export interface MemberMetadata {
  /** Version of the embedded ConsumerProtocolSubscription the bytes are written in (0 to 3; higher is written as 3). */
  version: number;
  /** Topics the member subscribes to. */
  topics: string[];
  /** Opaque bytes the assigner passes between its members, or null. */
  userData?: Buffer | null;
}

/** KafkaJS's `MemberAssignment`: `{ topic: partitions[] }`. */
export interface MemberAssignment {
  /** Version of the embedded ConsumerProtocolAssignment the bytes are written in (0 to 3; higher is written as 3). */
  version: number;
  /** Assigned partition indexes by topic name. */
  assignment: Record<string, number[]>;
  /** Opaque bytes from the leader's assigner to the member, or null. */
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
