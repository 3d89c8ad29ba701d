import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A Java consumer in a classic group with the RangeAssignor, for the mixed-group test:
 * args: bootstrap topic groupId. Prints "A p,p,p" after every assignment change and
 * "R partition offset value" per record; leaves the group when standard input closes.
 */
public class ClassicGroupMember {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("group.id", args[2]);
    props.put("group.protocol", "classic");
    props.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
    props.put("auto.offset.reset", "earliest");
    props.put("session.timeout.ms", "10000");
    props.put("heartbeat.interval.ms", "500");
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread stdin = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
        while (in.readLine() != null) {}
      } catch (Exception ignored) {
      }
      running.set(false);
      consumer.wakeup();
    });
    stdin.setDaemon(true);
    stdin.start();
    consumer.subscribe(List.of(args[1]), new ConsumerRebalanceListener() {
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        List<Integer> owned = new ArrayList<>();
        for (TopicPartition tp : consumer.assignment()) owned.add(tp.partition());
        owned.sort(null);
        StringBuilder sb = new StringBuilder("A ");
        for (int i = 0; i < owned.size(); i++) sb.append(i == 0 ? "" : ",").append(owned.get(i));
        System.out.println(sb);
        System.out.flush();
      }
    });
    try {
      while (running.get()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          System.out.println("R " + r.partition() + " " + r.offset() + " " + r.value());
        }
        System.out.flush();
        consumer.commitSync();
      }
    } catch (WakeupException ignored) {
    } finally {
      consumer.close();
    }
  }
}
