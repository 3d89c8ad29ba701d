import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSError } from '../../../src/errors/base.js';
import {
  createProtocolError,
  InvalidTopicError,
  KafkaJSProtocolError,
  KafkaStorageError,
  KafkaStorageErrorError,
  NetworkError,
  NetworkExceptionError,
  NotCoordinatorError,
  NotLeaderOrFollowerError,
  ProducerFencedError,
  UnknownServerError,
  UnknownServerErrorError,
  UnknownTopicOrPartitionError,
} from '../../../src/errors/index.js';
import { Codes } from '../../../src/protocol/codes.js';
import { ERROR_CODES, ErrorCodes, errorByCode, errorByType } from '../../../src/protocol/error-codes.js';

describe('error code table', () => {
  it('covers -1 through the newest code without gaps or duplicates', () => {
    const codes = ERROR_CODES.map((e) => e.code);
    assert.equal(codes[0], -1);
    assert.equal(new Set(codes).size, codes.length);
    for (let i = 1; i < codes.length; i++) assert.equal(codes[i], codes[i - 1]! + 1);
    assert.ok(codes.length >= 138, `only ${codes.length} codes`);
  });

  it('knows names, retriability and messages of well-known codes', () => {
    const e = errorByCode(6);
    assert.equal(e.code, 6);
    assert.equal(e.type, 'NOT_LEADER_OR_FOLLOWER');
    assert.equal(e.retriable, true);
    assert.match(errorByCode(6).message, /not the current leader/);
    assert.equal(errorByCode(3).type, 'UNKNOWN_TOPIC_OR_PARTITION');
    assert.equal(errorByCode(3).retriable, true);
    assert.equal(errorByCode(36).type, 'TOPIC_ALREADY_EXISTS');
    assert.equal(errorByCode(36).retriable, false);
    assert.equal(errorByCode(-1).type, 'UNKNOWN_SERVER_ERROR');
    assert.equal(errorByType('NOT_COORDINATOR')?.code, 16);
    assert.equal(ErrorCodes.REBALANCE_IN_PROGRESS, 27);
  });

  it('describes a code it does not know instead of failing', () => {
    const e = errorByCode(9999);
    assert.equal(e.type, 'UNKNOWN_ERROR_CODE_9999');
    assert.equal(e.retriable, false);
  });
});

describe('protocol errors', () => {
  it('creates the subclass for codes clients branch on', () => {
    const e = createProtocolError(6, 'broker 2 is not the leader');
    assert.ok(e instanceof NotLeaderOrFollowerError);
    assert.ok(e instanceof KafkaJSProtocolError);
    assert.ok(e instanceof KafkaJSError);
    assert.equal(e.name, 'KafkaJSProtocolError');
    assert.equal(e.type, 'NOT_LEADER_OR_FOLLOWER');
    assert.equal(e.code, 6);
    assert.equal(e.retriable, true);
    assert.equal(e.brokerMessage, 'broker 2 is not the leader');
    assert.match(e.message, /broker 2 is not the leader/);
    assert.ok(createProtocolError(3) instanceof UnknownTopicOrPartitionError);
    assert.ok(createProtocolError(16) instanceof NotCoordinatorError);
    assert.ok(createProtocolError(90) instanceof ProducerFencedError);
    assert.equal(createProtocolError(90).retriable, false);
  });

  it('gives every other code the base class with its type', () => {
    const e = createProtocolError(errorByType('DELEGATION_TOKEN_EXPIRED')!.code);
    assert.equal(e.constructor, KafkaJSProtocolError);
    assert.equal(e.type, 'DELEGATION_TOKEN_EXPIRED');
    assert.equal(e.brokerMessage, undefined);
  });

  it('lets the caller override retriable', () => {
    assert.equal(createProtocolError(6, null, { retriable: false }).retriable, false);
  });
});

describe('generated error vocabulary', () => {
  it('names every code of the table in Codes', () => {
    assert.equal(Object.keys(Codes).length, ERROR_CODES.length);
    for (const e of ERROR_CODES) assert.equal(Codes[e.type as keyof typeof Codes], e.code);
    assert.equal(Codes.NOT_COORDINATOR, 16);
    assert.equal(Codes.COORDINATOR_LOAD_IN_PROGRESS, 14);
  });

  it('keeps the earlier class names working as the same classes', () => {
    assert.equal(KafkaStorageErrorError, KafkaStorageError);
    assert.equal(UnknownServerErrorError, UnknownServerError);
    assert.equal(NetworkExceptionError, NetworkError);
    const e = createProtocolError(Codes.KAFKA_STORAGE_ERROR);
    assert.ok(e instanceof KafkaStorageErrorError);
    assert.ok(e instanceof KafkaStorageError);
    assert.equal(e.retriable, true);
    assert.ok(createProtocolError(Codes.UNKNOWN_SERVER_ERROR) instanceof UnknownServerErrorError);
    assert.ok(createProtocolError(Codes.INVALID_TOPIC_EXCEPTION) instanceof InvalidTopicError);
  });

  it('gives a class its code and the table its retriable flag', () => {
    assert.equal(NotCoordinatorError.code, Codes.NOT_COORDINATOR);
    assert.equal(new NotCoordinatorError().retriable, true);
    assert.equal(new NotCoordinatorError().code, Codes.NOT_COORDINATOR);
  });
});
