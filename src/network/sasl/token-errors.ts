import { KafkaJSError } from '../../errors/base.js';

/**
 * Why a token provider could not produce a token. Retriable codes are failures a later attempt
 * may not meet (the endpoint down, slow or answering 5xx, a credentials provider that threw);
 * the others need a change of configuration.
 */
export type TokenErrorCode =
  /** The token endpoint could not be reached (refused, DNS, TLS, reset). */
  | 'ENDPOINT_UNREACHABLE'
  /** The endpoint's TLS certificate was not trusted (a CA missing from `tls.ca`, a wrong host name). */
  | 'ENDPOINT_TLS'
  /** The token endpoint did not answer within `timeoutMs`. */
  | 'ENDPOINT_TIMEOUT'
  /** The token endpoint answered 5xx or 429. */
  | 'ENDPOINT_UNAVAILABLE'
  /** The token endpoint refused the request (4xx: bad client id or secret, unknown scope). */
  | 'ENDPOINT_REFUSED'
  /** The answer is not JSON, or has no `access_token`. */
  | 'INVALID_RESPONSE'
  /** The token carries no expiry (`exp` claim, `expires_in`) or is already expired. */
  | 'INVALID_TOKEN'
  /** A credentials provider (AWS, or a secret provider) threw or returned nothing usable. */
  | 'CREDENTIALS_UNAVAILABLE';

const RETRIABLE: ReadonlySet<TokenErrorCode> = new Set([
  'ENDPOINT_UNREACHABLE',
  'ENDPOINT_TIMEOUT',
  'ENDPOINT_UNAVAILABLE',
  'CREDENTIALS_UNAVAILABLE',
]);

/**
 * A built-in OAUTHBEARER token provider (OIDC client credentials, AWS MSK IAM) failed before any
 * bytes went to the broker. The message names the endpoint (without credentials) and the reason;
 * it never holds the client secret, AWS secret key or a token.
 */
export class KafkaJSOAuthBearerTokenError extends KafkaJSError {
  /** Why the token could not be obtained; retriable codes may succeed on a later attempt. */
  readonly code: TokenErrorCode;
  /** The HTTP status of the token endpoint, when it answered. */
  readonly status: number | undefined;

  constructor(message: string, options: { code: TokenErrorCode; status?: number; cause?: unknown }) {
    super(message, { retriable: RETRIABLE.has(options.code), cause: options.cause });
    this.code = options.code;
    this.status = options.status;
  }
}
