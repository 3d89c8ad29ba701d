// A broker-side KIP-714 receiver for the client-metrics integration test: registered as a
// metric.reporters plugin, it appends every PushTelemetry payload it receives to the file named by
// the broker property kafkats.telemetry.file, one line per push:
//   <receivedAtMs> <clientInstanceId> <terminating> <clientId> <base64 of the OTLP bytes>
// The broker has decompressed the payload already; the test decodes the OTLP itself.
import java.io.FileWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.telemetry.ClientTelemetry;
import org.apache.kafka.server.telemetry.ClientTelemetryPayload;
import org.apache.kafka.server.telemetry.ClientTelemetryReceiver;

public class KafkatsTelemetryReceiver implements MetricsReporter, ClientTelemetry {
    private volatile String file;

    @Override
    public void configure(Map<String, ?> configs) {
        Object f = configs.get("kafkats.telemetry.file");
        file = f == null ? null : f.toString();
    }

    @Override
    public void init(List<KafkaMetric> metrics) {}

    @Override
    public void metricChange(KafkaMetric metric) {}

    @Override
    public void metricRemoval(KafkaMetric metric) {}

    @Override
    public void close() {}

    @Override
    public ClientTelemetryReceiver clientReceiver() {
        return this::record;
    }

    private synchronized void record(AuthorizableRequestContext context, ClientTelemetryPayload payload) {
        if (file == null) return;
        ByteBuffer data = payload.data().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        String line = System.currentTimeMillis() + " " + payload.clientInstanceId() + " "
            + payload.isTerminating() + " " + context.clientId() + " "
            + Base64.getEncoder().encodeToString(bytes) + "\n";
        try (FileWriter w = new FileWriter(file, true)) {
            w.write(line);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
