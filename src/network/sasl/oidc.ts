/**
 * OIDC client credentials for SASL OAUTHBEARER, with the semantics of Kafka's KIP-768 login
 * (`sasl.oauthbearer.token.endpoint.url`, client id and secret, scope): a token is fetched from the
 * endpoint, cached, and replaced once it has lived through its refresh window (0.8 of its lifetime
 * plus up to 0.05 jitter, no sooner than the minimum period, at the latest the buffer before it
 * expires). Re-authentication (KIP-368) needs nothing more: a broker validating JWTs ends the SASL
 * session when the token expires, the connection re-authenticates at 85-95 % of that, and by then
 * this provider has a fresh token.
 */
import type { ConnectionOptions } from 'node:tls';
import { KafkaJSInvalidArgument } from '../../errors/network.js';
import { type Logger, nullLogger } from '../../logger.js';
import { describeEndpoint, postForm } from './oidc-http.js';
import { KafkaJSOAuthBearerTokenError } from './token-errors.js';
import type { OauthbearerSaslOptions, OauthbearerToken, SecretProvider } from './types.js';
import { resolveSecret } from './types.js';

/** When the `oidcClientCredentials` provider replaces its cached token (Java's `sasl.login.refresh.*` settings). */
export interface OidcRefreshOptions {
  /** Fraction of the token's lifetime after which it is replaced. Default 0.8 (Java's `sasl.login.refresh.window.factor`). */
  windowFactor?: number;
  /** Random extra fraction, up to this, so that a fleet does not refresh at once. Default 0.05. */
  windowJitter?: number;
  /** Never replace a token sooner than this after fetching it. Default 60 000 ms. */
  minPeriodMs?: number;
  /** Replace a token at least this long before it expires, unless the minimum period forbids. Default 300 000 ms. */
  bufferMs?: number;
}

/** Options of `oidcClientCredentials`: the OAuth 2 client credentials grant against a token endpoint (KIP-768). */
export interface OidcClientCredentialsOptions {
  /** The token endpoint, `https://idp.example.com/oauth2/token`. */
  tokenEndpointUrl: string;
  /** The OAuth client id. */
  clientId: string;
  /** The client secret, or a function returning it (read for every fetch). */
  clientSecret: SecretProvider;
  /** The `scope` parameter, space separated. */
  scope?: string;
  /** More form parameters (`audience`, `resource`, …). */
  extraParams?: Record<string, string>;
  /** `basic` (HTTP Basic, the default, as Kafka's Java client) or `post` (client_id and client_secret in the form). */
  clientAuthMethod?: 'basic' | 'post';
  /** TLS options for an https endpoint: `ca`, `cert`, `key`, `rejectUnauthorized`, … */
  tls?: ConnectionOptions;
  /** Deadline of one fetch (connect + answer). Default 10 000 ms. */
  timeoutMs?: number;
  /** SASL extensions sent with the token (KIP-342), e.g. Confluent Cloud's `logicalCluster`. */
  extensions?: Record<string, string>;
  /** When the cached token is replaced; defaults as in {@link OidcRefreshOptions}. */
  refresh?: OidcRefreshOptions;
  /**
   * Receives fetch and refresh events (never a secret or a token). Default: the logger of the
   * client that asks for the token (through `oidcClientCredentials`), else silent.
   */
  logger?: Logger;
  /** The clock in milliseconds (tests move it). Default `Date.now`. */
  now?: () => number;
}

/** A token the `oidcClientCredentials` provider fetched, with its lifetime. */
export interface OidcToken extends OauthbearerToken {
  /** Expiry in milliseconds since the epoch (the JWT's `exp`, else `expires_in`). */
  expiresAt: number;
  /** When the provider will fetch a replacement. */
  refreshAt: number;
  /** When the endpoint was asked for it. */
  fetchedAt: number;
}

/**
 * How much life a token must have left to stand in for one the endpoint failed to replace: a
 * session granted for less would end before a request could use it (the broker caps the session at
 * the token's expiry), and re-authenticating ever faster on a dying token helps nobody.
 */
export function usableRemainder(token: OidcToken): number {
  return Math.max(1000, 0.1 * (token.expiresAt - token.fetchedAt));
}

const DEFAULT_REFRESH: Required<OidcRefreshOptions> = {
  windowFactor: 0.8,
  windowJitter: 0.05,
  minPeriodMs: 60_000,
  bufferMs: 300_000,
};

