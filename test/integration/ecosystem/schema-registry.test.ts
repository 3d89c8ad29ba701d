/**
 * `@kafkajs/confluent-schema-registry` with kafkats: values encoded in Confluent's wire format
 * (magic byte 0, the schema id as a 4-byte big-endian integer, then the Avro or JSON payload) go
 * through a real broker as kafkats records and decode back to the same objects.
 *
 * No schema registry server runs here, so its HTTP API is stubbed by a small local server that
 * keeps schemas in memory: the library still makes its real calls (register, config, and the
 * GET /schemas/ids/{id} a fresh decoder makes for an id it has not seen).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel } from '../../../src/index.js';
import { testCluster, uniqueTopicName } from '../../helpers/cluster.js';

interface StoredSchema {
  schema: string;
  schemaType?: string;
}

/** The registry endpoints the library calls, backed by a Map; every request is recorded. */
function stubRegistry(): { server: Server; calls: string[]; start: () => Promise<string> } {
  const schemas = new Map<number, StoredSchema>();
  const subjects = new Map<string, number>();
  const calls: string[] = [];
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0]!);
      calls.push(`${req.method} ${path}`);
      const config = /^\/config\/(.+)$/.exec(path);
      const versions = /^\/subjects\/(.+)\/versions$/.exec(path);
      const byId = /^\/schemas\/ids\/(\d+)$/.exec(path);
      if (req.method === 'GET' && config) {
        return reply(res, 404, { error_code: 40401, message: `Subject '${config[1]}' not found.` });
      }
      if (req.method === 'PUT' && config) return reply(res, 200, JSON.parse(text));
      if (req.method === 'POST' && versions) {
        const body = JSON.parse(text) as StoredSchema;
        const key = `${versions[1]}\n${body.schema}`;
        const id = subjects.get(key) ?? schemas.size + 1;
        schemas.set(id, { schema: body.schema, ...(body.schemaType ? { schemaType: body.schemaType } : {}) });
        subjects.set(key, id);
        return reply(res, 200, { id });
      }
      if (req.method === 'GET' && byId) {
        const stored = schemas.get(Number(byId[1]));
        return stored
          ? reply(res, 200, stored)
          : reply(res, 404, { error_code: 40403, message: 'Schema not found' });
      }
      return reply(res, 404, { error_code: 404, message: `not stubbed: ${req.method} ${path}` });
    });
  });
  const start = () =>
    new Promise<string>((resolve) => {
      server.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      );
    });
  return { server, calls, start };
}

const AVRO_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'kafkats.test',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: 'string' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'quantity', type: 'int' },
  ],
});

const JSON_SCHEMA = JSON.stringify({
  type: 'object',
  properties: { id: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['id', 'tags'],
});

describe('@kafkajs/confluent-schema-registry wire format through kafkats records', () => {
  const registryStub = stubRegistry();
  const kafka = new Kafka({
    clientId: 'schema-registry-test',
    brokers: testCluster().brokers,
    logLevel: logLevel.NOTHING,
  });
  let host = '';

  before(async () => {
    host = await registryStub.start();
  });
  after(() => {
    registryStub.server.close();
  });

  /** Produces the encoded values with kafkats, consumes them with a kafkats group, returns the raw values in order. */
  async function roundTrip(topic: string, values: Buffer[]): Promise<Buffer[]> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    const seen: Buffer[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value!);
      },
    });
    const deadline = Date.now() + 60_000;
    while (seen.length < values.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await consumer.disconnect();
    return seen;
  }

  test('Avro: magic byte, schema id and Avro payload survive the broker and decode', async () => {
    const writer = new SchemaRegistry({ host });
    const { id } = await writer.register(
      { type: SchemaType.AVRO, schema: AVRO_SCHEMA },
      { subject: 'orders-value' },
    );
    const orders = [
      { id: 1, item: 'apple', note: null, quantity: 3 },
      { id: 2, item: 'pear', note: 'ripe', quantity: 1 },
      { id: 3, item: 'ünïcode ✓', note: '', quantity: -7 },
    ];
    const encoded = await Promise.all(orders.map((o) => writer.encode(id, o)));
    const consumed = await roundTrip(uniqueTopicName('schema-avro'), encoded);

    assert.equal(consumed.length, orders.length);
    for (const [i, value] of consumed.entries()) {
      assert.equal(value[0], 0, 'magic byte');
      assert.equal(value.readInt32BE(1), id, 'schema id');
      assert.deepEqual(value, encoded[i], 'the bytes as produced');
    }
    // A fresh registry client has no cache: it fetches the schema by the id in the record.
    const reader = new SchemaRegistry({ host });
    const decoded = await Promise.all(consumed.map((v) => reader.decode(v)));
    assert.deepEqual(
      decoded.map((d) => ({ ...d })),
      orders,
    );
    assert.ok(registryStub.calls.includes(`GET /schemas/ids/${id}`), registryStub.calls.join('\n'));
  });

  test('JSON Schema: the JSON payload round-trips under its schema id', async () => {
    const writer = new SchemaRegistry({ host });
    const { id } = await writer.register(
      { type: SchemaType.JSON, schema: JSON_SCHEMA },
      { subject: 'tags-value' },
    );
    const values = [
      { id: 1, tags: [] },
      { id: 2, tags: ['a', 'b'] },
    ];
    const encoded = await Promise.all(values.map((v) => writer.encode(id, v)));
    const consumed = await roundTrip(uniqueTopicName('schema-json'), encoded);

    assert.equal(consumed.length, values.length);
    for (const value of consumed) {
      assert.equal(value[0], 0, 'magic byte');
      assert.equal(value.readInt32BE(1), id, 'schema id');
    }
    assert.deepEqual(JSON.parse(consumed[1]!.subarray(5).toString('utf8')), values[1]);
    const reader = new SchemaRegistry({ host });
    assert.deepEqual(await Promise.all(consumed.map((v) => reader.decode(v))), values);
  });
});
