package dev.hydrant.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.standalone.token.TokenCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hydrant run} as an operator runs it: its own process, stopped by SIGTERM, with an SSE reader
 * on the Traffic Controller that must get the closing event although Metron closes before it.
 */
class SigtermTest {

    /** Each component's shutdown-grace here; they stop one after the other. */
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final int COMPONENTS = 3;
    /** For the JVM's own exit on a loaded machine, on top of the graces. */
    private static final Duration MARGIN = Duration.ofSeconds(5);
    /** A cold JVM starting three Spring contexts on a shared two-core machine. */
    private static final Duration START_PATIENCE = Duration.ofSeconds(60);

    private static final Pattern TRAFFIC_CONTROLLER = Pattern.compile("Traffic Controller\\s+(http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path home;

    private Process process;

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigterm_stopsMetronThenTheTrafficControllerThenTheDoppler_andExitsZeroWithinTheirGraces() throws Exception {
        Path log = home.resolve("standalone.log");
        process = start(log);
        await().atMost(START_PATIENCE).pollInterval(Duration.ofMillis(100))
                .failFast(() -> assertThat(process.isAlive()).as("running; its log:%n%s", read(log)).isTrue())
                .untilAsserted(() -> assertThat(read(log)).contains("Press Ctrl-C to stop."));
        // a reader whose stream the Traffic Controller must still end properly after Metron has closed
        Matcher url = TRAFFIC_CONTROLLER.matcher(read(log));
        assertThat(url.find()).as("the Traffic Controller's address in the banner").isTrue();
        CompletableFuture<String> sse = readSse(URI.create(url.group(1) + "/v2/read?source_id=my-app&log"));

        long sent = System.nanoTime();
        process.destroy();
        Duration patience = GRACE.multipliedBy(COMPONENTS).plus(MARGIN);
        boolean ended = process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - sent);

        String output = read(log);
        assertThat(ended).as("exited within %s of SIGTERM; its log:%n%s", patience, output).isTrue();
        assertThat(process.exitValue()).as("exit status after %s; its log:%n%s", took, output).isZero();
        assertThat(output).contains("Stopping Metron, the Traffic Controller and the Doppler...");
        assertThat(output.indexOf("metron stopped:")).as("Metron reported its stop; its log:%n%s", output)
                .isNotNegative()
                .isLessThan(output.indexOf("doppler stopped"));
        assertThat(sse.get(patience.toMillis(), TimeUnit.MILLISECONDS)).as("what the SSE reader got")
                .contains("event: closing\ndata: closing due to shutdown");
    }

    /** Opens an SSE read with an admin token; the answer's headers have come when this returns, its body follows. */
    private CompletableFuture<String> readSse(URI uri) throws Exception {
        ByteArrayOutputStream token = new ByteArrayOutputStream();
        assertThat(TokenCommand.run(List.of("--admin"), new DataDirectory(home), new PrintStream(token, true), System.err))
                .as("token command status").isZero();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Authorization", "bearer " + token.toString().strip())
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).as("status of %s", uri).isEqualTo(200);
        return CompletableFuture.supplyAsync(() -> response.body().collect(Collectors.joining("\n")));
    }

    private Process start(Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StandaloneApplication.class.getName(), "run"));
        command.addAll(TestStacks.arguments(home));
        command.addAll(List.of(
                "--hydrant.metron.shutdown-grace=" + GRACE.toMillis() + "ms",
                "--hydrant.traffic-controller.shutdown-grace=" + GRACE.toMillis() + "ms",
                "--hydrant.doppler.shutdown-grace=" + GRACE.toMillis() + "ms"));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
