/**
 * Keyed partitioning against the Java client: the expected partitions come from Kafka's own
 * `Utils.murmur2`/`Utils.toPositive` (test/java/partitioner/PartitionVectors.java, compiled
 * against the kafka-clients jar that test/helpers/java.ts finds or fetches), never from kafkats.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { murmur2, partitionForKey } from '../../../src/producer/partitioners/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { type CompiledJava, compileJava, kafkaLibs } from '../../helpers/java.js';
import { bootstrap, createTopic, kafka, kcatRead, newProducer } from './helpers.js';

interface JavaVector {
  n: number;
  partition: number;
  hash: number;
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

/** Runs PartitionVectors on `input`: for each key (by hex) and n, Java's partition and hash. */
async function javaVectors(java: CompiledJava, input: Buffer[]): Promise<Map<string, JavaVector[]>> {
  const out = await new Promise<string>((ok, fail) => {
    const child = spawn('java', ['-cp', java.classpath, 'PartitionVectors']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? ok(stdout) : fail(new Error(`java exited ${code}: ${stderr}`)),
    );
    child.stdin.end(`${input.map(hexOf).join('\n')}\n`);
  });
  const byKey = new Map<string, JavaVector[]>();
  for (const line of out.trim().split('\n')) {
    const [hex, n, partition, hash] = line.split(' ');
    const list = byKey.get(hex!) ?? [];
    list.push({ n: Number(n), partition: Number(partition), hash: Number(hash) });
    byKey.set(hex!, list);
  }
  return byKey;
}

function hexOf(key: Buffer): string {
  return key.length === 0 ? '-' : key.toString('hex');
}

describe('keyed partitioning matches the Java client', { timeout: 300_000 }, () => {
  let java: CompiledJava;

  before(async () => {
    // Fetched through the harness when the cache lacks it: a missing jar fails, never skips.
    const libs = await kafkaLibs();
    java = await compileJava(
      resolve('test/java/partitioner/PartitionVectors.java'),
      libs,
      'kafkats-partitioner',
    );
  });

  it('murmur2 and toPositive(murmur2) % n agree with Utils for every key and n in {1,3,6,12,100}', async () => {
    // Distinct keys only, so that Java answers exactly five rows for each.
    const input = [...new Map(keys().map((k) => [hexOf(k), k])).values()];
    const vectors = await javaVectors(java, input);
    let compared = 0;
    for (const key of input) {
      const hex = hexOf(key);
      const rows = vectors.get(hex);
      assert.equal(rows?.length, 5, `Java answered 5 rows for ${hex}`);
      for (const row of rows!) {
        assert.equal(murmur2(key), row.hash, `murmur2(${hex})`);
        assert.equal(partitionForKey(key, row.n), row.partition, `partition of ${hex} over ${row.n}`);
        compared++;
      }
    }
    assert.equal(compared, input.length * 5);
  });

  it('keyed records land where the Java client puts them (read back by kcat)', async () => {
    const k = kafka();
    const topic = uniqueTopicName('produce-keyed');
    await createTopic(k, topic, 12);
    const messages = Array.from({ length: 500 }, (_, i) => ({ key: `user-${i}`, value: `v${i}` }));
    const vectors = await javaVectors(
      java,
      messages.map((m) => Buffer.from(m.key)),
    );
    const producer = newProducer(k);
    await producer.connect();
    try {
      await producer.send({ topic, messages });
    } finally {
      await producer.disconnect();
    }
    const records = await kcatRead(bootstrap(), topic);
    assert.equal(records.length, 500);
    const partitions = new Set<number>();
    for (const r of records) {
      const expected = vectors.get(Buffer.from(r.key).toString('hex'))?.find((v) => v.n === 12);
      assert.ok(expected, `Java computed a partition for key ${r.key}`);
      assert.equal(r.partition, expected.partition, `key ${r.key}`);
      partitions.add(r.partition);
    }
    // 500 keys over 12 partitions: a partitioner that sent everything to one place would fail here.
    assert.ok(partitions.size > 6, `keys spread over ${partitions.size} partitions`);
  });
});
