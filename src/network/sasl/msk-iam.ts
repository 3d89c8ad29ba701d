/**
 * AWS MSK IAM over SASL OAUTHBEARER: the token is a SigV4-presigned
 * `https://kafka.<region>.amazonaws.com/?Action=kafka-cluster:Connect…` URL, base64url without
 * padding, exactly what `aws-msk-iam-sasl-signer-js` produces (the unit tests compare the bytes).
 * No AWS SDK here: pass static credentials or any async function returning them, e.g. the SDK's
 * `fromNodeProviderChain()` from `@aws-sdk/credential-providers`.
 */
import { KafkaJSInvalidArgument } from '../../errors/network.js';
import { type AwsCredentials, presignQuery, sigv4Encode } from './sigv4.js';
import { KafkaJSOAuthBearerTokenError } from './token-errors.js';
import type { OauthbearerSaslOptions, OauthbearerToken } from './types.js';

/** A function returning AWS credentials, like the AWS SDK's credential providers. */
export type AwsCredentialsProvider = () => AwsCredentials | Promise<AwsCredentials>;

export interface MskIamOptions {
  /** The cluster's AWS region, e.g. `eu-west-1`. */
  region: string;
  /** Static credentials or a provider (called for every token; the SDK's providers cache). */
  credentials: AwsCredentials | AwsCredentialsProvider;
  /** The `User-Agent` query parameter MSK logs. Default `kafkats`. */
  userAgent?: string;
  /** Token lifetime in seconds, at most (and by default) 900, MSK's limit. */
  expiresInSeconds?: number;
  /** The clock, in milliseconds (tests pin it). Default `Date.now`. */
  now?: () => number;
}

export interface MskIamToken extends OauthbearerToken {
  /** When the presigned URL stops being accepted, in milliseconds since the epoch. */
  expiresAt: number;
}

const SERVICE = 'kafka-cluster';
const ACTION = 'kafka-cluster:Connect';
const MAX_EXPIRES_SECONDS = 900;

function checkOptions(options: MskIamOptions): void {
  if (typeof options?.region !== 'string' || !/^[a-z0-9-]+$/.test(options.region))
    throw new KafkaJSInvalidArgument('mskIam.region', 'expected an AWS region such as "us-east-1"');
  const c = options.credentials;
  if (typeof c !== 'function' && (typeof c !== 'object' || c === null))
    throw new KafkaJSInvalidArgument(
      'mskIam.credentials',
      'expected { accessKeyId, secretAccessKey } or a function returning them',
    );
  const e = options.expiresInSeconds;
  if (e !== undefined && (!Number.isInteger(e) || e < 1 || e > MAX_EXPIRES_SECONDS))
    throw new KafkaJSInvalidArgument(
      'mskIam.expiresInSeconds',
      `expected an integer from 1 to ${MAX_EXPIRES_SECONDS}`,
    );
}

async function resolveCredentials(source: MskIamOptions['credentials']): Promise<AwsCredentials> {
  let credentials: AwsCredentials;
  try {
    credentials = typeof source === 'function' ? await source() : source;
  } catch (error) {
    // The provider's own message only: it names the failing source, never a key.
    throw new KafkaJSOAuthBearerTokenError(
      `AWS credentials provider failed: ${error instanceof Error ? error.message : String(error)}`,
      { code: 'CREDENTIALS_UNAVAILABLE', cause: error },
    );
  }
  if (!credentials?.accessKeyId || !credentials.secretAccessKey) {
    throw new KafkaJSOAuthBearerTokenError(
      'AWS credentials provider returned no accessKeyId/secretAccessKey',
      {
        code: 'CREDENTIALS_UNAVAILABLE',
      },
    );
  }
  return credentials;
}

/** Builds one MSK IAM token. Temporary credentials shorten its lifetime to theirs. */
export async function generateMskIamToken(options: MskIamOptions): Promise<MskIamToken> {
  checkOptions(options);
  const credentials = await resolveCredentials(options.credentials);
  const now = (options.now ?? Date.now)();
  // Whole seconds of signing time: X-Amz-Date has no fraction, and the expiry counts from it.
  const timeMs = Math.floor(now / 1000) * 1000;
  let expiresIn = options.expiresInSeconds ?? MAX_EXPIRES_SECONDS;
  if (credentials.expiration !== undefined) {
    const left = Math.floor((credentials.expiration.getTime() - now) / 1000);
    if (left < 1)
      throw new KafkaJSOAuthBearerTokenError('AWS credentials have expired', {
        code: 'CREDENTIALS_UNAVAILABLE',
      });
    expiresIn = Math.min(expiresIn, left);
  }
  const host = `kafka.${options.region}.amazonaws.com`;
  const params = presignQuery({
    host,
    query: [['Action', ACTION]],
    region: options.region,
    service: SERVICE,
    credentials,
    timeMs,
    expiresInSeconds: expiresIn,
  });
  // The user agent is not signed (the reference signer adds it after signing); the URL lists every
  // parameter sorted by name.
  params.push(['User-Agent', options.userAgent ?? 'kafkats']);
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const url = `https://${host}/?${params.map(([k, v]) => `${sigv4Encode(k)}=${sigv4Encode(v)}`).join('&')}`;
  return { value: Buffer.from(url, 'utf8').toString('base64url'), expiresAt: timeMs + expiresIn * 1000 };
}

/**
 * The `sasl` option for an MSK cluster's IAM listener (port 9098 / 9198):
 * `new Kafka({ brokers, ssl: true, sasl: mskIamSasl({ region, credentials }) })`.
 */
export function mskIamSasl(options: MskIamOptions): OauthbearerSaslOptions {
  checkOptions(options);
  return { mechanism: 'oauthbearer', oauthBearerProvider: () => generateMskIamToken(options) };
}
