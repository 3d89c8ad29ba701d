import { KafkaProtocolError } from '../../errors/base.js';
import type { ControlRecord } from './types.js';

/** Control record types (the int16 in a control record's key). */
export const ControlRecordTypes = {
  /** Transaction marker: the producer's transaction was aborted on this partition. */
  ABORT: 0,
  /** Transaction marker: the producer's transaction was committed on this partition. */
  COMMIT: 1,
  /** KRaft metadata log control records; never seen in user topics. */
  LEADER_CHANGE: 2,
  /** KRaft: start of a metadata snapshot. */
  SNAPSHOT_HEADER: 3,
  /** KRaft: end of a metadata snapshot. */
  SNAPSHOT_FOOTER: 4,
  /** KRaft: the `kraft.version` feature level of the quorum (KIP-853). */
  KRAFT_VERSION: 5,
  /** KRaft: the set of quorum voters (KIP-853). */
  KRAFT_VOTERS: 6,
} as const;

/** The key of a control record: int16 version, int16 type. */
export function encodeControlKey(type: number, version = 0): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt16BE(version, 0);
  b.writeInt16BE(type, 2);
  return b;
}

/** The value of a commit/abort marker: int16 version (0), int32 coordinator epoch. */
export function encodeEndTxnMarkerValue(coordinatorEpoch: number, version = 0): Buffer {
  const b = Buffer.allocUnsafe(6);
  b.writeInt16BE(version, 0);
  b.writeInt32BE(coordinatorEpoch, 2);
  return b;
}

/** Reads a control record's key, and for commit/abort markers the coordinator epoch from its value. */
export function decodeControlRecord(key: Buffer | null, value: Buffer | null): ControlRecord {
  if (key === null || key.length < 4) {
    throw new KafkaProtocolError(
      `control record key must hold at least 4 bytes, got ${key === null ? 'null' : key.length}`,
    );
  }
  const version = key.readInt16BE(0);
  const type = key.readInt16BE(2);
  const control: ControlRecord = { version, type };
  if ((type === ControlRecordTypes.ABORT || type === ControlRecordTypes.COMMIT) && value !== null) {
    if (value.length < 6)
      throw new KafkaProtocolError(`end transaction marker value of ${value.length} bytes is too short`);
    control.coordinatorEpoch = value.readInt32BE(2);
  }
  return control;
}
