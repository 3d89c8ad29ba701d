/**
 * For every name KafkaJS 2.2.4's `types/index.d.ts` exports, which way a migrating program needs
 * its KafkaJS type and kafkats' type to be assignable. `npm run check:types`
 * (scripts/check-types.ts) reads KafkaJS's declarations at check time, fails on a name missing
 * here or from kafkats, and compiles one assertion per direction against kafkats' sources.
 *
 * - `in`:  a program hands a value of the KafkaJS type to kafkats (options, records, handlers,
 *          assigners): the KafkaJS type must be assignable to kafkats' type.
 * - `out`: kafkats hands the value back (clients, results, payloads, events, errors): kafkats'
 *          type must be assignable to the KafkaJS type, so code and libraries typed against
 *          KafkaJS accept it.
 * - `both`: plain data that travels both ways (topic/partition/offset shapes, enums).
 * - `class`: `new X(...kafkajsArgs)` compiles against kafkats and the instance is assignable to
 *          KafkaJS's instance type.
 * - `value`: kafkats' exported value is assignable to KafkaJS's (`Partitioners`, ...).
 * - `enum`: both directions on the type, the value has KafkaJS's member names.
 *
 * `args` instantiates a generic type. `gaps` lists the assertions that do not hold yet, each with
 * the difference that breaks it: they are compiled under `@ts-expect-error`, so one that starts
 * to hold fails the check until its gap entry is removed.
 */
export type KafkaJSDirection = 'in' | 'out' | 'both' | 'class' | 'value' | 'enum';

/** The assertions a rule generates: `in`/`out` (types), `new`/`type` (classes), `value`, `keys` (enums). */
export type AssertionKind = 'in' | 'out' | 'new' | 'type' | 'value' | 'keys';

export interface KafkaJSTypeRule {
  direction: KafkaJSDirection;
  args?: string;
  /** Assertions known not to hold today, each with the difference that breaks it. */
  gaps?: Partial<Record<AssertionKind, string>>;
}

const IN: KafkaJSTypeRule = { direction: 'in' };
const OUT: KafkaJSTypeRule = { direction: 'out' };
const BOTH: KafkaJSTypeRule = { direction: 'both' };
const CLASS: KafkaJSTypeRule = { direction: 'class' };
const VALUE: KafkaJSTypeRule = { direction: 'value' };
const ENUM: KafkaJSTypeRule = { direction: 'enum' };

