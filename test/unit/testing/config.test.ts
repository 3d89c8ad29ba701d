import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  advertisedListenersValue,
  authorizerSettings,
  clusterIdFrom,
  DEFAULT_USERS,
  featureFormatArgs,
  formatProperties,
  formatStorageArgs,
  jvmArgs,
  log4j1Config,
  log4j2Config,
  type NodePorts,
  newClusterId,
  nodeSettings,
  plainJaas,
  quorumVoters,
  replicationSettings,
  scramFormatArgs,
} from '../../../src/testing/config.js';
import { pomXml } from '../../../src/testing/fetch.js';

const ports = (base: number): NodePorts => ({
  controller: base,
  internal: base + 1,
  plaintext: base + 2,
  saslPlaintext: base + 3,
  ssl: base + 4,
  saslSsl: base + 5,
});

const three = new Map([
  [1, ports(10000)],
  [2, ports(20000)],
  [3, ports(30000)],
]);
const one = new Map([[1, ports(10000)]]);

function settings(overrides: Partial<Parameters<typeof nodeSettings>[0]> = {}) {
  return nodeSettings({
    version: '4.4.0',
    nodeId: 1,
    cluster: one,
    logDir: '/tmp/node-1/data',
    users: DEFAULT_USERS,
    authorizer: false,
    tls: { keystorePath: '/tls/broker-keystore.pem', truststorePath: '/tls/ca.pem' },
    ...overrides,
  });
}

describe('listeners', () => {
  it('binds every listener on 127.0.0.1 with its own port', () => {
    assert.equal(
      settings().listeners,
      'CONTROLLER://127.0.0.1:10000,INTERNAL://127.0.0.1:10001,PLAINTEXT://127.0.0.1:10002,' +
        'SASL_PLAINTEXT://127.0.0.1:10003,SSL://127.0.0.1:10004,SASL_SSL://127.0.0.1:10005',
    );
  });

  it('advertises every listener but the controller one', () => {
    const advertised = advertisedListenersValue(ports(10000));
    assert.ok(!advertised.includes('CONTROLLER'));
    assert.equal(advertised.split(',').length, 5);
    assert.ok(advertised.includes('PLAINTEXT://127.0.0.1:10002'));
  });

  it('maps listener names to security protocols, inter-broker traffic on its own PLAINTEXT listener', () => {
    const s = settings();
    assert.equal(
      s['listener.security.protocol.map'],
      'CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL',
    );
    assert.equal(s['inter.broker.listener.name'], 'INTERNAL');
    assert.equal(s['controller.listener.names'], 'CONTROLLER');
    assert.equal(s['process.roles'], 'broker,controller');
  });

  it('uses PEM key and trust stores from the generated certificates', () => {
    const s = settings();
    assert.equal(s['ssl.keystore.type'], 'PEM');
    assert.equal(s['ssl.keystore.location'], '/tls/broker-keystore.pem');
    assert.equal(s['ssl.truststore.location'], '/tls/ca.pem');
  });

  it('asks the SSL listener for a client certificate, and demands one only for mutual TLS', () => {
    assert.equal(settings()['listener.name.ssl.ssl.client.auth'], 'requested');
    const mtls = settings({ sslClientAuth: 'required' });
    assert.equal(mtls['listener.name.ssl.ssl.client.auth'], 'required');
    // SASL_SSL clients authenticate with SASL; a certificate is never demanded of them
    assert.equal(mtls['ssl.client.auth'], 'requested');
    assert.equal(mtls['listener.name.sasl_ssl.ssl.client.auth'], undefined);
  });
});

