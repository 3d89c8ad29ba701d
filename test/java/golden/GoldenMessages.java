// Golden vectors for kafkats' generated protocol codecs, checked against the Java client's own
// generated message classes (org.apache.kafka.common.message.*Data). Modes:
//   check <file>   each line of <file> is "<ClassSimpleName> <version> <hex>" (hex "-" = no bytes);
//                  parse it with the Java class, insist every byte was consumed, re-serialize it
//                  with Java's writer and print "<ClassSimpleName> <version> OK <hex>" or
//                  "<ClassSimpleName> <version> ERR <message>", one line per input line, in order;
//                  after the hex, an OK line carries the parsed message as one line of JSON, written
//                  by Kafka's own generated <ClassSimpleName>JsonConverter (records as their size)
//   build          print hand-built messages as "<label> <ClassSimpleName> <version> <hex>"
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

public class GoldenMessages {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static String hex(byte[] b) {
    if (b.length == 0) return "-";
    char[] out = new char[b.length * 2];
    for (int i = 0; i < b.length; i++) {
      out[2 * i] = HEX[(b[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[b[i] & 0xf];
    }
    return new String(out);
  }

  static byte[] unhex(String s) {
    if (s.equals("-")) return new byte[0];
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  static byte[] serialize(Message data, short version) {
    ObjectSerializationCache cache = new ObjectSerializationCache();
    int size = data.size(cache, version);
    ByteBuffer buf = ByteBuffer.allocate(size);
    data.write(new ByteBufferAccessor(buf), cache, version);
    if (buf.hasRemaining()) {
      throw new IllegalStateException("size() said " + size + " but write() left " + buf.remaining() + " bytes");
    }
    return buf.array();
  }

  static final Map<String, Constructor<?>> CONSTRUCTORS = new HashMap<>();
  static final Map<String, Method> JSON_WRITERS = new HashMap<>();

  /** The parsed message as JSON, by Kafka's generated converter. */
  static String json(String simpleName, Class<?> cls, Message data, short version) throws Exception {
    Method m = JSON_WRITERS.get(simpleName);
    if (m == null) {
      Class<?> converter = Class.forName("org.apache.kafka.common.message." + simpleName + "JsonConverter");
      m = converter.getMethod("write", cls, short.class, boolean.class);
      JSON_WRITERS.put(simpleName, m);
    }
    return m.invoke(null, data, version, false).toString();
  }

  static Constructor<?> constructor(String simpleName) throws ReflectiveOperationException {
    Constructor<?> c = CONSTRUCTORS.get(simpleName);
    if (c == null) {
      Class<?> cls = Class.forName("org.apache.kafka.common.message." + simpleName);
      c = cls.getConstructor(Readable.class, short.class);
      CONSTRUCTORS.put(simpleName, c);
    }
    return c;
  }

  static String check(String simpleName, short version, byte[] bytes) {
    try {
      Constructor<?> ctor = constructor(simpleName);
      Class<?> cls = ctor.getDeclaringClass();
      short lo = cls.getField("LOWEST_SUPPORTED_VERSION").getShort(null);
      short hi = cls.getField("HIGHEST_SUPPORTED_VERSION").getShort(null);
      if (version < lo || version > hi) {
        return "ERR version " + version + " outside the jar's range " + lo + "-" + hi;
      }
      ByteBuffer in = ByteBuffer.wrap(bytes);
      Message data = (Message) ctor.newInstance(new ByteBufferAccessor(in), version);
      if (in.hasRemaining()) {
        return "ERR " + in.remaining() + " of " + bytes.length + " bytes left unread at offset " + in.position();
      }
      return "OK " + hex(serialize(data, version)) + " " + json(simpleName, cls, data, version);
    } catch (InvocationTargetException e) {
      Throwable t = e.getCause();
      return "ERR read: " + t.getClass().getSimpleName() + ": " + oneLine(t.getMessage());
    } catch (Throwable t) {
      return "ERR " + t.getClass().getSimpleName() + ": " + oneLine(t.getMessage());
    }
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
  }

  static void checkFile(Path file) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      if (line.isEmpty()) continue;
      String[] parts = line.split(" ");
      String name = parts[0];
      short version = Short.parseShort(parts[1]);
      String result;
      try {
        result = check(name, version, unhex(parts[2]));
      } catch (RuntimeException e) {
        result = "ERR bad input line: " + oneLine(e.getMessage());
      }
      out.append(name).append(' ').append(version).append(' ').append(result).append('\n');
    }
    PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    stdout.print(out);
    stdout.flush();
  }

  static void emit(StringBuilder out, String label, ApiMessage data, int version) {
    out.append(label).append(' ').append(data.getClass().getSimpleName()).append(' ').append(version).append(' ')
        .append(hex(serialize(data, (short) version))).append('\n');
  }

  static void emitHeader(StringBuilder out, String label, RequestHeaderData data, int version) {
    out.append(label).append(' ').append("RequestHeaderData").append(' ').append(version).append(' ')
        .append(hex(serialize(data, (short) version))).append('\n');
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  // The values below are mirrored in test/integration/protocol/golden-messages.test.ts.
  static void build() {
    StringBuilder out = new StringBuilder();

    emit(out, "api-versions-v3",
        new ApiVersionsRequestData().setClientSoftwareName("kafkats-golden").setClientSoftwareVersion("1.2.3-\u00e9"), 3);

    ApiVersionsRequestData withUnknown =
        new ApiVersionsRequestData().setClientSoftwareName("kafkats").setClientSoftwareVersion("9");
    withUnknown.unknownTaggedFields().add(new RawTaggedField(7, new byte[] {1, 2, 3}));
    emit(out, "api-versions-v4-unknown-tag", withUnknown, 4);

    MetadataRequestData.MetadataRequestTopic byName = new MetadataRequestData.MetadataRequestTopic().setName("orders");
    MetadataRequestData.MetadataRequestTopic byId = new MetadataRequestData.MetadataRequestTopic()
        .setTopicId(new Uuid(0x0123456789abcdefL, 0xfedcba9876543210L)).setName(null);
    emit(out, "metadata-v12", new MetadataRequestData()
        .setTopics(Arrays.asList(byName, byId))
        .setAllowAutoTopicCreation(false)
        .setIncludeTopicAuthorizedOperations(true), 12);
    emit(out, "metadata-v12-all-topics", new MetadataRequestData().setTopics(null), 12);

    MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
        new SimpleRecord(1700000000000L, utf8("k"), utf8("v")),
        new SimpleRecord(1700000000001L, null, utf8("second")));
    for (int v : new int[] {9, 11}) {
      ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
      topics.add(new ProduceRequestData.TopicProduceData().setName("orders").setPartitionData(Arrays.asList(
          new ProduceRequestData.PartitionProduceData().setIndex(3).setRecords(MemoryRecords.readableRecords(records.buffer().duplicate())),
          new ProduceRequestData.PartitionProduceData().setIndex(4).setRecords(null))));
      emit(out, "produce-v" + v, new ProduceRequestData()
          .setTransactionalId("txn-1")
          .setAcks((short) -1)
          .setTimeoutMs(30000)
          .setTopicData(topics), v);
    }

    FetchResponseData.NodeEndpointCollection endpoints = new FetchResponseData.NodeEndpointCollection();
    endpoints.add(new FetchResponseData.NodeEndpoint().setNodeId(2).setHost("broker-2").setPort(9093).setRack("r1"));
    emit(out, "fetch-response-v16", new FetchResponseData()
        .setThrottleTimeMs(5)
        .setErrorCode((short) 0)
        .setSessionId(77)
        .setResponses(Arrays.asList(new FetchResponseData.FetchableTopicResponse()
            .setTopicId(new Uuid(0x1111222233334444L, 0x5555666677778888L))
            .setPartitions(Arrays.asList(new FetchResponseData.PartitionData()
                .setPartitionIndex(1)
                .setErrorCode((short) 6)
                .setHighWatermark(1000L)
                .setLastStableOffset(990L)
                .setLogStartOffset(10L)
                .setDivergingEpoch(new FetchResponseData.EpochEndOffset().setEpoch(4).setEndOffset(500L))
                .setCurrentLeader(new FetchResponseData.LeaderIdAndEpoch().setLeaderId(2).setLeaderEpoch(5))
                .setSnapshotId(new FetchResponseData.SnapshotId().setEndOffset(321L).setEpoch(3))
                .setAbortedTransactions(Arrays.asList(
                    new FetchResponseData.AbortedTransaction().setProducerId(42L).setFirstOffset(100L)))
                .setPreferredReadReplica(-1)
                .setRecords(MemoryRecords.readableRecords(records.buffer().duplicate()))))))
        .setNodeEndpoints(endpoints), 16);

    JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
        new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
    protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[] {0, 1, 2}));
    protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("roundrobin").setMetadata(new byte[0]));
    emit(out, "join-group-v9", new JoinGroupRequestData()
        .setGroupId("group-a")
        .setSessionTimeoutMs(45000)
        .setRebalanceTimeoutMs(300000)
        .setMemberId("member-1")
        .setGroupInstanceId(null)
        .setProtocolType("consumer")
        .setProtocols(protocols)
        .setReason("rejoin"), 9);

    emit(out, "consumer-group-heartbeat-v1", new ConsumerGroupHeartbeatRequestData()
        .setGroupId("group-b")
        .setMemberId("Zm9vYmFyYmF6cXV4MTIzNA")
        .setMemberEpoch(12)
        .setInstanceId(null)
        .setRackId("rack-1")
        .setRebalanceTimeoutMs(60000)
        .setSubscribedTopicNames(Arrays.asList("orders", "payments"))
        .setSubscribedTopicRegex("ord.*")
        .setServerAssignor("uniform")
        .setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
            .setTopicId(new Uuid(0x0123456789abcdefL, 0xfedcba9876543210L))
            .setPartitions(Arrays.asList(0, 2, 5)))), 1);

    emitHeader(out, "request-header-v2", new RequestHeaderData()
        .setRequestApiKey((short) 18).setRequestApiVersion((short) 4).setCorrelationId(123456).setClientId("cli\u00e9nt"), 2);

    System.out.print(out);
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("check")) {
      checkFile(Path.of(args[1]));
    } else if (args.length == 1 && args[0].equals("build")) {
      build();
    } else {
      System.err.println("usage: GoldenMessages check <file> | build");
      System.exit(2);
    }
  }
}
