import type { PlainSaslOptions, SaslContext, SaslMechanism } from './types.js';
import { resolveSecret } from './types.js';

/** RFC 4616: `authzid NUL authcid NUL passwd`, one message, no challenge. */
export function encodePlainMessage(username: string, password: string, authorizationIdentity = ''): Buffer {
  return Buffer.from(`${authorizationIdentity}\u0000${username}\u0000${password}`, 'utf8');
}

export class PlainMechanism implements SaslMechanism {
  readonly name = 'PLAIN';

  constructor(private readonly options: PlainSaslOptions) {}

  async authenticate(ctx: SaslContext): Promise<void> {
    const password = await resolveSecret(this.options.password);
    await ctx.exchange(
      encodePlainMessage(this.options.username, password, this.options.authorizationIdentity),
    );
  }
}
