/**
 * A throwaway certificate authority per cluster, made with the openssl CLI: a CA, a broker
 * certificate valid for localhost and 127.0.0.1, and a client certificate for mTLS tests. Keys
 * are unencrypted PKCS#8, which Kafka's PEM key store reads directly (no keytool, no JKS).
 * {@link issueClientCertificate} adds client certificates on demand: another principal, a key
 * encrypted with a passphrase, or one signed by a second CA the cluster does not trust.
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

async function openssl(args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<void> {
  const result = await run('openssl', args, { cwd, env });
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

async function issue(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
  ca = 'ca',
): Promise<void> {
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
      `${ca}.pem`,
      '-CAkey',
      `${ca}.key`,
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

async function createCa(dir: string, name: string, commonName: string): Promise<void> {
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '3650',
      '-sha256',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
}

const CLIENT_EXTENSIONS =
  'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';

/** Writes a fresh CA, broker and client certificate into `dir`. */
export async function createTls(dir: string): Promise<{ files: TlsFiles; pem: TlsMaterial }> {
  await mkdir(dir, { recursive: true });
  await createCa(dir, 'ca', 'kafkats test CA');
  await issue(
    dir,
    'broker',
    '/CN=localhost',
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n' +
      'extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n',
  );
  await issue(dir, 'client', '/CN=kafkats-client', CLIENT_EXTENSIONS);
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

/** A client certificate issued by {@link issueClientCertificate}. */
export interface ClientCertificate {
  /** The Kafka principal the broker derives from it with its default mapping rule. */
  principal: string;
  cert: string;
  /** The private key: PKCS#8, encrypted (`ENCRYPTED PRIVATE KEY`) when a passphrase was given. */
  key: string;
  passphrase: string | undefined;
  certPath: string;
  keyPath: string;
}

export interface ClientCertificateOptions {
  /** File name stem, unique within the directory, e.g. `reader`. */
  name: string;
  /** The certificate's CN; the principal becomes `User:CN=<commonName>`. */
  commonName: string;
  /** Encrypt the private key (AES-256, PKCS#8 v2) with this passphrase. */
  passphrase?: string;
  /**
   * Sign with a second CA made on first use (`other-ca.pem` in the same directory) instead of the
   * cluster's: a well-formed certificate the broker does not trust.
   */
  untrustedCa?: boolean;
}

/**
 * Issues a client certificate in `dir`, the directory of a cluster's CA (`dirname(cluster.tls.caPath)`).
 * For mutual-TLS tests: another principal than the default `CN=kafkats-client`, a key encrypted
 * with a passphrase, or a certificate from a CA the broker does not trust.
 */
export async function issueClientCertificate(
  dir: string,
  options: ClientCertificateOptions,
): Promise<ClientCertificate> {
  if (!/^[\w-]+$/.test(options.name) || ['ca', 'broker', 'client', 'other-ca'].includes(options.name)) {
    throw new KafkaHarnessError(
      'BAD_OPTION',
      `name must be letters, digits, '-' or '_' and not one of ca, broker, client, other-ca; got ${JSON.stringify(options.name)}.`,
    );
  }
  if (!/^[\w .-]+$/.test(options.commonName)) {
    throw new KafkaHarnessError(
      'BAD_OPTION',
      `commonName must be letters, digits, spaces, '.', '-' or '_'; got ${JSON.stringify(options.commonName)}.`,
    );
  }
  let ca = 'ca';
  if (options.untrustedCa) {
    ca = 'other-ca';
    const have = await readFile(join(dir, 'other-ca.pem'), 'utf8').catch(() => undefined);
    if (have === undefined) await createCa(dir, ca, 'kafkats untrusted CA');
  }
  await issue(dir, options.name, `/CN=${options.commonName}`, CLIENT_EXTENSIONS, ca);
  let keyFile = `${options.name}.key`;
  if (options.passphrase !== undefined) {
    keyFile = `${options.name}.encrypted.key`;
    await openssl(
      [
        'pkcs8',
        '-topk8',
        '-v2',
        'aes-256-cbc',
        '-in',
        `${options.name}.key`,
        '-out',
        keyFile,
        // through the environment, so that the passphrase is not in a process listing
        '-passout',
        'env:KAFKATS_KEY_PASSPHRASE',
      ],
      dir,
      { ...process.env, KAFKATS_KEY_PASSPHRASE: options.passphrase },
    );
  }
  const [cert, key] = await Promise.all(
    [`${options.name}.pem`, keyFile].map((f) => readFile(join(dir, f), 'utf8')),
  );
  return {
    principal: `User:CN=${options.commonName}`,
    cert: cert!,
    key: key!,
    passphrase: options.passphrase,
    certPath: join(dir, `${options.name}.pem`),
    keyPath: join(dir, keyFile),
  };
}
