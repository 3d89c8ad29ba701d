export type { RecordBatch } from './batch.js';
export {
  ControlRecordTypes,
  decodeControlRecord,
  encodeControlKey,
  encodeEndTxnMarkerValue,
} from './control.js';
export { crc32, crc32c } from './crc.js';
export {
  type DecodedRecordSet,
  type DecodeRecordsOptions,
  decodeRecordBatches,
  decodeRecordSet,
} from './decode.js';
export type { RecordsContext } from './decode-records.js';
export { encodeRecordBatch, encodeRecordBatchSync } from './encode.js';
export { KafkaJSRecordBatchDecodeError, type RecordBatchLocation } from './errors.js';
export { LegacyMessageBatch } from './legacy.js';
export { ArrayRecordCursor, type RecordCursor, StreamRecordCursor } from './record-cursor.js';
export {
  ATTR_COMPRESSION_MASK,
  ATTR_CONTROL,
  ATTR_DELETE_HORIZON,
  ATTR_TIMESTAMP_TYPE,
  ATTR_TRANSACTIONAL,
  BATCH_HEADER_SIZE,
  type ControlRecord,
  type KafkaRecord,
  MAGIC_V2,
  type RecordBatchInput,
  type RecordHeader,
  type RecordInput,
  type TimestampType,
} from './types.js';
export { RecordBatchV2 } from './v2.js';
