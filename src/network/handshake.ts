import {
  KafkaJSConnectionError,
  KafkaJSSASLAuthenticationError,
  KafkaJSUnsupportedMechanism,
  KafkaJSUnsupportedVersion,
} from '../errors/network.js';
import { createProtocolError } from '../errors/protocol.js';
import { type Logger, nullLogger } from '../logger.js';
import type { Reader } from '../protocol/codec/reader.js';
import { Codes } from '../protocol/codes.js';
import { ApiVersions, type ApiVersionsResponse } from '../protocol/messages/api-versions.js';
import { SaslAuthenticate } from '../protocol/messages/sasl-authenticate.js';
import { SaslHandshake } from '../protocol/messages/sasl-handshake.js';
import type { ApiVersionRange, Connection } from './connection.js';
import { apiVersionsRequest, type ExpectedIdentity } from './features.js';
import { resolveSaslMechanism } from './sasl/index.js';
import type { SaslConfig } from './sasl/types.js';

const UNSUPPORTED_VERSION = Codes.UNSUPPORTED_VERSION;

/**
 * A broker that does not know our ApiVersions version answers in the v0 layout with
 * UNSUPPORTED_VERSION and its own range for ApiVersions. The error code is the first field in
 * every version, so it is peeked before choosing the layout to decode.
 */
function decodeApiVersions(r: Reader, version: number): ApiVersionsResponse {
  const start = r.pos;
  const errorCode = r.int16();
  r.pos = start;
  return ApiVersions.decodeResponse(r, errorCode === UNSUPPORTED_VERSION ? 0 : version);
}

/**
 * ApiVersions at our newest, falling back to the version the broker advertises. Stores the ranges
 * on the connection. With `expected` (a node known from metadata), v5 asks the broker to refuse
 * the connection when it is not that node of that cluster (KIP-1242): a 4.4 broker answers
 * REBOOTSTRAP_REQUIRED, thrown here as a typed protocol error for the cluster to act on.
 */
export async function negotiateApiVersions(
  connection: Connection,
  expected?: ExpectedIdentity,
): Promise<Map<number, ApiVersionRange>> {
  const body = apiVersionsRequest(expected);
  let version = ApiVersions.maxVersion;
  for (let attempt = 0; ; attempt++) {
    const response = await connection.sendControl(ApiVersions, body, { version, decode: decodeApiVersions });
    if (response.errorCode === UNSUPPORTED_VERSION && attempt === 0) {
      const theirs = response.apiKeys.find((k) => k.apiKey === ApiVersions.apiKey);
      version = theirs ? Math.min(ApiVersions.maxVersion, theirs.maxVersion) : 0;
      continue;
    }
    if (response.errorCode === Codes.REBOOTSTRAP_REQUIRED) {
      throw createProtocolError(
        response.errorCode,
        `${connection.broker} is not node ${expected?.nodeId} of cluster ${expected?.clusterId}`,
      );
    }
    if (response.errorCode !== Codes.NONE) throw createProtocolError(response.errorCode);
    const ranges = new Map<number, ApiVersionRange>();
    for (const k of response.apiKeys) {
      // A range no broker can mean is a corrupted answer. Kept, it would refuse every request of that
      // API on a connection that never does I/O again to notice it is broken; failing the handshake
      // closes the connection, and the next call negotiates anew.
      if (k.minVersion < 0 || k.maxVersion < k.minVersion) {
        throw new KafkaJSConnectionError(
          `${connection.broker} advertised an impossible version range for API key ${k.apiKey} (v${k.minVersion}–v${k.maxVersion}): a corrupted ApiVersions answer`,
          { broker: connection.broker },
        );
      }
      ranges.set(k.apiKey, { minVersion: k.minVersion, maxVersion: k.maxVersion });
    }
    connection.setApiVersions(ranges);
    return ranges;
  }
}

export interface AuthenticateOptions {
  sasl: SaslConfig;
  logger?: Logger;
}

export interface AuthenticationResult {
  mechanism: string;
  /** 0 when the broker sets no session lifetime (no re-authentication needed). */
  sessionLifetimeMs: number;
}

