// Readiness probe for scripts/kafka.sh: polls a broker with a real metadata round trip
// (describeCluster + listTopics) until it answers, the deadline passes, or the broker
// process dies. A TCP connect alone is not enough: a KRaft broker binds its port before
// it has caught up with the metadata log and been unfenced.
//
// usage: java -cp 'libs/*:probe' Ready BOOTSTRAP TIMEOUT_SECONDS [BROKER_PID]
// exit:  0 ready, 1 timed out, 2 broker process exited, 64 bad usage

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

public final class Ready {
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: Ready BOOTSTRAP TIMEOUT_SECONDS [BROKER_PID]");
      System.exit(64);
    }
    String bootstrap = args[0];
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
    long pid = args.length > 2 ? Long.parseLong(args[2]) : -1;

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka.sh-ready");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, "50");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "200");

    String last = "no attempt made";
    try (Admin admin = Admin.create(props)) {
      while (System.nanoTime() < deadline) {
        if (pid > 0 && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          System.err.println("broker process " + pid + " exited");
          System.exit(2);
        }
        long wait = Math.max(1, Math.min(3000, (deadline - System.nanoTime()) / 1_000_000));
        try {
          int nodes = admin.describeCluster().nodes().get(wait, TimeUnit.MILLISECONDS).size();
          int topics = admin.listTopics().names().get(wait, TimeUnit.MILLISECONDS).size();
          System.out.println("ready: " + nodes + " node(s), " + topics + " topic(s)");
          return;
        } catch (Exception e) {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          last = cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
          Thread.sleep(100);
        }
      }
    }
    System.err.println(last);
    System.exit(1);
  }
}