/**
 * How long after fetching a token to replace it: `lifetime × (factor + jitter × random)`, pulled
 * forward to leave `buffer` before expiry, pushed back to `minPeriod`, and never beyond the
 * jittered window point (a short-lived token is still replaced before it expires).
 */
export function refreshDelay(
  lifetimeMs: number,
  options: OidcRefreshOptions = {},
  random = Math.random(),
): number {
  const o = { ...DEFAULT_REFRESH, ...options };
  const window = lifetimeMs * (o.windowFactor + o.windowJitter * random);
  let delay = window;
  if (lifetimeMs - delay < o.bufferMs) delay = lifetimeMs - o.bufferMs;
  if (delay < o.minPeriodMs) delay = o.minPeriodMs;
  return Math.max(0, Math.floor(Math.min(delay, window)));
}

/** The claims of a JWT, or undefined when the token is not a JWT (an opaque token). */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** RFC 6749 §2.3.1: id and secret form-encoded, then `id:secret` in base64. */
export function basicAuthorization(clientId: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(secret)}`, 'utf8').toString('base64')}`;
}

function checkOptions(o: OidcClientCredentialsOptions): URL {
  const path = 'oidc';
  let url: URL;
  try {
    url = new URL(o?.tokenEndpointUrl);
  } catch {
    throw new KafkaJSInvalidArgument(`${path}.tokenEndpointUrl`, 'expected an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new KafkaJSInvalidArgument(
      `${path}.tokenEndpointUrl`,
      `expected http: or https:, got ${url.protocol}`,
    );
  if (typeof o.clientId !== 'string' || o.clientId.length === 0)
    throw new KafkaJSInvalidArgument(`${path}.clientId`, 'expected a non-empty string');
  if (typeof o.clientSecret !== 'string' && typeof o.clientSecret !== 'function')
    throw new KafkaJSInvalidArgument(`${path}.clientSecret`, 'expected a string or a function returning one');
  if (o.clientAuthMethod !== undefined && o.clientAuthMethod !== 'basic' && o.clientAuthMethod !== 'post')
    throw new KafkaJSInvalidArgument(`${path}.clientAuthMethod`, 'expected "basic" or "post"');
  if (o.timeoutMs !== undefined && !(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0))
    throw new KafkaJSInvalidArgument(`${path}.timeoutMs`, 'expected a positive number of milliseconds');
  const r = o.refresh ?? {};
  if (r.windowFactor !== undefined && !(r.windowFactor >= 0.5 && r.windowFactor <= 1))
    throw new KafkaJSInvalidArgument(
      `${path}.refresh.windowFactor`,
      'expected 0.5 to 1.0 (Java allows the same)',
    );
  if (r.windowJitter !== undefined && !(r.windowJitter >= 0 && r.windowJitter <= 0.25))
    throw new KafkaJSInvalidArgument(`${path}.refresh.windowJitter`, 'expected 0 to 0.25');
  for (const key of ['minPeriodMs', 'bufferMs'] as const) {
    const v = r[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0))
      throw new KafkaJSInvalidArgument(
        `${path}.refresh.${key}`,
        'expected a non-negative number of milliseconds',
      );
  }
  return url;
}

/** Fetches, caches and refreshes client-credentials tokens. One instance may serve every connection. */
export class OidcTokenProvider {
  private readonly url: URL;
  private readonly endpoint: string;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private cached: OidcToken | undefined;
  private inFlight: Promise<OidcToken> | undefined;
  /** Fetches made so far (tests and metrics read it). */
  fetches = 0;

