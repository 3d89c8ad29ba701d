/**
 * Running the Java golden-vector programs under test/java/ against Kafka's own jars: where the
 * jars are, compiling a source file once per (source, jars) pair, and running its main class.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { cacheRoot, fetchKafka } from '../../src/testing/fetch.js';

const exec = promisify(execFile);

/** The Kafka release whose jars the golden tests use. */
export const GOLDEN_KAFKA_VERSION = '4.4.0';

function hasClients(dir: string | undefined): dir is string {
  return !!dir && existsSync(dir) && readdirSync(dir).some((f) => f.startsWith('kafka-clients-'));
}

/** The Kafka jars directory: $KAFKATS_LIBS, the harness cache, or a fetch through the harness. */
export async function kafkaLibs(version = GOLDEN_KAFKA_VERSION): Promise<string> {
  const candidates = [process.env.KAFKATS_LIBS, join(cacheRoot(), `kafka-${version}`, 'libs')];
  for (const dir of candidates) if (hasClients(dir)) return dir;
  return (await fetchKafka({ version })).libsDir;
}

export interface CompiledJava {
  /** Directory holding the compiled classes. */
  classes: string;
  /** Class path: the classes, then every jar of the libs directory. */
  classpath: string;
}

/**
 * Compiles one Java source file against the jars in `libs` into
 * `<tmpdir>/<cacheName>/<hash of source and libs>`, unless that directory is already there.
 * Compilation goes to a scratch directory that is renamed into place, so concurrent runs never
 * see half-written classes.
 */
export async function compileJava(source: string, libs: string, cacheName: string): Promise<CompiledJava> {
  const text = await readFile(source);
  const hash = createHash('sha256').update(text).update(libs).digest('hex').slice(0, 16);
  const parent = join(tmpdir(), cacheName);
  const classes = join(parent, hash);
  const classpath = `${classes}:${join(libs, '*')}`;
  const mainClass = `${basename(source, '.java')}.class`;
  if (existsSync(join(classes, mainClass))) return { classes, classpath };
  await mkdir(parent, { recursive: true });
  const scratch = await mkdtemp(join(parent, `${hash}-tmp-`));
  try {
    await exec('javac', ['-nowarn', '-d', scratch, '-cp', join(libs, '*'), source]);
    try {
      await rename(scratch, classes);
    } catch (e) {
      // Another run got there first; its classes are the same.
      if (!existsSync(join(classes, mainClass))) throw e;
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { classes, classpath };
}

/** Runs `mainClass` with `args` and returns its standard output. */
export async function runJava(classpath: string, mainClass: string, args: string[]): Promise<string> {
  const { stdout } = await exec('java', ['-cp', classpath, mainClass, ...args], {
    maxBuffer: 512 * 1024 * 1024,
  });
  return stdout;
}
