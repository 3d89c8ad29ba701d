/**
 * Keeps the Vitest and Jest snippets of docs/testing.md and their runnable copies in
 * examples/testing-with-kafkats/{vitest,jest}/ the same. The copies are type-checked by tsc and run
 * by test/integration/examples.test.ts; this test makes sure that what they prove is about the text
 * a reader sees. Allowed differences: the file's first comment line, the kafkats import paths
 * (the repository's src/ instead of 'kafkats'), and the order of import lines (biome sorts them).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '../../..');
const docs = readFileSync(join(root, 'docs/testing.md'), 'utf8');
const examples = join(root, 'examples/testing-with-kafkats');

interface Snippet {
  section: string;
  path: string;
  code: string;
}

/** Code blocks whose first line is `// <path>`, with the `## ` section they are in. */
function snippets(markdown: string): Snippet[] {
  const found: Snippet[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (!/^```(ts|js)$/.test(line)) continue;
    const end = lines.indexOf('```', i + 1);
    const block = lines.slice(i + 1, end);
    const header = /^\/\/ (\S+\.(?:ts|js))$/.exec(block[0] ?? '');
    if (header) found.push({ section, path: header[1]!, code: block.slice(1).join('\n') });
    i = end;
  }
  return found;
}

/** Import lines as a sorted list, and the rest verbatim, with the repository paths turned into kafkats'. */
function normalise(code: string): { imports: string[]; body: string } {
  const text = code
    .replace(/'(?:\.\.\/)+src\/index\.js'/g, "'kafkats'")
    .replace(/'(?:\.\.\/)+src\/testing\/index\.js'/g, "'kafkats/testing'")
    .trim();
  const lines = text.split('\n');
  return {
    imports: lines.filter((l) => l.startsWith('import ')).sort(),
    body: lines
      .filter((l) => !l.startsWith('import '))
      .join('\n')
      .trim(),
  };
}

function exampleFile(snippet: Snippet): string {
  const dir = snippet.section === 'Vitest' ? 'vitest' : 'jest';
  const path = snippet.path === 'jest.config.js' ? 'jest.config.cjs' : snippet.path;
  return join(examples, dir, path);
}

describe('docs/testing.md Vitest and Jest snippets', () => {
  const quoted = snippets(docs).filter((s) => s.section === 'Vitest' || s.section === 'Jest');

  it('quotes every file of the Vitest and Jest examples', () => {
    assert.deepEqual(quoted.map((s) => `${s.section}: ${s.path}`).sort(), [
      'Jest: jest.config.js',
      'Jest: test/kafka.global-setup.ts',
      'Jest: test/kafka.global-teardown.ts',
      'Jest: test/orders.test.ts',
      'Vitest: test/kafka.global-setup.ts',
      'Vitest: test/orders.test.ts',
      'Vitest: test/shared-broker.test.ts',
      'Vitest: vitest.config.ts',
    ]);
  });

  for (const snippet of quoted) {
    it(`${snippet.section} ${snippet.path} matches its example file`, () => {
      const file = exampleFile(snippet);
      assert.ok(existsSync(file), `${file} is missing`);
      const [, ...rest] = readFileSync(file, 'utf8').split('\n'); // its first line is the header comment
      assert.deepEqual(normalise(rest.join('\n')), normalise(snippet.code));
    });
  }
});
