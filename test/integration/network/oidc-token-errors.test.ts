/**
 * Token providers that fail, against the shared broker's SASL_PLAINTEXT listener (unsecured
 * OAUTHBEARER validator): a typed, retriable provider error is retried per the client's retry
 * options, a connect that meets one transient failure succeeds, and an MSK IAM credentials
 * provider that keeps throwing fails the connect with that typed error, no secret logged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kafka } from '../../../src/kafka.js';
import { type LogEntry, logLevel } from '../../../src/logger.js';
import { mskIamSasl } from '../../../src/network/sasl/msk-iam.js';
import { KafkaJSOAuthBearerTokenError } from '../../../src/network/sasl/token-errors.js';
import type { SaslOptions } from '../../../src/network/sasl/types.js';
import { testCluster } from '../../helpers/cluster.js';

const info = testCluster();

function unsignedJwt(sub: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none' })}.${b64({ sub, iat: now, exp: now + 3600 })}.`;
}

function admin(sasl: SaslOptions, lines: LogEntry[], retries: number) {
  return new Kafka({
    clientId: 'token-errors-it',
    brokers: info.listeners.saslPlaintext,
    sasl,
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => lines.push(entry),
    retry: { retries, initialRetryTime: 100, maxRetryTime: 300 },
  }).admin();
}

function rootOf(error: unknown): unknown {
  let e = error;
  while (e instanceof Error && !(e instanceof KafkaJSOAuthBearerTokenError) && e.cause instanceof Error)
    e = e.cause;
  return e;
}

describe('failing token providers at connect', () => {
  it('retries a retriable token error and connects once the provider recovers', async () => {
    let calls = 0;
    const lines: LogEntry[] = [];
    const client = admin(
      {
        mechanism: 'oauthbearer',
        oauthBearerProvider: async () => {
          if (++calls === 1)
            throw new KafkaJSOAuthBearerTokenError('idp briefly down', {
              code: 'ENDPOINT_UNAVAILABLE',
              status: 503,
            });
          return { value: unsignedJwt('admin') };
        },
      },
      lines,
      3,
    );
    try {
      await client.connect();
      const topics = await client.listTopics();
      assert.ok(Array.isArray(topics));
      assert.ok(calls >= 2, `the provider was asked again after its failure (${calls} calls)`);
    } finally {
      await client.disconnect();
    }
  });

  it('fails an MSK IAM connect whose credentials provider throws with a typed error, after the retries', async () => {
    let calls = 0;
    const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    let first = true;
    const lines: LogEntry[] = [];
    const client = admin(
      mskIamSasl({
        region: 'us-east-1',
        credentials: async () => {
          calls++;
          if (first) {
            first = false;
            // one good answer first: this token reaches the broker, which refuses it (not a JWT)
            return { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret };
          }
          throw new Error('instance metadata service unreachable');
        },
      }),
      lines,
      2,
    );
    // The first attempt is refused by the broker (non-retriable), so ask twice: refused, then failing.
    const refused = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(refused instanceof Error && refused.name === 'KafkaJSSASLAuthenticationError', String(refused));
    const error = rootOf(
      await client.connect().then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    assert.ok(error instanceof KafkaJSOAuthBearerTokenError, String(error));
    assert.equal(error.code, 'CREDENTIALS_UNAVAILABLE');
    assert.match(error.message, /instance metadata service unreachable/);
    assert.ok(calls >= 3, `retried per the retry options (${calls} credential calls)`);
    assert.ok(!JSON.stringify(lines).includes(secret), 'the secret key is in no log line');
    await client.disconnect();
  });
});
