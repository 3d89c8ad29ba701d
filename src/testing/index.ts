/**
 * `kafkats/testing`: a real Apache Kafka for integration tests, fetched from Maven Central and run
 * as local JVMs in KRaft mode with PLAINTEXT, SASL, SSL and SASL_SSL listeners, or (without Java)
 * one `apache/kafka` docker container with a PLAINTEXT listener. See docs/testing-harness.md.
 *
 * @module kafkats/testing
 */
export { startKafka } from './cluster.js';
export {
  DEFAULT_USERS,
  type HarnessUser,
  SASL_MECHANISMS,
  type SaslMechanism,
  type SslClientAuth,
} from './config.js';
export { CONTAINER_LABEL, DEFAULT_DOCKER_IMAGE } from './docker-config.js';
export { KafkaHarnessError, type KafkaHarnessErrorCode } from './errors.js';
export { attachKafka, ENV, useKafka } from './external.js';
export { CACHE_DIR_ENV, cacheRoot, type FetchOptions, fetchKafka, type KafkaInstallation } from './fetch.js';
export {
  MOCK_OAUTH2_SERVER_VERSION,
  type MockOAuth2Server,
  type MockOAuth2ServerOptions,
  startMockOAuth2Server,
} from './mock-oauth2-server.js';
export { type OauthbearerJwksOptions, oauthbearerJwksSettings } from './oauthbearer.js';
export {
  type OidcIssuer,
  type OidcIssuerFault,
  type OidcIssuerOptions,
  startOidcIssuer,
} from './oidc-issuer.js';
export { RUNTIME_ENV } from './runtime.js';
export type {
  KafkaCluster,
  KafkaClusterDescription,
  KafkaListeners,
  KafkaNodeInfo,
  KafkaRuntime,
  KafkaTls,
  StartKafkaOptions,
} from './types.js';
export { DEFAULT_KAFKA_VERSION, KAFKA_VERSION_ENV } from './versions.js';
export {
  type ApiVersionsAnswer,
  type MetadataAnswer,
  type ProbeOptions,
  parseHostPort,
  probeApiVersions,
  probeMetadata,
} from './wire.js';