export const KAFKAJS_TYPE_RULES: Record<string, KafkaJSTypeRule> = {
  Kafka: {
    direction: 'class',
    gaps: {
      new: "KafkaConfig's sasl: KafkaJS's 'aws' mechanism (not supported by kafkats)",
      type: 'producer()/consumer() return kafkats clients whose send()/run() carry typed serializers and payloads (see Producer, Consumer)',
    },
  },
  // Client configuration and authentication: written by the program.
  KafkaConfig: {
    direction: 'in',
    gaps: { in: "sasl: KafkaJS's 'aws' mechanism is not supported by kafkats" },
  },
  BrokersFunction: IN,
  Mechanism: IN,
  Authenticator: IN,
  SaslAuthenticateArgs: { direction: 'in', args: '<Buffer>' },
  AuthenticationProviderArgs: OUT,
  ISocketFactory: {
    direction: 'in',
    gaps: { in: 'ssl is undefined for a plaintext connection (KafkaJS types it always set)' },
  },
  ISocketFactoryArgs: {
    direction: 'out',
    gaps: { out: 'ssl is undefined for a plaintext connection (KafkaJS types it always set)' },
  },
  OauthbearerProviderResponse: IN,
  SASLMechanism: IN,
  SASLOptions: { direction: 'in', gaps: { in: "KafkaJS's 'aws' mechanism is not supported by kafkats" } },
  RetryOptions: IN,
  // Producer.
  ProducerConfig: IN,
  Message: IN,
  PartitionerArgs: OUT,
  ICustomPartitioner: IN,
  DefaultPartitioner: IN,
  LegacyPartitioner: IN,
  Partitioners: VALUE,
  PartitionMetadata: BOTH,
  IHeaders: BOTH,
  ProducerRecord: IN,
  ProducerBatch: IN,
  TopicMessages: IN,
  RecordMetadata: OUT,
  ProducerEvents: BOTH,
  Producer: {
    direction: 'out',
    gaps: { out: 'on(): listeners receive events with a numeric id (see InstrumentationEvent)' },
  },
  Transaction: OUT,
  CompressionTypes: ENUM,
  CompressionCodecs: VALUE,
  // Consumer and its assigner protocol.
  ConsumerConfig: { direction: 'in', gaps: { in: 'partitionAssigners: see PartitionAssigner' } },
  PartitionAssigner: {
    direction: 'in',
    gaps: {
      in: "the assigner's cluster is kafkats' AssignerCluster (findTopicPartitionMetadata), not KafkaJS's full internal Cluster",
    },
  },
  Assigner: IN,
  Cluster: {
    direction: 'out',
    gaps: {
      out: "kafkats' AssignerCluster has only findTopicPartitionMetadata of KafkaJS's internal Cluster",
    },
  },
  CoordinatorMetadata: OUT,
  BrokerMetadata: OUT,
  ApiVersions: OUT,
  Broker: {
    direction: 'out',
    gaps: { out: 'kafkats hands out no Broker; its type has only the connection methods' },
  },
  Assignment: BOTH,
  GroupMember: OUT,
  GroupMemberAssignment: IN,
  GroupState: IN,
  PartitionAssigners: VALUE,
  ISerializer: { direction: 'out', args: '<{ version: number }>' },
  MemberMetadata: {
    direction: 'both',
    gaps: { out: 'userData may be null or absent (KafkaJS types Buffer)' },
  },
  MemberAssignment: {
    direction: 'both',
    gaps: { out: 'userData may be null or absent (KafkaJS types Buffer)' },
  },
  AssignerProtocol: {
    direction: 'value',
    gaps: { value: 'decoded userData may be null or absent (see MemberMetadata)' },
  },
  IMemberAssignment: OUT,
  ConsumerRunConfig: IN,
  ConsumerSubscribeTopic: IN,
  ConsumerSubscribeTopics: IN,
  EachBatchHandler: IN,
  EachMessageHandler: IN,
  EachMessagePayload: OUT,
  EachBatchPayload: OUT,
  ConsumerEachMessagePayload: OUT,
  ConsumerEachBatchPayload: OUT,
  KafkaMessage: OUT,
  Batch: OUT,
  OffsetsByTopicPartition: OUT,
  Consumer: { direction: 'out', gaps: { out: 'describeGroup(): state is a string (see GroupDescription)' } },
  ConsumerGroup: { direction: 'out', gaps: { out: 'coordinator: see Broker' } },
  ConsumerEvents: BOTH,
  TopicPartitions: BOTH,
  TopicPartition: BOTH,
  TopicPartitionOffset: IN,
  TopicPartitionOffsetAndMetadata: IN,
  PartitionOffset: BOTH,
  TopicOffsets: BOTH,
  Offsets: BOTH,
  SeekEntry: BOTH,
  // Admin.
  AdminConfig: IN,
  Admin: {
    direction: 'out',
    gaps: { out: 'describeConfigs/describeAcls/... results differ as listed for their types' },
  },
  AdminEvents: BOTH,
  ITopicConfig: IN,
  ITopicPartitionConfig: IN,
  ITopicMetadata: OUT,
  ReplicaAssignment: BOTH,
  PartitionReassignment: {
    direction: 'in',
    gaps: {
      in: "kafkats' PartitionReassignment is one partition ({ partition, replicas }); KafkaJS's is a topic with partitionAssignment",
    },
  },
  ListPartitionReassignmentsResponse: OUT,
  OngoingTopicReassignment: OUT,
  OngoingPartitionReassignment: OUT,
  AclResourceTypes: {
    direction: 'enum',
    gaps: { out: 'kafkats has values Kafka added after KafkaJS (USER = 7)' },
  },
  ConfigResourceTypes: {
    direction: 'enum',
    gaps: { out: 'kafkats has values Kafka added after KafkaJS (CLIENT_METRICS, GROUP)' },
  },
  ConfigSource: {
    direction: 'enum',
    gaps: { out: 'kafkats has values Kafka added after KafkaJS (CLIENT_METRICS_CONFIG, GROUP_CONFIG)' },
  },
  AclPermissionTypes: ENUM,
  AclOperationTypes: {
    direction: 'enum',
    gaps: { out: 'kafkats has values Kafka added after KafkaJS (CREATE_TOKENS, DESCRIBE_TOKENS)' },
  },
  ResourcePatternTypes: ENUM,
  ResourceConfigQuery: IN,
  IResourceConfig: IN,
  IResourceConfigEntry: IN,
  ConfigEntries: {
    direction: 'out',
    gaps: {
      out: 'configValue is null for sensitive or unset values, as the broker sends it (KafkaJS types string)',
    },
  },
  ConfigSynonyms: {
    direction: 'out',
    gaps: { out: 'configValue is null for sensitive or unset values, as the broker sends it' },
  },
  DescribeConfigResponse: {
    direction: 'out',
    gaps: { out: 'configValue null, errorMessage null and newer enum values (see ConfigEntries)' },
  },
  Acl: { direction: 'both', gaps: { out: "operation may be one of Kafka's newer AclOperationTypes values" } },
  AclResource: {
    direction: 'both',
    gaps: {
      in: "kafkats' AclResource carries its acls (KafkaJS's DescribeAclResource)",
      out: "resourceType may be one of Kafka's newer values (USER)",
    },
  },
  AclEntry: IN,
  AclFilter: IN,
  DescribeAclResource: {
    direction: 'out',
    gaps: { out: "resourceType may be one of Kafka's newer values (USER)" },
  },
  DescribeAclResponse: {
    direction: 'out',
    gaps: { out: 'errorMessage is null when absent (KafkaJS types undefined)' },
  },
  MatchingAcl: {
    direction: 'out',
    gaps: { out: 'errorMessage is null when absent (KafkaJS types undefined)' },
  },
  DeleteAclFilterResponses: {
    direction: 'out',
    gaps: { out: 'errorMessage is null when absent (KafkaJS types undefined)' },
  },
  DeleteAclResponse: {
    direction: 'out',
    gaps: { out: 'errorMessage is null when absent (KafkaJS types undefined)' },
  },
  FetchOffsetsPartition: OUT,
  MemberDescription: OUT,
  ConsumerGroupState: OUT,
  GroupDescription: {
    direction: 'out',
    gaps: { out: "state is a string (KIP-848 groups report states beyond KafkaJS's union)" },
  },
  GroupDescriptions: { direction: 'out', gaps: { out: 'state is a string (see GroupDescription)' } },
  GroupOverview: OUT,
  DeleteGroupsResult: {
    direction: 'out',
    gaps: { out: 'error is an Error (a coordinator lookup failure is not a protocol error)' },
  },
  // Instrumentation events: emitted by kafkats, read by listeners typed against KafkaJS.
  InstrumentationEvent: {
    direction: 'out',
    args: '<{ broker: string }>',
    gaps: {
      out: 'event id is a number at run time in both clients (kept: listeners compare ids as numbers); KafkaJS types it string',
    },
  },
  RemoveInstrumentationEventListener: { direction: 'out', args: "<'consumer.heartbeat'>" },
  ConnectEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  DisconnectEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  RequestEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  RequestTimeoutEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  RequestQueueSizeEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerHeartbeatEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerCommitOffsetsEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerGroupJoinEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerFetchStartEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerFetchEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerStartBatchProcessEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerEndBatchProcessEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerCrashEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerRebalancingEvent: { direction: 'out', gaps: { out: 'event id: see InstrumentationEvent' } },
  ConsumerReceivedUnsubcribedTopicsEvent: {
    direction: 'out',
    gaps: { out: 'event id: see InstrumentationEvent' },
  },
  // Logging.
  logLevel: ENUM,
  LogEntry: OUT,
  LoggerEntryContent: OUT,
  logCreator: IN,
  Logger: OUT,
  // Errors: constructed by programs and their tests, thrown by kafkats.
  KafkaJSError: CLASS,
  KafkaJSNonRetriableError: CLASS,
  KafkaJSProtocolError: {
    direction: 'class',
    gaps: {
      new: "kafkats' constructor takes (code, brokerMessage), not KafkaJS's (e) (src/errors/protocol.ts is generated)",
    },
  },
  KafkaJSAggregateError: { direction: 'class', gaps: { new: 'message must be a string and errors Errors' } },
  KafkaJSOffsetOutOfRange: CLASS,
  KafkaJSAlterPartitionReassignmentsError: CLASS,
  KafkaJSNumberOfRetriesExceeded: CLASS,
  KafkaJSConnectionError: {
    direction: 'class',
    gaps: {
      new: "KafkaJS's metadata.broker vs kafkats' options",
      type: 'broker is undefined when the failure is not tied to one broker',
    },
  },
  KafkaJSRequestTimeoutError: CLASS,
  KafkaJSMetadataNotLoaded: CLASS,
  KafkaJSTopicMetadataNotLoaded: CLASS,
  KafkaJSStaleTopicMetadataAssignment: {
    direction: 'class',
    gaps: { new: 'metadata is required', type: 'topic may be undefined' },
  },
  KafkaJSServerDoesNotSupportApiKey: {
    direction: 'class',
    gaps: { new: 'metadata is required', type: 'apiKey/apiName may be undefined' },
  },
  KafkaJSBrokerNotFound: CLASS,
  KafkaJSPartialMessageError: CLASS,
  KafkaJSSASLAuthenticationError: CLASS,
  KafkaJSGroupCoordinatorNotFound: CLASS,
  KafkaJSNotImplemented: CLASS,
  KafkaJSTimeout: CLASS,
  KafkaJSLockTimeout: CLASS,
  KafkaJSUnsupportedMagicByteInMessageSet: CLASS,
  KafkaJSDeleteGroupsError: {
    direction: 'class',
    gaps: {
      new: 'message must be a string, groups required',
      type: 'groups[].error is an Error (see DeleteGroupsResult)',
    },
  },
  KafkaJSDeleteTopicRecordsError: {
    direction: 'class',
    gaps: {
      new: "kafkats' constructor takes (topic, partitions), KafkaJS's one { topic, partitions } object",
    },
  },
  KafkaJSDeleteGroupsErrorGroups: IN,
  KafkaJSDeleteTopicRecordsErrorTopic: IN,
  KafkaJSDeleteTopicRecordsErrorPartition: IN,
  KafkaJSErrorMetadata: IN,
  KafkaJSOffsetOutOfRangeMetadata: IN,
  KafkaJSNumberOfRetriesExceededMetadata: IN,
  KafkaJSConnectionErrorMetadata: IN,
  KafkaJSRequestTimeoutErrorMetadata: IN,
  KafkaJSTopicMetadataNotLoadedMetadata: IN,
  KafkaJSStaleTopicMetadataAssignmentMetadata: IN,
  KafkaJSServerDoesNotSupportApiKeyMetadata: IN,
};
