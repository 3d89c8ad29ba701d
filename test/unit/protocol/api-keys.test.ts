import assert from 'node:assert/strict';
import { test } from 'node:test';
import { API_KEYS, ApiVersions, apiByKey, Fetch, Produce } from '../../../src/protocol/index.js';

test('API_KEYS has one row per broker API, sorted by key', () => {
  assert.equal(API_KEYS.length, 79);
  for (let i = 1; i < API_KEYS.length; i++) assert.ok(API_KEYS[i - 1]!.apiKey < API_KEYS[i]!.apiKey);
  for (const row of API_KEYS) {
    const api = apiByKey(row.apiKey);
    assert.ok(api, `apiByKey(${row.apiKey})`);
    assert.deepStrictEqual(
      {
        apiKey: api.apiKey,
        name: api.name,
        minVersion: api.minVersion,
        maxVersion: api.maxVersion,
        flexibleVersion: api.flexibleVersion,
      },
      row,
    );
    assert.ok(row.minVersion <= row.maxVersion);
    assert.ok(
      row.flexibleVersion === -1 ||
        (row.flexibleVersion >= row.minVersion && row.flexibleVersion <= row.maxVersion),
    );
  }
  assert.equal(apiByKey(9999), undefined);
});

test('known rows', () => {
  const row = (name: string) => API_KEYS.find((r) => r.name === name);
  // Kafka 4.x dropped Produce v0-v2 (KIP-896).
  assert.deepStrictEqual(row('Produce'), {
    apiKey: 0,
    name: 'Produce',
    minVersion: 3,
    maxVersion: 13,
    flexibleVersion: 9,
  });
  assert.deepStrictEqual(row('Fetch'), {
    apiKey: 1,
    name: 'Fetch',
    minVersion: 4,
    maxVersion: 18,
    flexibleVersion: 12,
  });
  assert.deepStrictEqual(row('ApiVersions'), {
    apiKey: 18,
    name: 'ApiVersions',
    minVersion: 0,
    maxVersion: 5,
    flexibleVersion: 3,
  });
  assert.deepStrictEqual(row('SaslHandshake'), {
    apiKey: 17,
    name: 'SaslHandshake',
    minVersion: 0,
    maxVersion: 1,
    flexibleVersion: -1,
  });
  // InitProducerId v6 is marked latestVersionUnstable and is not offered.
  assert.equal(row('InitProducerId')?.maxVersion, 5);
  assert.equal(row('ConsumerGroupHeartbeat')?.apiKey, 68);
  // Controller-only APIs are not part of the client's table.
  assert.equal(row('BrokerHeartbeat'), undefined);
});

test('header versions', () => {
  assert.equal(Produce.requestHeaderVersion(8), 1);
  assert.equal(Produce.requestHeaderVersion(9), 2);
  assert.equal(Produce.responseHeaderVersion(8), 0);
  assert.equal(Produce.responseHeaderVersion(9), 1);
  assert.equal(Fetch.responseHeaderVersion(12), 1);
  assert.equal(ApiVersions.requestHeaderVersion(3), 2);
  // ApiVersions responses always use header v0.
  for (let v = ApiVersions.minVersion; v <= ApiVersions.maxVersion; v++)
    assert.equal(ApiVersions.responseHeaderVersion(v), 0);
});
