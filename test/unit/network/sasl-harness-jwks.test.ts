/** The `oauthbearer` option of kafkats/testing's startKafka: the broker settings and JVM flag it adds. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDockerOptions } from '../../../src/testing/docker-config.js';
import { KafkaHarnessError } from '../../../src/testing/errors.js';
import {
  ALLOWED_URLS_PROPERTY,
  OAUTHBEARER_JWKS_VALIDATOR,
  oauthbearerJvmArgs,
  oauthbearerJwksSettings,
} from '../../../src/testing/oauthbearer.js';

describe('startKafka({ oauthbearer })', () => {
  const jwksUrl = 'http://127.0.0.1:8080/jwks';

  it('switches both SASL listeners to the JWKS validator with audience and issuer', () => {
    assert.deepEqual(
      oauthbearerJwksSettings({
        jwksUrl,
        expectedAudience: ['kafka', 'other'],
        expectedIssuer: 'http://idp',
      }),
      {
        'listener.name.sasl_plaintext.oauthbearer.sasl.server.callback.handler.class':
          OAUTHBEARER_JWKS_VALIDATOR,
        'listener.name.sasl_ssl.oauthbearer.sasl.server.callback.handler.class': OAUTHBEARER_JWKS_VALIDATOR,
        'sasl.oauthbearer.jwks.endpoint.url': jwksUrl,
        'sasl.oauthbearer.expected.audience': 'kafka,other',
        'sasl.oauthbearer.expected.issuer': 'http://idp',
      },
    );
    assert.deepEqual(oauthbearerJvmArgs({ jwksUrl }), [`-D${ALLOWED_URLS_PROPERTY}=${jwksUrl}`]);
  });

  it('adds nothing without the option', () => {
    assert.deepEqual(oauthbearerJwksSettings(undefined), {});
    assert.deepEqual(oauthbearerJvmArgs(undefined), []);
  });

  it('refuses a JWKS URL that is not http(s), and the docker route, with typed errors', () => {
    for (const bad of ['file:///etc/keys', 'not a url']) {
      assert.throws(
        () => oauthbearerJwksSettings({ jwksUrl: bad }),
        (e: unknown) => e instanceof KafkaHarnessError && e.code === 'BAD_OPTION' && e.message.includes(bad),
      );
    }
    assert.throws(
      () => checkDockerOptions({ oauthbearer: { jwksUrl } }),
      (e: unknown) => e instanceof KafkaHarnessError && e.code === 'UNSUPPORTED_OPTION',
    );
  });
});
