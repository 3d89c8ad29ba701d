/**
 * Loading Kafka's JSON message specs (from a directory or a kafka-clients jar) and parsing
 * their version ranges. Nothing here knows about TypeScript output.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A field as written in a spec file. */
export interface RawField {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  flexibleVersions?: string;
  tag?: number;
  default?: string | number | boolean;
  ignorable?: boolean;
  mapKey?: boolean;
  about?: string;
  fields?: RawField[];
}

export interface RawStruct {
  name: string;
  versions: string;
  fields: RawField[];
}

/** One spec file. */
export interface RawSpec {
  apiKey?: number;
  type: 'request' | 'response' | 'header' | 'data' | 'metadata';
  listeners?: string[];
  name: string;
  validVersions: string;
  flexibleVersions: string;
  latestVersionUnstable?: boolean;
  fields: RawField[];
  commonStructs?: RawStruct[];
}

export interface SpecSource {
  specs: RawSpec[];
  /** What the generated header says the specs came from. */
  label: string;
  /** sha256 over the spec files' names and bytes, so two sources can be compared. */
  digest: string;
}

/** Inclusive version range; `hi` is Infinity for "N+". */
export interface Range {
  lo: number;
  hi: number;
}

/** Parses "3+", "0-4", "5" or "none" (null). */
export function parseRange(text: string | undefined, what: string): Range | null {
  if (text === undefined) throw new Error(`${what}: missing version range`);
  const t = text.trim();
  if (t === 'none') return null;
  let m = /^(\d+)\+$/.exec(t);
  if (m) return { lo: Number(m[1]), hi: Number.POSITIVE_INFINITY };
  m = /^(\d+)-(\d+)$/.exec(t);
  if (m) {
    const lo = Number(m[1]);
    const hi = Number(m[2]);
    if (hi < lo) throw new Error(`${what}: empty version range "${text}"`);
    return { lo, hi };
  }
  m = /^(\d+)$/.exec(t);
  if (m) return { lo: Number(m[1]), hi: Number(m[1]) };
  throw new Error(`${what}: cannot parse version range "${text}"`);
}

export function intersect(a: Range | null, b: Range | null): Range | null {
  if (a === null || b === null) return null;
  const lo = Math.max(a.lo, b.lo);
  const hi = Math.min(a.hi, b.hi);
  return lo <= hi ? { lo, hi } : null;
}

export function sameRange(a: Range | null, b: Range | null): boolean {
  if (a === null || b === null) return a === b;
  return a.lo === b.lo && a.hi === b.hi;
}

/**
 * Removes `//` comment lines. Kafka's spec files only put comments on lines of their own, so a
 * `//` inside a string value (a URL in an "about") is left alone; a comment after code on the
 * same line is removed only when the `//` is outside any string.
 */
export function stripComments(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trimStart().startsWith('//')) continue;
    out.push(cutTrailingComment(line));
  }
  return out.join('\n');
}

function cutTrailingComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

function parseSpecText(file: string, text: string): RawSpec {
  try {
    return JSON.parse(stripComments(text)) as RawSpec;
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

function digestOf(files: [string, string][]): string {
  const h = createHash('sha256');
  for (const [name, text] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    h.update(name).update('\0').update(text).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/** Reads every *.json in `dir`. The label names the SOURCE.md commit when there is one. */
export function loadFromDir(dir: string): SpecSource {
  if (!existsSync(dir)) throw new Error(`spec directory ${dir} does not exist`);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const files: [string, string][] = names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]);
  let label = `${basename(dir)}/ (${names.length} spec files)`;
  const sourceMd = join(dir, 'SOURCE.md');
  if (existsSync(sourceMd)) {
    const m = /commit ([0-9a-f]{7,40})(?: of ([0-9-]+))?/.exec(readFileSync(sourceMd, 'utf8'));
    if (m) label += `, Apache Kafka trunk commit ${m[1]}${m[2] ? ` of ${m[2]}` : ''} (see SOURCE.md)`;
  }
  return { specs: files.map(([n, t]) => parseSpecText(n, t)), label, digest: digestOf(files) };
}

/** Reads common/message/*.json out of a kafka-clients jar with `unzip -p`. */
export function loadFromJar(jar: string): SpecSource {
  if (!existsSync(jar)) throw new Error(`jar ${jar} does not exist`);
  const listing = execFileSync('unzip', ['-Z1', jar], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const entries = listing
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^common\/message\/[^/]+\.json$/.test(l))
    .sort();
  if (entries.length === 0) throw new Error(`${jar} holds no common/message/*.json`);
  const files: [string, string][] = entries.map((e) => [
    basename(e),
    execFileSync('unzip', ['-p', jar, e], { encoding: 'utf8', maxBuffer: 16 << 20 }),
  ]);
  const version = /kafka-clients-([^/]+)\.jar$/.exec(jar)?.[1];
  const label = `${basename(jar)}${version ? ` (Apache Kafka ${version})` : ''}, common/message/ (${entries.length} spec files)`;
  return { specs: files.map(([n, t]) => parseSpecText(n, t)), label, digest: digestOf(files) };
}
