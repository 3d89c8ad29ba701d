/**
 * A Java consumer (kafka-clients, classic protocol, RangeAssignor) and a kafkats consumer
 * (classic, `PartitionAssigners.range`) in one group: the broker picks `range`, the leader —
 * whichever client it is — computes the assignment, the other decodes it, and the two split a
 * 6-partition topic 3/3 in range layout and together read every record exactly once.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PartitionAssigners } from '../../../src/consumer/index.js';
import { Kafka, logLevel } from '../../../src/index.js';
import { uniqueTopicName } from '../../helpers/cluster.js';
import { type CompiledJava, compileJava, kafkaLibs } from '../../helpers/java.js';
import { brokers, createTopic, waitFor } from './helpers.js';

const SOURCE = join(process.cwd(), 'test/java/consumer/ClassicGroupMember.java');
const PER_PARTITION = 50;

describe('a Java consumer and a kafkats consumer in one classic group', () => {
  let java: CompiledJava;
  let child: ChildProcessWithoutNullStreams | undefined;
  before(async () => {
    java = await compileJava(SOURCE, await kafkaLibs(), 'kafkats-consumer-java');
  });
  after(() => {
    child?.kill();
  });

  it('split the partitions in range layout and read every record once', async () => {
    const kafka = new Kafka({ clientId: 'mixed', brokers: brokers(), logLevel: logLevel.NOTHING });
    const topic = uniqueTopicName('consumer-java-mixed');
    await createTopic(topic, 6);
    const groupId = `g-${topic}`;

    const javaRecords: Array<{ partition: number; offset: number; value: string }> = [];
    let javaOwned: number[] = [];
    let stderr = '';
    child = spawn('java', ['-cp', java.classpath, 'ClassicGroupMember', brokers()[0]!, topic, groupId]);
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const [kind, a, b, c] = line.split(' ');
        if (kind === 'A') javaOwned = a ? a.split(',').map(Number) : [];
        else if (kind === 'R') javaRecords.push({ partition: Number(a), offset: Number(b), value: c! });
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((r) => child!.on('exit', r));

    const ours = kafka.consumer({
      groupId,
      groupProtocol: 'classic',
      partitionAssigners: [PartitionAssigners.range],
      heartbeatInterval: 500,
      sessionTimeout: 10_000,
      maxWaitTimeInMs: 200,
    });
    const ourRecords: Array<{ partition: number; offset: number; value: string }> = [];
    await ours.connect();
    await ours.subscribe({ topics: [topic], fromBeginning: true });
    await ours.run({
      eachMessage: async ({ partition, message }) =>
        void ourRecords.push({ partition, offset: Number(message.offset), value: message.value!.toString() }),
    });
    const ourOwned = () =>
      ours
        .assignment()
        .map((p) => p.partition)
        .sort((x, y) => x - y);
    try {
      await waitFor(
        () => ourOwned().length === 3 && javaOwned.length === 3,
        90_000,
        'a 3/3 split between the Java and the kafkats member',
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; java owns [${javaOwned}], ours [${ourOwned()}]\n${stderr}`);
    }
    // Range: contiguous ranges, the member sorting first gets partitions 0-2.
    const layouts = [
      [0, 1, 2],
      [3, 4, 5],
    ];
    assert.ok(
      layouts.some((l) => String(l) === String(ourOwned())),
      `kafkats owns [${ourOwned()}]`,
    );
    assert.deepEqual([...javaOwned, ...ourOwned()].sort(), [0, 1, 2, 3, 4, 5]);

    const producer = kafka.producer();
    await producer.connect();
    for (let p = 0; p < 6; p++) {
      await producer.send({
        topic,
        messages: Array.from({ length: PER_PARTITION }, (_, i) => ({ partition: p, value: `${p}-${i}` })),
      });
    }
    await producer.disconnect();
    await waitFor(
      () => javaRecords.length + ourRecords.length >= 6 * PER_PARTITION,
      60_000,
      'every record read by one of the two',
    );
    await new Promise((r) => setTimeout(r, 1500)); // nothing is read twice afterwards

    const values = [...javaRecords, ...ourRecords].map((r) => r.value);
    assert.equal(values.length, 6 * PER_PARTITION, 'no record read twice');
    assert.equal(new Set(values).size, 6 * PER_PARTITION);
    for (const r of javaRecords)
      assert.ok(javaOwned.includes(r.partition), `java read partition ${r.partition}`);
    for (const r of ourRecords)
      assert.ok(ourOwned().includes(r.partition), `kafkats read partition ${r.partition}`);
    console.log(
      `# java read ${javaRecords.length} from [${javaOwned}], kafkats ${ourRecords.length} from [${ourOwned()}]`,
    );

    await ours.disconnect();
    child.stdin.end();
    assert.equal(await exited, 0, stderr);
    child = undefined;
  });
});
