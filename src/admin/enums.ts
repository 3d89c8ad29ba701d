/**
 * The numeric enums KafkaJS exports for the admin client, with KafkaJS's names and the values of
 * the Kafka protocol (which KafkaJS also uses), so `ConfigResourceTypes.TOPIC` and friends keep
 * working after a migration. Values Kafka added since KafkaJS froze are appended under their
 * Java names.
 */

/** Resource types of configurations (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs). */
export const ConfigResourceTypes = Object.freeze({
  UNKNOWN: 0,
  TOPIC: 2,
  BROKER: 4,
  BROKER_LOGGER: 8,
  CLIENT_METRICS: 16,
  GROUP: 32,
} as const);
export type ConfigResourceType = (typeof ConfigResourceTypes)[keyof typeof ConfigResourceTypes];
/** `ConfigResourceTypes` as a type too, as KafkaJS's enum is (`type: ConfigResourceTypes`). */
export type ConfigResourceTypes = ConfigResourceType;

/** Resource types of ACLs. */
export const AclResourceTypes = Object.freeze({
  /** A type this client does not know (a newer broker's); never sent. */
  UNKNOWN: 0,
  /** Filters only: matches every resource type. */
  ANY: 1,
  /** A topic. */
  TOPIC: 2,
  /** A consumer, share or classic group. */
  GROUP: 3,
  /** The cluster itself (name `kafka-cluster`): cluster-wide operations. */
  CLUSTER: 4,
  /** A producer's `transactionalId`. */
  TRANSACTIONAL_ID: 5,
  /** A delegation token. */
  DELEGATION_TOKEN: 6,
  /** A user principal (e.g. for describing or creating its tokens, KIP-373). */
  USER: 7,
} as const);
export type AclResourceType = (typeof AclResourceTypes)[keyof typeof AclResourceTypes];
/** `AclResourceTypes` as a type too, as KafkaJS's enum is (`type: AclResourceTypes`). */
export type AclResourceTypes = AclResourceType;

/**
 * KafkaJS's older, deprecated name for the ACL resource types. Kept because KafkaJS 1.x programs
 * passed `ResourceTypes.TOPIC` to describeConfigs; both values of TOPIC agree (2), and BROKER is
 * spelled CLUSTER here exactly as in KafkaJS (use {@link ConfigResourceTypes} for configs).
 */
export const ResourceTypes = AclResourceTypes;
/** KafkaJS's older name for {@link AclResourceType}. */
export type ResourceType = AclResourceType;

/** Operations an ACL allows or denies. */
export const AclOperationTypes = Object.freeze({
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const);
export type AclOperationType = (typeof AclOperationTypes)[keyof typeof AclOperationTypes];
/** `AclOperationTypes` as a type too, as KafkaJS's enum is (`type: AclOperationTypes`). */
export type AclOperationTypes = AclOperationType;

export const AclPermissionTypes = Object.freeze({
  UNKNOWN: 0,
  ANY: 1,
  DENY: 2,
  ALLOW: 3,
} as const);
export type AclPermissionType = (typeof AclPermissionTypes)[keyof typeof AclPermissionTypes];
/** `AclPermissionTypes` as a type too, as KafkaJS's enum is (`type: AclPermissionTypes`). */
export type AclPermissionTypes = AclPermissionType;

/** How an ACL's resource name matches (KIP-290). ANY and MATCH only appear in filters. */
export const ResourcePatternTypes = Object.freeze({
  /** A pattern type this client does not know; never sent. */
  UNKNOWN: 0,
  /** Filters only: matches every pattern type. */
  ANY: 1,
  /** Filters only: matches the ACLs that apply to the name (literal, wildcard `*` and prefixed ones). */
  MATCH: 2,
  /** The resource name is taken literally (`*` is the wildcard for every name). */
  LITERAL: 3,
  /** The resource name is a prefix: the ACL applies to every resource whose name starts with it. */
  PREFIXED: 4,
} as const);
/** One value of {@link ResourcePatternTypes}. */
export type ResourcePatternType = (typeof ResourcePatternTypes)[keyof typeof ResourcePatternTypes];
/** `ResourcePatternTypes` as a type too, as KafkaJS's enum is (`type: ResourcePatternTypes`). */
export type ResourcePatternTypes = ResourcePatternType;

/** Where a configuration value comes from (DescribeConfigs v1+). */
export const ConfigSource = Object.freeze({
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const);
export type ConfigSourceType = (typeof ConfigSource)[keyof typeof ConfigSource];
/** `ConfigSource` as a type too, as KafkaJS's enum is (`type: ConfigSource`). */
export type ConfigSource = ConfigSourceType;

/** Operations of IncrementalAlterConfigs (KIP-339). Not in KafkaJS. */
export const AlterConfigOpTypes = Object.freeze({
  SET: 0,
  DELETE: 1,
  APPEND: 2,
  SUBTRACT: 3,
} as const);
export type AlterConfigOpType = (typeof AlterConfigOpTypes)[keyof typeof AlterConfigOpTypes];

/** SCRAM mechanisms as AlterUserScramCredentials numbers them. */
export const ScramMechanisms = Object.freeze({
  /** A mechanism this client does not know; never sent. */
  UNKNOWN: 0,
  /** SCRAM-SHA-256. */
  SCRAM_SHA_256: 1,
  /** SCRAM-SHA-512. */
  SCRAM_SHA_512: 2,
} as const);
/** One value of {@link ScramMechanisms}. */
export type ScramMechanism = (typeof ScramMechanisms)[keyof typeof ScramMechanisms];

/** Election types of ElectLeaders (KIP-460). */
export const ElectionTypes = Object.freeze({
  PREFERRED: 0,
  UNCLEAN: 1,
} as const);
export type ElectionType = (typeof ElectionTypes)[keyof typeof ElectionTypes];

/** Isolation levels of ListOffsets. */
export const IsolationLevel = Object.freeze({
  READ_UNCOMMITTED: 0,
  READ_COMMITTED: 1,
} as const);

/** Name of a value in one of the enums above, for messages (`TOPIC`, `ALLOW`, ...). */
export function enumName(values: Readonly<Record<string, number>>, value: number): string {
  for (const [k, v] of Object.entries(values)) if (v === value) return k;
  return String(value);
}
