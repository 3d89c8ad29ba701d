import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fetchKafka, KafkaHarnessError, startKafka } from '../../../src/testing/index.js';

// These checks fail before anything is downloaded or started, so they belong with the unit tests.
describe('startKafka bad input', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'kafkats-empty-cache-'));
  after(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('rejects an unknown version with a message that says how to choose one', async () => {
    await assert.rejects(startKafka({ version: '2.8.1', cacheDir }), (error: unknown) => {
      assert.ok(error instanceof KafkaHarnessError);
      assert.equal(error.code, 'UNKNOWN_VERSION');
      assert.match(error.message, /KAFKA_VERSION=3\.9/);
      return true;
    });
  });

  it('rejects a bad node count', async () => {
    await assert.rejects(startKafka({ nodes: 2.5 as 1, cacheDir }), { code: 'BAD_OPTION' });
  });

  it('names the package to install when java is not on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(startKafka({ cacheDir }), (error: unknown) => {
        assert.ok(error instanceof KafkaHarnessError);
        assert.equal(error.code, 'MISSING_TOOL');
        assert.match(error.message, /`java`/);
        assert.match(error.message, /apt-get install -y openjdk-17-jre-headless maven/);
        return true;
      });
    } finally {
      process.env.PATH = path;
    }
  });

  it('names the package to install when mvn is not on PATH and nothing is cached', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(fetchKafka({ version: '3.9', cacheDir }), (error: unknown) => {
        assert.ok(error instanceof KafkaHarnessError);
        assert.equal(error.code, 'MISSING_TOOL');
        assert.match(error.message, /`mvn`/);
        assert.match(error.message, /maven/);
        return true;
      });
    } finally {
      process.env.PATH = path;
    }
  });
});
