import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLIENT_SOFTWARE_NAME, CLIENT_SOFTWARE_VERSION } from '../../../src/network/client-software.js';

test('ApiVersions reports the package name and the version package.json releases', () => {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8'));
  assert.equal(CLIENT_SOFTWARE_NAME, pkg.name);
  assert.equal(CLIENT_SOFTWARE_VERSION, pkg.version);
});
