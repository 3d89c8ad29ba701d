/**
 * The settings each client runs with, in one place so that the runners and the report agree.
 *
 * `fair`: kafkats's producer defaults given to every client that has the knob (batch 256 KiB,
 * linger 5 ms), acks=all and idempotence on everywhere, CRC checks on where a client can check.
 * `own`: each client exactly as its documentation ships it (its own batch, linger, idempotence).
 * Where a client cannot take a setting, the reason is stated in `notes` and in the report.
 */
import type { ClientName, ClientSettings, Codec, Profile } from './types.js';

export const FAIR_BATCH_BYTES = 256 * 1024;
export const FAIR_LINGER_MS = 5;

/**
 * Records per send() for the clients without an accumulator (KafkaJS, @platformatic/kafka),
 * where one call is one batch per partition: 1,000, or fewer for large records so that a call
 * carries about 256 KiB per partition, the batch size the others use (1,000 × 10 KB in one call
 * is a 1.7 MB batch per partition, which the broker rejects as MESSAGE_TOO_LARGE).
 */
export function recordsPerSend(size: number, partitions: number): number {
  return Math.max(1, Math.min(1000, Math.floor((partitions * FAIR_BATCH_BYTES) / size)));
}

export function settingsOf(
  client: ClientName,
  profile: Profile,
  codec: Codec,
  runtime: string,
): ClientSettings {
  const fair = profile === 'fair';
  const base = { profile, compression: codec, runtime, acks: 'all' };
  switch (client) {
    case 'kafkats':
      return {
        ...base,
        batchSize: FAIR_BATCH_BYTES,
        lingerMs: FAIR_LINGER_MS,
        idempotence: true,
        crc: true,
        notes: fair ? [] : ['its defaults are the fair settings'],
      };
    case 'kafkajs':
      return {
        ...base,
        batchSize: 'none: one batch per partition per send() (≤ 1,000 records, ≈ 256 KiB per partition)',
        lingerMs: 'none: no accumulator',
        idempotence: fair,
        crc: 'not checked (KafkaJS does not verify CRCs)',
        notes: [
          'no batch size or linger knob: the benchmark sends arrays of 1,000 records (fewer above 256 KiB per partition), 8 calls outstanding',
          ...(fair ? [] : ['own defaults: idempotent off']),
        ],
      };
    case 'platformatic':
      return {
        ...base,
        batchSize: 'none: one batch per partition per send() (≤ 1,000 records, ≈ 256 KiB per partition)',
        lingerMs: 'none: no accumulator',
        idempotence: fair,
        crc: 'not checked',
        notes: [
          'no batch size or linger knob: the benchmark sends arrays of 1,000 records (fewer above 256 KiB per partition), 8 calls outstanding',
          ...(fair ? [] : ['own defaults: idempotent off']),
        ],
      };
    case 'rdkafka':
      return {
        ...base,
        batchSize: fair ? FAIR_BATCH_BYTES : 1_000_000,
        lingerMs: 5,
        idempotence: fair,
        crc: fair,
        notes: fair
          ? ['check.crcs=true, partitioner murmur2_random (as the Java and KafkaJS partitioners)']
          : [],
      };
    case 'java':
      return {
        ...base,
        batchSize: fair ? FAIR_BATCH_BYTES : 16_384,
        lingerMs: 5,
        idempotence: true,
        crc: true,
        notes: [
          'bench/java/BenchClient: warm-up records before the clock; JVM start and JIT of start-up not timed',
        ],
      };
  }
}

/** The librdkafka producer configuration for a profile (node-rdkafka). */
export function rdkafkaProducerConf(profile: Profile, codec: Codec): Record<string, unknown> {
  const conf: Record<string, unknown> = { 'compression.codec': codec, acks: 'all', 'linger.ms': 5 };
  if (profile === 'fair') {
    conf['enable.idempotence'] = true;
    conf['batch.size'] = FAIR_BATCH_BYTES;
    conf.partitioner = 'murmur2_random';
  }
  return conf;
}

/** The Java producer properties for a profile. */
export function javaProducerProps(profile: Profile, codec: Codec): string[] {
  const props = ['acks=all', 'enable.idempotence=true', `compression.type=${codec}`, 'linger.ms=5'];
  if (profile === 'fair') props.push(`batch.size=${FAIR_BATCH_BYTES}`);
  return props;
}
