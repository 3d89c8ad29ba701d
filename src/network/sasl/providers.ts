/** The built-in OAUTHBEARER token providers, as the package root exports them. */
export {
  type AwsCredentialsProvider,
  generateMskIamToken,
  type MskIamOptions,
  type MskIamToken,
  mskIamSasl,
} from './msk-iam.js';
export {
  type OidcClientCredentialsOptions,
  type OidcRefreshOptions,
  type OidcToken,
  OidcTokenProvider,
  oidcClientCredentials,
} from './oidc.js';
export type { AwsCredentials } from './sigv4.js';
export { KafkaJSOAuthBearerTokenError, type TokenErrorCode } from './token-errors.js';
