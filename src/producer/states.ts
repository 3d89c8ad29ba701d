import type { TransitionTable } from '../transitions.js';
import type { TransactionState } from './transactions.js';

/** The producer's lifecycle, driven by `connect()` and `disconnect()`. */
export type ProducerState = 'disconnected' | 'connecting' | 'connected' | 'disconnecting';

/**
 * The producer's allowed moves. Two are there for races a caller can create, not for the happy
 * path: `disconnect()` while `connect()` is still running leaves the producer `disconnected`
 * and the connect then completes (`disconnected → connected`); `connect()` during the flush of a
 * `disconnect()` starts again (`disconnecting → connecting`).
 */
export const PRODUCER_TRANSITIONS: TransitionTable<ProducerState> = {
  disconnected: ['connecting', 'connected'],
  connecting: ['connected', 'disconnected'],
  connected: ['disconnecting'],
  disconnecting: ['disconnected', 'connecting'],
};

/**
 * The transaction state machine (KIP-98). `fatal` (fenced by a newer producer with the same
 * transactionalId) can be reached from every live state, because the broker may report fencing on
 * any transactional request, and it is final: the producer must be recreated. `abortable` is a
 * failed transaction that may only be aborted.
 */
export const TRANSACTION_TRANSITIONS: TransitionTable<TransactionState> = {
  ready: ['inTransaction', 'fatal'],
  inTransaction: ['committing', 'aborting', 'abortable', 'fatal'],
  committing: ['ready', 'abortable', 'fatal'],
  aborting: ['ready', 'abortable', 'fatal'],
  abortable: ['aborting', 'fatal'],
  fatal: [],
};
