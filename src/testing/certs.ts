/**
 * A throwaway certificate authority per cluster, made with the openssl CLI: a CA, a broker
 * certificate valid for localhost and 127.0.0.1, and a client certificate for mTLS tests. Keys
 * are unencrypted PKCS#8, which Kafka's PEM key store reads directly (no keytool, no JKS).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KafkaHarnessError, lastLines } from './errors.js';
import { run } from './exec.js';

/** PEM strings a TLS client needs: trust `ca`; present `cert`/`key` for mutual TLS. */
export interface TlsMaterial {
  ca: string;
  cert: string;
  key: string;
}

/** Where the files are, for tools that take paths (kcat's ssl.ca.location, the broker config). */
export interface TlsFiles {
  dir: string;
  caPath: string;
  brokerKeystorePath: string;
  clientCertPath: string;
  clientKeyPath: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const result = await run('openssl', args, { cwd });
  if (result.code !== 0) {
    throw new KafkaHarnessError(
      'TOOL_FAILED',
      `openssl ${args.slice(0, 2).join(' ')} failed (exit ${result.code}):\n${lastLines(result.output, 20)}`,
    );
  }
}

function serial(): string {
  // A random positive serial: reusing one across runs upsets some TLS stacks' caches.
  return `0x${(randomBytes(8)[0]! & 0x7f).toString(16).padStart(2, '0')}${randomBytes(7).toString('hex')}`;
}

async function issue(dir: string, name: string, subject: string, extensions: string): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), extensions);
  await openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    ],
    dir,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      serial(),
      '-days',
      '3650',
      '-sha256',
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
}

/** Writes a fresh CA, broker and client certificate into `dir`. */
export async function createTls(dir: string): Promise<{ files: TlsFiles; pem: TlsMaterial }> {
  await mkdir(dir, { recursive: true });
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '3650',
      '-sha256',
      '-subj',
      '/CN=kafkats test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await issue(
    dir,
    'broker',
    '/CN=localhost',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n' +
      'extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
  );
  await issue(
    dir,
    'client',
    '/CN=kafkats-client',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n',
  );
  const [ca, brokerCert, brokerKey, cert, key] = await Promise.all(
    ['ca.pem', 'broker.pem', 'broker.key', 'client.pem', 'client.key'].map((f) =>
      readFile(join(dir, f), 'utf8'),
    ),
  );
  // Kafka's PEM key store takes the private key and the chain (leaf first) from one file.
  const brokerKeystorePath = join(dir, 'broker-keystore.pem');
  await writeFile(brokerKeystorePath, `${brokerKey}${brokerCert}${ca}`);
  return {
    files: {
      dir,
      caPath: join(dir, 'ca.pem'),
      brokerKeystorePath,
      clientCertPath: join(dir, 'client.pem'),
      clientKeyPath: join(dir, 'client.key'),
    },
    pem: { ca: ca!, cert: cert!, key: key! },
  };
}
