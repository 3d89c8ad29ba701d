/**
 * Configurations: DescribeConfigs, AlterConfigs (KafkaJS) and IncrementalAlterConfigs (KIP-339).
 * A BROKER or BROKER_LOGGER resource naming a broker id is that broker's own configuration and
 * goes to that broker; everything else (topics, cluster-wide broker defaults) goes to any
 * broker for reads and to the controller for writes. Each resource's error is its own.
 */
import {
  AlterConfigs,
  DescribeConfigs,
  type DescribeConfigsResponseDescribeConfigsResult,
  IncrementalAlterConfigs,
} from '../protocol/messages/index.js';
import { brokerError, Codes } from './common.js';
import type { AdminCluster, AdminTarget } from './context.js';
import { AlterConfigOpTypes, ConfigResourceTypes, ConfigSource } from './enums.js';
import { type AdminItemError, throwIfAny } from './errors.js';
import { groupBy } from './shard.js';
import type {
  AlterConfigsOptions,
  AlterConfigsResponse,
  DescribeConfigResponse,
  DescribeConfigsOptions,
  DescribedConfigResource,
  IncrementalAlterConfigsOptions,
} from './types.js';
import {
  validateAlterConfigs,
  validateDescribeConfigs,
  validateIncrementalAlterConfigs,
} from './validation.js';

/** Where a config resource must be read or written. */
export function configTarget(type: number, name: string, write: boolean): AdminTarget {
  const perBroker = type === ConfigResourceTypes.BROKER || type === ConfigResourceTypes.BROKER_LOGGER;
  if (perBroker && /^\d+$/.test(name)) return Number(name);
  return write ? 'controller' : 'any';
}

export function mapDescribedResource(
  r: DescribeConfigsResponseDescribeConfigsResult,
): DescribedConfigResource {
  return {
    errorCode: r.errorCode,
    errorMessage: r.errorMessage,
    resourceType: r.resourceType,
    resourceName: r.resourceName,
    configEntries: r.configs.map((c) => ({
      configName: c.name,
      configValue: c.value,
      readOnly: c.readOnly,
      isDefault: c.configSource === ConfigSource.DEFAULT_CONFIG,
      configSource: c.configSource,
      isSensitive: c.isSensitive,
      configSynonyms: c.synonyms.map((s) => ({
        configName: s.name,
        configValue: s.value,
        configSource: s.source,
      })),
      configType: c.configType,
    })),
  };
}

export async function describeConfigs(
  cluster: AdminCluster,
  options: DescribeConfigsOptions,
): Promise<DescribeConfigResponse> {
  validateDescribeConfigs(options);
  const groups = groupBy(options.resources, (r) => configTarget(r.type, r.name, false));
  let throttleTime = 0;
  const byKey = new Map<string, DescribedConfigResource>();
  await Promise.all(
    [...groups].map(async ([target, resources]) => {
      const res = await cluster.retry(() =>
        cluster.send(target, DescribeConfigs, {
          resources: resources.map((r) => ({
            resourceType: r.type,
            resourceName: r.name,
            configurationKeys: r.configNames && r.configNames.length > 0 ? r.configNames : null,
          })),
          includeSynonyms: options.includeSynonyms ?? false,
          includeDocumentation: false,
        }),
      );
      throttleTime = Math.max(throttleTime, res.throttleTimeMs);
      for (const r of res.results) byKey.set(`${r.resourceType}:${r.resourceName}`, mapDescribedResource(r));
    }),
  );
  const resources = options.resources
    .map((r) => byKey.get(`${r.type}:${r.name}`))
    .filter((r): r is DescribedConfigResource => r !== undefined);
  const errors = resources
    .filter((r) => r.errorCode !== Codes.NONE)
    .map((r) =>
      brokerError(r.errorCode, r.errorMessage, {
        resourceType: r.resourceType,
        resourceName: r.resourceName,
      }),
    );
  throwIfAny('Error describing configs', errors);
  return { resources, throttleTime };
}

interface AlterResult {
  throttleTimeMs: number;
  responses: Array<{
    errorCode: number;
    errorMessage: string | null;
    resourceType: number;
    resourceName: string;
  }>;
}

async function alterByTarget<R extends { type: number; name: string }>(
  cluster: AdminCluster,
  resources: R[],
  send: (target: AdminTarget, resources: R[]) => Promise<AlterResult>,
): Promise<AlterConfigsResponse> {
  const groups = groupBy(resources, (r) => configTarget(r.type, r.name, true));
  let throttleTime = 0;
  const results = new Map<string, AlterConfigsResponse['resources'][number]>();
  await Promise.all(
    [...groups].map(async ([target, rs]) => {
      const res = await cluster.retry(() => send(target, rs));
      throttleTime = Math.max(throttleTime, res.throttleTimeMs);
      for (const r of res.responses) {
        results.set(`${r.resourceType}:${r.resourceName}`, {
          errorCode: r.errorCode,
          errorMessage: r.errorMessage,
          resourceType: r.resourceType,
          resourceName: r.resourceName,
        });
      }
    }),
  );
  const ordered = resources
    .map((r) => results.get(`${r.type}:${r.name}`))
    .filter((r): r is AlterConfigsResponse['resources'][number] => r !== undefined);
  const errors: AdminItemError[] = ordered
    .filter((r) => r.errorCode !== Codes.NONE)
    .map((r) =>
      brokerError(r.errorCode, r.errorMessage, {
        resourceType: r.resourceType,
        resourceName: r.resourceName,
      }),
    );
  throwIfAny('Error altering configs', errors);
  return { resources: ordered, throttleTime };
}

/**
 * KafkaJS's alterConfigs: the legacy AlterConfigs, which replaces a resource's whole dynamic
 * configuration with the entries given (entries not listed return to their defaults). Prefer
 * {@link incrementalAlterConfigs} to change one entry.
 */
export async function alterConfigs(
  cluster: AdminCluster,
  options: AlterConfigsOptions,
): Promise<AlterConfigsResponse> {
  validateAlterConfigs(options);
  return alterByTarget(cluster, options.resources, (target, rs) =>
    cluster.send(target, AlterConfigs, {
      validateOnly: options.validateOnly ?? false,
      resources: rs.map((r) => ({
        resourceType: r.type,
        resourceName: r.name,
        configs: r.configEntries.map((e) => ({ name: e.name, value: e.value })),
      })),
    }),
  );
}

/** IncrementalAlterConfigs: SET, DELETE, APPEND or SUBTRACT single entries, leaving the rest alone. */
export async function incrementalAlterConfigs(
  cluster: AdminCluster,
  options: IncrementalAlterConfigsOptions,
): Promise<AlterConfigsResponse> {
  validateIncrementalAlterConfigs(options);
  return alterByTarget(cluster, options.resources, (target, rs) =>
    cluster.send(target, IncrementalAlterConfigs, {
      validateOnly: options.validateOnly ?? false,
      resources: rs.map((r) => ({
        resourceType: r.type,
        resourceName: r.name,
        configs: r.configEntries.map((e) => ({
          name: e.name,
          configOperation: e.operation ?? AlterConfigOpTypes.SET,
          value: e.value ?? null,
        })),
      })),
    }),
  );
}
