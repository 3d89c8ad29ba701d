/**
 * The shared cluster from run-tests: every listener answers, and the SASL listeners accept the
 * harness users and refuse a wrong password. Logins are checked with clients we did not write
 * (kcat, i.e. librdkafka, and the Java client) so that a bug in kafkats cannot hide a bug here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fetchKafka, parseHostPort, probeApiVersions, probeMetadata } from '../../../src/testing/index.js';
import { testCluster } from '../../helpers/cluster.js';

const cluster = testCluster();
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'kafkats-harness-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** The CA as a file, for kcat and the Java client (an external cluster may only give PEM text). */
let caPath = '';
before(() => {
  caPath = join(scratch, 'ca.pem');
  writeFileSync(caPath, cluster.tls.ca);
});

function exec(
  command: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** `kcat -L` against one listener; resolves to whether it got metadata. */
async function kcatMetadata(
  bootstrap: string,
  settings: Record<string, string>,
): Promise<{ ok: boolean; output: string }> {
  const args = ['-L', '-m', '5', '-b', bootstrap];
  for (const [key, value] of Object.entries(settings)) args.push('-X', `${key}=${value}`);
  const { code, output } = await exec('kcat', args, 30_000);
  return { ok: code === 0 && /\d+ brokers:/.test(output), output };
}

const admin = cluster.users.find((u) => u.username === 'admin');
const alice = cluster.users.find((u) => u.username === 'alice');
const hasSasl = cluster.listeners.saslPlaintext.length > 0 && admin !== undefined && alice !== undefined;
const hasTls = cluster.listeners.ssl.length > 0 && cluster.tls.ca !== '';

describe('every listener answers ApiVersions', () => {
  it('PLAINTEXT, on every node, and Metadata lists every broker', async () => {
    for (const address of cluster.listeners.plaintext) {
      const { host, port } = parseHostPort(address);
      const answer = await probeApiVersions(host, port);
      assert.equal(answer.errorCode, 0);
      assert.ok(
        answer.apiKeys.some((k) => k.apiKey === 0),
        'Produce is among the served APIs',
      );
      const metadata = await probeMetadata(host, port);
      assert.equal(metadata.brokers.length, cluster.brokers.length);
      if (cluster.clusterId !== 'unknown') assert.equal(metadata.clusterId, cluster.clusterId);
    }
  });

  it('SASL_PLAINTEXT (before authentication, as KIP-35 allows)', { skip: !hasSasl }, async () => {
    for (const address of cluster.listeners.saslPlaintext) {
      const { host, port } = parseHostPort(address);
      assert.equal((await probeApiVersions(host, port)).errorCode, 0);
    }
  });

  it('SSL and SASL_SSL over TLS, trusting the harness CA', { skip: !hasTls }, async () => {
    for (const address of [...cluster.listeners.ssl, ...cluster.listeners.saslSsl]) {
      const { host, port } = parseHostPort(address);
      assert.equal((await probeApiVersions(host, port, { tls: { ca: cluster.tls.ca } })).errorCode, 0);
    }
  });

  it('refuses a TLS client that does not trust the CA', { skip: !hasTls }, async () => {
    const { host, port } = parseHostPort(cluster.listeners.ssl[0]!);
    await assert.rejects(probeApiVersions(host, port, { tls: { ca: '' } }));
  });
});

describe('SASL and TLS logins with kcat', { skip: !hasSasl }, () => {
  const saslPlaintext = cluster.listeners.saslPlaintext[0]!;
  const saslSsl = cluster.listeners.saslSsl[0]!;

  it('PLAIN accepts admin and alice and refuses a wrong password', async () => {
    for (const user of [admin!, alice!]) {
      const result = await kcatMetadata(saslPlaintext, {
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'PLAIN',
        'sasl.username': user.username,
        'sasl.password': user.password,
      });
      assert.ok(result.ok, result.output);
    }
    const wrong = await kcatMetadata(saslPlaintext, {
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'PLAIN',
      'sasl.username': 'alice',
      'sasl.password': 'not-her-password',
    });
    assert.ok(!wrong.ok);
    assert.match(wrong.output, /Authentication failed/i);
  });

  it('OAUTHBEARER accepts an unsecured JWT', async () => {
    const result = await kcatMetadata(saslPlaintext, {
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'OAUTHBEARER',
      'enable.sasl.oauthbearer.unsecure.jwt': 'true',
      'sasl.oauthbearer.config': 'principal=admin',
    });
    assert.ok(result.ok, result.output);
  });

  it('SSL with the CA, and SASL_SSL with PLAIN and OAUTHBEARER', { skip: !hasTls }, async () => {
    const ssl = await kcatMetadata(cluster.listeners.ssl[0]!, {
      'security.protocol': 'SSL',
      'ssl.ca.location': caPath,
    });
    assert.ok(ssl.ok, ssl.output);
    const plain = await kcatMetadata(saslSsl, {
      'security.protocol': 'SASL_SSL',
      'ssl.ca.location': caPath,
      'sasl.mechanism': 'PLAIN',
      'sasl.username': admin!.username,
      'sasl.password': admin!.password,
    });
    assert.ok(plain.ok, plain.output);
    const oauth = await kcatMetadata(saslSsl, {
      'security.protocol': 'SASL_SSL',
      'ssl.ca.location': caPath,
      'sasl.mechanism': 'OAUTHBEARER',
      'enable.sasl.oauthbearer.unsecure.jwt': 'true',
      'sasl.oauthbearer.config': 'principal=alice',
    });
    assert.ok(oauth.ok, oauth.output);
  });

  // librdkafka's SCRAM (kcat 1.7 / librdkafka 2.0 on Debian 12) is refused by Kafka 4.4 while the
  // Java client logs in with the same credentials; see docs/testing-harness.md. On 3.9 it works,
  // so it runs there; the Java client below covers SCRAM on every version. On 4.x it is declared
  // skipped with the reason, so the run reports it as a skip rather than not at all.
  const kcatScramSkip = cluster.version.startsWith('3.')
    ? false
    : `librdkafka's SCRAM is refused by Kafka ${cluster.version} (see docs/testing-harness.md); the Java client checks SCRAM below`;
  it('SCRAM-SHA-256/512 with kcat (3.9)', { skip: kcatScramSkip }, async () => {
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const ok = await kcatMetadata(saslPlaintext, {
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': mechanism,
        'sasl.username': alice!.username,
        'sasl.password': alice!.password,
      });
      assert.ok(ok.ok, ok.output);
    }
  });
});

