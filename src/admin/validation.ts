/**
 * Argument checks of the admin methods. They check shape only (types, ranges, duplicates,
 * enum values): whether a topic name is legal, a replication factor achievable or a config
 * name known is the broker's to say, and its answer reaches the caller as a typed error with
 * the broker's own message.
 */
import { KafkaJSInvalidArgument } from '../errors/network.js';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  AlterConfigOpTypes,
  ConfigResourceTypes,
  ResourcePatternTypes,
} from './enums.js';
import type {
  AclEntry,
  AclFilter,
  AlterConfigsOptions,
  AlterPartitionReassignmentsOptions,
  CreatePartitionsOptions,
  CreateTopicsOptions,
  DeleteTopicRecordsOptions,
  DescribeConfigsOptions,
  IncrementalAlterConfigsOptions,
  SeekEntry,
} from './types.js';

function fail(option: string, message: string): never {
  throw new KafkaJSInvalidArgument(option, message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireObject(option: string, v: unknown): asserts v is Record<string, unknown> {
  if (!isObject(v)) fail(option, `expected an object, got ${describe(v)}`);
}

export function requireArray(option: string, v: unknown, { nonEmpty = true } = {}): asserts v is unknown[] {
  if (!Array.isArray(v)) fail(option, `expected an array, got ${describe(v)}`);
  if (nonEmpty && v.length === 0) fail(option, 'expected a non-empty array');
}

export function requireString(option: string, v: unknown): asserts v is string {
  if (typeof v !== 'string' || v.length === 0)
    fail(option, `expected a non-empty string, got ${describe(v)}`);
}

export function requireInt(
  option: string,
  v: unknown,
  min = Number.MIN_SAFE_INTEGER,
  max = 2 ** 31 - 1,
): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(option, `expected an integer, got ${describe(v)}`);
  if (v < min || v > max) fail(option, `expected an integer between ${min} and ${max}, got ${v}`);
}

function optionalInt(option: string, v: unknown, min: number, max = 2 ** 31 - 1): void {
  if (v !== undefined && v !== null) requireInt(option, v, min, max);
}

function optionalBoolean(option: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') fail(option, `expected a boolean, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function requireEnum(option: string, v: unknown, values: Readonly<Record<string, number>>): void {
  const allowed = Object.values(values);
  if (typeof v !== 'number' || !allowed.includes(v)) {
    const names = Object.entries(values)
      .map(([k, n]) => `${k}=${n}`)
      .join(', ');
    fail(option, `expected one of ${names}, got ${describe(v)}`);
  }
}

function noDuplicates(option: string, names: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) fail(option, `${what} "${n}" appears more than once`);
    seen.add(n);
  }
}

/** Parses an offset given as a decimal string (KafkaJS), a number or a bigint. */
export function parseOffset(option: string, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return fail(option, `expected an offset as a decimal string, got ${describe(v)}`);
}

export function validateTopics(option: string, topics: unknown): asserts topics is string[] {
  requireArray(option, topics);
  topics.forEach((t, i) => {
    requireString(`${option}[${i}]`, t);
  });
  noDuplicates(option, topics as string[], 'topic');
}

export function validateCreateTopics(options: unknown): asserts options is CreateTopicsOptions {
  requireObject('createTopics', options);
  const { topics } = options;
  requireArray('topics', topics);
  topics.forEach((t, i) => {
    const at = `topics[${i}]`;
    requireObject(at, t);
    requireString(`${at}.topic`, t.topic);
    optionalInt(`${at}.numPartitions`, t.numPartitions, -1);
    optionalInt(`${at}.replicationFactor`, t.replicationFactor, -1, 32767);
    if (t.numPartitions === 0)
      fail(`${at}.numPartitions`, 'a topic needs at least one partition (or -1 for the broker default)');
    if (t.replicationFactor === 0)
      fail(`${at}.replicationFactor`, 'expected at least 1 (or -1 for the broker default)');
    if (t.replicaAssignment !== undefined) {
      requireArray(`${at}.replicaAssignment`, t.replicaAssignment, { nonEmpty: false });
      t.replicaAssignment.forEach((a, j) => {
        requireObject(`${at}.replicaAssignment[${j}]`, a);
        requireInt(`${at}.replicaAssignment[${j}].partition`, a.partition, 0);
        requireArray(`${at}.replicaAssignment[${j}].replicas`, a.replicas);
        a.replicas.forEach((r, k) => {
          requireInt(`${at}.replicaAssignment[${j}].replicas[${k}]`, r, 0);
        });
      });
    }
    if (t.configEntries !== undefined) validateConfigEntries(`${at}.configEntries`, t.configEntries);
  });
  noDuplicates(
    'topics',
    topics.map((t) => (t as { topic: string }).topic),
    'topic',
  );
  optionalBoolean('validateOnly', options.validateOnly);
  optionalBoolean('waitForLeaders', options.waitForLeaders);
  optionalInt('timeout', options.timeout, 0);
}

