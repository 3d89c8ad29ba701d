import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaJSInvalidArgument, KafkaJSSASLAuthenticationError } from '../../../src/errors/network.js';
import { nullLogger } from '../../../src/logger.js';
import {
  computeScramProof,
  encodeOauthbearerMessage,
  encodePlainMessage,
  escapeSaslName,
  parseServerFirst,
  resolveSaslMechanism,
  type SaslContext,
  ScramMechanism,
  verifyServerFinal,
} from '../../../src/network/sasl/index.js';

function context(answers: string[], sent: Buffer[]): SaslContext {
  return {
    host: 'h',
    port: 1,
    broker: 'h:1',
    logger: nullLogger,
    exchange: async (bytes) => {
      sent.push(bytes);
      const next = answers.shift();
      if (next === undefined) throw new Error('no more answers');
      return Buffer.from(next, 'utf8');
    },
  };
}

describe('SCRAM', () => {
  it('matches the RFC 5802 (SHA-1) test vector: client proof and server signature', async () => {
    const clientFirstBare = 'n=user,r=fyko+d2lbbFgONRv9qkxdawL';
    const serverFirst = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';
    const parsed = parseServerFirst(serverFirst, 'fyko+d2lbbFgONRv9qkxdawL');
    const proof = await computeScramProof('sha1', 'pencil', clientFirstBare, serverFirst, parsed);
    assert.equal(
      proof.clientFinal,
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    );
    assert.equal(proof.serverSignature.toString('base64'), 'rmF9pqV8S7suAoZWja4dJRkFsKQ=');
    verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=', proof.serverSignature);
  });

  it('runs the RFC 7677 SCRAM-SHA-256 exchange end to end and verifies the server signature', async () => {
    const sent: Buffer[] = [];
    const mechanism = new ScramMechanism(
      { mechanism: 'scram-sha-256', username: 'user', password: async () => 'pencil' },
      () => 'rOprNGfwEbeRWgbNEkqO',
    );
    await mechanism.authenticate(
      context(
        [
          'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
          'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
        ],
        sent,
      ),
    );
    assert.equal(sent[0]!.toString(), 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    assert.equal(
      sent[1]!.toString(),
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
  });

  it('rejects a forged server signature with a typed error that holds no password', async () => {
    const mechanism = new ScramMechanism(
      { mechanism: 'scram-sha-256', username: 'user', password: 'pencil' },
      () => 'rOprNGfwEbeRWgbNEkqO',
    );
    const err = await mechanism
      .authenticate(
        context(
          [
            'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
            `v=${Buffer.alloc(32).toString('base64')}`,
          ],
          [],
        ),
      )
      .catch((e: unknown) => e);
    assert.ok(err instanceof KafkaJSSASLAuthenticationError);
    assert.match(err.message, /server signature/);
    assert.ok(!err.message.includes('pencil') && !String(err.stack).includes('pencil'));
  });

  it('refuses a server nonce that does not extend ours, too few iterations, and e= errors', () => {
    assert.throws(() => parseServerFirst('r=other,s=AAAA,i=4096', 'abc'), /nonce/);
    assert.throws(() => parseServerFirst('r=abc,s=AAAA,i=4096', 'abc'), /nonce/);
    assert.throws(() => parseServerFirst('r=abcd,s=AAAA,i=1000', 'abc'), /iterations/);
    assert.throws(() => parseServerFirst('e=unknown-user', 'abc'), /unknown-user/);
    assert.throws(() => verifyServerFinal('e=invalid-proof', Buffer.alloc(32)), /invalid-proof/);
  });

  it('escapes = and , in user names', () => {
    assert.equal(escapeSaslName('a=b,c'), 'a=3Db=2Cc');
  });

  it('uses SHA-512 for scram-sha-512', async () => {
    const m = await resolveSaslMechanism({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    assert.equal(m.name, 'SCRAM-SHA-512');
  });
});

describe('PLAIN', () => {
  it('encodes authzid NUL user NUL password', async () => {
    assert.deepEqual(encodePlainMessage('alice', 'secret'), Buffer.from('\0alice\0secret'));
    assert.deepEqual(encodePlainMessage('alice', 'secret', 'admin'), Buffer.from('admin\0alice\0secret'));
    const sent: Buffer[] = [];
    const m = await resolveSaslMechanism(async () => ({
      mechanism: 'plain',
      username: 'bob',
      password: () => 'pw',
    }));
    await m.authenticate(context([''], sent));
    assert.equal(sent[0]!.toString(), '\0bob\0pw');
  });
});

describe('OAUTHBEARER', () => {
  it('encodes the RFC 7628 initial response with extensions', () => {
    const msg = encodeOauthbearerMessage({ value: 'tok.en.x', extensions: { traceId: 'abc 123' } });
    assert.equal(msg.toString(), 'n,,\x01auth=Bearer tok.en.x\x01traceId=abc 123\x01\x01');
    assert.equal(encodeOauthbearerMessage({ value: 't' }).toString(), 'n,,\x01auth=Bearer t\x01\x01');
  });

  it('rejects reserved or malformed extension names', () => {
    assert.throws(
      () => encodeOauthbearerMessage({ value: 't', extensions: { auth: 'x' } }),
      /extension name/,
    );
    assert.throws(
      () => encodeOauthbearerMessage({ value: 't', extensions: { 'a-b': 'x' } }),
      /extension name/,
    );
  });

  it('answers an error challenge with ^A and fails with a typed error', async () => {
    const sent: Buffer[] = [];
    const m = await resolveSaslMechanism({
      mechanism: 'oauthbearer',
      oauthBearerProvider: async () => ({ value: 't' }),
    });
    const err = await m.authenticate(context(['{"status":"invalid_token"}'], sent)).catch((e: unknown) => e);
    assert.ok(err instanceof KafkaJSSASLAuthenticationError);
    assert.equal(sent[1]!.toString(), '\x01');
  });
});

describe('custom mechanisms (KafkaJS authenticationProvider)', () => {
  it('passes the broker bytes with an int32 length prefix to response.decode', async () => {
    const sent: Buffer[] = [];
    const m = await resolveSaslMechanism({
      mechanism: 'AWS_MSK_IAM',
      authenticationProvider: ({ host, port, saslAuthenticate }) => ({
        authenticate: async () => {
          assert.equal(host, 'h');
          assert.equal(port, 1);
          const parsed = await saslAuthenticate({
            request: { encode: () => Buffer.from('hello') },
            response: { decode: (raw: Buffer) => raw, parse: (d: unknown) => d },
          });
          assert.deepEqual(parsed, Buffer.from([0, 0, 0, 2, 0x6f, 0x6b]));
        },
      }),
    });
    assert.equal(m.name, 'AWS_MSK_IAM');
    await m.authenticate(context(['ok'], sent));
    assert.equal(sent[0]!.toString(), 'hello');
  });

  it('rejects unknown mechanisms without a provider, naming the option', async () => {
    const err = await resolveSaslMechanism({ mechanism: 'gssapi' } as never).catch((e: unknown) => e);
    assert.ok(err instanceof KafkaJSInvalidArgument);
    assert.equal(err.option, 'sasl.mechanism');
  });
});