describe('SCRAM logins with the Java client', { skip: !hasSasl || cluster.version === 'unknown' }, () => {
  it('accepts both users on both SASL listeners with both mechanisms, and refuses a wrong password', async () => {
    const install = await fetchKafka({ version: cluster.version });
    const cases: string[] = [];
    const expected: boolean[] = [];
    for (const [protocol, address, ca] of [
      ['SASL_PLAINTEXT', cluster.listeners.saslPlaintext[0]!, ''],
      ['SASL_SSL', cluster.listeners.saslSsl[0]!, caPath],
    ] as const) {
      for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512']) {
        for (const user of [admin!, alice!]) {
          cases.push([protocol, mechanism, address, user.username, user.password, ca].join('|'));
          expected.push(true);
        }
        cases.push([protocol, mechanism, address, 'alice', 'wrong-password', ca].join('|'));
        expected.push(false);
      }
    }
    const { output } = await exec(
      'java',
      ['-cp', install.classpath, join(fixtures, 'SaslCheck.java'), ...cases],
      120_000,
    );
    const results = output
      .split('\n')
      .filter((line) => /^(OK|FAIL) \d+/.test(line))
      .map((line) => line.startsWith('OK'));
    assert.deepEqual(results, expected, `${cases.join('\n')}\n${output.slice(-3000)}`);
    assert.match(output, /FAIL \d+ SaslAuthenticationException/);
  });
});
