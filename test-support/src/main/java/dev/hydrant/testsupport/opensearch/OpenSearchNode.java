package dev.hydrant.testsupport.opensearch;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real single-node OpenSearch 2.19 (the integration-test zip from Maven Central, which Maven unpacks into
 * {@code target/}; system property {@code opensearch.home}) on free ports, with a 512 MB heap, its config, data
 * and logs in a temporary directory, disk watermarks off. OpenSearch refuses to run as root: as root it runs
 * as the unprivileged user {@value #USER} (.ci/run creates it; once by hand:
 * {@code useradd --system --no-create-home hydrant-test}). Startup takes 20 to 60 s on a busy machine, so one
 * node serves every test of the JVM ({@link #shared()}) and stops when the JVM exits.
 */
public final class OpenSearchNode {

    /** The user OpenSearch runs as when the tests run as root. */
    public static final String USER = "hydrant-test";
    /** How long a start may take on a loaded, shared machine. */
    private static final Duration START = Duration.ofSeconds(150);

    private static OpenSearchNode shared;

    private final Path dir;
    private final Process process;
    private final URI url;
    private final HttpClient http = HttpClient.newHttpClient();

    private OpenSearchNode() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("opensearch.home", "target/opensearch-2.19.6")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/opensearch"))) {
            throw new IllegalStateException("no OpenSearch at " + home + ": run the tests through Maven "
                    + "(./mvnw -B verify), which unpacks org.opensearch.distribution.integ-test-zip:opensearch there");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && new ProcessBuilder("id", "-u", USER).start().waitFor() != 0) {
            throw new IllegalStateException("OpenSearch refuses to run as root and the user " + USER + " to run it "
                    + "as is missing: run .ci/run, or once: useradd --system --no-create-home " + USER);
        }
        dir = Files.createTempDirectory("hydrant-opensearch-");
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.createDirectories(config.resolve("jvm.options.d"));
        Files.copy(home.resolve("config/log4j2.properties"), config.resolve("log4j2.properties"));
        Files.writeString(config.resolve("jvm.options"), String.join("\n", "-Xms512m", "-Xmx512m", "-XX:+UseG1GC",
                "-Djava.io.tmpdir=${OPENSEARCH_TMPDIR}", "18-:-Djava.security.manager=allow",
                "-Djava.util.concurrent.ForkJoinPool.common.threadFactory=org.opensearch.secure_sm.SecuredForkJoinWorkerThreadFactory",
                ""));
        Files.writeString(config.resolve("opensearch.yml"), String.join("\n",
                "cluster.name: hydrant-test", "node.name: hydrant-test-node", "discovery.type: single-node",
                "network.host: 127.0.0.1", "http.port: 0", "transport.port: 0", "node.portsfile: true",
                "path.data: " + dir.resolve("data"), "path.logs: " + dir.resolve("logs"),
                "bootstrap.memory_lock: false", "cluster.routing.allocation.disk.threshold_enabled: false",
                "action.auto_create_index: true", ""));
        for (String sub : List.of("data", "logs", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        List<String> command = new ArrayList<>();
        if (root) {
            if (!readableBy(USER, home)) {
                // a checkout the user cannot reach (under /root, say): a copy of the distribution it can
                home = copy(home, dir.resolve("opensearch"));
            }
            run("chown", "-R", USER + ":", dir.toString());
            command.addAll(List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups"));
        }
        command.addAll(List.of("bash", home.resolve("bin/opensearch").toString()));
        String java = System.getProperty("java.home");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("opensearch.out").toFile());
        builder.environment().put("OPENSEARCH_PATH_CONF", config.toString());
        builder.environment().put("OPENSEARCH_JAVA_HOME", java);
        builder.environment().put("JAVA_HOME", java);
        builder.environment().put("OPENSEARCH_TMPDIR", dir.resolve("tmp").toString());
        builder.environment().remove("OPENSEARCH_JAVA_OPTS");
        process = builder.start();
        Path ports = dir.resolve("logs/http.ports");
        try {
            await("OpenSearch listening (its output: " + dir.resolve("opensearch.out") + ")").atMost(START)
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> !process.isAlive() || Files.exists(ports) && !Files.readString(ports).isBlank());
            if (!process.isAlive()) {
                throw new IllegalStateException("OpenSearch exited " + process.exitValue() + ": " + output());
            }
            String address = Files.readAllLines(ports).get(0).strip();
            url = URI.create("http://" + address);
            await("OpenSearch's cluster health yellow or green").atMost(START).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> get("_cluster/health?wait_for_status=yellow&timeout=5s").statusCode() == 200);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** The JVM's node, started on first use and stopped when the JVM exits. */
    public static synchronized OpenSearchNode shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = new OpenSearchNode();
            OpenSearchNode node = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(node::stop, "opensearch-stop"));
        }
        return shared;
    }

    public URI url() {
        return url;
    }

    /** {@code GET path}. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** A JSON request to the node. */
    public HttpResponse<String> send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/" + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", path.startsWith("_bulk") ? "application/x-ndjson" : "application/json")
                .method(method, body).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The end of what OpenSearch printed, for failure messages. */
    public String output() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("opensearch.out"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(its output cannot be read: " + e + ")";
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it up
        }
    }

    /** Whether {@code user} can read the distribution at {@code home} (every directory above it searchable). */
    private static boolean readableBy(String user, Path home) throws IOException, InterruptedException {
        return new ProcessBuilder("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "test", "-r",
                home.resolve("lib").toString()).start().waitFor() == 0;
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(from.relativize(file).toString()),
                        java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return to;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
