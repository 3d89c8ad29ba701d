import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  errorClassName,
  generateErrorFiles,
  legacyClassName,
} from '../../../scripts/generate/emit-errors.js';
import { generateFrom, loadSource } from '../../../scripts/generate/generate.js';
import { DEFAULT_SPECS, MESSAGES_DIR, REPO_ROOT } from '../../../scripts/generate/paths.js';

test('src/protocol/messages is what the generator produces from the specs', () => {
  const { files } = generateFrom(loadSource({}, DEFAULT_SPECS));
  const dir = mkdtempSync(join(tmpdir(), 'kafkats-gen-'));
  try {
    for (const [name, text] of files) writeFileSync(join(dir, name), text);
    const committed = readdirSync(MESSAGES_DIR)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    const fresh = readdirSync(dir).sort();
    assert.deepStrictEqual(committed, fresh, 'the set of generated files differs: run `npm run generate`');
    for (const name of fresh) {
      const want = readFileSync(join(dir, name), 'utf8');
      const have = readFileSync(join(MESSAGES_DIR, name), 'utf8');
      if (want !== have) {
        const a = want.split('\n');
        const b = have.split('\n');
        let line = 0;
        while (line < a.length && a[line] === b[line]) line++;
        assert.fail(
          `src/protocol/messages/${name} is stale at line ${line + 1}: run \`npm run generate\`\n` +
            `  generated: ${a[line]}\n  committed: ${b[line]}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the error Codes and the protocol error classes are what the generator produces from the error table', () => {
  for (const [name, want] of generateErrorFiles()) {
    const have = readFileSync(join(REPO_ROOT, name), 'utf8');
    assert.equal(have, want, `${name} is stale: run \`npm run generate\``);
  }
});

test('generated error class names do not double ERROR and keep the earlier names as aliases', () => {
  assert.equal(errorClassName('KAFKA_STORAGE_ERROR'), 'KafkaStorageError');
  assert.equal(legacyClassName('KAFKA_STORAGE_ERROR'), 'KafkaStorageErrorError');
  assert.equal(errorClassName('INVALID_TOPIC_EXCEPTION'), 'InvalidTopicError');
  assert.equal(legacyClassName('INVALID_TOPIC_EXCEPTION'), undefined);
  assert.equal(errorClassName('NOT_COORDINATOR'), 'NotCoordinatorError');
  assert.equal(legacyClassName('NOT_COORDINATOR'), undefined);
});
