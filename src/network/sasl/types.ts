import type { Logger } from '../../logger.js';

/** One SaslAuthenticate round trip: the mechanism's bytes out, the broker's bytes back. */
export type SaslExchange = (authBytes: Buffer) => Promise<Buffer>;

export interface SaslContext {
  host: string;
  port: number;
  /** `host:port`, for error messages. */
  broker: string;
  logger: Logger;
  exchange: SaslExchange;
}

/** A SASL mechanism as the connection drives it. Built-ins and KafkaJS-style custom providers both become one. */
export interface SaslMechanism {
  /** The name sent in SaslHandshake, upper case (`PLAIN`, `SCRAM-SHA-256`, …). */
  readonly name: string;
  authenticate(ctx: SaslContext): Promise<void>;
}

/** A secret given as is or produced on demand (a vault lookup, a rotating credential). */
export type SecretProvider = string | (() => string | Promise<string>);

/** `sasl` for SASL/PLAIN: username and password sent as they are (use it over TLS). */
export interface PlainSaslOptions {
  /** Selects SASL/PLAIN. */
  mechanism: 'plain' | 'PLAIN';
  /** The user name (authentication identity). */
  username: string;
  /** The password, or a function returning it (called on every authentication). */
  password: SecretProvider;
  /** Optional authorization identity (authzid); empty by default. */
  authorizationIdentity?: string;
}

/** `sasl` for SASL/SCRAM (RFC 5802): the password never crosses the wire. */
export interface ScramSaslOptions {
  /** Selects SCRAM with SHA-256 or SHA-512; must match the credential stored on the broker. */
  mechanism: 'scram-sha-256' | 'scram-sha-512' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
  /** The user name. */
  username: string;
  /** The password, or a function returning it (called on every authentication). */
  password: SecretProvider;
}

/** A token an OAUTHBEARER provider returns. */
export interface OauthbearerToken {
  /** The bearer token (usually a JWT) sent to the broker. */
  value: string;
  /** SASL extensions sent with the token (KIP-342), e.g. `{ logicalCluster: 'lkc-…' }`. */
  extensions?: Record<string, string>;
}

/** What kafkats passes to an OAUTHBEARER provider (KafkaJS passes nothing; a provider may ignore it). */
export interface OauthbearerProviderContext {
  /** `host:port` of the broker being authenticated to. */
  broker: string;
  /** The client's logger, for the provider's own events (the built-in providers log refresh failures here). */
  logger: Logger;
}

/** `sasl` for SASL/OAUTHBEARER (KIP-255): the client presents a token its provider returns. */
export interface OauthbearerSaslOptions {
  /** Selects SASL/OAUTHBEARER. */
  mechanism: 'oauthbearer' | 'OAUTHBEARER';
  /**
   * Returns the token; called on every authentication and re-authentication, so it should cache
   * and refresh the token itself (as `oidcClientCredentials` does).
   */
  oauthBearerProvider: (context?: OauthbearerProviderContext) => OauthbearerToken | Promise<OauthbearerToken>;
}

/** KafkaJS's `saslAuthenticate({ request, response })` argument. */
export interface KafkaJSSaslAuthenticateArgs<ParsedResponse = unknown> {
  /** The mechanism's message to send in a SaslAuthenticate request. */
  request: {
    /** The message bytes, bare or as `{ buffer }`, possibly asynchronously. */
    encode():
      | Buffer
      | {
          /** The message bytes. */
          buffer: Buffer;
        }
      | Promise<
          | Buffer
          | {
              /** The message bytes. */
              buffer: Buffer;
            }
        >;
  };
  /** How to read the broker's answer; without it, saslAuthenticate resolves with undefined. */
  response?: {
    /** Receives the broker's bytes with an int32 length prefix, as KafkaJS passes them. */
    decode(rawData: Buffer): unknown;
    /** Turns what decode returned into the value saslAuthenticate resolves with. */
    parse(data: unknown): ParsedResponse | Promise<ParsedResponse>;
  };
}

/** What a custom SASL mechanism's `authenticationProvider` receives (KafkaJS's shape). */
export interface AuthenticationProviderArgs {
  /** Host of the broker being authenticated to. */
  host: string;
  /** Port of the broker being authenticated to. */
  port: number;
  /** The client's logger. */
  logger: Logger;
  /** Sends one SaslAuthenticate round trip on the connection and resolves with the parsed answer. */
  saslAuthenticate<ParsedResponse = unknown>(
    args: KafkaJSSaslAuthenticateArgs<ParsedResponse>,
  ): Promise<ParsedResponse | undefined>;
}

/** KafkaJS's custom mechanism contract. */
export interface CustomSaslOptions {
  /** Mechanism name sent in SaslHandshake (e.g. `AWS_MSK_IAM`). */
  mechanism: string;
  /** Called per connection; its `authenticate()` runs the exchange and resolves once the broker accepts. */
  authenticationProvider: (args: AuthenticationProviderArgs) => {
    /** Runs the exchange; rejects when the broker refuses. */
    authenticate(): Promise<void>;
  };
}

/** The `sasl` option: one of the built-in mechanisms or a KafkaJS-style custom one. */
export type SaslOptions = PlainSaslOptions | ScramSaslOptions | OauthbearerSaslOptions | CustomSaslOptions;

/** `sasl` may also be a provider resolved on every (re-)authentication. */
export type SaslConfig = SaslOptions | (() => SaslOptions | Promise<SaslOptions>);

export async function resolveSecret(secret: SecretProvider): Promise<string> {
  return typeof secret === 'function' ? await secret() : secret;
}
