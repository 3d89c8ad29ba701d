/**
 * A small OAuth 2.0 / OIDC issuer on loopback for tests: an RS256 key pair, a client-credentials
 * token endpoint and a JWKS endpoint, which is what a Kafka broker validating JWTs (KIP-768,
 * `OAuthBearerValidatorCallbackHandler`) and a client fetching tokens need. Start it before
 * `startKafka({ oauthbearer: { jwksUrl: issuer.jwksUrl, … } })`: the broker reads the JWKS at start.
 */
import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOST } from './config.js';

/** How the token endpoint misbehaves, to test a client's error handling. */
export type OidcIssuerFault = 'none' | 'down' | 'slow' | 'non-json' | 'no-exp' | 'server-error';

/** Options of {@link startOidcIssuer}. */
export interface OidcIssuerOptions {
  /** The only client id the token endpoint accepts. Default `kafkats-client`. */
  clientId?: string;
  /** That client's secret. Default: a random `secret-<uuid>`. */
  clientSecret?: string;
  /** `aud` of issued tokens unless the request has an `audience` parameter. Default `kafka`. */
  audience?: string;
  /** Lifetime of issued tokens in seconds. Default 3600. */
  lifetimeSeconds?: number;
}

/** A running loopback OIDC issuer, from {@link startOidcIssuer}. */
export interface OidcIssuer {
  /** `http://127.0.0.1:<port>/token`. */
  readonly tokenEndpointUrl: string;
  /** `http://127.0.0.1:<port>/jwks`. */
  readonly jwksUrl: string;
  /** The `iss` claim of issued tokens (the server's base URL). */
  readonly issuer: string;
  /** The client id the token endpoint accepts. */
  readonly clientId: string;
  /** That client's secret. */
  readonly clientSecret: string;
  /** Default `aud` claim of issued tokens. */
  readonly audience: string;
  /** Token requests answered so far (faulty answers included). */
  readonly tokenRequests: number;
  /** Lifetime of the next tokens, in seconds. */
  lifetimeSeconds: number;
  /** Makes the token endpoint misbehave until set back to `none`. */
  fault: OidcIssuerFault;
  /** Signs a JWT with the issuer's key; claims override the defaults (sub, iss, aud, iat, exp). */
  sign(claims?: Record<string, unknown>): string;
  /** Closes the server and its open connections. */
  stop(): Promise<void>;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function signJwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Client authentication as RFC 6749 §2.3.1 allows: HTTP Basic, or the form's client_id/client_secret. */
function clientOf(req: http.IncomingMessage, form: URLSearchParams): [string, string] | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const text = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const at = text.indexOf(':');
    if (at < 0) return undefined;
    const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return [dec(text.slice(0, at)), dec(text.slice(at + 1))];
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id !== null && secret !== null ? [id, secret] : undefined;
}

/** Starts an OIDC issuer on a free loopback port; `stop()` it when done. */
export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }] };
  const sockets = new Set<import('node:net').Socket>();
  let requests = 0;
  const state = {
    clientId: options.clientId ?? 'kafkats-client',
    clientSecret: options.clientSecret ?? `secret-${randomUUID()}`,
    audience: options.audience ?? 'kafka',
    lifetimeSeconds: options.lifetimeSeconds ?? 3600,
    fault: 'none' as OidcIssuerFault,
    base: '',
  };
  const defaults = (): Record<string, unknown> => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: state.clientId,
      iss: state.base,
      aud: state.audience,
      iat: now,
      exp: now + state.lifetimeSeconds,
    };
  };

  const server = http.createServer(async (req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/jwks') return json(200, jwks);
    if (req.method !== 'POST' || req.url !== '/token') return json(404, { error: 'not_found' });
    requests++;
    const form = new URLSearchParams(await readBody(req));
    switch (state.fault) {
      case 'down':
        req.socket.destroy();
        return;
      case 'slow':
        return; // never answers; the client's deadline must end the wait
      case 'non-json':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login page</html>');
        return;
      case 'server-error':
        return json(503, { error: 'temporarily_unavailable' });
    }
    const client = clientOf(req, form);
    if (!client || client[0] !== state.clientId || client[1] !== state.clientSecret)
      return json(401, { error: 'invalid_client', error_description: 'client authentication failed' });
    if (form.get('grant_type') !== 'client_credentials')
      return json(400, { error: 'unsupported_grant_type' });
    const claims = defaults();
    const audience = form.get('audience');
    if (audience) claims.aud = audience;
    const scope = form.get('scope');
    if (scope) claims.scope = scope;
    if (state.fault === 'no-exp') delete claims.exp;
    return json(200, {
      access_token: signJwt(privateKey, kid, claims),
      token_type: 'Bearer',
      ...(state.fault === 'no-exp' ? {} : { expires_in: state.lifetimeSeconds }),
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  state.base = `http://${HOST}:${port}`;

  return {
    tokenEndpointUrl: `${state.base}/token`,
    jwksUrl: `${state.base}/jwks`,
    issuer: state.base,
    clientId: state.clientId,
    clientSecret: state.clientSecret,
    audience: state.audience,
    get tokenRequests() {
      return requests;
    },
    get lifetimeSeconds() {
      return state.lifetimeSeconds;
    },
    set lifetimeSeconds(value: number) {
      state.lifetimeSeconds = value;
    },
    get fault() {
      return state.fault;
    },
    set fault(value: OidcIssuerFault) {
      state.fault = value;
    },
    sign: (claims = {}) => signJwt(privateKey, kid, { ...defaults(), ...claims }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
