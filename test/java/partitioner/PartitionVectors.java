import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Prints, for every key given on stdin (one hex-encoded key per line, "-" for the empty key),
 * "hex n partition murmur2" for n in {1, 3, 6, 12, 100}, using the Java client's own
 * Utils.murmur2 and Utils.toPositive. The kafkats integration test compares its answers.
 */
public class PartitionVectors {
  private static final int[] COUNTS = {1, 3, 6, 12, 100};

  public static void main(String[] args) throws Exception {
    java.io.BufferedReader in =
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      line = line.trim();
      if (line.isEmpty()) continue;
      byte[] key = line.equals("-") ? new byte[0] : fromHex(line);
      int hash = Utils.murmur2(key);
      for (int n : COUNTS) {
        out.append(line).append(' ').append(n).append(' ')
            .append(Utils.toPositive(hash) % n).append(' ').append(hash).append('\n');
      }
    }
    System.out.print(out);
  }

  private static byte[] fromHex(String hex) {
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
