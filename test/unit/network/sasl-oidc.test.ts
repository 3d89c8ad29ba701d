/**
 * The OIDC client-credentials provider against the loopback issuer of kafkats/testing (a real HTTP
 * token endpoint signing RS256 JWTs): caching and refresh on a moved clock, client authentication
 * both ways, extra parameters, and every failure of the endpoint as a typed error that holds
 * neither the secret nor a token. The broker side is test/integration/network/oidc.test.ts.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import type { Logger } from '../../../src/logger.js';
import {
  jwtClaims,
  OidcTokenProvider,
  oidcClientCredentials,
  refreshDelay,
} from '../../../src/network/sasl/oidc.js';
import { KafkaJSOAuthBearerTokenError } from '../../../src/network/sasl/token-errors.js';
import { type OidcIssuer, startOidcIssuer } from '../../../src/testing/oidc-issuer.js';

function recordingLogger(lines: string[]): Logger {
  const log = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    lines.push(`${level} ${message} ${JSON.stringify(extra ?? {})}`);
  const logger: Logger = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    namespace: () => logger,
    setLogLevel: () => {},
  };
  return logger;
}

describe('refreshDelay', () => {
  it('replaces an hour token at 80-85 % of its life, pulled to the 5-minute buffer only when needed', () => {
    assert.equal(refreshDelay(3_600_000, {}, 0), 2_880_000);
    assert.equal(refreshDelay(3_600_000, {}, 1), 3_060_000);
    // 20 minutes: 0.8 leaves 4 min < 5 min buffer, so 15 min.
    assert.equal(refreshDelay(1_200_000, {}, 0), 900_000);
  });

  it('keeps the minimum period but never goes past the window point of a short token', () => {
    assert.equal(
      refreshDelay(90_000, {}, 0),
      60_000,
      '90 s token: the buffer cannot be kept, the 60 s minimum can',
    );
    assert.equal(refreshDelay(30_000, {}, 0), 24_000, '30 s token: the minimum would outlive it, so 0.8');
    assert.equal(
      refreshDelay(400_000, {}, 0),
      100_000,
      'buffer pulls 320 s back to 100 s (above the 60 s minimum)',
    );
    assert.equal(refreshDelay(10_000, { minPeriodMs: 1000, bufferMs: 1000 }, 0), 8000);
  });
});

describe('OidcTokenProvider', () => {
  let issuer: OidcIssuer;
  const lines: string[] = [];

  before(async () => {
    issuer = await startOidcIssuer({ lifetimeSeconds: 600 });
  });
  after(() => issuer.stop());
  beforeEach(() => {
    issuer.fault = 'none';
    issuer.lifetimeSeconds = 600;
  });

  const provider = (overrides: Partial<ConstructorParameters<typeof OidcTokenProvider>[0]> = {}) =>
    new OidcTokenProvider({
      tokenEndpointUrl: issuer.tokenEndpointUrl,
      clientId: issuer.clientId,
      clientSecret: issuer.clientSecret,
      timeoutMs: 2000,
      logger: recordingLogger(lines),
      ...overrides,
    });

  it('fetches a JWT with HTTP Basic, caches it, and fetches again once inside the refresh window', async () => {
    let now = Date.now();
    const p = provider({
      now: () => now,
      scope: 'kafka.read kafka.write',
      extensions: { logicalCluster: 'lkc-1' },
    });
    const first = await p.token();
    const claims = jwtClaims(first.value)!;
    assert.equal(claims.sub, issuer.clientId);
    assert.equal(claims.scope, 'kafka.read kafka.write');
    assert.deepEqual(first.extensions, { logicalCluster: 'lkc-1' });
    assert.equal(first.expiresAt, (claims.exp as number) * 1000);
    assert.ok(first.refreshAt > now && first.refreshAt < first.expiresAt);
    const [a, b] = await Promise.all([p.token(), p.token()]);
    assert.equal(a.value, first.value);
    assert.equal(b.value, first.value);
    assert.equal(p.fetches, 1, 'cached while outside the refresh window');
    now = first.refreshAt;
    await new Promise((r) => setTimeout(r, 1100)); // a new iat second, so that the JWT differs
    const second = await p.token();
    assert.equal(p.fetches, 2);
    assert.notEqual(second.value, first.value);
  });

  it('authenticates in the form with clientAuthMethod "post" and sends extra parameters', async () => {
    const token = await provider({
      clientAuthMethod: 'post',
      extraParams: { audience: 'other-aud' },
    }).token();
    assert.equal(jwtClaims(token.value)!.aud, 'other-aud');
  });

  it('reads the secret from a function for every fetch', async () => {
    let calls = 0;
    const p = provider({
      clientSecret: async () => {
        calls++;
        return issuer.clientSecret;
      },
    });
    await p.token();
    p.invalidate();
    await p.token();
    assert.equal(calls, 2);
    assert.equal(p.fetches, 2);
  });

  async function failure(p: OidcTokenProvider): Promise<KafkaJSOAuthBearerTokenError> {
    const error = await p.token().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof KafkaJSOAuthBearerTokenError, `expected a typed error, got ${error}`);
    return error;
  }

  it('types every failure of the endpoint, retriable or not', async () => {
    issuer.fault = 'down';
    const down = await failure(provider());
    assert.equal(down.code, 'ENDPOINT_UNREACHABLE');
    assert.equal(down.retriable, true);

    issuer.fault = 'slow';
    const started = Date.now();
    const slow = await failure(provider({ timeoutMs: 300 }));
    assert.equal(slow.code, 'ENDPOINT_TIMEOUT');
    assert.equal(slow.retriable, true);
    assert.ok(Date.now() - started < 5000, 'the deadline ends the wait');

    issuer.fault = 'non-json';
    const html = await failure(provider());
    assert.equal(html.code, 'INVALID_RESPONSE');
    assert.equal(html.retriable, false);

    issuer.fault = 'no-exp';
    const noExp = await failure(provider());
    assert.equal(noExp.code, 'INVALID_TOKEN');
    assert.match(noExp.message, /without an expiry/);

    issuer.fault = 'server-error';
    const unavailable = await failure(provider());
    assert.equal(unavailable.code, 'ENDPOINT_UNAVAILABLE');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.retriable, true);

    issuer.fault = 'none';
    const refused = await failure(provider({ clientSecret: 'wrong-secret-value' }));
    assert.equal(refused.code, 'ENDPOINT_REFUSED');
    assert.equal(refused.status, 401);
    assert.equal(refused.retriable, false);
    assert.match(refused.message, /invalid_client/);
    assert.doesNotMatch(refused.message, /wrong-secret-value/);
  });

  it('keeps using a still-valid token when a refresh fails, and says so at WARN', async () => {
    let now = Date.now();
    const p = provider({ now: () => now });
    const first = await p.token();
    issuer.fault = 'server-error';
    now = first.refreshAt + 1;
    assert.equal((await p.token()).value, first.value);
    assert.ok(lines.some((l) => l.startsWith('warn OAuth token refresh failed')));
    // Under a tenth of its life left, it no longer stands in: the failure is thrown.
    now = first.expiresAt - (first.expiresAt - first.fetchedAt) * 0.05;
    assert.equal((await failure(p)).code, 'ENDPOINT_UNAVAILABLE');
  });

  it('names the endpoint without user info or query, and logs no secret or token', async () => {
    const url = new URL(issuer.tokenEndpointUrl);
    url.username = 'user';
    url.password = 'url-password';
    url.search = '?key=query-secret';
    issuer.fault = 'server-error';
    const error = await failure(provider({ tokenEndpointUrl: url.href }));
    assert.doesNotMatch(error.message, /url-password|query-secret/);
    issuer.fault = 'none';
    const token = await provider().token();
    const everything = `${lines.join('\n')}\n${error.message}`;
    assert.ok(!everything.includes(issuer.clientSecret), 'no client secret in any log line or message');
    assert.ok(!everything.includes(token.value), 'no token in any log line');
    assert.ok(lines.some((l) => l.startsWith('debug Fetched an OAuth token')));
  });

  it('scrubs the secret from an endpoint that echoes it in error_description', async () => {
    const echo = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'invalid_request', error_description: `bad: ${body}` }));
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    try {
      const port = (echo.address() as AddressInfo).port;
      const error = await failure(
        provider({
          tokenEndpointUrl: `http://127.0.0.1:${port}/t`,
          clientAuthMethod: 'post',
          clientSecret: 'echo-me',
        }),
      );
      assert.match(error.message, /invalid_request/);
      assert.doesNotMatch(error.message, /echo-me/);
    } finally {
      echo.close();
    }
  });

  it('checks its options up front, naming the one that is wrong', () => {
    const wrong = (options: object, option: string) =>
      assert.throws(
        () =>
          oidcClientCredentials({
            tokenEndpointUrl: 'https://idp/t',
            clientId: 'c',
            clientSecret: 's',
            ...options,
          }),
        (e: unknown) => e instanceof KafkaJSInvalidArgument && e.option === option,
      );
    wrong({ tokenEndpointUrl: 'not a url' }, 'oidc.tokenEndpointUrl');
    wrong({ tokenEndpointUrl: 'ftp://idp/t' }, 'oidc.tokenEndpointUrl');
    wrong({ clientId: '' }, 'oidc.clientId');
    wrong({ clientSecret: 42 }, 'oidc.clientSecret');
    wrong({ clientAuthMethod: 'jwt' }, 'oidc.clientAuthMethod');
    wrong({ timeoutMs: 0 }, 'oidc.timeoutMs');
    wrong({ refresh: { windowFactor: 0.2 } }, 'oidc.refresh.windowFactor');
    assert.equal(
      oidcClientCredentials({ tokenEndpointUrl: 'https://idp/t', clientId: 'c', clientSecret: 's' })
        .mechanism,
      'oauthbearer',
    );
  });
});
