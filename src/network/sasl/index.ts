import { KafkaJSInvalidArgument } from '../../errors/network.js';
import { OauthbearerMechanism } from './oauthbearer.js';
import { PlainMechanism } from './plain.js';
import { ScramMechanism } from './scram.js';
import type {
  AuthenticationProviderArgs,
  CustomSaslOptions,
  KafkaJSSaslAuthenticateArgs,
  OauthbearerSaslOptions,
  PlainSaslOptions,
  SaslConfig,
  SaslContext,
  SaslMechanism,
  SaslOptions,
  ScramSaslOptions,
} from './types.js';

export * from './oauthbearer.js';
export * from './plain.js';
export * from './providers.js';
export * from './scram.js';
export * from './types.js';

/** Adapts a KafkaJS `authenticationProvider` to our mechanism interface. */
class CustomMechanism implements SaslMechanism {
  readonly name: string;

  constructor(private readonly options: CustomSaslOptions) {
    this.name = options.mechanism.toUpperCase();
  }

  async authenticate(ctx: SaslContext): Promise<void> {
    const saslAuthenticate: AuthenticationProviderArgs['saslAuthenticate'] = async <P>(
      args: KafkaJSSaslAuthenticateArgs<P>,
    ) => {
      const encoded = await args.request.encode();
      const bytes = Buffer.isBuffer(encoded) ? encoded : encoded.buffer;
      const answer = await ctx.exchange(bytes);
      if (!args.response) return undefined;
      // KafkaJS hands mechanisms the broker's bytes with an int32 length prefix.
      const raw = Buffer.allocUnsafe(4 + answer.length);
      raw.writeInt32BE(answer.length, 0);
      answer.copy(raw, 4);
      return await args.response.parse(await args.response.decode(raw));
    };
    const provider = this.options.authenticationProvider({
      host: ctx.host,
      port: ctx.port,
      logger: ctx.logger,
      saslAuthenticate,
    });
    await provider.authenticate();
  }
}

const BUILT_IN = ['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'];

/** Checks the shape of a static `sasl` option (a provider is checked when it resolves). */
export function validateSaslOptions(options: SaslOptions, path = 'sasl'): void {
  if (typeof options !== 'object' || options === null)
    throw new KafkaJSInvalidArgument(path, 'expected an object');
  if (typeof options.mechanism !== 'string' || options.mechanism.length === 0) {
    throw new KafkaJSInvalidArgument(
      `${path}.mechanism`,
      `expected one of ${BUILT_IN.join(', ')} or a custom one`,
    );
  }
  const mechanism = options.mechanism.toLowerCase();
  if ('authenticationProvider' in options && typeof options.authenticationProvider === 'function') return;
  if (mechanism === 'oauthbearer') {
    if (typeof (options as OauthbearerSaslOptions).oauthBearerProvider !== 'function') {
      throw new KafkaJSInvalidArgument(
        `${path}.oauthBearerProvider`,
        'OAUTHBEARER needs an async function returning { value }',
      );
    }
    return;
  }
  if (!BUILT_IN.includes(mechanism)) {
    throw new KafkaJSInvalidArgument(
      `${path}.mechanism`,
      `"${options.mechanism}" is not built in (${BUILT_IN.join(', ')}); give an authenticationProvider for a custom one`,
    );
  }
  const withUser = options as PlainSaslOptions | ScramSaslOptions;
  if (typeof withUser.username !== 'string')
    throw new KafkaJSInvalidArgument(`${path}.username`, 'expected a string');
  if (typeof withUser.password !== 'string' && typeof withUser.password !== 'function') {
    throw new KafkaJSInvalidArgument(`${path}.password`, 'expected a string or a function returning one');
  }
}

/** Resolves `sasl` (possibly a provider) into the mechanism that will run. */
export async function resolveSaslMechanism(config: SaslConfig): Promise<SaslMechanism> {
  const options = typeof config === 'function' ? await config() : config;
  validateSaslOptions(options);
  if ('authenticationProvider' in options && typeof options.authenticationProvider === 'function') {
    return new CustomMechanism(options);
  }
  switch (options.mechanism.toLowerCase()) {
    case 'plain':
      return new PlainMechanism(options as PlainSaslOptions);
    case 'scram-sha-256':
    case 'scram-sha-512':
      return new ScramMechanism(options as ScramSaslOptions);
    default:
      return new OauthbearerMechanism(options as OauthbearerSaslOptions);
  }
}
