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

  it('rejects an SSL client authentication mode Kafka does not have, naming the ones it has', async () => {
    await assert.rejects(
      startKafka({ sslClientAuth: 'always' as 'required', cacheDir }),
      (error: unknown) => {
        assert.ok(error instanceof KafkaHarnessError);
        assert.equal(error.code, 'BAD_OPTION');
        assert.match(error.message, /sslClientAuth must be 'none', 'requested' or 'required', got "always"/);
        return true;
      },
    );
  });

  /** Runs `fn` with no java, no docker and no JAVA_HOME to find them by. */
  async function withoutTools(fn: () => Promise<void>): Promise<void> {
    const saved = {
      PATH: process.env.PATH,
      JAVA_HOME: process.env.JAVA_HOME,
      RT: process.env.KAFKATS_RUNTIME,
    };
    process.env.PATH = '/nonexistent';
    delete process.env.JAVA_HOME;
    delete process.env.KAFKATS_RUNTIME;
    try {
      await fn();
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.JAVA_HOME !== undefined) process.env.JAVA_HOME = saved.JAVA_HOME;
      if (saved.RT !== undefined) process.env.KAFKATS_RUNTIME = saved.RT;
    }
  }

  it('says to install Java or Docker when neither is there', async () => {
    await withoutTools(() =>
      assert.rejects(startKafka({ cacheDir }), (error: unknown) => {
        assert.ok(error instanceof KafkaHarnessError);
        assert.equal(error.code, 'MISSING_TOOL');
        assert.match(error.message, /java: `java` is not on PATH/);
        assert.match(error.message, /docker: `docker` is not on PATH/);
        assert.match(error.message, /apt-get install -y openjdk-17-jre-headless maven openssl/);
        assert.match(error.message, /Docker with a running daemon/);
        return true;
      }),
    );
  });

  it("names the package to install when runtime 'jvm' is asked and java is not on PATH", async () => {
    await withoutTools(() =>
      assert.rejects(startKafka({ cacheDir, runtime: 'jvm' }), (error: unknown) => {
        assert.ok(error instanceof KafkaHarnessError);
        assert.equal(error.code, 'MISSING_TOOL');
        assert.match(error.message, /`java`/);
        assert.match(error.message, /apt-get install -y openjdk-17-jre-headless maven/);
        return true;
      }),
    );
  });

  it("says how to get docker when runtime 'docker' is asked and docker is not on PATH", async () => {
    await withoutTools(() =>
      assert.rejects(startKafka({ runtime: 'docker' }), (error: unknown) => {
        assert.ok(error instanceof KafkaHarnessError);
        assert.equal(error.code, 'MISSING_TOOL');
        assert.match(error.message, /`docker` is not on PATH/);
        assert.match(error.message, /docs\.docker\.com/);
        return true;
      }),
    );
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
