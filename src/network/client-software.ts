/**
 * What kafkats tells brokers about itself in ApiVersions (KIP-511): one name and version for every
 * client, so that the broker's client metrics and logs show the release actually running. A unit
 * test keeps the version equal to package.json's.
 */
export const CLIENT_SOFTWARE_NAME = 'kafkats';
export const CLIENT_SOFTWARE_VERSION = '1.0.0';
