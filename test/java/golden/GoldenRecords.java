// Golden vectors for kafkats' record codec, written and read by the Java client's own
// record classes. Modes:
//   write            print batches built with MemoryRecordsBuilder (one per case) as JSON
//   read <file>      decode batches listed in <file> (lines "name hex") and print what Java sees
//   errors           print the Errors enum (code, name, retriable, message) as JSON
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

public class GoldenRecords {
  static final String[] CODECS = {"none", "gzip", "snappy", "lz4", "zstd"};

  static final class In {
    final long timestamp;
    final byte[] key;
    final byte[] value;
    final Header[] headers;

    In(long timestamp, String key, byte[] value, Header... headers) {
      this.timestamp = timestamp;
      this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
      this.value = value;
      this.headers = headers;
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<In> inputs() {
    byte[] big = new byte[300];
    for (int i = 0; i < big.length; i++) big[i] = (byte) ('a' + (i % 7));
    List<In> l = new ArrayList<>();
    l.add(new In(1700000000000L, "key-0", utf8("value-0"),
        new RecordHeader("h1", utf8("v1")), new RecordHeader("h1", utf8("v1b")), new RecordHeader("hnull", (byte[]) null)));
    l.add(new In(1700000000005L, null, utf8("value-1")));
    l.add(new In(1699999999990L, "key-2", null, new RecordHeader("", utf8("x"))));
    l.add(new In(1700000001000L, "k3", big, new RecordHeader("unicode-\u043a\u043b\u044e\u0447", utf8("\u00e9"))));
    return l;
  }

  static Compression compression(String name) {
    switch (name) {
      case "none": return Compression.NONE;
      case "gzip": return Compression.gzip().build();
      case "snappy": return Compression.snappy().build();
      case "lz4": return Compression.lz4().build();
      case "zstd": return Compression.zstd().build();
      default: throw new IllegalArgumentException(name);
    }
  }

  static String hex(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    StringBuilder sb = new StringBuilder();
    while (d.hasRemaining()) sb.append(String.format("%02x", d.get() & 0xff));
    return sb.toString();
  }

  static String hex(byte[] b) {
    return b == null ? "null" : "\"" + hex(ByteBuffer.wrap(b)) + "\"";
  }

  static String str(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    return sb.append('"').toString();
  }

  static byte[] bytes(ByteBuffer b) {
    if (b == null) return null;
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  static MemoryRecords build(byte magic, String codec, TimestampType tt, long baseOffset, long logAppendTime,
      long pid, short epoch, int seq, boolean txn, int leaderEpoch) {
    ByteBuffer buf = ByteBuffer.allocate(4096);
    MemoryRecordsBuilder b = MemoryRecords.builder(buf, magic, compression(codec), tt, baseOffset, logAppendTime,
        pid, epoch, seq, txn, leaderEpoch);
    long offset = baseOffset;
    for (In r : inputs()) {
      if (magic >= 2) b.appendWithOffset(offset++, r.timestamp, r.key, r.value, r.headers);
      else b.appendWithOffset(offset++, r.timestamp, r.key, r.value);
    }
    return b.build();
  }

  static void entry(StringBuilder out, String name, String codec, MemoryRecords records, String params) {
    if (out.length() > 2) out.append(",\n");
    out.append("{\"name\":").append(str(name)).append(",\"codec\":").append(str(codec))
        .append(",\"params\":{").append(params).append("},\"hex\":\"").append(hex(records.buffer())).append("\"}");
  }

  static void write() {
    StringBuilder out = new StringBuilder("[\n");
    for (String codec : CODECS) {
      entry(out, "plain-" + codec, codec,
          build((byte) 2, codec, TimestampType.CREATE_TIME, 0L, -1L, -1L, (short) -1, -1, false, -1),
          "\"baseOffset\":0,\"producerId\":-1,\"producerEpoch\":-1,\"baseSequence\":-1,\"partitionLeaderEpoch\":-1");
      entry(out, "idempotent-" + codec, codec,
          build((byte) 2, codec, TimestampType.CREATE_TIME, 42L, -1L, 123456789012L, (short) 7, 1000, false, 5),
          "\"baseOffset\":42,\"producerId\":123456789012,\"producerEpoch\":7,\"baseSequence\":1000,\"partitionLeaderEpoch\":5");
      entry(out, "transactional-" + codec, codec,
          build((byte) 2, codec, TimestampType.CREATE_TIME, 7L, -1L, 99L, (short) 3, 0, true, 2),
          "\"baseOffset\":7,\"producerId\":99,\"producerEpoch\":3,\"baseSequence\":0,\"partitionLeaderEpoch\":2,\"transactional\":true");
    }
    entry(out, "logappend-none", "none",
        build((byte) 2, "none", TimestampType.LOG_APPEND_TIME, 0L, 1700000005000L, -1L, (short) -1, -1, false, -1),
        "\"baseOffset\":0,\"producerId\":-1,\"producerEpoch\":-1,\"baseSequence\":-1,\"partitionLeaderEpoch\":-1,\"logAppendTime\":1700000005000");
    entry(out, "control-commit", "none",
        MemoryRecords.withEndTransactionMarker(100L, 1700000002000L, 5, 99L, (short) 3,
            new EndTransactionMarker(ControlRecordType.COMMIT, 17)),
        "\"baseOffset\":100,\"producerId\":99,\"producerEpoch\":3,\"partitionLeaderEpoch\":5,\"timestamp\":1700000002000,\"controlType\":1,\"coordinatorEpoch\":17");
    entry(out, "control-abort", "none",
        MemoryRecords.withEndTransactionMarker(101L, 1700000003000L, 5, 99L, (short) 3,
            new EndTransactionMarker(ControlRecordType.ABORT, 18)),
        "\"baseOffset\":101,\"producerId\":99,\"producerEpoch\":3,\"partitionLeaderEpoch\":5,\"timestamp\":1700000003000,\"controlType\":0,\"coordinatorEpoch\":18");
    // Legacy message formats, if this client version can still write them.
    for (byte magic = 0; magic <= 1; magic++) {
      for (String codec : new String[] {"none", "gzip", "snappy", "lz4"}) {
        try {
          entry(out, "legacy-v" + magic + "-" + codec, codec,
              build(magic, codec, TimestampType.CREATE_TIME, 10L, -1L, -1L, (short) -1, -1, false, -1),
              "\"baseOffset\":10,\"magic\":" + magic);
        } catch (RuntimeException e) {
          System.err.println("legacy v" + magic + " " + codec + ": " + e);
        }
      }
    }
    out.append("\n]");
    System.out.println(out);
  }

  static void describe(StringBuilder out, String name, MemoryRecords records) {
    if (out.length() > 2) out.append(",\n");
    out.append("{\"name\":").append(str(name)).append(",\"batches\":[");
    boolean firstBatch = true;
    for (RecordBatch batch : records.batches()) {
      batch.ensureValid();
      if (!firstBatch) out.append(',');
      firstBatch = false;
      out.append("{\"magic\":").append(batch.magic())
          .append(",\"baseOffset\":").append(batch.baseOffset())
          .append(",\"lastOffset\":").append(batch.lastOffset())
          .append(",\"compression\":").append(str(batch.compressionType().name))
          .append(",\"timestampType\":").append(str(batch.timestampType().name))
          .append(",\"maxTimestamp\":").append(batch.maxTimestamp())
          .append(",\"producerId\":").append(batch.producerId())
          .append(",\"producerEpoch\":").append(batch.producerEpoch())
          .append(",\"baseSequence\":").append(batch.baseSequence())
          .append(",\"partitionLeaderEpoch\":").append(batch.partitionLeaderEpoch())
          .append(",\"transactional\":").append(batch.isTransactional())
          .append(",\"control\":").append(batch.isControlBatch())
          .append(",\"records\":[");
      boolean firstRecord = true;
      for (Record r : batch) {
        r.ensureValid();
        if (!firstRecord) out.append(',');
        firstRecord = false;
        out.append("{\"offset\":").append(r.offset()).append(",\"timestamp\":").append(r.timestamp())
            .append(",\"key\":").append(hex(bytes(r.key()))).append(",\"value\":").append(hex(bytes(r.value())))
            .append(",\"headers\":[");
        Header[] hs = r.headers();
        for (int i = 0; i < hs.length; i++) {
          if (i > 0) out.append(',');
          out.append("{\"key\":").append(str(hs[i].key())).append(",\"value\":").append(hex(hs[i].value())).append('}');
        }
        out.append("]}");
      }
      out.append("]}");
    }
    out.append("]}");
  }

  static void read(String file) throws Exception {
    StringBuilder out = new StringBuilder("[\n");
    for (String line : Files.readAllLines(Path.of(file))) {
      if (line.isBlank()) continue;
      String[] parts = line.trim().split(" ");
      String h = parts[1];
      byte[] b = new byte[h.length() / 2];
      for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
      try {
        describe(out, parts[0], MemoryRecords.readableRecords(ByteBuffer.wrap(b)));
      } catch (RuntimeException e) {
        if (out.length() > 2) out.append(",\n");
        out.append("{\"name\":").append(str(parts[0])).append(",\"error\":").append(str(e.toString())).append('}');
      }
    }
    out.append("\n]");
    System.out.println(out);
  }

  static void errors() {
    StringBuilder out = new StringBuilder("[\n");
    for (Errors e : Errors.values()) {
      if (out.length() > 2) out.append(",\n");
      ApiException ex = e.exception();
      String message = e.message();
      out.append("{\"code\":").append(e.code()).append(",\"name\":").append(str(e.name()))
          .append(",\"retriable\":").append(ex instanceof RetriableException)
          .append(",\"exception\":").append(ex == null ? "null" : str(ex.getClass().getSimpleName()))
          .append(",\"message\":").append(message == null ? "null" : str(message)).append('}');
    }
    out.append("\n]");
    System.out.println(out);
  }

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "write" : args[0]) {
      case "write": write(); break;
      case "read": read(args[1]); break;
      case "errors": errors(); break;
      default: throw new IllegalArgumentException("usage: GoldenRecords write | read <file> | errors");
    }
  }
}
