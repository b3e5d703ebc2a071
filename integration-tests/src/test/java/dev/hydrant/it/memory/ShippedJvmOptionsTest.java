package dev.hydrant.it.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.doppler.DopplerApplication;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.process.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options Hydrant ships with ({@code jvm.options} at the repository root, which {@code ./hydrant}
 * passes to the standalone stack) put a fixed ceiling on every memory pool the JVM owns, so that a
 * component's resident memory is bounded by their sum and cannot creep, and keep those ceilings small: a
 * Doppler started with them as its own process has a heap whose ceiling is half the 256 MB that a component
 * may take under load, which starts below it rather than committed in full, capped direct buffers (and
 * fewer arenas in gRPC's buffer pool), class metadata and code cache, and after its start takes well under
 * that budget. What the JVM reports is read with {@code jcmd} from the JDK that runs the test, and the
 * resident set from {@code /proc} (Linux).
 *
 * <p>It shows that the ceilings are in force in a running component; what a component takes idle and under
 * load, and that its memory then stays flat for an hour, is what {@code benchmarks/} measures (BENCHMARKS.md,
 * "Start-up and memory" and "Soak").
 */
class ShippedJvmOptionsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) with mutual TLS");
    private static final Pattern FLAG = Pattern.compile("-XX:([+-]?)(\\w+)(?:=(\\S+))?");
    /** G1's heap, or each generation of the serial and parallel collectors' heaps, in {@code GC.heap_info}. */
    private static final Pattern HEAP_TOTAL = Pattern.compile("(?:heap|generation)\\s+total (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final long MIB = 1024 * 1024;
    /** What a component may take resident under load (issue 12); its heap gets at most half of it. */
    private static final long COMPONENT_BUDGET = 256 * MIB;

    /** Kept when the test fails: the Doppler's log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aDopplerStartedWithTheShippedOptionsHasEveryMemoryPoolCappedAndStaysWithinTheComponentBudget()
            throws Exception {
        Path options = ROOT.resolve("jvm.options");
        assertThat(options).as("the shipped JVM options").isRegularFile();
        assertThat(Files.readString(ROOT.resolve("hydrant"))).as("./hydrant runs the stack with them")
                .contains("@\"$ROOT/jvm.options\"");

        TlsFiles tls = CertificateAuthority.create("memory-test-ca").issueFiles(dir.resolve("doppler"), "doppler");
        Path log = dir.resolve("doppler.log");
        List<String> arguments = List.of("--hydrant.doppler.host=127.0.0.1", "--hydrant.doppler.port=0",
                "--server.address=127.0.0.1", "--server.port=0",
                "--hydrant.doppler.tls.cert-file=" + tls.certFile().toAbsolutePath(),
                "--hydrant.doppler.tls.key-file=" + tls.keyFile().toAbsolutePath(),
                "--hydrant.doppler.tls.ca-file=" + tls.caFile().toAbsolutePath());
        try (ChildJvm doppler = ChildJvm.start(DopplerApplication.class.getName(), List.of("@" + options),
                arguments, log)) {
            await().atMost(Patience.PATIENCE).failFast(() -> assertThat(doppler.isAlive())
                            .as("the Doppler runs; its log:%n%s", doppler.tail()).isTrue())
                    .until(() -> LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8)).find());
            long pid = doppler.pid();

            Map<String, String> flags = flags(jcmd(pid, "VM.flags"));
            long maxHeap = Long.parseLong(flags.get("MaxHeapSize"));
            assertThat(flags).as("the flags in force")
                    .containsKeys("MaxDirectMemorySize", "MaxMetaspaceSize", "ReservedCodeCacheSize")
                    .containsEntry("ExitOnOutOfMemoryError", "true")
                    .doesNotContainEntry("AlwaysPreTouch", "true");
            assertThat(maxHeap).as("the heap's ceiling").isPositive().isLessThanOrEqualTo(COMPONENT_BUDGET / 2);
            assertThat(Long.parseLong(flags.get("InitialHeapSize"))).as("the heap committed at the start")
                    .isLessThan(maxHeap);
            assertThat(Long.parseLong(flags.get("MaxDirectMemorySize"))).as("the direct-buffer ceiling")
                    .isPositive().isLessThan(maxHeap);
            assertThat(Long.parseLong(flags.get("MaxMetaspaceSize"))).as("the class-metadata ceiling")
                    .isPositive().isLessThanOrEqualTo(maxHeap);
            assertThat(Long.parseLong(flags.get("ReservedCodeCacheSize"))).as("the code-cache ceiling")
                    .isLessThan(maxHeap);
            assertThat(jcmd(pid, "VM.system_properties")).as("gRPC's buffer pool keeps a fixed number of arenas")
                    .contains("io.grpc.netty.shaded.io.netty.allocator.numDirectArenas=")
                    .contains("io.grpc.netty.shaded.io.netty.allocator.numHeapArenas=");

            long committedHeap = 1024 * sumOfNumbers(HEAP_TOTAL, jcmd(pid, "GC.heap_info"));
            assertThat(committedHeap).as("the heap committed after the start").isLessThanOrEqualTo(maxHeap);
            long rss = 1024 * firstNumber(RSS, Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            assertThat(rss).as("the resident set after the start, with every library of the integration tests "
                    + "on the class path").isLessThan(COMPONENT_BUDGET);
        }
    }

    /** {@code -XX:Name=value} and {@code -XX:+Name} of {@code jcmd VM.flags}, as name to value ("true" for +). */
    private static Map<String, String> flags(String output) {
        Map<String, String> flags = new HashMap<>();
        Matcher matcher = FLAG.matcher(output);
        while (matcher.find()) {
            flags.put(matcher.group(2), matcher.group(3) != null ? matcher.group(3)
                    : Boolean.toString(!matcher.group(1).equals("-")));
        }
        return flags;
    }

    private static long firstNumber(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("/%s/ in:%n%s", pattern, text).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static long sumOfNumbers(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        long sum = 0;
        boolean found = false;
        while (matcher.find()) {
            sum += Long.parseLong(matcher.group(1));
            found = true;
        }
        assertThat(found).as("/%s/ in:%n%s", pattern, text).isTrue();
        return sum;
    }

    /** {@code jcmd PID COMMAND} with the jcmd next to the java that runs the test; its output. */
    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
        assertThat(jcmd).as("the JDK's jcmd").isExecutable();
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(Patience.WAIT.toSeconds(), TimeUnit.SECONDS)).as("jcmd %s ended", command).isTrue();
        return output;
    }
}