describe('SASL', () => {
  it('lists a PLAIN user_<name> entry per user', () => {
    assert.equal(
      plainJaas(DEFAULT_USERS),
      'org.apache.kafka.common.security.plain.PlainLoginModule required user_admin="admin-secret" user_alice="alice-secret";',
    );
  });

  it('escapes quotes in PLAIN passwords', () => {
    assert.match(plainJaas([{ username: 'u', password: 'a"b', mechanisms: ['PLAIN'] }]), /user_u="a\\"b"/);
  });

  it('configures all four mechanisms on both SASL listeners, OAUTHBEARER with the unsecured validator', () => {
    const s = settings();
    for (const listener of ['sasl_plaintext', 'sasl_ssl']) {
      assert.equal(
        s[`listener.name.${listener}.sasl.enabled.mechanisms`],
        'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER',
      );
      assert.match(
        s[`listener.name.${listener}.scram-sha-512.sasl.jaas.config`]!,
        /ScramLoginModule required;/,
      );
      assert.match(
        s[`listener.name.${listener}.oauthbearer.sasl.server.callback.handler.class`]!,
        /UnsecuredValidator/,
      );
    }
  });

  it('adds one --add-scram per user and SCRAM mechanism at format time', () => {
    assert.deepEqual(scramFormatArgs(DEFAULT_USERS), [
      '--add-scram',
      'SCRAM-SHA-256=[name="admin",password="admin-secret"]',
      '--add-scram',
      'SCRAM-SHA-512=[name="admin",password="admin-secret"]',
      '--add-scram',
      'SCRAM-SHA-256=[name="alice",password="alice-secret"]',
      '--add-scram',
      'SCRAM-SHA-512=[name="alice",password="alice-secret"]',
    ]);
    assert.deepEqual(scramFormatArgs([{ username: 'p', password: 'x', mechanisms: ['PLAIN'] }]), []);
  });
});

describe('quorum and replication', () => {
  it('makes every node a voter of a static quorum', () => {
    assert.equal(quorumVoters(three), '1@127.0.0.1:10000,2@127.0.0.1:20000,3@127.0.0.1:30000');
    const s = settings({ nodeId: 2, cluster: three });
    assert.equal(s['node.id'], '2');
    assert.equal(s['controller.quorum.voters'], quorumVoters(three));
    assert.ok(s.listeners!.includes('PLAINTEXT://127.0.0.1:20002'));
  });

  it('replicates internal topics as far as the cluster allows', () => {
    assert.equal(replicationSettings(1)['offsets.topic.replication.factor'], '1');
    assert.equal(replicationSettings(1)['transaction.state.log.min.isr'], '1');
    assert.equal(replicationSettings(3)['offsets.topic.replication.factor'], '3');
    assert.equal(replicationSettings(3)['transaction.state.log.replication.factor'], '3');
    assert.equal(replicationSettings(3)['transaction.state.log.min.isr'], '2');
  });

  it('rejects a node that is not in the cluster', () => {
    assert.throws(() => settings({ nodeId: 7 }), /node 7/);
  });

  it('uses test-friendly group and topic defaults', () => {
    const s = settings();
    assert.equal(s['group.initial.rebalance.delay.ms'], '0');
    assert.equal(s['auto.create.topics.enable'], 'true');
    assert.equal(s['num.partitions'], '1');
  });
});

describe('authorizer', () => {
  it('is off by default', () => {
    assert.equal(settings()['authorizer.class.name'], undefined);
    assert.deepEqual(authorizerSettings(false), {});
  });

  it('uses StandardAuthorizer with admin and the inter-broker ANONYMOUS as super users', () => {
    const s = settings({ authorizer: true });
    assert.equal(s['authorizer.class.name'], 'org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    assert.equal(s['super.users'], 'User:admin;User:ANONYMOUS');
    assert.equal(s['allow.everyone.if.no.acl.found'], 'false');
  });
});

describe('version-dependent settings', () => {
  it('enables share groups at format time only where they are not on by default', () => {
    assert.deepEqual(featureFormatArgs('4.0.1'), ['--feature', 'share.version=1']);
    assert.deepEqual(featureFormatArgs('4.1.0'), ['--feature', 'share.version=1']);
    assert.deepEqual(featureFormatArgs('4.4.0'), []);
    assert.deepEqual(featureFormatArgs('3.9.2'), []);
  });

  it('turns on the KIP-848 protocol on 3.9 only', () => {
    assert.equal(settings({ version: '3.9.2' })['group.coordinator.rebalance.protocols'], 'classic,consumer');
    assert.equal(settings()['group.coordinator.rebalance.protocols'], undefined);
  });

  it('logs through log4j2 on 4.x and reload4j on 3.9', () => {
    const args4 = jvmArgs({ heapMb: 512, nodeDir: '/n', log4jConfigPath: '/n/log4j2.xml', version: '4.4.0' });
    assert.ok(args4.includes('-Dlog4j2.configurationFile=/n/log4j2.xml'));
    assert.ok(args4.includes('-Xmx512m'));
    const args3 = jvmArgs({
      heapMb: 512,
      nodeDir: '/n',
      log4jConfigPath: '/n/log4j.properties',
      version: '3.9.2',
    });
    assert.ok(args3.includes('-Dlog4j.configuration=file:/n/log4j.properties'));
    assert.match(log4j2Config('/n/server.log'), /fileName="\/n\/server.log"/);
    assert.match(log4j1Config('/n/server.log'), /File=\/n\/server.log/);
  });

  it('adds a log4j2 backend with slf4j 2 to the 4.x pom only', () => {
    assert.match(pomXml('4.4.0', '4.3.1'), /log4j-slf4j2-impl/);
    assert.match(pomXml('4.4.0', '4.3.1'), /<artifactId>kafka-tools<\/artifactId><version>4.3.1</);
    assert.doesNotMatch(pomXml('3.9.2', '3.9.2'), /log4j-slf4j2-impl/);
  });

  it('builds the storage format command', () => {
    const args = formatStorageArgs({
      version: '4.0.0',
      clusterId: 'abc',
      configPath: '/c',
      users: DEFAULT_USERS,
    });
    assert.deepEqual(args.slice(0, 6), [
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      'abc',
      '--config',
      '/c',
    ]);
    assert.ok(args.includes('share.version=1'));
  });
});

describe('files', () => {
  it('renders properties with escaped backslashes', () => {
    assert.match(formatProperties({ 'log.dirs': 'C:\\data' }), /^log\.dirs=C:\\\\data$/m);
  });

  it('makes a 22-character URL-safe cluster id from 16 bytes', () => {
    const id = clusterIdFrom(new Uint8Array(16).fill(255));
    assert.equal(id, '_____________________w');
    assert.throws(() => clusterIdFrom(new Uint8Array(4)));
  });

  it('draws a cluster id again when its text would start with "-" (read as an option by the format tool)', () => {
    // 0xf8 → base64url '-' first; the second draw starts with 'A'.
    const draws = [new Uint8Array(16).fill(0xf8), new Uint8Array(16)];
    const id = newClusterId(() => draws.shift()!);
    assert.equal(id, 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(draws.length, 0);
  });
});