  constructor(private readonly options: OidcClientCredentialsOptions) {
    this.url = checkOptions(options);
    this.endpoint = describeEndpoint(this.url);
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /**
   * The cached token while inside its refresh window; otherwise a new one. If a refresh fails
   * while the cached token still has a tenth of its life (at least 1 s) left, that token is used
   * and the failure logged at WARN; after that the failure is thrown.
   */
  async token(clientLogger?: Logger): Promise<OidcToken> {
    const logger = this.logger ?? clientLogger ?? nullLogger;
    const now = this.now();
    const cached = this.cached;
    if (cached && now < cached.refreshAt) return cached;
    try {
      return await this.fetchShared(logger);
    } catch (error) {
      if (cached && cached.expiresAt - now >= usableRemainder(cached)) {
        logger.warn('OAuth token refresh failed; using the current token until it expires', {
          endpoint: this.endpoint,
          expiresInMs: cached.expiresAt - now,
          error: (error as Error).message,
        });
        return cached;
      }
      throw error;
    }
  }

  /** Drops the cached token: the next {@link token} call fetches. */
  invalidate(): void {
    this.cached = undefined;
  }

  private fetchShared(logger: Logger): Promise<OidcToken> {
    this.inFlight ??= this.fetch(logger).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async fetch(logger: Logger): Promise<OidcToken> {
    const o = this.options;
    let secret: string;
    try {
      secret = await resolveSecret(o.clientSecret);
    } catch (error) {
      throw new KafkaJSOAuthBearerTokenError(
        `Client secret provider failed: ${error instanceof Error ? error.message : String(error)}`,
        { code: 'CREDENTIALS_UNAVAILABLE', cause: error },
      );
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (o.scope) form.set('scope', o.scope);
    for (const [k, v] of Object.entries(o.extraParams ?? {})) form.set(k, v);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    if ((o.clientAuthMethod ?? 'basic') === 'basic')
      headers.authorization = basicAuthorization(o.clientId, secret);
    else {
      form.set('client_id', o.clientId);
      form.set('client_secret', secret);
    }
    this.fetches++;
    const started = this.now();
    const response = await postForm({
      url: this.url,
      headers,
      body: form.toString(),
      timeoutMs: o.timeoutMs ?? 10_000,
      tls: o.tls,
    });
    const token = this.parse(response.status, response.body, secret, started);
    this.cached = token;
    logger.debug('Fetched an OAuth token', {
      endpoint: this.endpoint,
      expiresInMs: token.expiresAt - started,
      refreshInMs: token.refreshAt - started,
    });
    return token;
  }

  private parse(status: number, body: string, secret: string, fetchedAt: number): OidcToken {
    const where = `Token endpoint ${this.endpoint}`;
    let json: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    if (status < 200 || status >= 300) {
      // error and error_description are RFC 6749's; shown short, and scrubbed in case an endpoint echoes the secret.
      const detail = [json?.error, json?.error_description].filter((x) => typeof x === 'string').join(': ');
      const safe = (detail || 'no OAuth error in the answer').slice(0, 200).split(secret).join('***');
      const code = status >= 500 || status === 429 ? 'ENDPOINT_UNAVAILABLE' : 'ENDPOINT_REFUSED';
      throw new KafkaJSOAuthBearerTokenError(`${where} answered HTTP ${status} (${safe})`, { code, status });
    }
    if (!json)
      throw new KafkaJSOAuthBearerTokenError(
        `${where} answered HTTP ${status} with a body that is not JSON`,
        {
          code: 'INVALID_RESPONSE',
          status,
        },
      );
    const value = json.access_token;
    if (typeof value !== 'string' || value.length === 0)
      throw new KafkaJSOAuthBearerTokenError(`${where} answered without an access_token`, {
        code: 'INVALID_RESPONSE',
        status,
      });
    const claims = jwtClaims(value);
    let expiresAt: number | undefined;
    if (claims) {
      // A JWT's own expiry is what the broker checks; Kafka refuses a JWT without one.
      if (typeof claims.exp === 'number') expiresAt = claims.exp * 1000;
    } else if (typeof json.expires_in === 'number' && json.expires_in > 0) {
      expiresAt = fetchedAt + json.expires_in * 1000;
    }
    if (expiresAt === undefined)
      throw new KafkaJSOAuthBearerTokenError(
        `${where} issued a token without an expiry (${claims ? 'no numeric "exp" claim' : 'no expires_in'})`,
        { code: 'INVALID_TOKEN', status },
      );
    const lifetime = expiresAt - fetchedAt;
    if (lifetime <= 0)
      throw new KafkaJSOAuthBearerTokenError(`${where} issued a token that expired ${-lifetime} ms ago`, {
        code: 'INVALID_TOKEN',
        status,
      });
    return {
      value,
      extensions: this.options.extensions,
      expiresAt,
      refreshAt: fetchedAt + refreshDelay(lifetime, this.options.refresh),
      fetchedAt,
    };
  }
}

/**
 * The `sasl` option for a broker that takes OIDC tokens:
 * `sasl: oidcClientCredentials({ tokenEndpointUrl, clientId, clientSecret, scope })`.
 * Pass an {@link OidcTokenProvider} to share one token cache between clients.
 */
export function oidcClientCredentials(
  options: OidcClientCredentialsOptions | OidcTokenProvider,
): OauthbearerSaslOptions {
  const provider = options instanceof OidcTokenProvider ? options : new OidcTokenProvider(options);
  return { mechanism: 'oauthbearer', oauthBearerProvider: (context) => provider.token(context?.logger) };
}
