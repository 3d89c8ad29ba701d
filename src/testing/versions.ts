import { KafkaHarnessError } from './errors.js';

/** The Kafka release the harness runs when nothing else is asked for. */
export const DEFAULT_KAFKA_VERSION = '4.4.0';

/** The environment variable that selects the Kafka version (a line like `3.9` or an exact `3.9.2`). */
export const KAFKA_VERSION_ENV = 'KAFKA_VERSION';

/**
 * Releases we know were published, newest first per line. Maven Central has no cheap "list
 * versions" call through `mvn`, so a line such as `3.9` is tried patch by patch from this table;
 * the first that resolves wins. Lines missing here (a future 4.x) are guessed as x.y.3 .. x.y.0.
 */
const KNOWN_RELEASES: Readonly<Record<string, readonly string[]>> = {
  '4.4': ['4.4.0'],
  '4.3': ['4.3.1', '4.3.0'],
  '4.2': ['4.2.0'],
  '4.1': ['4.1.1', '4.1.0'],
  '4.0': ['4.0.1', '4.0.0'],
  '3.9': ['3.9.2', '3.9.1', '3.9.0'],
};

const SUPPORTED_HINT =
  `Supported lines are 4.x (for example 4.4, 4.3.1) and 3.9.x (for example 3.9 or 3.9.2). ` +
  `Choose one with the ${KAFKA_VERSION_ENV} environment variable (${KAFKA_VERSION_ENV}=3.9) ` +
  `or the \`version\` option of startKafka(); the default is ${DEFAULT_KAFKA_VERSION}.`;

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function allKnownDescending(filter: (v: string) => boolean): string[] {
  return Object.values(KNOWN_RELEASES)
    .flat()
    .filter(filter)
    .sort((a, b) => compareVersions(b, a));
}

/**
 * Turns what the user asked for into the exact releases to try, best first.
 * `undefined` → the default then older 4.x; `3.9` → 3.9.2, 3.9.1, 3.9.0; `4` → every known 4.x;
 * `3.9.1` → exactly that. Anything outside 4.x and 3.9.x is rejected with a message that says
 * how to choose.
 */
export function versionCandidates(spec: string | undefined): string[] {
  if (spec === undefined || spec.trim() === '') {
    return [
      DEFAULT_KAFKA_VERSION,
      ...allKnownDescending((v) => v.startsWith('4.') && v !== DEFAULT_KAFKA_VERSION),
    ];
  }
  const wanted = spec.trim();
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(wanted);
  if (!match) {
    throw new KafkaHarnessError('UNKNOWN_VERSION', `"${spec}" is not a Kafka version. ${SUPPORTED_HINT}`);
  }
  const major = Number(match[1]);
  const minor = match[2] === undefined ? undefined : Number(match[2]);
  const supported = major === 4 || (major === 3 && (minor === undefined || minor === 9));
  if (!supported) {
    throw new KafkaHarnessError(
      'UNKNOWN_VERSION',
      `Kafka ${spec} is not supported by the harness. ${SUPPORTED_HINT}`,
    );
  }
  if (minor === undefined) {
    return major === 4 ? allKnownDescending((v) => v.startsWith('4.')) : [...(KNOWN_RELEASES['3.9'] ?? [])];
  }
  if (match[3] !== undefined) return [wanted];
  const line = `${major}.${minor}`;
  return [...(KNOWN_RELEASES[line] ?? [3, 2, 1, 0].map((patch) => `${line}.${patch}`))];
}

/**
 * kafka-tools is not always published on the day of a broker release (4.4.0's was missing from
 * Maven Central when this was written), so the harness falls back to the newest earlier tools
 * release of the same major. Only the CLI tools come from it; the broker never needs it.
 */
export function toolsCandidates(brokerVersion: string): string[] {
  const major = brokerVersion.split('.')[0];
  const older = allKnownDescending(
    (v) => v.split('.')[0] === major && compareVersions(v, brokerVersion) < 0,
  ).slice(0, 3);
  return [brokerVersion, ...older];
}

/** Parsed major/minor, for the few settings that differ between Kafka lines. */
export function versionParts(version: string): { major: number; minor: number } {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return { major, minor };
}
