/*
 * The Java client's side of `npm run bench` (see bench/lib/java.ts). A small harness on
 * kafka-clients rather than ProducerPerformance / ConsumerPerformance, because the benchmark
 * needs what those tools cannot do: send the same distinct, keyed or header-carrying records
 * as the Node clients (ProducerPerformance picks payloads at random from a file), count every
 * acknowledgement and failure for the verification gate, count distinct (partition, offset)
 * pairs, and measure fixed-rate end-to-end latency from each record's scheduled send time.
 *
 * Its clock and CPU counter start after the JVM is up and after the warm-up records, so JVM
 * start and start-up JIT are not measured; CPU is the process's CPU time (all threads).
 *
 *   java -cp <kafka-clients…>:<dir> BenchClient mode=produce|consume|e2e key=value …
 * Prints one line: KAFKATS_BENCH_RESULT {json}.
 */
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class BenchClient {
  static final int SEQ_OFFSET = 8, SEQ_DIGITS = 10, KEY_SPACE = 10_000;
  static Map<String, String> a = new HashMap<>();

  static String arg(String k) {
    String v = a.get(k);
    if (v == null) throw new IllegalArgumentException("missing " + k);
    return v;
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
      }
    } catch (Exception e) {
      // not Linux
    }
    return Double.NaN;
  }

  static long seqOf(byte[] v) {
    if (v == null || v.length < SEQ_OFFSET + SEQ_DIGITS) return -1;
    long n = 0;
    for (int i = SEQ_OFFSET; i < SEQ_OFFSET + SEQ_DIGITS; i++) {
      int d = v[i] - '0';
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  }

  static byte[] warmValue(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) ' ');
    byte[] head = "{\"seq\":\"warm-up\"".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, b, 0, head.length);
    b[size - 1] = '}';
    return b;
  }

  static byte[][] loadData(String file, long base, int count, int size) throws Exception {
    byte[][] out = new byte[count][];
    try (RandomAccessFile f = new RandomAccessFile(file, "r")) {
      f.seek(base * size);
      for (int i = 0; i < count; i++) {
        out[i] = new byte[size];
        f.readFully(out[i]);
      }
    }
    return out;
  }

  static byte[][] keys() {
    byte[][] k = new byte[KEY_SPACE][];
    for (int i = 0; i < KEY_SPACE; i++) k[i] = ("user-" + i).getBytes(StandardCharsets.US_ASCII);
    return k;
  }

  static RecordHeaders headersOf(long seq) {
    RecordHeaders h = new RecordHeaders();
    String id = String.format("%032d", seq);
    h.add("trace-id", ("00-" + id + "-01").getBytes(StandardCharsets.US_ASCII));
    h.add("content-type", "application/json".getBytes(StandardCharsets.US_ASCII));
    return h;
  }

  static Properties producerProps() {
    Properties p = new Properties();
    p.put("bootstrap.servers", arg("brokers"));
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    for (String kv : arg("props").split(",")) {
      int eq = kv.indexOf('=');
      if (eq > 0) p.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return p;
  }

  static Properties consumerProps(String group) {
    Properties p = new Properties();
    p.put("bootstrap.servers", arg("brokers"));
    p.put("group.id", group);
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", "true");
    p.put("check.crcs", "true");
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return p;
  }

  static ProducerRecord<byte[], byte[]> record(String topic, byte[] value, long seq, byte[][] keys, boolean keyed, boolean headers) {
    byte[] key = keyed && seq >= 0 ? keys[(int) (seq % KEY_SPACE)] : null;
    return headers && seq >= 0
        ? new ProducerRecord<>(topic, null, key, value, headersOf(seq))
        : new ProducerRecord<>(topic, null, key, value);
  }

  static void report(StringBuilder json, long cpu, double dataMb) {
    json.append(",\"cpuSec\":").append(cpu / 1e9).append(",\"rssMb\":").append(peakRssMb() - dataMb).append('}');
    System.out.println("KAFKATS_BENCH_RESULT " + json);
    System.out.flush();
  }

  static void produce() throws Exception {
    String topic = arg("topic");
    int count = Integer.parseInt(arg("count")), size = Integer.parseInt(arg("size"));
    int warmup = Math.max(1, Integer.parseInt(arg("warmup")));
    long base = Long.parseLong(arg("base"));
    boolean keyed = Boolean.parseBoolean(arg("keyed")), headers = Boolean.parseBoolean(arg("headers"));
    byte[][] data = loadData(arg("data"), base, count, size);
    byte[][] keys = keys();
    AtomicLong acked = new AtomicLong(), failed = new AtomicLong();
    String[] firstError = new String[1];
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps())) {
      byte[] warm = warmValue(size);
      CountDownLatch warmed = new CountDownLatch(warmup);
      for (int i = 0; i < warmup; i++) producer.send(record(topic, warm, -1, keys, false, false), (m, e) -> warmed.countDown());
      warmed.await();
      long cpu0 = cpuNanos();
      long epoch0 = System.currentTimeMillis();
      long t0 = System.nanoTime();
      Callback cb = (m, e) -> {
        if (e == null) acked.incrementAndGet();
        else {
          failed.incrementAndGet();
          synchronized (firstError) {
            if (firstError[0] == null) firstError[0] = e.toString();
          }
        }
      };
      for (int i = 0; i < count; i++) producer.send(record(topic, data[i], base + i, keys, keyed, headers), cb);
      producer.flush();
      double seconds = (System.nanoTime() - t0) / 1e9;
      long cpu = cpuNanos() - cpu0;
      StringBuilder json = new StringBuilder("{\"count\":").append(acked.get())
          .append(",\"bytes\":").append(acked.get() * size)
          .append(",\"seconds\":").append(seconds)
          .append(",\"startEpochMs\":").append(epoch0)
          .append(",\"endEpochMs\":").append(epoch0 + seconds * 1000)
          .append(",\"failedSends\":").append(failed.get());
      if (firstError[0] != null) json.append(",\"note\":\"").append(firstError[0].replace("\"", "'")).append('"');
      report(json, cpu, (double) count * size / (1 << 20));
    }
  }

  static void consume() throws Exception {
    String topic = arg("topic");
    long count = Long.parseLong(arg("count"));
    int size = Integer.parseInt(arg("size"));
    long timeoutMs = Long.parseLong(arg("timeoutMs"));
    Map<Integer, BitSet> seen = new HashMap<>();
    long distinct = 0, dups = 0, first = 0, last = 0, firstEpoch = 0;
    long started = System.nanoTime();
    long cpu0 = cpuNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(arg("group")))) {
      consumer.subscribe(List.of(topic));
      while (distinct < count && System.nanoTime() - started < timeoutMs * 1_000_000L) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          if (first == 0) {
            first = System.nanoTime();
            firstEpoch = System.currentTimeMillis();
          }
          BitSet b = seen.computeIfAbsent(r.partition(), k -> new BitSet());
          int off = (int) r.offset();
          if (b.get(off)) dups++;
          else {
            b.set(off);
            if (++distinct == count) last = System.nanoTime();
          }
        }
      }
      long cpu = cpuNanos() - cpu0;
      double seconds = Math.max(1e-6, (last - first) / 1e9);
      StringBuilder json = new StringBuilder("{\"count\":").append(distinct)
          .append(",\"bytes\":").append(distinct * size)
          .append(",\"seconds\":").append(seconds)
          .append(",\"startEpochMs\":").append(firstEpoch)
          .append(",\"endEpochMs\":").append(firstEpoch + seconds * 1000)
          .append(",\"startupMs\":").append((first - started) / 1e6)
          .append(",\"duplicates\":").append(dups);
      report(json, cpu, 0);
    }
  }

  static double pct(double[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  static void e2e() throws Exception {
    String topic = arg("topic");
    int count = Integer.parseInt(arg("count")), size = Integer.parseInt(arg("size"));
    double rate = Double.parseDouble(arg("rate"));
    long base = Long.parseLong(arg("base"));
    boolean keyed = Boolean.parseBoolean(arg("keyed")), headers = Boolean.parseBoolean(arg("headers"));
    byte[][] data = loadData(arg("data"), base, count, size);
    byte[][] keys = keys();
    double[] lat = new double[count];
    boolean[] got = new boolean[count];
    long[] start = new long[1];
    long[] dist = new long[2]; // distinct, duplicates
    CountDownLatch warm = new CountDownLatch(1), all = new CountDownLatch(1);
    AtomicLong failed = new AtomicLong();
    volatile_stop = false;
    Thread poller;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(arg("group")))) {
      consumer.subscribe(List.of(topic));
      poller = new Thread(() -> {
        while (!volatile_stop) {
          checkSaturation(rate, count, all);
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            long now = System.nanoTime();
            long seq = seqOf(r.value());
            if (seq < 0) {
              if (scheduleNs > 0) received++;
              warm.countDown();
              checkSaturation(rate, count, all);
              continue;
            }
            int i = (int) (seq - base);
            if (got[i]) {
              dist[1]++;
              continue;
            }
            got[i] = true;
            received++;
            double late = (now - (start[0] + (long) (i * 1e9 / rate))) / 1e6;
            lat[(int) dist[0]] = late;
            if (++dist[0] == count) all.countDown();
            else if (late > SATURATION_MS && saturatedBehindMs < 0) {
              // As in bench/lib/e2e.ts: a record this late is saturation even in a short run.
              saturatedReceived = received;
              saturatedAtNs = now;
              saturatedBehindMs = late;
              all.countDown();
            } else checkSaturation(rate, count, all);
          }
        }
      });
      poller.start();
      producer.send(record(topic, warmValue(size), -1, keys, false, false));
      producer.flush();
      if (!warm.await(120, TimeUnit.SECONDS)) throw new IllegalStateException("warm-up record never consumed");
      long cpu0 = cpuNanos();
      // Untimed warm-up at the run's rate, as every Node runner does (bench/lib/e2e.ts).
      int warmup = Integer.parseInt(arg("warmup"));
      byte[] warmValue = warmValue(size);
      long warm0 = System.nanoTime();
      scheduled = warmup + count;
      scheduleNs = warm0;
      for (int i = 0; i < warmup && saturatedBehindMs < 0; i++) {
        long wait = warm0 + (long) (i * 1e9 / rate) - System.nanoTime();
        if (wait > 0) LockSupport.parkNanos(wait);
        producer.send(record(topic, warmValue, -1, keys, false, false));
      }
      long epoch0 = System.currentTimeMillis();
      start[0] = System.nanoTime();
      Callback cb = (m, e) -> {
        if (e != null) failed.incrementAndGet();
      };
      for (int i = 0; i < count && saturatedBehindMs < 0; i++) {
        long due = start[0] + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) LockSupport.parkNanos(wait);
        producer.send(record(topic, data[i], base + i, keys, keyed, headers), cb);
      }
      all.await(60 + count / 1000, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start[0]) / 1e9;
      volatile_stop = true;
      poller.join();
      boolean saturated = saturatedBehindMs >= 0;
      if (saturated) seconds = (saturatedAtNs - scheduleNs) / 1e9;
      // A saturated producer may hold sends it will not finish soon: do not wait for them.
      if (saturated) producer.close(Duration.ofSeconds(10));
      long cpu = cpuNanos() - cpu0;
      int n = (int) dist[0];
      double[] sorted = Arrays.copyOf(lat, n);
      Arrays.sort(sorted);
      long counted = saturated ? saturatedReceived : n;
      StringBuilder json = new StringBuilder("{\"count\":").append(counted)
          .append(",\"bytes\":").append(counted * size)
          .append(",\"seconds\":").append(seconds)
          .append(",\"startEpochMs\":").append(epoch0)
          .append(",\"endEpochMs\":").append(epoch0 + seconds * 1000)
          .append(",\"duplicates\":").append(dist[1])
          .append(",\"failedSends\":").append(failed.get());
      if (saturated) {
        json.append(",\"saturated\":{\"received\":").append(saturatedReceived)
            .append(",\"behindMs\":").append(Math.round(saturatedBehindMs)).append('}');
      } else {
        json.append(",\"p50Ms\":").append(pct(sorted, 50))
            .append(",\"p99Ms\":").append(pct(sorted, 99))
            .append(",\"p999Ms\":").append(pct(sorted, 99.9))
            .append(",\"maxMs\":").append(n > 0 ? sorted[n - 1] : Double.NaN);
      }
      report(json, cpu, (double) count * size / (1 << 20));
    }
  }

  static volatile boolean volatile_stop;
  /** bench/lib/e2e.ts's SATURATION_MS: this far behind the schedule ends the run as saturated. */
  static final double SATURATION_MS = 5_000;
  static volatile long scheduleNs = 0, saturatedAtNs = 0;
  static volatile double saturatedBehindMs = -1;
  static long scheduled, received, saturatedReceived;

  /** As E2eReceiver.check in bench/lib/e2e.ts (poller thread only). */
  static void checkSaturation(double rate, int count, CountDownLatch all) {
    long t0 = scheduleNs;
    if (t0 == 0 || saturatedBehindMs >= 0 || all.getCount() == 0) return;
    long now = System.nanoTime();
    double due = Math.min(scheduled, (now - t0) * rate / 1e9);
    double behindMs = (due - received) * 1000 / rate;
    if (behindMs > SATURATION_MS) {
      saturatedReceived = received;
      saturatedAtNs = now;
      saturatedBehindMs = behindMs;
      all.countDown();
    }
  }

  public static void main(String[] args) throws Exception {
    for (String s : args) {
      int eq = s.indexOf('=');
      if (eq > 0) a.put(s.substring(0, eq), s.substring(eq + 1));
    }
    switch (arg("mode")) {
      case "produce" -> produce();
      case "consume" -> consume();
      case "e2e" -> e2e();
      default -> throw new IllegalArgumentException("mode " + arg("mode"));
    }
    System.exit(0);
  }
}
