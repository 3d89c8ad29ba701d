/**
 * SCRAM credentials (KIP-554): describe on any broker, alter on the controller. The salted
 * password is computed here (PBKDF2, RFC 5802's Hi()) so the password itself never leaves the
 * client.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { KafkaJSInvalidArgument } from '../errors/network.js';
import { AlterUserScramCredentials, DescribeUserScramCredentials } from '../protocol/messages/index.js';
import { brokerError, Codes } from './common.js';
import type { AdminCluster } from './context.js';
import { ScramMechanisms } from './enums.js';
import { throwIfAny } from './errors.js';
import { requireArray, requireInt, requireObject, requireString } from './validation.js';

/** A SCRAM mechanism by its SASL name. */
export type ScramMechanismName = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

const MECHANISMS: Record<ScramMechanismName, { id: number; hash: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { id: ScramMechanisms.SCRAM_SHA_256, hash: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { id: ScramMechanisms.SCRAM_SHA_512, hash: 'sha512', bytes: 64 },
};

function mechanismName(id: number): string {
  for (const [name, m] of Object.entries(MECHANISMS)) if (m.id === id) return name;
  return `UNKNOWN(${id})`;
}

function mechanismOf(option: string, name: unknown) {
  const m = MECHANISMS[name as ScramMechanismName];
  if (!m)
    throw new KafkaJSInvalidArgument(
      option,
      `expected "SCRAM-SHA-256" or "SCRAM-SHA-512", got ${String(name)}`,
    );
  return m;
}

/** A user's SCRAM credentials as `admin.describeUserScramCredentials` reports them (never the salted password). */
export interface UserScramCredentials {
  /** The user name. */
  user: string;
  /** One entry per mechanism the user has a credential for. */
  credentials: Array<{
    /** `SCRAM-SHA-256` or `SCRAM-SHA-512` (`UNKNOWN(n)` for a mechanism this client does not know). */
    mechanism: string;
    /** PBKDF2 iteration count of the stored credential. */
    iterations: number;
  }>;
}

/** Every user's SCRAM mechanisms and iteration counts (all users when `users` is absent). */
export async function describeUserScramCredentials(
  cluster: AdminCluster,
  users?: string[],
): Promise<{
  /** One entry per user, with its SCRAM credentials (never the secrets). */
  users: UserScramCredentials[];
}> {
  if (users !== undefined) requireArray('users', users);
  const res = await cluster.retry(() =>
    cluster.send('any', DescribeUserScramCredentials, {
      users: users ? users.map((name) => ({ name })) : null,
    }),
  );
  if (res.errorCode !== Codes.NONE) throw brokerError(res.errorCode, res.errorMessage);
  throwIfAny(
    'Error describing SCRAM credentials',
    res.results
      .filter((r) => r.errorCode !== Codes.NONE)
      .map((r) => brokerError(r.errorCode, r.errorMessage, { user: r.user })),
  );
  return {
    users: res.results.map((r) => ({
      user: r.user,
      credentials: r.credentialInfos.map((c) => ({
        mechanism: mechanismName(c.mechanism),
        iterations: c.iterations,
      })),
    })),
  };
}

/** A SCRAM credential to create or replace with `admin.alterUserScramCredentials`. */
export interface ScramUpsertion {
  /** The user name. */
  user: string;
  /** The mechanism the credential is for. */
  mechanism: ScramMechanismName;
  /** The password; salted and hashed here, never sent as is. */
  password: string;
  /** Default 8192; Kafka accepts 4096 to 16384. */
  iterations?: number;
}

/** A SCRAM credential to delete with `admin.alterUserScramCredentials`. */
export interface ScramDeletion {
  /** The user name. */
  user: string;
  /** The mechanism whose credential is deleted (the user's other mechanism is kept). */
  mechanism: ScramMechanismName;
}

/** Creates, replaces or deletes SCRAM credentials; each user's failure is its own error. */
export async function alterUserScramCredentials(
  cluster: AdminCluster,
  options: { upsertions?: ScramUpsertion[]; deletions?: ScramDeletion[] },
): Promise<void> {
  requireObject('alterUserScramCredentials', options);
  const upsertions = (options.upsertions ?? []).map((u, i) => {
    requireString(`upsertions[${i}].user`, u.user);
    requireString(`upsertions[${i}].password`, u.password);
    const m = mechanismOf(`upsertions[${i}].mechanism`, u.mechanism);
    const iterations = u.iterations ?? 8192;
    requireInt(`upsertions[${i}].iterations`, iterations, 4096, 16384);
    const salt = randomBytes(32);
    return {
      name: u.user,
      mechanism: m.id,
      iterations,
      salt,
      saltedPassword: pbkdf2Sync(u.password.normalize('NFKC'), salt, iterations, m.bytes, m.hash),
    };
  });
  const deletions = (options.deletions ?? []).map((d, i) => {
    requireString(`deletions[${i}].user`, d.user);
    return { name: d.user, mechanism: mechanismOf(`deletions[${i}].mechanism`, d.mechanism).id };
  });
  if (upsertions.length + deletions.length === 0) return;
  const res = await cluster.retry(() =>
    cluster.send('controller', AlterUserScramCredentials, { upsertions, deletions }),
  );
  throwIfAny(
    'Error altering SCRAM credentials',
    res.results
      .filter((r) => r.errorCode !== Codes.NONE)
      .map((r) => brokerError(r.errorCode, r.errorMessage, { user: r.user })),
  );
}
