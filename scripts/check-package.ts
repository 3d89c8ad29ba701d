/**
 * Checks the package a user would install, after `npm run build`:
 *
 *   tsx scripts/check-package.ts        (npm run check:package)
 *
 * 1. `npm pack` into a temporary folder; the tarball must hold dist/, package.json, README.md,
 *    CHANGELOG.md and LICENSE (when present) and nothing else: no sources, tests, scripts,
 *    configs or node_modules, and every file the `exports` map points at.
 * 2. A fresh project installs the tarball (`npm install <tarball>`) and imports `kafkats`,
 *    `kafkats/protocol` and `kafkats/testing` from ESM (import) and from CommonJS (require()),
 *    each in its own node process.
 * 3. A small TypeScript file importing the three subpaths type-checks with the repository's tsc
 *    under `module: node16` (as ESM and as CommonJS) and under `moduleResolution: bundler`,
 *    together with the KafkaJS-shaped surface: every name KafkaJS 2.2.4's types/index.d.ts
 *    exports (read from the kafkajs devDependency), imported from 'kafkats' and used as a type,
 *    values also as values, and the enums as types (`level: logLevel`).
 *
 * Prints one line per check and exits 1 when any failed, saying which and why. KEEP_TMP=1 keeps
 * the temporary folder for a look; OMIT_OPTIONAL=1 installs without the native codec packages.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kafkajsExports, kafkajsTypesFile } from './kafkajs-names.js';
import { npm, npmPack, type PackResult } from './npm-pack.js';

const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const work = mkdtempSync(join(tmpdir(), 'kafkats-package-'));

interface Outcome {
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
}
const outcomes: Outcome[] = [];

class CheckFailed extends Error {}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    const output = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim();
    throw new CheckFailed(`\`${[cmd, ...args].join(' ')}\` failed in ${cwd}:\n${output || e.message}`);
  }
}

/** Runs one check; a failure is recorded and, when `fatal`, stops the checks that depend on it. */
function check(name: string, body: () => string | undefined, fatal = false): boolean {
  const started = Date.now();
  try {
    const detail = body();
    outcomes.push({ name, ok: true, ms: Date.now() - started, detail });
    console.log(`  ok    ${name}${detail ? ` — ${detail}` : ''} (${Date.now() - started} ms)`);
    return true;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    outcomes.push({ name, ok: false, ms: Date.now() - started, detail });
    console.log(`  FAIL  ${name} (${Date.now() - started} ms)\n${indent(detail)}`);
    if (fatal) throw new CheckFailed(`stopping: "${name}" failed and later checks need it`);
    return false;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `        ${line}`)
    .join('\n');
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
};

