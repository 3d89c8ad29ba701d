'use strict';
/**
 * The traced program of otel-trace.cjs (CommonJS) and otel-trace.mjs (ESM): it sends with send()
 * and sendBatch(), consumes one topic with eachMessage and another with eachBatch, and prints
 * every finished span as JSON on its RESULT line. The caller hands it the `Kafka` it loaded
 * (require or import, which is what the two apps differ in) and the tracer it set up.
 *
 * Env: BROKERS (comma-separated), TOPIC_A, TOPIC_B, GROUP_PREFIX.
 */
const brokers = process.env.BROKERS.split(',');
const topicA = process.env.TOPIC_A;
const topicB = process.env.TOPIC_B;
const groupPrefix = process.env.GROUP_PREFIX;

async function waitFor(what, predicate, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function scenario({ Kafka, logLevel, provider, exporter }) {
  const kafka = new Kafka({ clientId: 'otel-app', brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: topicA, numPartitions: 1 },
      { topic: topicB, numPartitions: 1 },
    ],
  });
  await admin.disconnect();

  const producer = kafka.producer();
  await producer.connect();
  // send(): two messages to topic A; sendBatch(): one more to A and two to B.
  await producer.send({
    topic: topicA,
    messages: [
      { key: 'k1', value: 'a1' },
      { key: 'k2', value: 'a2' },
    ],
  });
  await producer.sendBatch({
    topicMessages: [
      { topic: topicA, messages: [{ key: 'k3', value: 'a3' }] },
      {
        topic: topicB,
        messages: [
          { key: 'k4', value: 'b1' },
          { key: 'k5', value: 'b2' },
        ],
      },
    ],
  });
  await producer.disconnect();

  const perMessage = kafka.consumer({ groupId: `${groupPrefix}-each-message` });
  const perBatch = kafka.consumer({ groupId: `${groupPrefix}-each-batch` });
  const seenA = [];
  const seenB = [];
  await perMessage.connect();
  await perMessage.subscribe({ topic: topicA, fromBeginning: true });
  await perMessage.run({
    eachMessage: async ({ message }) => {
      seenA.push(message.value.toString());
    },
  });
  await perBatch.connect();
  await perBatch.subscribe({ topic: topicB, fromBeginning: true });
  await perBatch.run({
    eachBatch: async ({ batch, resolveOffset }) => {
      for (const message of batch.messages) {
        seenB.push(message.value.toString());
        resolveOffset(message.offset);
      }
    },
  });
  await waitFor('3 messages on topic A', () => seenA.length >= 3);
  await waitFor('2 messages on topic B', () => seenB.length >= 2);
  await perMessage.disconnect();
  await perBatch.disconnect();
  await provider.forceFlush();

  const spans = exporter.getFinishedSpans().map((span) => ({
    name: span.name,
    kind: span.kind,
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? span.parentSpanId,
    attributes: span.attributes,
    links: span.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId })),
    status: span.status,
  }));
  console.log(`RESULT ${JSON.stringify({ spans, seenA, seenB })}`);
}

module.exports = function run(loaded) {
  scenario(loaded).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
};
