/**
 * The docker route of startKafka() without a docker daemon: the pure command builders, and the
 * start/kill/restart/stop sequence against a fake `docker` that records every call. No machine
 * of this project's CI has docker, so these are the route's only tests here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DockerDeps, DockerNode, startKafkaInDocker } from '../../../src/testing/docker.js';
import {
  checkDockerOptions,
  containerName,
  controllerPort,
  DEFAULT_DOCKER_IMAGE,
  dockerCommands,
  dockerKafkaEnv,
  dockerRunArgs,
  isPortClash,
  kafkaEnvName,
  parseContainerState,
} from '../../../src/testing/docker-config.js';
import type { RunResult } from '../../../src/testing/exec.js';
import { KafkaHarnessError } from '../../../src/testing/index.js';
import type { ReadinessTarget } from '../../../src/testing/wait.js';

describe('kafkaEnvName (the image rule for server.properties keys)', () => {
  it('maps dots, underscores and dashes as the apache/kafka image documents', () => {
    assert.equal(kafkaEnvName('log.dirs'), 'KAFKA_LOG_DIRS');
    assert.equal(kafkaEnvName('abc-def'), 'KAFKA_ABC___DEF');
    assert.equal(kafkaEnvName('abc_def'), 'KAFKA_ABC__DEF');
    assert.equal(kafkaEnvName('controller.quorum.voters'), 'KAFKA_CONTROLLER_QUORUM_VOTERS');
    assert.equal(
      kafkaEnvName('listener.name.sasl_ssl.plain.sasl.jaas.config'),
      'KAFKA_LISTENER_NAME_SASL__SSL_PLAIN_SASL_JAAS_CONFIG',
    );
  });
});

describe('dockerKafkaEnv', () => {
  const env = dockerKafkaEnv({ version: '4.4.0', clusterId: 'abc', hostPort: 41234, heapMb: 512 });

  it('configures one KRaft combined node with the documented variables', () => {
    assert.equal(env.CLUSTER_ID, 'abc');
    assert.equal(env.KAFKA_NODE_ID, '1');
    assert.equal(env.KAFKA_PROCESS_ROLES, 'broker,controller');
    assert.equal(env.KAFKA_CONTROLLER_LISTENER_NAMES, 'CONTROLLER');
    assert.equal(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP, 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT');
    assert.equal(env.KAFKA_INTER_BROKER_LISTENER_NAME, 'PLAINTEXT');
    assert.equal(env.KAFKA_CONTROLLER_QUORUM_VOTERS, '1@127.0.0.1:9093');
    assert.equal(env.KAFKA_LOG_DIRS, '/tmp/kraft-combined-logs');
  });

  it('listens inside the container on the host port number and advertises 127.0.0.1:<port>', () => {
    assert.equal(env.KAFKA_LISTENERS, 'PLAINTEXT://0.0.0.0:41234,CONTROLLER://0.0.0.0:9093');
    assert.equal(env.KAFKA_ADVERTISED_LISTENERS, 'PLAINTEXT://127.0.0.1:41234');
  });

  it('keeps internal topics at replication factor 1 and the test-friendly settings', () => {
    assert.equal(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, '1');
    assert.equal(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR, '1');
    assert.equal(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR, '1');
    assert.equal(env.KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR, '1');
    assert.equal(env.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS, '0');
    assert.equal(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE, 'true');
    assert.equal(env.KAFKA_GROUP_COORDINATOR_REBALANCE_PROTOCOLS, undefined);
  });

  it('sizes the heap through KAFKA_HEAP_OPTS, which the image passes to the JVM', () => {
    assert.equal(env.KAFKA_HEAP_OPTS, '-Xmx512m -Xms256m');
  });

  it('enables the KIP-848 protocol on 3.9, as the JVM route does', () => {
    const env39 = dockerKafkaEnv({ version: '3.9.2', clusterId: 'abc', hostPort: 41234, heapMb: 512 });
    assert.equal(env39.KAFKA_GROUP_COORDINATOR_REBALANCE_PROTOCOLS, 'classic,consumer');
  });

  it('lets brokerProperties override the defaults', () => {
    const custom = dockerKafkaEnv({
      version: '4.4.0',
      clusterId: 'abc',
      hostPort: 41234,
      heapMb: 512,
      brokerProperties: { 'num.partitions': 3, 'connections.max.reauth.ms': '5000' },
    });
    assert.equal(custom.KAFKA_NUM_PARTITIONS, '3');
    assert.equal(custom.KAFKA_CONNECTIONS_MAX_REAUTH_MS, '5000');
  });

  it('moves the controller off 9093 when the host port is 9093', () => {
    assert.equal(controllerPort(9093), 9094);
    const env9093 = dockerKafkaEnv({ version: '4.4.0', clusterId: 'abc', hostPort: 9093, heapMb: 512 });
    assert.equal(env9093.KAFKA_LISTENERS, 'PLAINTEXT://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094');
    assert.equal(env9093.KAFKA_CONTROLLER_QUORUM_VOTERS, '1@127.0.0.1:9094');
  });
});

describe('dockerRunArgs', () => {
  it('runs detached, labelled, with the port published on 127.0.0.1 only and the version as tag', () => {
    const args = dockerRunArgs({
      image: DEFAULT_DOCKER_IMAGE,
      version: '4.4.0',
      name: 'kafkats-abc',
      clusterId: 'abc',
      hostPort: 41234,
      env: { CLUSTER_ID: 'abc', KAFKA_NODE_ID: '1' },
    });
    assert.deepEqual(args, [
      'run',
      '--detach',
      '--name',
      'kafkats-abc',
      '--label',
      'kafkats.testing=true',
      '--label',
      'kafkats.testing.cluster-id=abc',
      '--publish',
      '127.0.0.1:41234:41234',
      '--env',
      'CLUSTER_ID=abc',
      '--env',
      'KAFKA_NODE_ID=1',
      'apache/kafka:4.4.0',
    ]);
    assert.ok(!args.includes('--rm'), 'restart() needs the container to survive a stop');
  });

  it('names containers validly even when the cluster id has characters docker refuses', () => {
    assert.match(containerName('a+b/c-d_e'), /^kafkats-[a-zA-Z0-9_.-]+$/);
  });

  it('builds the lifecycle commands', () => {
    assert.deepEqual(dockerCommands.stop('k'), ['stop', '--time', '15', 'k']);
    assert.deepEqual(dockerCommands.kill('k'), ['kill', '--signal', 'KILL', 'k']);
    assert.deepEqual(dockerCommands.start('k'), ['start', 'k']);
    assert.deepEqual(dockerCommands.remove('k'), ['rm', '--force', '--volumes', 'k']);
    assert.deepEqual(dockerCommands.logs('k', 50), ['logs', '--tail', '50', 'k']);
  });

  it('parses the container state and recognises a port clash', () => {
    assert.deepEqual(parseContainerState('true 0 false\n'), { running: true, exitCode: 0, oomKilled: false });
    assert.deepEqual(parseContainerState('false 137 true'), {
      running: false,
      exitCode: 137,
      oomKilled: true,
    });
    assert.equal(parseContainerState('Error: No such object: k'), undefined);
    assert.ok(isPortClash('Bind for 127.0.0.1:41234 failed: port is already allocated'));
    assert.ok(!isPortClash('manifest for apache/kafka:9.9.9 not found'));
  });
});

describe('checkDockerOptions', () => {
  const refuses = (options: Parameters<typeof checkDockerOptions>[0], name: RegExp) =>
    assert.throws(
      () => checkDockerOptions(options),
      (error: unknown) =>
        error instanceof KafkaHarnessError &&
        error.code === 'UNSUPPORTED_OPTION' &&
        name.test(error.message) &&
        /runtime: 'jvm'/.test(error.message),
    );

  it('refuses what one PLAINTEXT container cannot do, naming the option', () => {
    refuses({ nodes: 3 }, /nodes: 3/);
    refuses({ authorizer: true }, /authorizer: true/);
    refuses({ dataDir: '/tmp/x' }, /dataDir/);
    refuses({ cacheDir: '/tmp/x' }, /cacheDir/);
    refuses({ extraClasspath: ['/tmp/plugins'] }, /extraClasspath/);
    refuses({ brokerProperties: { 'heap.opts': '-Xmx1g' } }, /KAFKA_HEAP_OPTS/);
  });

  it('accepts the options it honours', () => {
    checkDockerOptions({
      nodes: 1,
      authorizer: false,
      heapMb: 768,
      version: '3.9',
      brokerProperties: { 'num.partitions': 2 },
      startTimeoutMs: 1000,
      detached: true,
    });
  });
});

/** A fake docker CLI: records each call and answers from a script of outputs per subcommand. */
function fakeDocker(answers: Partial<Record<string, (args: readonly string[]) => RunResult>> = {}) {
  const calls: string[][] = [];
  const tracked = new Set<string>();
  const readiness: ReadinessTarget[][] = [];
  let port = 41000;
  const ok = (output = ''): RunResult => ({ code: 0, signal: null, output });
  const deps: DockerDeps = {
    async docker(args) {
      calls.push([...args]);
      const key = args[0] === 'image' ? 'image' : args[0]!;
      return answers[key]?.(args) ?? ok(key === 'inspect' ? 'true 0 false' : '');
    },
    freePort: async () => ++port,
    async waitUntilReady(targets) {
      readiness.push([...targets]);
    },
    track: (name) => tracked.add(name),
    untrack: (name) => tracked.delete(name),
    random: (n) => new Uint8Array(n).fill(7),
  };
  return { deps, calls, tracked, readiness, ok };
}

