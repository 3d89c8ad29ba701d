import { KafkaJSError } from '../../errors/base.js';
import { KafkaJSSASLAuthenticationError } from '../../errors/network.js';
import type { OauthbearerSaslOptions, OauthbearerToken, SaslContext, SaslMechanism } from './types.js';

const KVSEP = '\u0001';
const EXTENSION_KEY = /^[A-Za-z]+$/;
const EXTENSION_VALUE = /^[\x21-\x7E \t\r\n]+$/;

/**
 * RFC 7628 §3.1 client initial response: `n,,` ^A `auth=Bearer <token>` ^A (`key=value` ^A)* ^A.
 * Extension keys are letters only and `auth` is reserved (Kafka's KIP-342 rules).
 */
export function encodeOauthbearerMessage(token: OauthbearerToken): Buffer {
  if (typeof token.value !== 'string' || token.value.length === 0) {
    throw new Error('the OAUTHBEARER provider returned no token value');
  }
  let message = `n,,${KVSEP}auth=Bearer ${token.value}${KVSEP}`;
  for (const [key, value] of Object.entries(token.extensions ?? {})) {
    if (key === 'auth' || !EXTENSION_KEY.test(key))
      throw new Error(`invalid OAUTHBEARER extension name "${key}"`);
    if (!EXTENSION_VALUE.test(value)) throw new Error(`invalid characters in OAUTHBEARER extension "${key}"`);
    message += `${key}=${value}${KVSEP}`;
  }
  return Buffer.from(message + KVSEP, 'utf8');
}

export class OauthbearerMechanism implements SaslMechanism {
  readonly name = 'OAUTHBEARER';

  constructor(private readonly options: OauthbearerSaslOptions) {}

  async authenticate(ctx: SaslContext): Promise<void> {
    const fail = (why: string) =>
      new KafkaJSSASLAuthenticationError(`SASL OAUTHBEARER authentication failed on ${ctx.broker}: ${why}`, {
        broker: ctx.broker,
        mechanism: this.name,
      });
    let message: Buffer;
    try {
      message = encodeOauthbearerMessage(
        await this.options.oauthBearerProvider({ broker: ctx.broker, logger: ctx.logger }),
      );
    } catch (e) {
      // Typed provider errors (a token endpoint down: retriable) keep their class and retriability.
      if (e instanceof KafkaJSError) throw e;
      throw fail((e as Error).message);
    }
    const challenge = await ctx.exchange(message);
    if (challenge.length > 0) {
      // An error challenge (a JSON status); RFC 7628 says answer with a lone ^A, then the server fails.
      const status = challenge.toString('utf8');
      try {
        await ctx.exchange(Buffer.from(KVSEP));
      } catch {
        // expected: the broker ends the exchange with an error
      }
      throw fail(`the broker rejected the token: ${status}`);
    }
  }
}
