import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { murmur2, partitionForKey } from '../../../src/producer/partitioners/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { bootstrap, createTopic, kafka, kcatRead, newProducer } from './helpers.js';

const run = promisify(execFile);

/** The Kafka jars the harness fetched (kafka-clients and its slf4j dependency). */
function kafkaLibs(): string | undefined {
  const candidates = [join(homedir(), '.cache', 'kafkats'), '/tmp/kfetch'];
  for (const root of candidates) {
    if (!existsSync(root)) continue;
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch {
        continue;
      }
      if (entries.some((e) => /^kafka-clients-.*\.jar$/.test(e))) return dir;
      for (const e of entries) if (!e.includes('.')) stack.push(join(dir, e));
      for (const e of entries) if (e.startsWith('kafka-')) stack.push(join(dir, e));
    }
  }
  return undefined;
}

function keys(): Buffer[] {
  const out: Buffer[] = [Buffer.alloc(0)];
  for (let i = 0; i < 300; i++) out.push(Buffer.from(`key-${i}`));
  for (const s of ['a', 'ab', 'abc', 'abcd', 'abcde', 'ключ', '鍵', '🔑', 'über', 'a longer key with spaces'])
    out.push(Buffer.from(s));
  let seed = 42;
  for (let i = 0; i < 200; i++) {
    const b = Buffer.alloc(i % 37);
    for (let j = 0; j < b.length; j++) {
      seed = (Math.imul(seed, 1103515245) + 12345) | 0;
      b[j] = seed >>> 24;
    }
    out.push(b);
  }
  return out;
}

async function javaVectors(libs: string, input: Buffer[]): Promise<string> {
  const classes = mkdtempSync(join(tmpdir(), 'kafkats-partitioner-'));
  const source = resolve('test/java/partitioner/PartitionVectors.java');
  const cp = `${libs}/*`;
  await run('javac', ['-d', classes, '-cp', cp, source]);
  return new Promise((ok, fail) => {
    const child = spawn('java', ['-cp', `${classes}:${cp}`, 'PartitionVectors']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? ok(out) : fail(new Error(`java exited ${code}: ${err}`))));
    child.stdin.end(`${input.map((k) => (k.length === 0 ? '-' : k.toString('hex'))).join('\n')}\n`);
  });
}

describe('keyed partitioning matches the Java client', () => {
  const libs = kafkaLibs();

  it('murmur2 and toPositive(murmur2) % n agree with Utils for every key and n in {1,3,6,12,100}', {
    skip: libs ? false : 'kafka-clients jar not found',
  }, async () => {
    const input = keys();
    const out = await javaVectors(libs!, input);
    const lines = out.trim().split('\n');
    assert.equal(lines.length, input.length * 5);
    for (const line of lines) {
      const [hex, n, partition, hash] = line.split(' ');
      const key = hex === '-' ? Buffer.alloc(0) : Buffer.from(hex!, 'hex');
      assert.equal(murmur2(key), Number(hash), `murmur2(${hex})`);
      assert.equal(partitionForKey(key, Number(n)), Number(partition), `partition of ${hex} over ${n}`);
    }
  });

  it('keyed records land where the Java client puts them (read back by kcat)', async () => {
    const k = kafka();
    const topic = uniqueTopicName('produce-keyed');
    await createTopic(k, topic, 12);
    const producer = newProducer(k);
    await producer.connect();
    try {
      const messages = Array.from({ length: 500 }, (_, i) => ({ key: `user-${i}`, value: `v${i}` }));
      await producer.send({ topic, messages });
    } finally {
      await producer.disconnect();
    }
    const records = await kcatRead(bootstrap(), topic);
    assert.equal(records.length, 500);
    for (const r of records)
      assert.equal(r.partition, partitionForKey(Buffer.from(r.key), 12), `key ${r.key}`);
  });
});
