package dev.hydrant.metron.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.Patience;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian package's Prometheus node exporter ({@code /usr/bin/prometheus-node-exporter}, installed by
 * {@code .ci/run}), started by the test on a free port of 127.0.0.1 with a few collectors: a real
 * exposition endpoint the project did not write. A missing binary fails the test, never skips it.
 */
public final class NodeExporter implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/prometheus-node-exporter");
    private static final int ATTEMPTS = 5;

    private final Process process;
    private final int port;
    private final Path log;

    private NodeExporter(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts it with the cpu, stat and loadavg collectors; its output goes to a file in {@code dir}. */
    public static NodeExporter start(Path dir) throws IOException {
        assertThat(Files.isExecutable(BINARY))
                .as("%s is not installed: apt-get install prometheus-node-exporter (.ci/run does)", BINARY)
                .isTrue();
        // a free port may be taken between looking and binding: a few attempts, each on a new port
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            Path log = dir.resolve("node-exporter-" + attempt + ".log");
            List<String> command = new ArrayList<>(List.of(BINARY.toString(),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--collector.disable-defaults", "--collector.cpu", "--collector.stat", "--collector.loadavg"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            NodeExporter exporter = new NodeExporter(process, port, log);
            await().atMost(Patience.WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || exporter.answers());
            if (process.isAlive()) {
                return exporter;
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("node exporter did not start: " + Files.readString(log));
            }
        }
    }

    private boolean answers() {
        try {
            return scrape().contains("node_exporter_build_info");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The exposition, as the test reads it itself (text format). */
    public String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url()))
                        .header("Accept", "text/plain;version=0.0.4").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("node exporter answered").isEqualTo(200);
        return response.body();
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/metrics";
    }

    /** What it printed, for failure messages. */
    public String output() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
