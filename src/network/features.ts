/**
 * ApiVersions as every client sends and reads it: the request body (client software, and from v5
 * the cluster and node the client expects, KIP-1242) and the feature levels of the answer
 * (KIP-584). The handshake, `Cluster.features()` and the admin's describeFeatures all go through
 * here, so the body and the reading exist once.
 */
import type { ApiVersionsRequest, ApiVersionsResponse } from '../protocol/messages/api-versions.js';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION } from './client-software.js';

/** The cluster and node a connection is meant to reach; unknown (bootstrap) when absent. */
export interface ExpectedIdentity {
  clusterId: string | null;
  nodeId: number;
}

/** Feature levels as one broker reported them in ApiVersions (v3+). */
export interface ClusterFeatures {
  /** Finalized feature levels the cluster runs at (metadata.version, transaction.version, share.version, ...). */
  finalized: Array<{ name: string; minVersionLevel: number; maxVersionLevel: number }>;
  /** The epoch of the finalized levels; -1 when the broker gave none. */
  finalizedEpoch: bigint;
  /** What the answering broker supports. */
  supported: Array<{ name: string; minVersion: number; maxVersion: number }>;
}

/**
 * The ApiVersions body. The expected cluster and node ids are sent only as a pair (the spec asks
 * for both or neither); a broker older than v5 never sees them, the codec drops fields of
 * versions it does not write.
 */
export function apiVersionsRequest(expected?: ExpectedIdentity): ApiVersionsRequest {
  const known = expected !== undefined && expected.clusterId !== null && expected.nodeId >= 0;
  return {
    clientSoftwareName: CLIENT_SOFTWARE_NAME,
    clientSoftwareVersion: CLIENT_SOFTWARE_VERSION,
    clusterId: known ? expected.clusterId : null,
    nodeId: known ? expected.nodeId : -1,
  };
}

export function featuresOf(response: ApiVersionsResponse): ClusterFeatures {
  return {
    finalized: (response.finalizedFeatures ?? []).map((f) => ({
      name: f.name,
      minVersionLevel: f.minVersionLevel,
      maxVersionLevel: f.maxVersionLevel,
    })),
    finalizedEpoch: response.finalizedFeaturesEpoch ?? -1n,
    supported: (response.supportedFeatures ?? []).map((f) => ({
      name: f.name,
      minVersion: f.minVersion,
      maxVersion: f.maxVersion,
    })),
  };
}

/** The finalized level of one feature; 0 when the cluster has not finalized it (the feature is off). */
export function featureLevel(features: ClusterFeatures, name: string): number {
  return features.finalized.find((f) => f.name === name)?.maxVersionLevel ?? 0;
}