/** Every file path named in the exports map (conditions flattened). */
function exportTargets(node: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof node === 'string') out.add(node.replace(/^\.\//, ''));
  else if (node && typeof node === 'object')
    for (const value of Object.values(node)) exportTargets(value, out);
  return out;
}

const ALLOWED_TOP_LEVEL = /^(package\.json|README\.md|CHANGELOG\.md|LICEN[CS]E(\.md|\.txt)?|NOTICE)$/i;
const FORBIDDEN = [
  { test: (p: string) => /(^|\/)node_modules\//.test(p), why: 'node_modules' },
  { test: (p: string) => /\.test\.[cm]?[jt]s(\.map)?$|\.test\.d\.[cm]?ts$/.test(p), why: 'a test file' },
  { test: (p: string) => /(^|\/)tsconfig[^/]*\.json$/.test(p), why: 'a tsconfig' },
  { test: (p: string) => /(^|\/)\.ci\//.test(p), why: 'CI files' },
  { test: (p: string) => /(^|\/)\.(env|npmrc)$/.test(p), why: 'a local configuration file' },
];

let tarball = '';

function checkTarball(): string {
  let result: PackResult;
  try {
    result = npmPack(root, work);
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new CheckFailed(`npm pack failed:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || e.message}`);
  }
  tarball = result.tarball;
  const problems: string[] = [];
  const paths = result.files.map((f) => f.path);
  for (const p of paths) {
    const top = p.split('/')[0]!;
    if (p.includes('/') ? top !== 'dist' : !ALLOWED_TOP_LEVEL.test(p))
      problems.push(`${p}: not under dist/ and not package.json/README/CHANGELOG/LICENSE`);
    for (const rule of FORBIDDEN) if (rule.test(p)) problems.push(`${p}: ${rule.why}`);
  }
  for (const required of ['package.json', 'README.md', ...exportTargets(pkg.exports)])
    if (!paths.includes(required)) problems.push(`${required}: missing (named by package.json or required)`);
  if (existsSync(join(root, 'LICENSE')) && !paths.includes('LICENSE'))
    problems.push('LICENSE: present in the repository but not in the tarball (add it to "files")');
  if (!paths.includes('dist/cjs/package.json'))
    problems.push('dist/cjs/package.json ({"type":"commonjs"}) missing');
  if (problems.length > 0) {
    const more = problems.length > 20 ? `\n... and ${problems.length - 20} more` : '';
    throw new CheckFailed(`${problems.length} problem(s):\n${problems.slice(0, 20).join('\n')}${more}`);
  }
  const note = existsSync(join(root, 'LICENSE')) ? '' : '; no LICENSE file in the repository';
  return `${result.filename}: ${paths.length} files, ${(result.size / 1024).toFixed(0)} KiB packed, ${(result.unpackedSize / 1024).toFixed(0)} KiB unpacked${note}`;
}

const app = join(work, 'app');

function installTarball(): string {
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'kafkats-package-check', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  // zstd-napi builds from source when its prebuilt binary cannot be downloaded, which takes
  // minutes; OMIT_OPTIONAL=1 skips the native codecs (they are optional for users too).
  const omit = process.env.OMIT_OPTIONAL ? ['--omit=optional'] : [];
  run(
    npm,
    ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', ...omit],
    app,
  );
  const installed = JSON.parse(readFileSync(join(app, 'node_modules', pkg.name, 'package.json'), 'utf8')) as {
    version: string;
  };
  if (installed.version !== pkg.version)
    throw new CheckFailed(`installed version ${installed.version}, expected ${pkg.version}`);
  const natives = ['@napi-rs/snappy', 'lz4-napi', 'zstd-napi'].filter((n) =>
    existsSync(join(app, 'node_modules', n, 'package.json')),
  );
  return `${pkg.name}@${installed.version}; optional codecs installed: ${natives.join(', ') || 'none'}`;
}

// What each runtime probe asserts, identical for import and require().
const PROBE_BODY = `
const failures = [];
const expect = (what, ok) => { if (!ok) failures.push(what); };
expect('typeof Kafka === "function"', typeof Kafka === 'function');
expect('new Kafka({...}) constructs', (() => { try { return new Kafka({ clientId: 'package-check', brokers: ['localhost:9092'] }) instanceof Kafka; } catch (e) { return false; } })());
expect('typeof KafkaJSError === "function"', typeof KafkaJSError === 'function');
expect('Array.isArray(API_KEYS) && API_KEYS.length === 79 (got ' + (API_KEYS && API_KEYS.length) + ')', Array.isArray(API_KEYS) && API_KEYS.length === 79);
expect('typeof startKafka === "function"', typeof startKafka === 'function');
if (failures.length > 0) { console.error(failures.join('\\n')); process.exit(1); }
console.log('ok');
`;

function probe(file: string, source: string): string {
  writeFileSync(join(app, file), source);
  const out = run(process.execPath, [file], app).trim();
  if (out !== 'ok') throw new CheckFailed(`unexpected output: ${out}`);
  return `node ${process.version}`;
}

const ESM_PROBE = `import { Kafka, KafkaJSError } from 'kafkats';
import { API_KEYS } from 'kafkats/protocol';
import { startKafka } from 'kafkats/testing';
${PROBE_BODY}`;

const CJS_PROBE = `'use strict';
const { Kafka, KafkaJSError } = require('kafkats');
const { API_KEYS } = require('kafkats/protocol');
const { startKafka } = require('kafkats/testing');
if (!require.resolve('kafkats').includes('/dist/cjs/')) { console.error('require resolved ' + require.resolve('kafkats') + ', not dist/cjs'); process.exit(1); }
${PROBE_BODY}`;

// A user's program: the three subpaths, used the way the types promise.
const TYPES_SOURCE = `import { Kafka, KafkaJSError, type KafkaConfig } from 'kafkats';
import { API_KEYS } from 'kafkats/protocol';
import { startKafka } from 'kafkats/testing';

const config: KafkaConfig = { clientId: 'types-check', brokers: ['localhost:9092'] };
const kafka: Kafka = new Kafka(config);
const producer = kafka.producer();
const admin = kafka.admin();
const apiCount: number = API_KEYS.length;
const start: typeof startKafka = startKafka;
const isKafkaError = (e: unknown): e is KafkaJSError => e instanceof KafkaJSError;
export { admin, apiCount, isKafkaError, producer, start };
`;

/** Every KafkaJS type name from 'kafkats' under strict: a missing or value-only name fails here. */
function kafkajsSurfaceSource(): string {
  const names = kafkajsExports(kafkajsTypesFile(root), root);
  const types = names.map((n) =>
    n.type ? `T_${n.name}${n.generic ? '<unknown>' : ''}` : `typeof T_${n.name}`,
  );
  const values = names.filter((n) => n.value).map((n) => n.name);
  return `import type {\n${names.map((n) => `  ${n.name} as T_${n.name},`).join('\n')}\n} from 'kafkats';
import {\n${values.map((v) => `  ${v},`).join('\n')}\n} from 'kafkats';

/** Each KafkaJS type name, as a type. */
export type KafkaJSTypes = [\n${types.map((t) => `  ${t},`).join('\n')}\n];
/** Each KafkaJS value name, as a value. */
export const kafkajsValues = [${values.join(', ')}] as const;

// KafkaJS's enums are types too.
export const level: T_logLevel = logLevel.INFO;
export const codec: T_CompressionTypes = CompressionTypes.GZIP;
export const resource: T_ConfigResourceTypes = ConfigResourceTypes.TOPIC;
export const source: T_ConfigSource = ConfigSource.DEFAULT_CONFIG;
export const acl: [T_AclResourceTypes, T_AclOperationTypes, T_AclPermissionTypes, T_ResourcePatternTypes] = [
  AclResourceTypes.TOPIC,
  AclOperationTypes.READ,
  AclPermissionTypes.ALLOW,
  ResourcePatternTypes.LITERAL,
];
export const adminConnect: T_AdminEvents['CONNECT'] = 'admin.connect';
export const creator: T_logCreator = (l: T_logLevel) => (entry) => void [l, entry.log.message];
export const wrapped = new KafkaJSError(new Error('inner'));
`;
}

interface TypeSetup {
  name: string;
  file: string;
  module: string;
  moduleResolution: string;
}

const TYPE_SETUPS: TypeSetup[] = [
  {
    name: 'types: module node16 (ESM, import conditions)',
    file: 'esm.mts',
    module: 'node16',
    moduleResolution: 'node16',
  },
  {
    name: 'types: module node16 (CommonJS, require conditions)',
    file: 'cjs.cts',
    module: 'node16',
    moduleResolution: 'node16',
  },
  {
    name: 'types: module esnext + moduleResolution bundler',
    file: 'bundler.ts',
    module: 'esnext',
    moduleResolution: 'bundler',
  },
];

function typeCheck(setup: TypeSetup): string {
  const dir = join(app, `types-${setup.file.replace('.', '-')}`);
  mkdirSync(dir);
  writeFileSync(join(dir, setup.file), TYPES_SOURCE);
  const surface = setup.file.replace(/\.([cm]?ts)$/, '-kafkajs.$1');
  writeFileSync(join(dir, surface), kafkajsSurfaceSource());
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: setup.module,
      moduleResolution: setup.moduleResolution,
      strict: true,
      noEmit: true,
      // Check kafkats' own .d.ts files too: a broken declaration is what this is here to catch.
      skipLibCheck: false,
      // The app has no @types/node of its own; use the repository's, as a user's project would.
      typeRoots: [join(root, 'node_modules', '@types')],
      types: ['node'],
    },
    files: [setup.file, surface],
  };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  // One tsc run: diagnostics and the resolution trace (to see which condition of the exports map
  // each setup went through).
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--traceResolution'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  const diagnostics = output.split('\n').filter((line) => /error TS\d+/.test(line));
  if (result.status !== 0 || diagnostics.length > 0)
    throw new CheckFailed(
      diagnostics.length > 0
        ? `${diagnostics.length} type error(s):\n${diagnostics.join('\n')}`
        : `tsc exited with ${result.status ?? result.signal}: ${result.error?.message ?? output.slice(-2000)}`,
    );
  const match = /Module name 'kafkats' was successfully resolved to '([^']+)'/.exec(output);
  if (!match) throw new CheckFailed('tsc did not report how it resolved "kafkats"');
  const resolved = match[1]!.slice(match[1]!.indexOf('node_modules/'));
  const wanted = setup.file.endsWith('.cts') ? '/dist/cjs/' : '/dist/esm/';
  if (!resolved.includes(wanted))
    throw new CheckFailed(`"kafkats" resolved to ${resolved}, expected ${wanted}`);
  return `0 errors, kafkats → ${resolved}`;
}

