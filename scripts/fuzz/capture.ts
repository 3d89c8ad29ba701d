/**
 * Real answers for the fuzz corpus: a short client session against a live broker (`--capture
 * host:port`) whose every response frame is recorded, next to the request that asked for it. The
 * session creates a topic, produces with every codec, consumes it in a group and cleans up, so the
 * Fetch answers hold batches the broker itself wrote. Nothing is committed: the answers go to a
 * temporary file for the worker.
 */
import net from 'node:net';
import { Kafka } from '../../src/kafka.js';
import { logLevel } from '../../src/logger.js';
import type { SocketFactory } from '../../src/network/connection.js';
import { CompressionTypes } from '../../src/protocol/index.js';

export interface CapturedAnswer {
  apiKey: number;
  version: number;
  /** The response frame without its size prefix: header and body. */
  frame: Buffer;
}

/** Wraps each socket: outgoing frames give (api key, version) by correlation id; incoming frames are paired with them. */
function recordingFactory(out: CapturedAnswer[]): SocketFactory {
  return ({ host, port, onConnect }) => {
    const socket = net.connect({ host, port }, onConnect);
    const asked = new Map<number, { apiKey: number; version: number }>();
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (Buffer.isBuffer(chunk) && chunk.length >= 12) {
        asked.set(chunk.readInt32BE(8), { apiKey: chunk.readInt16BE(4), version: chunk.readInt16BE(6) });
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;
    let pending = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = Buffer.from(pending.subarray(4, 4 + pending.readInt32BE(0)));
        pending = pending.subarray(4 + frame.length);
        const request = frame.length >= 4 ? asked.get(frame.readInt32BE(0)) : undefined;
        if (request) out.push({ ...request, frame });
      }
    });
    return socket;
  };
}

export async function captureAnswers(bootstrap: string): Promise<CapturedAnswer[]> {
  const answers: CapturedAnswer[] = [];
  const kafka = new Kafka({
    clientId: 'kafkats-fuzz-capture',
    brokers: bootstrap.split(','),
    socketFactory: recordingFactory(answers),
    logLevel: logLevel.NOTHING,
  });
  const topic = `kafkats-fuzz-capture-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.describeCluster();
    const producer = kafka.producer();
    await producer.connect();
    let sent = 0;
    for (const compression of Object.values(CompressionTypes)) {
      const messages = Array.from({ length: 20 }, (_, i) => ({
        key: i % 4 === 0 ? null : `key-${i}`,
        value: `value ${compression}-${i} `.repeat(1 + (i % 5)),
        headers: i % 3 === 0 ? { h: `header-${i}` } : undefined,
      }));
      await producer.send({ topic, compression, messages });
      sent += messages.length;
    }
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `${topic}-group` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`capture: consumed ${received} of ${sent} in 60 s`)),
        60_000,
      );
      consumer
        .run({
          eachMessage: async () => {
            if (++received === sent) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    await admin.fetchTopicOffsets(topic);
    await admin.fetchOffsets({ groupId: `${topic}-group`, topics: [topic] });
    await admin.deleteGroups([`${topic}-group`]).catch(() => {});
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect();
  }
  return answers;
}
