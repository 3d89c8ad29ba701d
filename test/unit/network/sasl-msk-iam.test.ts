/**
 * SigV4 against AWS's published test suite, and the MSK IAM token against the reference signer
 * (`aws-msk-iam-sasl-signer-js`, a devDependency) byte for byte, with the clock pinned for both.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it, mock } from 'node:test';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import { generateMskIamToken, mskIamSasl } from '../../../src/network/sasl/msk-iam.js';
import { computeSignature, EMPTY_PAYLOAD_HASH, presignQuery } from '../../../src/network/sasl/sigv4.js';
import { KafkaJSOAuthBearerTokenError } from '../../../src/network/sasl/token-errors.js';

// The AWS Signature Version 4 test suite's credentials and time (docs.aws.amazon.com, "Signature
// Version 4 test suite"): region us-east-1, service "service", 2015-08-30T12:36:00Z.
const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_TIME = Date.UTC(2015, 7, 30, 12, 36, 0);
const SUITE_HEADERS = { Host: 'example.amazonaws.com', 'X-Amz-Date': '20150830T123600Z' };

function suite(method: string, query: [string, string][], headers: Record<string, string> = {}) {
  return computeSignature({
    method,
    path: '/',
    query,
    headers: { ...SUITE_HEADERS, ...headers },
    payloadHash: EMPTY_PAYLOAD_HASH,
    region: 'us-east-1',
    service: 'service',
    timeMs: SUITE_TIME,
    secretAccessKey: SUITE_SECRET,
  });
}

describe('SigV4 (AWS test suite)', () => {
  it('get-vanilla: canonical request, string to sign and signature', () => {
    const s = suite('GET', []);
    assert.equal(
      s.canonicalRequest,
      `GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_PAYLOAD_HASH}`,
    );
    assert.equal(
      s.stringToSign,
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
    );
    assert.equal(s.signature, '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
  });

  it('get-vanilla-query-order-key-case: parameters sorted by name', () => {
    const s = suite('GET', [
      ['Param2', 'value2'],
      ['Param1', 'value1'],
    ]);
    assert.equal(s.canonicalRequest.split('\n')[2], 'Param1=value1&Param2=value2');
    assert.equal(s.signature, 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500');
  });

  it('post-vanilla and get-header-value-trim', () => {
    assert.equal(
      suite('POST', []).signature,
      '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
    );
    const trimmed = suite('GET', [], { 'My-Header1': ' value1', 'My-Header2': '"a   b   c"' });
    assert.equal(trimmed.signedHeaders, 'host;my-header1;my-header2;x-amz-date');
    assert.equal(trimmed.signature, 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736');
  });

  it('presigns the S3 documentation example (GET examplebucket/test.txt, 86400 s)', () => {
    const params = presignQuery({
      host: 'examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      region: 'us-east-1',
      service: 's3',
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      timeMs: Date.UTC(2013, 4, 24),
      expiresInSeconds: 86400,
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    assert.deepEqual(params.at(-1), [
      'X-Amz-Signature',
      'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    ]);
  });
});

// The reference signer is CommonJS; it reads the clock through Date, which mock.timers pins.
const reference = createRequire(import.meta.url)('aws-msk-iam-sasl-signer-js') as {
  generateAuthTokenFromCredentialsProvider(o: {
    region: string;
    awsCredentialsProvider: () => Promise<object>;
  }): Promise<{ token: string; expiryTime: number }>;
};
const REFERENCE_AGENT = 'aws-msk-iam-sasl-signer-js/1.0.3';
const CLOCK = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

async function referenceToken(region: string, credentials: object) {
  mock.timers.enable({ apis: ['Date'], now: CLOCK });
  try {
    return await reference.generateAuthTokenFromCredentialsProvider({
      region,
      awsCredentialsProvider: async () => credentials,
    });
  } finally {
    mock.timers.reset();
  }
}

describe('MSK IAM token', () => {
  const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SUITE_SECRET };

  for (const [name, region, credentials] of [
    ['static keys', 'us-east-1', keys],
    ['temporary keys with a session token', 'eu-west-1', { ...keys, sessionToken: 'IQoJb3/+=token' }],
    [
      'temporary keys that outlive the 15-minute token',
      'ap-southeast-2',
      { ...keys, sessionToken: 's', expiration: new Date(CLOCK + 3_600_000) },
    ],
  ] as const) {
    it(`matches aws-msk-iam-sasl-signer-js byte for byte: ${name}`, async () => {
      const expected = await referenceToken(region, credentials);
      const ours = await generateMskIamToken({
        region,
        credentials: async () => credentials,
        userAgent: REFERENCE_AGENT,
        now: () => CLOCK,
      });
      assert.equal(ours.value, expected.token);
      assert.equal(ours.expiresAt, expected.expiryTime);
      const url = new URL(Buffer.from(ours.value, 'base64url').toString('utf8'));
      assert.equal(url.host, `kafka.${region}.amazonaws.com`);
      assert.equal(url.searchParams.get('Action'), 'kafka-cluster:Connect');
      assert.doesNotMatch(ours.value, /=/, 'base64url without padding');
    });
  }

  it('never outlives temporary credentials, in whole seconds', async () => {
    const token = await generateMskIamToken({
      region: 'us-east-1',
      credentials: { ...keys, expiration: new Date(CLOCK + 300_500) },
      now: () => CLOCK,
    });
    const url = new URL(Buffer.from(token.value, 'base64url').toString('utf8'));
    assert.equal(url.searchParams.get('X-Amz-Expires'), '300');
    assert.equal(url.searchParams.get('User-Agent'), 'kafkats');
    assert.equal(token.expiresAt, Math.floor(CLOCK / 1000) * 1000 + 300_000);
  });

  it('turns a throwing credentials provider into a retriable typed error without the secret', async () => {
    const error = await generateMskIamToken({
      region: 'us-east-1',
      credentials: () => {
        throw new Error('no instance profile');
      },
    }).catch((e: unknown) => e);
    assert.ok(error instanceof KafkaJSOAuthBearerTokenError);
    assert.equal(error.code, 'CREDENTIALS_UNAVAILABLE');
    assert.equal(error.retriable, true);
    assert.match(error.message, /no instance profile/);
    const expired = await generateMskIamToken({
      region: 'us-east-1',
      credentials: { ...keys, expiration: new Date(CLOCK - 1) },
      now: () => CLOCK,
    }).catch((e: unknown) => e);
    assert.ok(expired instanceof KafkaJSOAuthBearerTokenError);
    assert.doesNotMatch(`${expired.message}${(error as Error).message}`, /wJalrXUtnFEMI/);
  });

  it('checks its options up front, naming the one that is wrong', () => {
    assert.throws(
      () => mskIamSasl({ region: 'US East', credentials: keys }),
      (e: unknown) => {
        return e instanceof KafkaJSInvalidArgument && e.option === 'mskIam.region';
      },
    );
    assert.throws(
      () => mskIamSasl({ region: 'us-east-1', credentials: keys, expiresInSeconds: 901 }),
      (e: unknown) => e instanceof KafkaJSInvalidArgument && e.option === 'mskIam.expiresInSeconds',
    );
    assert.equal(mskIamSasl({ region: 'us-east-1', credentials: keys }).mechanism, 'oauthbearer');
  });
});
