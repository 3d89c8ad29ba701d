'use strict';
/**
 * A NestJS 11 service over Transport.KAFKA, written as NestJS's documentation writes one but with
 * the decorators called by hand (plain JavaScript has no decorator syntax):
 *
 * - a microservice with the default subscription (latest offset) handling a request/reply
 *   pattern (`<prefix>.sum`) and an event pattern (`<prefix>.events`);
 * - a second microservice subscribed `fromBeginning` to `<prefix>.early`, whose events were
 *   produced before it started;
 * - a ClientKafka (NestJS's reply-partition assigner, logger and serializer) that emits events and
 *   sends requests right after connect(), as a service does at start-up.
 *
 * `require('kafkajs')` inside NestJS loads whatever this project installed under that name.
 * Prints on its RESULT line what arrived and the time from start to the first reply.
 *
 * Env: BROKERS (comma-separated), PREFIX (unique per run), EVENTS (default 10), REQUESTS (default 5),
 * DEBUG (set: the clients log at DEBUG and the app traces joins, batches and requests on stderr).
 */
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { Controller, Module } = require('@nestjs/common');
const { ClientKafka, EventPattern, MessagePattern, Transport } = require('@nestjs/microservices');
const { firstValueFrom, timeout } = require('rxjs');
const { Kafka, logLevel } = require('kafkajs');

const brokers = process.env.BROKERS.split(',');
const prefix = process.env.PREFIX;
const eventCount = Number(process.env.EVENTS || 10);
const requestCount = Number(process.env.REQUESTS || 5);
const topics = { sum: `${prefix}.sum`, events: `${prefix}.events`, early: `${prefix}.early` };
// DEBUG=1: the clients log at DEBUG, and the app traces joins, requests and replies (stderr).
const debug = Boolean(process.env.DEBUG);
const t0 = Date.now();
function trace(...args) {
  if (debug) console.error(`[+${Date.now() - t0}ms]`, ...args);
}
/** Traces a consumer's joins, rebalances and the records it is given. */
function traceConsumer(name, consumer) {
  if (!debug || !consumer) return;
  const { GROUP_JOIN, REBALANCING, START_BATCH_PROCESS } = consumer.events;
  consumer.on(GROUP_JOIN, (e) => trace(name, 'GROUP_JOIN', JSON.stringify(e.payload)));
  consumer.on(REBALANCING, (e) => trace(name, 'REBALANCING', JSON.stringify(e.payload)));
  consumer.on(START_BATCH_PROCESS, (e) =>
    trace(name, 'batch', e.payload.topic, e.payload.partition, e.payload.firstOffset, e.payload.lastOffset),
  );
}

const received = { events: [], early: [] };
// Where the app is, for the report when it hangs or fails.
let stage = 'starting';

/** One request, as ClientKafka.send() makes it, given up after 30 s (a lost reply never comes: rxjs's TimeoutError). */
function request(client, numbers) {
  trace('caller: request', JSON.stringify(numbers));
  return firstValueFrom(client.send(topics.sum, numbers).pipe(timeout(30_000)));
}

/** Applies a method decorator to a class method, as TypeScript's emitted code does. */
function decorateMethod(target, name, decorator) {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, name);
  const result = decorator(target.prototype, name, descriptor);
  Object.defineProperty(target.prototype, name, result || descriptor);
}

class MathController {
  sum(numbers) {
    trace('server: request', JSON.stringify(numbers));
    return { sum: numbers.reduce((a, b) => a + b, 0) };
  }
  onEvent(event) {
    received.events.push(event.n);
  }
}
decorateMethod(MathController, 'sum', MessagePattern(topics.sum));
decorateMethod(MathController, 'onEvent', EventPattern(topics.events));
Controller()(MathController);

class EarlyController {
  onEarly(event) {
    received.early.push(event.n);
  }
}
decorateMethod(EarlyController, 'onEarly', EventPattern(topics.early));
Controller()(EarlyController);

