import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSNonRetriableError } from '../../../src/errors/network.js';
import { KafkaJSInvalidStateTransition } from '../../../src/errors/state.js';
import { CONNECTION_TRANSITIONS, type ConnectionState } from '../../../src/network/connection-states.js';
import {
  PRODUCER_TRANSITIONS,
  type ProducerState,
  TRANSACTION_TRANSITIONS,
} from '../../../src/producer/states.js';
import type { TransactionState } from '../../../src/producer/transactions.js';
import { StateMachine, type TransitionTable } from '../../../src/transitions.js';

/** Every (from, to) pair of a table, and whether the machine accepts it. */
function matrix<S extends string>(table: TransitionTable<S>): Array<{ from: S; to: S; allowed: boolean }> {
  const states = Object.keys(table) as S[];
  return states.flatMap((from) =>
    states.map((to) => ({ from, to, allowed: from === to || table[from].includes(to) })),
  );
}

function walk<S extends string>(name: string, table: TransitionTable<S>, path: S[]): S {
  const m = new StateMachine(name, table, path[0]!);
  for (const s of path.slice(1)) m.to(s);
  return m.state;
}

describe('state transition tables', () => {
  it('a machine follows exactly its table: each pair is accepted or throws a typed, non-retriable error', () => {
    const tables: Array<[string, TransitionTable<string>]> = [
      ['producer', PRODUCER_TRANSITIONS],
      ['transaction', TRANSACTION_TRANSITIONS],
      ['connection', CONNECTION_TRANSITIONS],
    ];
    for (const [name, table] of tables) {
      for (const { from, to, allowed } of matrix(table)) {
        const m = new StateMachine(name, table, from);
        assert.equal(m.can(to), allowed, `${name}: ${from} → ${to}`);
        if (allowed) {
          m.to(to);
          assert.equal(m.state, to);
        } else {
          assert.throws(
            () => m.to(to),
            (error: unknown) =>
              error instanceof KafkaJSInvalidStateTransition &&
              error instanceof KafkaJSNonRetriableError &&
              error.machine === name &&
              error.from === from &&
              error.to === to &&
              error.message === `Invalid ${name} state transition: ${from} → ${to}`,
          );
          assert.equal(m.state, from, 'a refused move leaves the state as it was');
        }
      }
    }
  });

  it('producer: the connect/disconnect cycle and the two races it tolerates', () => {
    assert.equal(
      walk<ProducerState>('producer', PRODUCER_TRANSITIONS, [
        'disconnected',
        'connecting',
        'connected',
        'disconnecting',
        'disconnected',
      ]),
      'disconnected',
    );
    // disconnect() while connecting, then the connect completes
    assert.equal(
      walk<ProducerState>('producer', PRODUCER_TRANSITIONS, [
        'disconnected',
        'connecting',
        'disconnected',
        'connected',
      ]),
      'connected',
    );
    // connect() during disconnect()'s flush
    assert.equal(
      walk<ProducerState>('producer', PRODUCER_TRANSITIONS, [
        'connected',
        'disconnecting',
        'connecting',
        'connected',
      ]),
      'connected',
    );
    assert.throws(() => walk<ProducerState>('producer', PRODUCER_TRANSITIONS, ['connected', 'connecting']));
  });

  it('transaction: commit and abort return to ready; an abortable transaction can only abort; fatal is final', () => {
    const t = TRANSACTION_TRANSITIONS;
    assert.equal(
      walk<TransactionState>('transaction', t, ['ready', 'inTransaction', 'committing', 'ready']),
      'ready',
    );
    assert.equal(
      walk<TransactionState>('transaction', t, ['ready', 'inTransaction', 'abortable', 'aborting', 'ready']),
      'ready',
    );
    assert.throws(
      () => walk<TransactionState>('transaction', t, ['inTransaction', 'abortable', 'committing']),
      KafkaJSInvalidStateTransition,
    );
    const states = Object.keys(t) as TransactionState[];
    for (const s of states) if (s !== 'fatal') assert.ok(t[s].includes('fatal'), `${s} → fatal (fencing)`);
    assert.deepEqual(t.fatal, []);
  });

  it('connection: one way from idle to ready, closed from anywhere, and never reopened', () => {
    const c = CONNECTION_TRANSITIONS;
    assert.equal(
      walk<ConnectionState>('connection', c, ['idle', 'connecting', 'initializing', 'ready', 'closed']),
      'closed',
    );
    for (const s of Object.keys(c) as ConnectionState[]) {
      if (s !== 'closed') assert.ok(c[s].includes('closed'), `${s} → closed`);
    }
    assert.deepEqual(c.closed, []);
    assert.throws(
      () => walk<ConnectionState>('connection', c, ['ready', 'initializing']),
      KafkaJSInvalidStateTransition,
    );
  });
});