/** SaslHandshake v1 then the mechanism's SaslAuthenticate exchanges. */
export async function authenticate(
  connection: Connection,
  options: AuthenticateOptions,
): Promise<AuthenticationResult> {
  const logger = options.logger ?? nullLogger;
  const mechanism = await resolveSaslMechanism(options.sasl);
  const broker = connection.broker;
  if (!connection.apiVersions?.has(SaslAuthenticate.apiKey)) {
    throw new KafkaJSUnsupportedVersion(`Broker ${broker} does not support SaslAuthenticate`, {
      broker,
      apiKey: SaslAuthenticate.apiKey,
      apiName: SaslAuthenticate.name,
    });
  }
  const handshake = await connection.sendControl(
    SaslHandshake,
    { mechanism: mechanism.name },
    { version: 1 },
  );
  if (handshake.errorCode !== 0) {
    throw new KafkaJSUnsupportedMechanism(
      `SASL mechanism ${mechanism.name} is not enabled on ${broker}; it offers ${handshake.mechanisms.join(', ') || 'none'}`,
      { broker, mechanism: mechanism.name, cause: createProtocolError(handshake.errorCode) },
    );
  }
  let sessionLifetimeMs = 0;
  await mechanism.authenticate({
    host: connection.host,
    port: connection.port,
    broker,
    logger,
    exchange: async (authBytes) => {
      const response = await connection.sendControl(SaslAuthenticate, { authBytes });
      if (response.errorCode !== 0) {
        const why = response.errorMessage ?? createProtocolError(response.errorCode).message;
        throw new KafkaJSSASLAuthenticationError(
          `SASL ${mechanism.name} authentication failed on ${broker}: ${why}`,
          {
            broker,
            mechanism: mechanism.name,
          },
        );
      }
      if (response.sessionLifetimeMs !== undefined) sessionLifetimeMs = Number(response.sessionLifetimeMs);
      return response.authBytes;
    },
  });
  logger.debug('SASL authentication succeeded', { broker, mechanism: mechanism.name, sessionLifetimeMs });
  return { mechanism: mechanism.name, sessionLifetimeMs };
}

/**
 * When to re-authenticate (KIP-368): at 85–95 % of the session lifetime (jitter spreads a
 * fleet's re-authentications), and at least `threshold` ms before it ends when the session is
 * long enough for that to matter.
 */
export function reauthenticationDelay(
  sessionLifetimeMs: number,
  thresholdMs = 10_000,
  random = Math.random(),
): number {
  let delay = sessionLifetimeMs * (0.85 + 0.1 * random);
  if (sessionLifetimeMs > 2 * thresholdMs && sessionLifetimeMs - delay < thresholdMs)
    delay = sessionLifetimeMs - thresholdMs;
  return Math.max(0, Math.floor(delay));
}

export interface HandshakeOptions {
  sasl?: SaslConfig;
  reauthenticationThreshold?: number;
  logger?: Logger;
}

/**
 * The `initialize` hook the pool gives every connection: negotiate versions (telling the broker
 * which node of which cluster is expected, when known), then authenticate and arm re-authentication.
 */
export function createHandshake(
  options: HandshakeOptions,
): (connection: Connection, expected?: ExpectedIdentity) => Promise<void> {
  return async (connection, expected) => {
    await negotiateApiVersions(connection, expected);
    const sasl = options.sasl;
    if (!sasl) return;
    let sessions = 0;
    const run = async (): Promise<void> => {
      const result = await authenticate(connection, { sasl, logger: options.logger });
      if (sessions++ > 0) {
        (options.logger ?? nullLogger).debug('SASL re-authentication succeeded', {
          broker: connection.broker,
          mechanism: result.mechanism,
          sessionLifetimeMs: result.sessionLifetimeMs,
          reauthentications: sessions - 1,
        });
      }
      if (result.sessionLifetimeMs > 0) {
        connection.scheduleReauthentication(
          reauthenticationDelay(result.sessionLifetimeMs, options.reauthenticationThreshold),
          run,
          result.sessionLifetimeMs,
        );
      }
    };
    await run();
  };
}
