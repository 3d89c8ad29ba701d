import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createLogger, type LogEntry, logLevel } from '../../../src/logger.js';
import { ConnectionPool } from '../../../src/network/pool.js';
import type { ApiMessage } from '../../../src/protocol/api.js';
import {
  SaslAuthenticate,
  type SaslAuthenticateRequest,
} from '../../../src/protocol/messages/sasl-authenticate.js';
import { SaslHandshake } from '../../../src/protocol/messages/sasl-handshake.js';
import { Echo } from './fake-broker.js';
import { startFakeKafka } from './fake-kafka.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

// Sessions of 2 s re-authenticated 900 ms before their end (the threshold applies to a session
// longer than twice it): 900 ms for the re-authentication to finish, wide enough that a loaded
// machine running unit files in parallel does not let a session expire under a request.
const SESSION_MS = 2_000;
const THRESHOLD_MS = 900;

/**
 * KIP-368 against a fake broker that behaves like Kafka with connections.max.reauth.ms set: each
 * SASL session lasts SESSION_MS, a request on an expired session closes the connection, and a
 * request arriving between SaslHandshake and the SaslAuthenticate answer is a protocol violation.
 */
describe('SASL re-authentication (KIP-368)', () => {
  it('re-authenticates before the session ends; a busy connection never fails a request', async () => {
    const violations: string[] = [];
    const sessions = new Map<number, { expiresAt: number; authenticating: boolean; auths: number }>();
    const session = (index: number) => {
      let s = sessions.get(index);
      if (!s) {
        s = { expiresAt: 0, authenticating: false, auths: 0 };
        sessions.set(index, s);
      }
      return s;
    };
    const broker = await startFakeKafka([
      {
        api: SaslHandshake as ApiMessage<unknown, unknown>,
        handle: (_body, { connectionIndex }) => {
          session(connectionIndex).authenticating = true;
          return { errorCode: 0, mechanisms: ['PLAIN'] };
        },
      },
      {
        api: SaslAuthenticate as ApiMessage<unknown, unknown>,
        handle: (body, { connectionIndex }) => {
          const s = session(connectionIndex);
          const [, user, password] = (body as SaslAuthenticateRequest).authBytes.toString('utf8').split('\0');
          if (user !== 'alice' || password !== 'secret') violations.push('bad credentials');
          // answer a little later, so that requests made meanwhile must wait behind the gate
          return new Promise((resolve) =>
            setTimeout(() => {
              s.authenticating = false;
              s.auths++;
              s.expiresAt = Date.now() + SESSION_MS;
              resolve({
                errorCode: 0,
                errorMessage: null,
                authBytes: Buffer.alloc(0),
                sessionLifetimeMs: BigInt(SESSION_MS),
              });
            }, 20),
          );
        },
      },
      {
        api: Echo as ApiMessage<unknown, unknown>,
        handle: (body, { connectionIndex, socket }) => {
          const s = session(connectionIndex);
          if (s.authenticating) violations.push('request during re-authentication');
          if (Date.now() > s.expiresAt) {
            violations.push('request on an expired session');
            socket.destroy();
            return undefined;
          }
          return body;
        },
      },
    ]);
    cleanups.push(() => broker.close());
    const lines: LogEntry[] = [];
    const logger = createLogger({ level: logLevel.DEBUG, logCreator: () => (e) => lines.push(e) });
    const pool = new ConnectionPool({
      connection: {
        clientId: 'reauth-test',
        sasl: { mechanism: 'plain', username: 'alice', password: 'secret' },
        reauthenticationThreshold: THRESHOLD_MS,
        logger,
      },
    });
    cleanups.push(() => pool.close());
    const connection = await pool.get('127.0.0.1', broker.port);
    // keep it busy for ~3.5 session lifetimes: a burst every 10 ms, some in flight at any time
    const until = Date.now() + Math.round(3.5 * SESSION_MS);
    let sent = 0;
    const failures: unknown[] = [];
    while (Date.now() < until) {
      const burst = Array.from({ length: 5 }, (_, i) =>
        connection.send(Echo, { value: sent + i }).then(
          (r) => assert.equal(r.value >= 0, true),
          (e: unknown) => void failures.push(e),
        ),
      );
      sent += 5;
      await Promise.all([...burst, new Promise((r) => setTimeout(r, 10))]);
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(violations, []);
    assert.ok(connection.isConnected);
    assert.equal(broker.accepted, 1, 'one connection throughout: no reconnect');
    const auths = session(0).auths;
    assert.ok(auths >= 3, `authenticated ${auths} times (1 + re-authentications)`);
    const reauthLines = lines.filter((l) => l.log.message === 'SASL re-authentication succeeded');
    assert.equal(reauthLines.length, auths - 1);
    assert.ok(sent > 100, `only ${sent} requests`);
  });
});
