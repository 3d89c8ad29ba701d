/**
 * The `oauthbearer` option of startKafka: the SASL listeners validate OAUTHBEARER tokens as
 * signed JWTs against a JWKS URL with Kafka's own OAuthBearerValidatorCallbackHandler (the
 * broker side of KIP-768), instead of the harness's default unsecured validator. Pure settings,
 * unit-tested; cluster.ts applies them.
 */
import { KafkaHarnessError } from './errors.js';

/** `startKafka`'s `oauthbearer` option: validate OAUTHBEARER tokens as signed JWTs against a JWKS (KIP-768). */
export interface OauthbearerJwksOptions {
  /** Where the broker reads the signing keys (it reads them at start: the issuer must be up). */
  jwksUrl: string;
  /** Accepted `aud` values; a token for another audience is refused. */
  expectedAudience?: string | string[];
  /** The required `iss`. */
  expectedIssuer?: string;
}

export const OAUTHBEARER_JWKS_VALIDATOR =
  'org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler';

/** Kafka 4.x fetches only URLs listed in this system property (CVE-2025-27817). */
export const ALLOWED_URLS_PROPERTY = 'org.apache.kafka.sasl.oauthbearer.allowed.urls';

function checked(options: OauthbearerJwksOptions): URL {
  try {
    const url = new URL(options.jwksUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw new KafkaHarnessError(
    'BAD_OPTION',
    `oauthbearer.jwksUrl must be an http(s) URL, got "${options.jwksUrl}".`,
  );
}

/** Broker settings: the validator on both SASL listeners, and the JWKS, audience and issuer it checks. */
export function oauthbearerJwksSettings(options: OauthbearerJwksOptions | undefined): Record<string, string> {
  if (!options) return {};
  checked(options);
  const settings: Record<string, string> = {
    'listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class': OAUTHBEARER_JWKS_VALIDATOR,
    'listener.name.sasl_ssl.oauthbearer.sasl.server.callback.handler.class': OAUTHBEARER_JWKS_VALIDATOR,
    'sasl.oauthbearer.jwks.endpoint.url': options.jwksUrl,
  };
  const audience = options.expectedAudience;
  if (audience !== undefined)
    settings['sasl.oauthbearer.expected.audience'] = Array.isArray(audience) ? audience.join(',') : audience;
  if (options.expectedIssuer !== undefined)
    settings['sasl.oauthbearer.expected.issuer'] = options.expectedIssuer;
  return settings;
}

/** JVM flags the validator needs: the JWKS URL allowed explicitly (required from 4.0, harmless before). */
export function oauthbearerJvmArgs(options: OauthbearerJwksOptions | undefined): string[] {
  if (!options) return [];
  checked(options);
  return [`-D${ALLOWED_URLS_PROPERTY}=${options.jwksUrl}`];
}
