import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;

/**
 * Golden vectors for kafkats' ConsumerProtocol codec, from the Java client's own serializer.
 *
 *   encode                  one line per vector: "<name> <hex>"
 *   decode-sub <hex>        the subscription the Java client reads from kafkats' bytes
 *   decode-asg <hex>        the assignment the Java client reads from kafkats' bytes
 */
public class ConsumerProtocolVectors {
  static String hex(ByteBuffer b) {
    StringBuilder sb = new StringBuilder();
    ByteBuffer d = b.duplicate();
    while (d.hasRemaining()) sb.append(String.format("%02x", d.get()));
    return sb.toString();
  }

  static ByteBuffer unhex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    return ByteBuffer.wrap(out);
  }

  public static void main(String[] args) {
    if (args[0].equals("encode")) {
      List<TopicPartition> owned = Arrays.asList(new TopicPartition("orders", 0), new TopicPartition("orders", 2));
      ByteBuffer userData = ByteBuffer.wrap(new byte[] {1, 2, 3});
      for (short v = 0; v <= 3; v++) {
        Subscription s = new Subscription(Arrays.asList("orders", "payments"), userData.duplicate(), owned, 7, Optional.of("rack-a"));
        System.out.println("subscription-v" + v + " " + hex(ConsumerProtocol.serializeSubscription(s, v)));
      }
      Subscription bare = new Subscription(Arrays.asList("t"), null, List.of(), -1, Optional.empty());
      System.out.println("subscription-bare-v3 " + hex(ConsumerProtocol.serializeSubscription(bare, (short) 3)));
      for (short v = 0; v <= 3; v++) {
        Assignment a = new Assignment(Arrays.asList(new TopicPartition("orders", 1), new TopicPartition("orders", 3)), userData.duplicate());
        System.out.println("assignment-v" + v + " " + hex(ConsumerProtocol.serializeAssignment(a, v)));
      }
    } else if (args[0].equals("decode-sub")) {
      Subscription s = ConsumerProtocol.deserializeSubscription(unhex(args[1]));
      System.out.println("topics=" + s.topics() + " owned=" + s.ownedPartitions() + " generation=" + s.generationId()
          + " rack=" + s.rackId() + " userData=" + (s.userData() == null ? "null" : hex(s.userData())));
    } else if (args[0].equals("decode-asg")) {
      Assignment a = ConsumerProtocol.deserializeAssignment(unhex(args[1]));
      System.out.println("partitions=" + a.partitions() + " userData=" + (a.userData() == null ? "null" : hex(a.userData())));
    }
  }
}
