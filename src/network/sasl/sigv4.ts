/**
 * AWS Signature Version 4 (HMAC-SHA256), just what the MSK IAM token needs: canonical requests,
 * header signing (checked in the unit tests against AWS's published test suite) and query-string
 * presigning. node:crypto only, so that the core carries no AWS SDK.
 */
import { createHash, createHmac } from 'node:crypto';

/** AWS credentials as the AWS SDK's providers return them. */
export interface AwsCredentials {
  /** AWS access key id (`AKIA...` or `ASIA...` for temporary credentials). */
  accessKeyId: string;
  /** AWS secret access key; used to sign, never sent. */
  secretAccessKey: string;
  /** Present for temporary credentials (STS, instance roles); signed into the request. */
  sessionToken?: string;
  /** When temporary credentials stop working; a presigned URL never outlives them. */
  expiration?: Date;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** The hex SHA-256 of an empty body. */
export const EMPTY_PAYLOAD_HASH = createHash('sha256').update('').digest('hex');

/** RFC 3986 encoding as SigV4 wants it: everything but `A-Za-z0-9-_.~` percent-encoded (UTF-8). */
export function sigv4Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `YYYYMMDDTHHMMSSZ` of a time in milliseconds. */
export function amzDate(timeMs: number): string {
  return new Date(timeMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Sorted by encoded name, then value; each pair `name=value`, joined by `&`. */
export function canonicalQueryString(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([k, v]) => [sigv4Encode(k), sigv4Encode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Lower-case names, values trimmed with inner runs of spaces collapsed, sorted by name. */
function canonicalHeaders(headers: Readonly<Record<string, string>>): { text: string; signed: string } {
  const entries = Object.entries(headers)
    .map(([k, v]) => [k.toLowerCase(), v.trim().replace(/ +/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    text: entries.map(([k, v]) => `${k}:${v}\n`).join(''),
    signed: entries.map(([k]) => k).join(';'),
  };
}

/** Each path segment encoded once (the non-S3 rule for an already normalised path). */
function canonicalUri(path: string): string {
  return path
    .split('/')
    .map((segment) => sigv4Encode(segment))
    .join('/');
}

export interface SigningInput {
  method: string;
  path: string;
  query: ReadonlyArray<readonly [string, string]>;
  /** Every header to sign, `host` included. */
  headers: Readonly<Record<string, string>>;
  payloadHash: string;
  region: string;
  service: string;
  /** The signing time in milliseconds (`x-amz-date` / `X-Amz-Date` must carry the same time). */
  timeMs: number;
  secretAccessKey: string;
}

export interface Signature {
  canonicalRequest: string;
  stringToSign: string;
  /** Lower-case hex. */
  signature: string;
  signedHeaders: string;
  /** `<date>/<region>/<service>/aws4_request`. */
  scope: string;
}

/** The four-step SigV4 derivation: canonical request, string to sign, signing key, signature. */
export function computeSignature(input: SigningInput): Signature {
  const stamp = amzDate(input.timeMs);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const headers = canonicalHeaders(input.headers);
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQueryString(input.query),
    headers.text,
    headers.signed,
    input.payloadHash,
  ].join('\n');
  const stringToSign = [
    SIGV4_ALGORITHM,
    stamp,
    scope,
    createHash('sha256').update(canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string) =>
    createHmac('sha256', key).update(data, 'utf8').digest();
  const kDate = hmac(`AWS4${input.secretAccessKey}`, day);
  const kSigning = hmac(hmac(hmac(kDate, input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return { canonicalRequest, stringToSign, signature, signedHeaders: headers.signed, scope };
}

export interface PresignInput {
  method?: string;
  host: string;
  path?: string;
  query?: ReadonlyArray<readonly [string, string]>;
  region: string;
  service: string;
  credentials: AwsCredentials;
  timeMs: number;
  expiresInSeconds: number;
  payloadHash?: string;
}

/**
 * Query-string authentication: the X-Amz-* parameters added to `query`, `host` the only signed
 * header. Returns every parameter (signature last) for the caller to serialise.
 */
export function presignQuery(input: PresignInput): Array<[string, string]> {
  const stamp = amzDate(input.timeMs);
  const scope = `${stamp.slice(0, 8)}/${input.region}/${input.service}/aws4_request`;
  const params: Array<[string, string]> = [
    ...(input.query ?? []).map(([k, v]) => [k, v] as [string, string]),
    ['X-Amz-Algorithm', SIGV4_ALGORITHM],
    ['X-Amz-Credential', `${input.credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', stamp],
    ['X-Amz-Expires', String(input.expiresInSeconds)],
  ];
  if (input.credentials.sessionToken) params.push(['X-Amz-Security-Token', input.credentials.sessionToken]);
  params.push(['X-Amz-SignedHeaders', 'host']);
  const { signature } = computeSignature({
    method: input.method ?? 'GET',
    path: input.path ?? '/',
    query: params,
    headers: { host: input.host },
    payloadHash: input.payloadHash ?? EMPTY_PAYLOAD_HASH,
    region: input.region,
    service: input.service,
    timeMs: input.timeMs,
    secretAccessKey: input.credentials.secretAccessKey,
  });
  params.push(['X-Amz-Signature', signature]);
  return params;
}
