/**
 * The OIDC provider against an identity provider that is not ours: NAV's mock-oauth2-server
 * (from Maven Central, a JVM on loopback) issues the tokens, and a broker started with
 * `startKafka({ oauthbearer })` validates them against its JWKS with Kafka's
 * OAuthBearerValidatorCallbackHandler. mock-oauth2-server puts the requested scope in `aud`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KafkaJSSASLAuthenticationError } from '../../../src/errors/network.js';
import { Kafka } from '../../../src/kafka.js';
import { logLevel } from '../../../src/logger.js';
import { jwtClaims, OidcTokenProvider, oidcClientCredentials } from '../../../src/network/sasl/oidc.js';
import {
  type KafkaCluster,
  type MockOAuth2Server,
  startKafka,
  startMockOAuth2Server,
} from '../../../src/testing/index.js';

let idp: MockOAuth2Server | undefined;
let harness: KafkaCluster | undefined;

before(async () => {
  const started = Date.now();
  idp = await startMockOAuth2Server();
  harness = await startKafka({
    oauthbearer: { jwksUrl: idp.jwksUrl(), expectedAudience: 'kafka', expectedIssuer: idp.issuer() },
  });
  console.log(`# mock-oauth2-server and a JWKS-validating broker up in ${Date.now() - started} ms`);
});

after(async () => {
  await harness?.stop();
  await idp?.stop();
});

function provider(scope: string, clientAuthMethod: 'basic' | 'post' = 'basic') {
  return new OidcTokenProvider({
    tokenEndpointUrl: idp!.tokenEndpointUrl(),
    clientId: 'billing-service',
    clientSecret: 'any-secret',
    scope,
    clientAuthMethod,
  });
}

function admin(p: OidcTokenProvider) {
  return new Kafka({
    clientId: 'oidc-nav-it',
    brokers: harness!.listeners.saslPlaintext,
    sasl: oidcClientCredentials(p),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
}

describe('OIDC client credentials with mock-oauth2-server', () => {
  it('logs in with its token (HTTP Basic and form client authentication)', async () => {
    for (const method of ['basic', 'post'] as const) {
      const p = provider('kafka', method);
      const client = admin(p);
      try {
        await client.connect();
        assert.ok(Array.isArray(await client.listTopics()));
        const claims = jwtClaims((await p.token()).value)!;
        assert.equal(claims.iss, idp!.issuer());
        assert.equal(claims.sub, 'billing-service');
      } finally {
        await client.disconnect();
      }
    }
  });

  it('is refused for a token whose audience is not the broker', async () => {
    const client = admin(provider('not-kafka'));
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof KafkaJSSASLAuthenticationError, String(error));
    await client.disconnect();
  });
});
