/**
 * Rewrites typedoc.undocumented.json: the public symbols that have no doc comment yet.
 *
 *   npm run docs:baseline
 *
 * `npm run docs` fails on an undocumented export (typedoc.json: `validation.notDocumented`,
 * `treatWarningsAsErrors`) except for the names listed there, so that the surface documented
 * today stays documented and every new export arrives with its comment. The list only shrinks:
 * TypeDoc also fails on a listed name that has since been documented (or removed), so whoever
 * documents one runs this script and commits the shorter list. Run it after a merge that
 * documented or removed symbols; never to let a new undocumented export through.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const file = join(root, 'typedoc.undocumented.json');

function write(names: string[]): void {
  // TypeDoc rejects unknown keys, so the file says what it is through its $schema-free shape
  // and this script's header; names are sorted so that a diff shows what got documented.
  const body = { intentionallyNotDocumented: names };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
}

write([]);
const run = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'),
    '--emit',
    'none',
    '--treatWarningsAsErrors',
    'false',
  ],
  { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
);
if (/\[error\]/.test(`${run.stdout}${run.stderr}`)) {
  console.error(`${run.stdout}${run.stderr}`);
  process.exit(1);
}
// TypeDoc colours its output when it thinks it writes to a terminal: strip the escape codes.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const output = `${run.stdout}${run.stderr}`.replace(ansi, '');
const names = [
  ...new Set(
    [
      ...output.matchAll(/\[warning\] (\S+) \([A-Za-z]+\), defined in .*, does not have any documentation/g),
    ].map((m) => m[1]!),
  ),
].sort();
const other = output
  .split('\n')
  .filter(
    (l) =>
      l.includes('[warning]') &&
      !l.includes('does not have any documentation') &&
      !/Found \d+ errors/.test(l),
  );
write(names);
console.log(
  `docs-baseline: ${names.length} undocumented public symbols written to typedoc.undocumented.json`,
);
if (other.length > 0) {
  console.error(`docs-baseline: typedoc also warned:\n${other.join('\n')}`);
  process.exit(1);
}
