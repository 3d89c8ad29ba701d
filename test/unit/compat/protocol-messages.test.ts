/**
 * KafkaJSProtocolError's `message`, `type` and `retriable` for every error code, compared with
 * KafkaJS 2.2.4's own table (node_modules/kafkajs/src/protocol/error.js, loaded here at test time):
 * a program that matches `error.message` gets KafkaJS's text. Codes newer than KafkaJS keep
 * Kafka's text.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { createProtocolError, KafkaJSProtocolError } from '../../../src/errors/protocol.js';
import { Codes } from '../../../src/protocol/codes.js';
import { errorByCode } from '../../../src/protocol/error-codes.js';

const require = createRequire(import.meta.url);
const { errorCodes, createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  errorCodes: Array<{ type: string; code: number; retriable: boolean; message: string }>;
  createErrorFromCode(code: number): Error & { type: string; code: number; retriable: boolean };
};

/** Codes Kafka renamed after KafkaJS froze its table: kafkats keeps the current names. */
const RENAMED: Record<number, string> = {
  [-1]: 'UNKNOWN_SERVER_ERROR',
  6: 'NOT_LEADER_OR_FOLLOWER',
  14: 'COORDINATOR_LOAD_IN_PROGRESS',
  15: 'COORDINATOR_NOT_AVAILABLE',
  16: 'NOT_COORDINATOR',
};

describe("protocol errors carry KafkaJS's messages", () => {
  it('every code KafkaJS knows: the same message, retriable flag and type (or its current name)', () => {
    assert.equal(errorCodes.length, 89, 'KafkaJS 2.2.4 knows codes -1 and 1..88');
    const differences: string[] = [];
    for (const entry of errorCodes) {
      const theirs = createErrorFromCode(entry.code);
      for (const ours of [createProtocolError(entry.code), new KafkaJSProtocolError(entry.code)]) {
        if (ours.message !== theirs.message)
          differences.push(`${entry.code} message: ${JSON.stringify(ours.message)}`);
        if (ours.retriable !== theirs.retriable)
          differences.push(`${entry.code} retriable: ${ours.retriable}`);
        if (ours.type !== theirs.type && ours.type !== RENAMED[entry.code])
          differences.push(`${entry.code} type: ${ours.type}`);
        if (ours.code !== theirs.code) differences.push(`${entry.code} code: ${ours.code}`);
        if (ours.name !== theirs.name) differences.push(`${entry.code} name: ${ours.name}`);
      }
    }
    assert.deepEqual(differences, []);
  });

  it("what the broker said follows KafkaJS's text, so startsWith and includes still match", () => {
    const e = createProtocolError(Codes.INVALID_PARTITIONS, 'Topic currently has 3 partitions');
    assert.equal(
      e.message,
      'Number of partitions is invalid. Broker message: Topic currently has 3 partitions',
    );
    assert.equal(e.brokerMessage, 'Topic currently has 3 partitions');
    assert.ok(e.message.startsWith(createErrorFromCode(Codes.INVALID_PARTITIONS).message));
  });

  it("codes newer than KafkaJS keep Kafka's own text", () => {
    const newer = createProtocolError(Codes.FENCED_MEMBER_EPOCH);
    assert.ok(Codes.FENCED_MEMBER_EPOCH > 88);
    assert.equal(newer.message, errorByCode(Codes.FENCED_MEMBER_EPOCH).message);
    assert.equal(newer.type, 'FENCED_MEMBER_EPOCH');
  });
});
