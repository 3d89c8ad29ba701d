/**
 * The numeric enums KafkaJS exports for the admin client, with KafkaJS's names and the values of
 * the Kafka protocol (which KafkaJS also uses), so `ConfigResourceTypes.TOPIC` and friends keep
 * working after a migration. Values Kafka added since KafkaJS froze are appended under their
 * Java names.
 */

/** Resource types of configurations (DescribeConfigs, AlterConfigs, IncrementalAlterConfigs). */
export const ConfigResourceTypes = Object.freeze({
  /** Type not known to this client (never sent). */
  UNKNOWN: 0,
  /** A topic: its name is the topic name. */
  TOPIC: 2,
  /** A broker: its name is the broker id as text, or empty for the cluster-wide default. */
  BROKER: 4,
  /** A broker's log4j loggers (KIP-412): its name is the broker id as text. */
  BROKER_LOGGER: 8,
  /** A client metrics subscription (KIP-714): its name is the subscription name. */
  CLIENT_METRICS: 16,
  /** A consumer or share group (KIP-848): its name is the group id. */
  GROUP: 32,
} as const);
/** One value of {@link ConfigResourceTypes}. */
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
/** One value of {@link AclResourceTypes}. */
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
  /** Operation not known to this client (never sent). */
  UNKNOWN: 0,
  /** Matches every operation (filters only). */
  ANY: 1,
  /** Every operation. */
  ALL: 2,
  /** Read (fetch, consume, describe offsets). */
  READ: 3,
  /** Write (produce). */
  WRITE: 4,
  /** Create (topics, partitions). */
  CREATE: 5,
  /** Delete (topics, records, groups). */
  DELETE: 6,
  /** Alter (ACLs, partitions). */
  ALTER: 7,
  /** Describe (metadata, groups, offsets). */
  DESCRIBE: 8,
  /** Inter-broker operations on the cluster. */
  CLUSTER_ACTION: 9,
  /** Read configs. */
  DESCRIBE_CONFIGS: 10,
  /** Alter configs. */
  ALTER_CONFIGS: 11,
  /** Produce idempotently (needed by idempotent producers on older brokers). */
  IDEMPOTENT_WRITE: 12,
  /** Create delegation tokens. */
  CREATE_TOKENS: 13,
  /** Describe delegation tokens. */
  DESCRIBE_TOKENS: 14,
} as const);
/** One value of {@link AclOperationTypes}. */
export type AclOperationType = (typeof AclOperationTypes)[keyof typeof AclOperationTypes];
/** `AclOperationTypes` as a type too, as KafkaJS's enum is (`type: AclOperationTypes`). */
export type AclOperationTypes = AclOperationType;

/** Whether an ACL allows or denies its operation. */
export const AclPermissionTypes = Object.freeze({
  /** Permission not known to this client (never sent). */
  UNKNOWN: 0,
  /** Matches both permissions (filters only). */
  ANY: 1,
  /** The ACL denies the operation; a DENY wins over an ALLOW. */
  DENY: 2,
  /** The ACL allows the operation. */
  ALLOW: 3,
} as const);
/** One value of {@link AclPermissionTypes}. */
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
  /** Source not known to this client. */
  UNKNOWN: 0,
  /** A topic-level override (`kafka-configs --entity-type topics`). */
  TOPIC_CONFIG: 1,
  /** A dynamic override for this one broker. */
  DYNAMIC_BROKER_CONFIG: 2,
  /** A dynamic cluster-wide default for all brokers. */
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  /** The broker's static `server.properties`. */
  STATIC_BROKER_CONFIG: 4,
  /** Kafka's built-in default. */
  DEFAULT_CONFIG: 5,
  /** A dynamic override of a broker logger level. */
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  /** A client metrics subscription config. */
  CLIENT_METRICS_CONFIG: 7,
  /** A group-level override (KIP-848). */
  GROUP_CONFIG: 8,
} as const);
/** One value of {@link ConfigSource}. */
export type ConfigSourceType = (typeof ConfigSource)[keyof typeof ConfigSource];
/** `ConfigSource` as a type too, as KafkaJS's enum is (`type: ConfigSource`). */
export type ConfigSource = ConfigSourceType;

/** Operations of IncrementalAlterConfigs (KIP-339). Not in KafkaJS. */
export const AlterConfigOpTypes = Object.freeze({
  /** Set the config to the given value. */
  SET: 0,
  /** Remove the override, so the config goes back to its default. */
  DELETE: 1,
  /** Add the given value to a list config. */
  APPEND: 2,
  /** Remove the given value from a list config. */
  SUBTRACT: 3,
} as const);
/** One value of {@link AlterConfigOpTypes}. */
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
  /** Elect the preferred (first) replica if it is in sync. */
  PREFERRED: 0,
  /** Elect any live replica, even out of sync, which may lose committed records. */
  UNCLEAN: 1,
} as const);
/** One value of {@link ElectionTypes}. */
export type ElectionType = (typeof ElectionTypes)[keyof typeof ElectionTypes];

/** Isolation levels of ListOffsets. */
export const IsolationLevel = Object.freeze({
  /** Read every record, including those of open and aborted transactions. */
  READ_UNCOMMITTED: 0,
  /** Read only records of committed transactions, up to the last stable offset. */
  READ_COMMITTED: 1,
} as const);

/** Name of a value in one of the enums above, for messages (`TOPIC`, `ALLOW`, ...). */
export function enumName(values: Readonly<Record<string, number>>, value: number): string {
  for (const [k, v] of Object.entries(values)) if (v === value) return k;
  return String(value);
}