class MathModule {}
Module({ controllers: [MathController] })(MathModule);
class EarlyModule {}
Module({ controllers: [EarlyController] })(EarlyModule);

async function waitFor(what, predicate, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function microservice(module, clientId, groupId, subscribe) {
  return NestFactory.createMicroservice(module, {
    transport: Transport.KAFKA,
    logger: debug ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn', 'log'],
    options: {
      client: { clientId, brokers, ...(debug ? { logLevel: logLevel.DEBUG } : {}) },
      consumer: { groupId },
      subscribe,
    },
  });
}

async function main() {
  const started = Date.now();
  const kafka = new Kafka({ clientId: `${prefix}-setup`, brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  stage = 'creating topics';
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topics.sum, numPartitions: 2 },
      { topic: `${topics.sum}.reply`, numPartitions: 2 },
      { topic: topics.events, numPartitions: 2 },
      { topic: topics.early, numPartitions: 1 },
    ],
  });
  await admin.disconnect();

  // Events on the early topic before any consumer exists: only fromBeginning sees them.
  const setupProducer = kafka.producer();
  await setupProducer.connect();
  await setupProducer.send({
    topic: topics.early,
    messages: Array.from({ length: eventCount }, (_, n) => ({ value: JSON.stringify({ n }) })),
  });
  await setupProducer.disconnect();

  stage = 'starting the microservices';
  const server = await microservice(MathModule, `${prefix}-server`, `${prefix}-server`, undefined);
  const earlyServer = await microservice(EarlyModule, `${prefix}-early`, `${prefix}-early`, {
    fromBeginning: true,
  });
  await server.listen();
  await earlyServer.listen();

  traceConsumer('server', server.serverInstance?.consumer);
  traceConsumer('early', earlyServer.serverInstance?.consumer);
  const client = new ClientKafka({
    client: { clientId: `${prefix}-caller`, brokers, ...(debug ? { logLevel: logLevel.DEBUG } : {}) },
    consumer: { groupId: `${prefix}-caller` },
  });
  client.subscribeToResponseOf(topics.sum);
  stage = 'connecting ClientKafka';
  await client.connect();
  const connected = Date.now();
  trace('caller: connected, reply partitions', JSON.stringify(client.consumerAssignments));
  traceConsumer('caller', client.consumer);

  // Right after start-up, as a service would: events with the latest-offset subscription, then requests.
  stage = 'emitting events';
  for (let n = 0; n < eventCount; n++) await firstValueFrom(client.emit(topics.events, { n }));
  stage = 'waiting for the first reply';
  const first = await request(client, [1, 2, 3]);
  const firstReplyMs = Date.now() - connected;
  const replies = [first.sum];
  stage = 'waiting for the other replies';
  const more = await Promise.all(
    Array.from({ length: requestCount - 1 }, (_, i) => request(client, [i, 10])),
  );
  replies.push(...more.map((reply) => reply.sum));

  let waitError;
  stage = 'waiting for the events';
  try {
    await waitFor(`${eventCount} events`, () => received.events.length >= eventCount, 30_000);
    await waitFor(`${eventCount} early events`, () => received.early.length >= eventCount, 30_000);
  } catch (error) {
    waitError = String(error);
  }
  stage = 'closing';
  await client.close();
  await server.close();
  await earlyServer.close();
  const result = {
    replies,
    events: received.events.sort((a, b) => a - b),
    early: received.early.sort((a, b) => a - b),
    firstReplyMs,
    startToFirstReplyMs: connected - started + firstReplyMs,
    waitError,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

// A request that never gets its reply would hang forever: bound the whole run.
const limit = setTimeout(() => {
  console.log(`RESULT ${JSON.stringify({ error: `no result after 120 s, while ${stage}`, received })}`);
  process.exit(2);
}, 120_000);
limit.unref();

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    console.log(
      `RESULT ${JSON.stringify({ error: `while ${stage}: ${error?.name}: ${error?.message}\n${error?.stack}`, received })}`,
    );
    process.exit(1);
  },
);
