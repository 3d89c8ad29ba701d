import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startKafkaWith } from '../../../src/testing/cluster.js';
import { javaCommand } from '../../../src/testing/exec.js';
import { KafkaHarnessError } from '../../../src/testing/index.js';
import {
  chooseRuntime,
  type ProbeResult,
  type RuntimeProbes,
  requestedRuntime,
} from '../../../src/testing/runtime.js';

const yes: ProbeResult = { available: true, detail: 'ok' };
const noJava: ProbeResult = { available: false, detail: '`java` is not on PATH' };
const noDaemon: ProbeResult = {
  available: false,
  detail: '`docker version` failed (exit 1): Cannot connect to the Docker daemon',
};

/** Probes with fixed answers that count how often they were asked. */
function probes(java: ProbeResult, docker: ProbeResult) {
  const asked = { java: 0, docker: 0 };
  const p: RuntimeProbes = {
    java: async () => {
      asked.java++;
      return java;
    },
    docker: async () => {
      asked.docker++;
      return docker;
    },
  };
  return { p, asked };
}

describe('chooseRuntime', () => {
  it('auto prefers the JVM when Java runs, without asking docker', async () => {
    const { p, asked } = probes(yes, yes);
    assert.equal(await chooseRuntime('auto', p), 'jvm');
    assert.equal(asked.docker, 0);
  });

  it('auto falls back to docker when Java is missing and the daemon answers', async () => {
    assert.equal(await chooseRuntime('auto', probes(noJava, yes).p), 'docker');
  });

  it('auto fails with what to install when neither is there', async () => {
    await assert.rejects(chooseRuntime('auto', probes(noJava, noDaemon).p), (error: unknown) => {
      assert.ok(error instanceof KafkaHarnessError);
      assert.equal(error.code, 'MISSING_TOOL');
      assert.match(error.message, /apt-get install -y openjdk-17-jre-headless maven openssl/);
      assert.match(error.message, /docs\.docker\.com\/engine\/install/);
      assert.match(error.message, /Cannot connect to the Docker daemon/);
      assert.match(error.message, /KAFKA_BOOTSTRAP_SERVERS/);
      return true;
    });
  });

  it('an explicit jvm is taken as asked (the JVM route names what is missing)', async () => {
    const { p, asked } = probes(noJava, yes);
    assert.equal(await chooseRuntime('jvm', p), 'jvm');
    assert.deepEqual(asked, { java: 0, docker: 0 });
  });

  it('an explicit docker needs the daemon, even when Java is installed', async () => {
    assert.equal(await chooseRuntime('docker', probes(yes, yes).p), 'docker');
    await assert.rejects(chooseRuntime('docker', probes(yes, noDaemon).p), (error: unknown) => {
      assert.ok(error instanceof KafkaHarnessError);
      assert.equal(error.code, 'MISSING_TOOL');
      assert.match(error.message, /runtime 'docker'/);
      assert.match(error.message, /Cannot connect to the Docker daemon/);
      return true;
    });
  });
});

describe('requestedRuntime', () => {
  it('takes the option, else KAFKATS_RUNTIME, else auto', () => {
    assert.equal(requestedRuntime('docker', { KAFKATS_RUNTIME: 'jvm' }), 'docker');
    assert.equal(requestedRuntime(undefined, { KAFKATS_RUNTIME: 'docker' }), 'docker');
    assert.equal(requestedRuntime(undefined, { KAFKATS_RUNTIME: '' }), 'auto');
    assert.equal(requestedRuntime(undefined, {}), 'auto');
  });

  it('rejects an unknown runtime, naming where it came from', () => {
    assert.throws(() => requestedRuntime(undefined, { KAFKATS_RUNTIME: 'podman' }), {
      code: 'BAD_OPTION',
      message: /KAFKATS_RUNTIME=podman/,
    });
    assert.throws(() => requestedRuntime('vm' as 'jvm', {}), {
      code: 'BAD_OPTION',
      message: /runtime: 'vm'/,
    });
  });
});

describe('javaCommand', () => {
  it('prefers $JAVA_HOME/bin/java when it exists, else java from PATH', () => {
    assert.equal(
      javaCommand({ JAVA_HOME: '/opt/jdk' }, (p) => p === '/opt/jdk/bin/java'),
      '/opt/jdk/bin/java',
    );
    assert.equal(
      javaCommand({ JAVA_HOME: '/opt/missing' }, () => false),
      'java',
    );
    assert.equal(
      javaCommand({}, () => true),
      'java',
    );
  });
});

describe('startKafka route choice', () => {
  it('validates options and the version before probing anything', async () => {
    const { p, asked } = probes(noJava, noDaemon);
    await assert.rejects(startKafkaWith({ version: '2.8.1' }, p), { code: 'UNKNOWN_VERSION' });
    await assert.rejects(startKafkaWith({ nodes: 2.5 as 1 }, p), { code: 'BAD_OPTION' });
    assert.deepEqual(asked, { java: 0, docker: 0 });
  });

  it('sends a docker choice through the docker route, which refuses 3 nodes by name', async () => {
    await assert.rejects(startKafkaWith({ nodes: 3 }, probes(noJava, yes).p), (error: unknown) => {
      assert.ok(error instanceof KafkaHarnessError);
      assert.equal(error.code, 'UNSUPPORTED_OPTION');
      assert.match(error.message, /nodes: 3/);
      return true;
    });
  });
});
