/**
 * The OIDC provider's `tls` options against an https token endpoint on loopback whose certificate
 * comes from a throwaway CA (the harness's certificate maker, openssl): trusted with `tls.ca`,
 * refused with a typed error without it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jwtClaims, OidcTokenProvider } from '../../../src/network/sasl/oidc.js';
import { KafkaJSOAuthBearerTokenError } from '../../../src/network/sasl/token-errors.js';
import { createTls } from '../../../src/testing/certs.js';

describe('OIDC token endpoint over https', () => {
  let dir: string;
  let ca: string;
  let server: https.Server;
  let url: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafkats-oidc-tls-'));
    const tls = await createTls(dir);
    ca = tls.pem.ca;
    const pem = await readFile(tls.files.brokerKeystorePath, 'utf8');
    const now = Math.floor(Date.now() / 1000);
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${b64({ alg: 'none' })}.${b64({ sub: 'svc', iat: now, exp: now + 600 })}.`;
    server = https.createServer({ key: pem, cert: pem }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: token, token_type: 'Bearer' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://localhost:${(server.address() as AddressInfo).port}/token`;
  });

  after(async () => {
    server.closeAllConnections?.();
    await new Promise<void>((r) => server.close(() => r()));
    await rm(dir, { recursive: true, force: true });
  });

  const provider = (tls?: { ca: string }) =>
    new OidcTokenProvider({
      tokenEndpointUrl: url,
      clientId: 'svc',
      clientSecret: 's',
      tls,
      timeoutMs: 5000,
    });

  it('fetches a token from an endpoint signed by a private CA given in tls.ca', async () => {
    const token = await provider({ ca }).token();
    assert.equal(jwtClaims(token.value)?.sub, 'svc');
  });

  it('refuses the same endpoint without the CA, with a typed error naming the TLS failure', async () => {
    const error = await provider()
      .token()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof KafkaJSOAuthBearerTokenError, String(error));
    assert.equal(error.code, 'ENDPOINT_TLS');
    assert.equal(error.retriable, false, 'a missing CA is configuration, not an outage');
    assert.match(error.message, /untrusted certificate: [A-Z_]+/);
  });
});
