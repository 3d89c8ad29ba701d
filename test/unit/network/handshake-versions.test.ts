import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { KafkaJSConnectionError } from '../../../src/errors/network.js';
import { Connection } from '../../../src/network/connection.js';
import { createHandshake } from '../../../src/network/handshake.js';
import { ApiVersions } from '../../../src/protocol/messages/api-versions.js';
import { Metadata } from '../../../src/protocol/messages/metadata.js';
import { apiVersionsAnswer, startFakeKafka } from './fake-kafka.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

describe('ApiVersions handshake: a corrupted answer', () => {
  it('fails the handshake with a retriable typed error and closes the connection; the next one negotiates anew', async () => {
    const good = apiVersionsAnswer([Metadata]);
    // A flipped bit in Metadata's maxVersion (seen in the reliability fuzzing): v0–v-32755.
    const corrupt = {
      ...good,
      apiKeys: good.apiKeys.map((k) => (k.apiKey === Metadata.apiKey ? { ...k, maxVersion: -32755 } : k)),
    };
    const fake = await startFakeKafka([
      { api: ApiVersions, handle: (_body, ctx) => (ctx.connectionIndex === 0 ? corrupt : good) },
    ]);
    cleanups.push(() => fake.close());
    const open = () =>
      new Connection({
        host: '127.0.0.1',
        port: fake.port,
        clientId: 'test',
        initialize: createHandshake({}),
      });

    const first = open();
    await assert.rejects(first.connect(), (e: unknown) => {
      assert.ok(e instanceof KafkaJSConnectionError);
      assert.equal(e.retriable, true);
      assert.match(e.message, /impossible version range for API key 3 \(v0–v-32755\)/);
      return true;
    });
    assert.equal(first.isConnected, false, 'the connection with the corrupted ranges is not kept');

    const second = open();
    cleanups.push(() => second.close());
    await second.connect();
    assert.deepEqual(second.apiVersions?.get(Metadata.apiKey), {
      minVersion: Metadata.minVersion,
      maxVersion: Metadata.maxVersion,
    });
  });
});