function validateConfigEntries(option: string, entries: unknown): void {
  requireArray(option, entries, { nonEmpty: false });
  entries.forEach((e, i) => {
    requireObject(`${option}[${i}]`, e);
    requireString(`${option}[${i}].name`, e.name);
    if (e.value !== null && typeof e.value !== 'string') {
      fail(`${option}[${i}].value`, `expected a string (or null), got ${describe(e.value)}`);
    }
  });
}

export function validateCreatePartitions(options: unknown): asserts options is CreatePartitionsOptions {
  requireObject('createPartitions', options);
  requireArray('topicPartitions', options.topicPartitions);
  options.topicPartitions.forEach((t, i) => {
    const at = `topicPartitions[${i}]`;
    requireObject(at, t);
    requireString(`${at}.topic`, t.topic);
    requireInt(`${at}.count`, t.count, 1);
    if (t.assignments !== undefined) {
      requireArray(`${at}.assignments`, t.assignments, { nonEmpty: false });
      t.assignments.forEach((a, j) => {
        requireArray(`${at}.assignments[${j}]`, a);
        a.forEach((r, k) => {
          requireInt(`${at}.assignments[${j}][${k}]`, r, 0);
        });
      });
    }
  });
  noDuplicates(
    'topicPartitions',
    options.topicPartitions.map((t) => (t as { topic: string }).topic),
    'topic',
  );
  optionalBoolean('validateOnly', options.validateOnly);
  optionalInt('timeout', options.timeout, 0);
}

export function validateSeekEntries(option: string, partitions: unknown): asserts partitions is SeekEntry[] {
  requireArray(option, partitions);
  const seen = new Set<number>();
  partitions.forEach((p, i) => {
    requireObject(`${option}[${i}]`, p);
    requireInt(`${option}[${i}].partition`, p.partition, 0);
    parseOffset(`${option}[${i}].offset`, p.offset);
    if (seen.has(p.partition)) fail(option, `partition ${p.partition} appears more than once`);
    seen.add(p.partition);
  });
}

export function validateDeleteTopicRecords(options: unknown): asserts options is DeleteTopicRecordsOptions {
  requireObject('deleteTopicRecords', options);
  requireString('topic', options.topic);
  validateSeekEntries('partitions', options.partitions);
  options.partitions.forEach((p, i) => {
    if (parseOffset(`partitions[${i}].offset`, p.offset) < -1n) {
      fail(`partitions[${i}].offset`, 'expected an offset >= 0, or -1 for the high watermark');
    }
  });
}

export function validateDescribeConfigs(options: unknown): asserts options is DescribeConfigsOptions {
  requireObject('describeConfigs', options);
  requireArray('resources', options.resources);
  options.resources.forEach((r, i) => {
    requireObject(`resources[${i}]`, r);
    requireEnum(`resources[${i}].type`, r.type, ConfigResourceTypes);
    if (typeof r.name !== 'string')
      fail(`resources[${i}].name`, `expected a string, got ${describe(r.name)}`);
    if (r.configNames !== undefined && r.configNames !== null) {
      requireArray(`resources[${i}].configNames`, r.configNames, { nonEmpty: false });
      r.configNames.forEach((n, j) => {
        requireString(`resources[${i}].configNames[${j}]`, n);
      });
    }
  });
  optionalBoolean('includeSynonyms', options.includeSynonyms);
}

export function validateAlterConfigs(options: unknown): asserts options is AlterConfigsOptions {
  requireObject('alterConfigs', options);
  requireArray('resources', options.resources);
  options.resources.forEach((r, i) => {
    requireObject(`resources[${i}]`, r);
    requireEnum(`resources[${i}].type`, r.type, ConfigResourceTypes);
    if (typeof r.name !== 'string')
      fail(`resources[${i}].name`, `expected a string, got ${describe(r.name)}`);
    validateConfigEntries(`resources[${i}].configEntries`, r.configEntries);
  });
  optionalBoolean('validateOnly', options.validateOnly);
}

