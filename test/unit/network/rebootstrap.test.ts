import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KafkaJSError } from '../../../src/errors/base.js';
import { KafkaJSInvalidArgument } from '../../../src/errors/network.js';
import { KafkaJSProtocolError } from '../../../src/errors/protocol.js';
import { Kafka } from '../../../src/kafka.js';
import { Cluster, type MetadataRecoveryStrategy } from '../../../src/network/cluster.js';
import { apiVersionsRequest, featureLevel, featuresOf } from '../../../src/network/features.js';
import type { ApiMessage } from '../../../src/protocol/api.js';
import { Codes } from '../../../src/protocol/codes.js';
import {
  Metadata,
  type MetadataRequest,
  type MetadataResponse,
} from '../../../src/protocol/messages/metadata.js';
import { startFakeKafka } from './fake-kafka.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

function answer(port: number, errorCode: number): MetadataResponse {
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: 1, host: '127.0.0.1', port, rack: null }],
    clusterId: 'fake-cluster',
    controllerId: 1,
    topics: [],
    clusterAuthorizedOperations: -2147483648,
    errorCode,
  };
}

/** A broker whose first Metadata answer is REBOOTSTRAP_REQUIRED (Metadata v13's top-level error). */
async function setup(strategy: MetadataRecoveryStrategy) {
  const requests: MetadataRequest[] = [];
  let port = 0;
  const broker = await startFakeKafka([
    {
      api: Metadata as ApiMessage<unknown, unknown>,
      handle: (request) => {
        requests.push(request as MetadataRequest);
        return answer(port, requests.length === 1 ? Codes.REBOOTSTRAP_REQUIRED : Codes.NONE);
      },
    },
  ]);
  port = broker.port;
  const cluster = new Cluster({
    brokers: [`127.0.0.1:${broker.port}`],
    retry: { retries: 3, initialRetryTime: 10, maxRetryTime: 50 },
    metadataRecoveryStrategy: strategy,
    connection: { clientId: 'rebootstrap-test' },
  });
  cleanups.push(async () => {
    await cluster.disconnect();
    await broker.close();
  });
  return { broker, cluster, requests };
}

describe('REBOOTSTRAP_REQUIRED in a Metadata answer', () => {
  it("'rebootstrap' (the default) goes back to the bootstrap addresses and loads the metadata there", async () => {
    const s = await setup('rebootstrap');
    await s.cluster.connect();
    assert.equal(s.cluster.rebootstraps, 1);
    assert.equal(s.requests.length, 2);
    assert.equal(s.cluster.metadata.clusterId, 'fake-cluster');
    // the second request came over a new connection: the rebootstrap closed the old one
    assert.equal(s.broker.accepted, 2);
  });

  it("'none' fails with the typed, non-retriable REBOOTSTRAP_REQUIRED error", async () => {
    const s = await setup('none');
    await assert.rejects(s.cluster.connect(), (e: unknown) => {
      assert.ok(e instanceof KafkaJSProtocolError, String(e));
      assert.equal(e.code, Codes.REBOOTSTRAP_REQUIRED);
      assert.equal(e.retriable, false);
      return true;
    });
    assert.equal(s.cluster.rebootstraps, 0);
    assert.equal(s.requests.length, 1);
  });
});

describe('ApiVersions body and feature levels', () => {
  it('sends the expected cluster and node id only as a pair (a 4.4 broker refuses one alone)', () => {
    assert.deepEqual(apiVersionsRequest({ clusterId: 'c', nodeId: 3 }), {
      clientSoftwareName: 'kafkats',
      clientSoftwareVersion: apiVersionsRequest().clientSoftwareVersion,
      clusterId: 'c',
      nodeId: 3,
    });
    for (const half of [{ clusterId: null, nodeId: 3 }, { clusterId: 'c', nodeId: -1 }, undefined]) {
      const body = apiVersionsRequest(half);
      assert.equal(body.clusterId, null);
      assert.equal(body.nodeId, -1);
    }
  });

  it('reads a finalized level, 0 for a feature the cluster has not finalized', () => {
    const features = featuresOf({
      errorCode: 0,
      apiKeys: [],
      throttleTimeMs: 0,
      finalizedFeaturesEpoch: 7n,
      finalizedFeatures: [{ name: 'transaction.version', minVersionLevel: 1, maxVersionLevel: 2 }],
    });
    assert.equal(featureLevel(features, 'transaction.version'), 2);
    assert.equal(featureLevel(features, 'share.version'), 0);
    assert.equal(features.finalizedEpoch, 7n);
  });
});

describe('rebootstrap options', () => {
  it('rejects an unknown metadataRecoveryStrategy and a negative trigger time with typed errors', () => {
    assert.throws(
      () =>
        new Kafka({ brokers: ['b:9092'], metadataRecoveryStrategy: 'sometimes' as MetadataRecoveryStrategy }),
      (e: unknown) =>
        e instanceof KafkaJSInvalidArgument &&
        e instanceof KafkaJSError &&
        /metadataRecoveryStrategy/.test(e.message),
    );
    assert.throws(
      () => new Kafka({ brokers: ['b:9092'], metadataRecoveryRebootstrapTriggerMs: -1 }),
      (e: unknown) =>
        e instanceof KafkaJSInvalidArgument && /metadataRecoveryRebootstrapTriggerMs/.test(e.message),
    );
  });
});
