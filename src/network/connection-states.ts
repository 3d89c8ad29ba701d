import type { TransitionTable } from '../transitions.js';

/** A connection's life: socket opening, handshake (ApiVersions, SASL), serving requests, closed. */
export type ConnectionState = 'idle' | 'connecting' | 'initializing' | 'ready' | 'closed';

/**
 * A connection's allowed moves. `closed` is reachable from every state (a socket error, a
 * timeout or `close()` can come at any time) and is final: the pool makes a new connection
 * rather than reopening one, so that no request of the old socket can be answered on the new.
 */
export const CONNECTION_TRANSITIONS: TransitionTable<ConnectionState> = {
  idle: ['connecting', 'closed'],
  connecting: ['initializing', 'closed'],
  initializing: ['ready', 'closed'],
  ready: ['closed'],
  closed: [],
};