export function validateIncrementalAlterConfigs(
  options: unknown,
): asserts options is IncrementalAlterConfigsOptions {
  requireObject('incrementalAlterConfigs', options);
  requireArray('resources', options.resources);
  options.resources.forEach((r, i) => {
    requireObject(`resources[${i}]`, r);
    requireEnum(`resources[${i}].type`, r.type, ConfigResourceTypes);
    if (typeof r.name !== 'string')
      fail(`resources[${i}].name`, `expected a string, got ${describe(r.name)}`);
    requireArray(`resources[${i}].configEntries`, r.configEntries);
    r.configEntries.forEach((e, j) => {
      const at = `resources[${i}].configEntries[${j}]`;
      requireObject(at, e);
      requireString(`${at}.name`, e.name);
      if (e.operation !== undefined) requireEnum(`${at}.operation`, e.operation, AlterConfigOpTypes);
      const needsValue = e.operation !== AlterConfigOpTypes.DELETE;
      if (needsValue && typeof e.value !== 'string') {
        fail(
          `${at}.value`,
          `expected a string for operation ${e.operation ?? 'SET'}, got ${describe(e.value)}`,
        );
      }
    });
  });
  optionalBoolean('validateOnly', options.validateOnly);
}

export function validateAclEntries(option: string, acl: unknown): asserts acl is AclEntry[] {
  requireArray(option, acl);
  acl.forEach((a, i) => {
    const at = `${option}[${i}]`;
    requireObject(at, a);
    requireEnum(`${at}.resourceType`, a.resourceType, AclResourceTypes);
    requireString(`${at}.resourceName`, a.resourceName);
    requireEnum(`${at}.resourcePatternType`, a.resourcePatternType, ResourcePatternTypes);
    requireString(`${at}.principal`, a.principal);
    requireString(`${at}.host`, a.host);
    requireEnum(`${at}.operation`, a.operation, AclOperationTypes);
    requireEnum(`${at}.permissionType`, a.permissionType, AclPermissionTypes);
    for (const [field, value, bad] of [
      ['resourceType', a.resourceType, [AclResourceTypes.ANY, AclResourceTypes.UNKNOWN]],
      [
        'resourcePatternType',
        a.resourcePatternType,
        [ResourcePatternTypes.ANY, ResourcePatternTypes.MATCH, ResourcePatternTypes.UNKNOWN],
      ],
      ['operation', a.operation, [AclOperationTypes.ANY, AclOperationTypes.UNKNOWN]],
      ['permissionType', a.permissionType, [AclPermissionTypes.ANY, AclPermissionTypes.UNKNOWN]],
    ] as const) {
      if ((bad as readonly number[]).includes(value as number)) {
        fail(`${at}.${field}`, `${value} only makes sense in a filter; an ACL needs a concrete value`);
      }
    }
  });
}

export function validateAclFilter(option: string, f: unknown): asserts f is AclFilter {
  requireObject(option, f);
  requireEnum(`${option}.resourceType`, f.resourceType, AclResourceTypes);
  requireEnum(`${option}.resourcePatternType`, f.resourcePatternType, ResourcePatternTypes);
  requireEnum(`${option}.operation`, f.operation, AclOperationTypes);
  requireEnum(`${option}.permissionType`, f.permissionType, AclPermissionTypes);
  for (const k of ['resourceName', 'principal', 'host'] as const) {
    const v = f[k];
    if (v !== undefined && v !== null && typeof v !== 'string')
      fail(`${option}.${k}`, `expected a string or null, got ${describe(v)}`);
  }
}

export function validateAlterPartitionReassignments(
  options: unknown,
): asserts options is AlterPartitionReassignmentsOptions {
  requireObject('alterPartitionReassignments', options);
  requireArray('topics', options.topics);
  options.topics.forEach((t, i) => {
    requireObject(`topics[${i}]`, t);
    requireString(`topics[${i}].topic`, t.topic);
    requireArray(`topics[${i}].partitionAssignment`, t.partitionAssignment);
    t.partitionAssignment.forEach((p, j) => {
      const at = `topics[${i}].partitionAssignment[${j}]`;
      requireObject(at, p);
      requireInt(`${at}.partition`, p.partition, 0);
      if (p.replicas !== null) {
        requireArray(`${at}.replicas`, p.replicas, { nonEmpty: false });
        p.replicas.forEach((r, k) => {
          requireInt(`${at}.replicas[${k}]`, r, 0);
        });
      }
    });
  });
  optionalInt('timeout', options.timeout, 0);
}

export function validateGroupIds(option: string, groupIds: unknown): asserts groupIds is string[] {
  requireArray(option, groupIds);
  groupIds.forEach((g, i) => {
    requireString(`${option}[${i}]`, g);
  });
}