describe('startKafkaInDocker with a fake docker', () => {
  it('uses a local image, runs the container, waits on its port, and cleans up on stop()', async () => {
    const fake = fakeDocker();
    const cluster = await startKafkaInDocker({ version: '4.0.0' }, fake.deps);
    const name = cluster.nodes[0]!.container!;
    assert.match(name, /^kafkats-/);
    assert.deepEqual(fake.calls[0], ['image', 'inspect', '--format', '{{.Id}}', 'apache/kafka:4.0.0']);
    const run = fake.calls[1]!;
    assert.equal(run[0], 'run');
    assert.ok(run.includes('127.0.0.1:41001:41001'));
    assert.equal(run[run.length - 1], 'apache/kafka:4.0.0');
    assert.equal(cluster.bootstrap, '127.0.0.1:41001');
    assert.equal(cluster.runtime, 'docker');
    assert.equal(fake.readiness[0]![0]!.plaintextPort, 41001);
    assert.ok(fake.tracked.has(name), 'the container dies with this process');

    await cluster.kill(1);
    assert.deepEqual(fake.calls.at(-1), ['kill', '--signal', 'KILL', name]);
    assert.equal(cluster.nodes[0]!.running, false);

    await cluster.restart(1);
    assert.deepEqual(fake.calls.at(-1), ['start', name], 'a killed container is started, not stopped first');
    assert.equal(fake.readiness.length, 2);

    await cluster.stop();
    assert.deepEqual(fake.calls.slice(-2), [
      ['stop', '--time', '15', name],
      ['rm', '--force', '--volumes', name],
    ]);
    assert.ok(!fake.tracked.has(name));
    await cluster.stop(); // idempotent
    assert.equal(fake.calls.at(-1)![0], 'rm');
  });

  it('pulls down the line until a release is published', async () => {
    const fake = fakeDocker({
      image: () => ({ code: 1, signal: null, output: 'Error: No such image' }),
      pull: (args) =>
        args[1] === 'apache/kafka:3.9.2'
          ? { code: 1, signal: null, output: 'manifest for apache/kafka:3.9.2 not found' }
          : fake.ok(),
    });
    const cluster = await startKafkaInDocker({ version: '3.9' }, fake.deps);
    assert.equal(cluster.version, '3.9.1');
    assert.deepEqual(
      fake.calls.filter((c) => c[0] === 'pull').map((c) => c[1]),
      ['apache/kafka:3.9.2', 'apache/kafka:3.9.1'],
    );
  });

  it('retries on a new port when the first one was taken', async () => {
    let runs = 0;
    const fake = fakeDocker({
      run: () =>
        ++runs === 1 ? { code: 125, signal: null, output: 'port is already allocated' } : fake.ok('id\n'),
    });
    const cluster = await startKafkaInDocker({ version: '4.0.0' }, fake.deps);
    assert.equal(cluster.bootstrap, '127.0.0.1:41002');
    const removeBetween = fake.calls.findIndex((c) => c[0] === 'rm');
    assert.ok(removeBetween > 0, 'the half-created container is removed before the retry');
  });

  it('removes the container when it never becomes ready', async () => {
    const fake = fakeDocker();
    fake.deps.waitUntilReady = async () => {
      throw new KafkaHarnessError('START_TIMEOUT', 'not ready');
    };
    await assert.rejects(startKafkaInDocker({ version: '4.0.0' }, fake.deps), { code: 'START_TIMEOUT' });
    assert.equal(fake.calls.at(-1)![0], 'rm');
    assert.equal(fake.tracked.size, 0);
  });

  it('leaves a detached container untracked', async () => {
    const fake = fakeDocker();
    await startKafkaInDocker({ version: '4.0.0', detached: true }, fake.deps);
    assert.equal(fake.tracked.size, 0);
  });

  it('throws a typed error when TLS or SASL listeners are read', async () => {
    const fake = fakeDocker();
    const cluster = await startKafkaInDocker({ version: '4.0.0' }, fake.deps);
    assert.deepEqual(cluster.listeners.plaintext, [cluster.bootstrap]);
    assert.throws(() => cluster.listeners.saslSsl, { code: 'UNSUPPORTED_OPTION' });
    assert.throws(() => cluster.tls, { code: 'UNSUPPORTED_OPTION' });
    assert.deepEqual(cluster.users, []);
    const description = cluster.describe();
    assert.deepEqual(description.listeners.saslSsl, []);
    assert.equal(description.runtime, 'docker');
    assert.doesNotThrow(() => JSON.stringify(description));
    await assert.rejects(cluster.restart(2), { code: 'UNKNOWN_NODE' });
  });

  it('refuses unsupported options before calling docker at all', async () => {
    const fake = fakeDocker();
    await assert.rejects(startKafkaInDocker({ nodes: 3 }, fake.deps), { code: 'UNSUPPORTED_OPTION' });
    assert.equal(fake.calls.length, 0);
  });

  it('reports a container that exited, from docker inspect, with its logs', async () => {
    const fake = fakeDocker({
      inspect: () => fake.ok('false 1 false'),
      logs: () => fake.ok('ERROR Exiting Kafka due to fatal exception\n'),
    });
    const node = new DockerNode('kafkats-x', fake.deps);
    await node.refresh();
    assert.equal(node.running, false);
    assert.equal(node.exitDescription, 'exited with code 1');
    assert.match(await node.failureLog(50), /Exiting Kafka due to fatal exception/);
  });
});
