import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { KafkaJSSASLAuthenticationError } from '../../errors/network.js';
import type { SaslContext, SaslMechanism, ScramSaslOptions } from './types.js';
import { resolveSecret } from './types.js';

const pbkdf2Async = promisify(pbkdf2);

export type ScramHash = 'sha1' | 'sha256' | 'sha512';

const DIGEST_LENGTH: Record<ScramHash, number> = { sha1: 20, sha256: 32, sha512: 64 };
/** Kafka's own floor for SCRAM iterations; a server asking for fewer is not trusted. */
const MIN_ITERATIONS = 4096;
const GS2_HEADER = 'n,,';

/** RFC 5802 saslname: `=` and `,` escaped. */
export function escapeSaslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

export interface ServerFirst {
  nonce: string;
  salt: Buffer;
  iterations: number;
}

function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) map.set(part[0]!, part.slice(2));
  }
  return map;
}

/** Parses and checks a server-first-message against the client nonce. Throws a plain Error with a safe message. */
export function parseServerFirst(message: string, clientNonce: string): ServerFirst {
  const attrs = attributes(message);
  const error = attrs.get('e');
  if (error !== undefined) throw new Error(`server rejected the exchange: ${error}`);
  const nonce = attrs.get('r');
  const salt = attrs.get('s');
  const iterations = Number(attrs.get('i'));
  if (!nonce || !salt || !Number.isInteger(iterations)) throw new Error('malformed server-first-message');
  if (!nonce.startsWith(clientNonce) || nonce.length <= clientNonce.length) {
    throw new Error('server nonce does not extend the client nonce');
  }
  if (iterations < MIN_ITERATIONS)
    throw new Error(`server asked for ${iterations} iterations, fewer than ${MIN_ITERATIONS}`);
  return { nonce, salt: Buffer.from(salt, 'base64'), iterations };
}

export interface ScramProof {
  clientFinal: string;
  serverSignature: Buffer;
}

/**
 * Computes the client-final-message and the server signature to expect (RFC 5802 §3):
 * SaltedPassword = Hi(password, salt, i); ClientProof = ClientKey XOR HMAC(H(ClientKey), AuthMessage);
 * ServerSignature = HMAC(HMAC(SaltedPassword, "Server Key"), AuthMessage).
 */
export async function computeScramProof(
  hash: ScramHash,
  password: string,
  clientFirstBare: string,
  serverFirstMessage: string,
  serverFirst: ServerFirst,
): Promise<ScramProof> {
  const salted = await pbkdf2Async(
    Buffer.from(password, 'utf8'),
    serverFirst.salt,
    serverFirst.iterations,
    DIGEST_LENGTH[hash],
    hash,
  );
  const clientKey = createHmac(hash, salted).update('Client Key').digest();
  const storedKey = createHash(hash).update(clientKey).digest();
  const withoutProof = `c=${Buffer.from(GS2_HEADER).toString('base64')},r=${serverFirst.nonce}`;
  const authMessage = `${clientFirstBare},${serverFirstMessage},${withoutProof}`;
  const clientSignature = createHmac(hash, storedKey).update(authMessage).digest();
  const proof = Buffer.alloc(clientKey.length);
  for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;
  const serverKey = createHmac(hash, salted).update('Server Key').digest();
  const serverSignature = createHmac(hash, serverKey).update(authMessage).digest();
  salted.fill(0);
  return { clientFinal: `${withoutProof},p=${proof.toString('base64')}`, serverSignature };
}

/** Checks a server-final-message (`v=<signature>` or `e=<error>`) in constant time. */
export function verifyServerFinal(message: string, expected: Buffer): void {
  const attrs = attributes(message);
  const error = attrs.get('e');
  if (error !== undefined) throw new Error(`server rejected the proof: ${error}`);
  const v = attrs.get('v');
  if (v === undefined) throw new Error('malformed server-final-message');
  const got = Buffer.from(v, 'base64');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
    throw new Error('server signature does not match: the broker does not know the password');
  }
}

export class ScramMechanism implements SaslMechanism {
  readonly name: string;
  private readonly hash: ScramHash;

  constructor(
    private readonly options: ScramSaslOptions,
    /** Injected by tests to replay the RFC vectors. */
    private readonly nonceFactory: () => string = () => randomBytes(24).toString('base64url'),
  ) {
    this.hash = options.mechanism.toLowerCase() === 'scram-sha-512' ? 'sha512' : 'sha256';
    this.name = this.hash === 'sha512' ? 'SCRAM-SHA-512' : 'SCRAM-SHA-256';
  }

  async authenticate(ctx: SaslContext): Promise<void> {
    const password = await resolveSecret(this.options.password);
    const clientNonce = this.nonceFactory();
    const clientFirstBare = `n=${escapeSaslName(this.options.username)},r=${clientNonce}`;
    const fail = (why: string, cause?: unknown) =>
      new KafkaJSSASLAuthenticationError(`SASL ${this.name} authentication failed on ${ctx.broker}: ${why}`, {
        broker: ctx.broker,
        mechanism: this.name,
        cause,
      });
    const serverFirstMessage = (
      await ctx.exchange(Buffer.from(GS2_HEADER + clientFirstBare, 'utf8'))
    ).toString('utf8');
    let proof: ScramProof;
    try {
      const serverFirst = parseServerFirst(serverFirstMessage, clientNonce);
      proof = await computeScramProof(this.hash, password, clientFirstBare, serverFirstMessage, serverFirst);
    } catch (e) {
      throw fail((e as Error).message);
    }
    const serverFinal = (await ctx.exchange(Buffer.from(proof.clientFinal, 'utf8'))).toString('utf8');
    try {
      verifyServerFinal(serverFinal, proof.serverSignature);
    } catch (e) {
      throw fail((e as Error).message);
    }
  }
}
