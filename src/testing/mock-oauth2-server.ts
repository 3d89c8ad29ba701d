/**
 * NAV's `no.nav.security:mock-oauth2-server` (Maven Central, built for Java 17) as a real,
 * independent OIDC provider for tests: its jars are fetched with Maven into the harness cache, as
 * Kafka's are, and it runs as a local JVM on loopback. Every issuer id under it is an issuer
 * (`/<id>/token`, `/<id>/jwks`); a client-credentials token's `aud` is its `scope`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOST } from './config.js';
import { KafkaHarnessError } from './errors.js';
import { javaCommand, requireTool, run } from './exec.js';
import { cacheRoot } from './fetch.js';
import { freePorts } from './ports.js';
import { trackChild, untrackChild } from './reaper.js';

/** The mock-oauth2-server release {@link startMockOAuth2Server} fetches by default. */
export const MOCK_OAUTH2_SERVER_VERSION = '6.0.2';

/** Options of {@link startMockOAuth2Server}. */
export interface MockOAuth2ServerOptions {
  /** Default {@link MOCK_OAUTH2_SERVER_VERSION}. */
  version?: string;
  /** Default: the harness cache (`$KAFKATS_CACHE_DIR`, else `~/.cache/kafkats`). */
  cacheDir?: string;
  /** How long to wait for the server to answer. Default 60 000 ms. */
  startTimeoutMs?: number;
  /** Receives progress lines (fetching, ready). Default: silent. */
  log?: (line: string) => void;
}

/** A running mock-oauth2-server, from {@link startMockOAuth2Server}. */
export interface MockOAuth2Server {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  /** The `iss` of tokens from issuer `id` (default `default`). */
  issuer(id?: string): string;
  /** The token endpoint of issuer `id` (default `default`): `<baseUrl>/<id>/token`. */
  tokenEndpointUrl(id?: string): string;
  /** The JWKS endpoint of issuer `id` (default `default`): `<baseUrl>/<id>/jwks`. */
  jwksUrl(id?: string): string;
  /** Stops the server's JVM. */
  stop(): Promise<void>;
}

function pom(version: string): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>kafkats</groupId><artifactId>mock-oauth2-server-fetch</artifactId><version>1</version>
<dependencies><dependency><groupId>no.nav.security</groupId><artifactId>mock-oauth2-server</artifactId>
<version>${version}</version></dependency></dependencies></project>
`;
}

async function fetchJars(version: string, root: string, log: (line: string) => void): Promise<string> {
  const dir = join(root, `mock-oauth2-server-${version}`);
  const libs = join(dir, 'libs');
  if (existsSync(libs) && readdirSync(libs).some((f) => f.startsWith('mock-oauth2-server-'))) return libs;
  await requireTool('mvn', ['-v']);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'pom.xml'), pom(version));
  log(`fetching mock-oauth2-server ${version} from Maven Central`);
  const result = await run(
    'mvn',
    ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
    { cwd: dir },
  );
  if (result.code !== 0)
    throw new KafkaHarnessError(
      'MAVEN_FAILED',
      `Maven could not fetch mock-oauth2-server ${version}:\n${result.output}`,
    );
  return libs;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Fetches mock-oauth2-server's jars (Maven, cached) and runs it as a JVM on a free loopback
 * port; needs Java 17+. `stop()` it when done.
 */
export async function startMockOAuth2Server(
  options: MockOAuth2ServerOptions = {},
): Promise<MockOAuth2Server> {
  const version = options.version ?? MOCK_OAUTH2_SERVER_VERSION;
  const log = options.log ?? (() => {});
  const java = javaCommand();
  await requireTool(java, ['-version']);
  const libs = await fetchJars(version, options.cacheDir ?? cacheRoot(), log);
  const [port] = await freePorts(1);
  const baseUrl = `http://${HOST}:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    java,
    ['-Xmx128m', '-cp', join(libs, '*'), 'no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt'],
    {
      env: { ...process.env, SERVER_HOSTNAME: HOST, SERVER_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (child.pid !== undefined) trackChild(child.pid);
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (child.pid !== undefined) untrackChild(child.pid);
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (await answers(`${baseUrl}/default/.well-known/openid-configuration`)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new KafkaHarnessError(
        child.exitCode !== null ? 'BROKER_EXITED' : 'START_TIMEOUT',
        `mock-oauth2-server ${version} did not start on ${baseUrl}:\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`mock-oauth2-server ${version} ready at ${baseUrl}`);
  return {
    baseUrl,
    issuer: (id = 'default') => `${baseUrl}/${id}`,
    tokenEndpointUrl: (id = 'default') => `${baseUrl}/${id}/token`,
    jwksUrl: (id = 'default') => `${baseUrl}/${id}/jwks`,
    stop,
  };
}
