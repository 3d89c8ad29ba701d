import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KafkaHarnessError } from '../../../src/testing/errors.js';
import { DEFAULT_KAFKA_VERSION, toolsCandidates, versionCandidates } from '../../../src/testing/versions.js';

describe('versionCandidates', () => {
  it('starts with the default 4.4.0 and falls back to older 4.x', () => {
    const candidates = versionCandidates(undefined);
    assert.equal(candidates[0], DEFAULT_KAFKA_VERSION);
    assert.equal(DEFAULT_KAFKA_VERSION, '4.4.0');
    assert.ok(candidates.every((v) => v.startsWith('4.')));
    assert.ok(candidates.length > 1);
  });

  it('expands a line to its releases, newest first', () => {
    assert.deepEqual(versionCandidates('3.9'), ['3.9.2', '3.9.1', '3.9.0']);
    assert.equal(versionCandidates('4')[0], '4.4.0');
  });

  it('keeps an exact version as is', () => {
    assert.deepEqual(versionCandidates('3.9.1'), ['3.9.1']);
    assert.deepEqual(versionCandidates(' 4.3.1 '), ['4.3.1']);
  });

  it('guesses patches for a 4.x line it does not know yet', () => {
    assert.deepEqual(versionCandidates('4.9'), ['4.9.3', '4.9.2', '4.9.1', '4.9.0']);
  });

  for (const bad of ['3.8', '2.8.1', '5.0', 'latest', '3.9.x']) {
    it(`rejects "${bad}" with a message that says how to choose`, () => {
      assert.throws(
        () => versionCandidates(bad),
        (error: unknown) =>
          error instanceof KafkaHarnessError &&
          error.code === 'UNKNOWN_VERSION' &&
          error.message.includes('KAFKA_VERSION') &&
          error.message.includes('3.9') &&
          error.message.includes('4.x'),
      );
    });
  }
});

describe('toolsCandidates', () => {
  it('tries the broker version first, then older releases of the same major', () => {
    assert.deepEqual(toolsCandidates('4.4.0').slice(0, 2), ['4.4.0', '4.3.1']);
    assert.deepEqual(toolsCandidates('3.9.2'), ['3.9.2', '3.9.1', '3.9.0']);
  });
});