const started = Date.now();
let exitCode = 0;
console.log(`Checking the ${pkg.name}@${pkg.version} package (work dir ${work})`);
try {
  check(
    'dist/ is built',
    () => {
      for (const f of exportTargets(pkg.exports))
        if (!existsSync(join(root, f))) throw new CheckFailed(`${f} is missing: run \`npm run build\` first`);
      return undefined;
    },
    true,
  );
  check('npm pack: only dist/ and package docs, all export targets present', checkTarball, true);
  check('npm install <tarball> in a fresh project', installTarball, true);
  check('ESM: import kafkats, kafkats/protocol, kafkats/testing', () => probe('probe.mjs', ESM_PROBE));
  check('CJS: require() kafkats, kafkats/protocol, kafkats/testing', () => probe('probe.cjs', CJS_PROBE));
  for (const setup of TYPE_SETUPS) check(setup.name, () => typeCheck(setup));
} catch (error) {
  if (!(error instanceof CheckFailed)) {
    console.error(error);
    exitCode = 1;
  }
} finally {
  if (process.env.KEEP_TMP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = outcomes.filter((o) => !o.ok);
console.log(
  `\npackage check: ${outcomes.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
if (failed.length > 0) {
  console.error(`FAILED: ${failed.map((o) => o.name).join('; ')}`);
  exitCode = 1;
}
process.exit(exitCode);
