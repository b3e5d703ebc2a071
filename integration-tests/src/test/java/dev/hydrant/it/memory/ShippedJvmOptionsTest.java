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
 * component's resident memory is bounded by their sum and cannot creep: a Doppler started with them as
 * its own process has its heap committed in full and resident from the start, and capped direct
 * buffers, class metadata and code cache. What the JVM reports is read with {@code jcmd} from the JDK
 * that runs the test, and the resident set from {@code /proc} (Linux).
 *
 * <p>It shows that the ceilings are in force in a running component; that its memory then stays flat
 * for an hour under load is what the soak in {@code benchmarks/} (BENCHMARKS.md, "Soak") measures.
 */
class ShippedJvmOptionsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) with mutual TLS");
    private static final Pattern FLAG = Pattern.compile("-XX:([+-]?)(\\w+)(?:=(\\S+))?");
    private static final Pattern HEAP_TOTAL = Pattern.compile("heap\\s+total (\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    /** Kept when the test fails: the Doppler's log is in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aDopplerStartedWithTheShippedOptionsHasEveryMemoryPoolCappedAndItsWholeHeapResident() throws Exception {
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
            assertThat(flags).as("the flags in force").containsEntry("InitialHeapSize", flags.get("MaxHeapSize"))
                    .containsEntry("AlwaysPreTouch", "true")
                    .containsKeys("MaxDirectMemorySize", "MaxMetaspaceSize", "ReservedCodeCacheSize");
            assertThat(Long.parseLong(flags.get("MaxDirectMemorySize"))).as("the direct-buffer ceiling")
                    .isPositive().isLessThan(maxHeap);
            assertThat(Long.parseLong(flags.get("MaxMetaspaceSize"))).as("the class-metadata ceiling")
                    .isPositive().isLessThan(maxHeap);
            assertThat(Long.parseLong(flags.get("ReservedCodeCacheSize"))).as("the code-cache ceiling")
                    .isLessThan(maxHeap);

            long committedHeap = 1024 * firstNumber(HEAP_TOTAL, jcmd(pid, "GC.heap_info"));
            assertThat(committedHeap).as("the heap is committed in full at the start").isEqualTo(maxHeap);
            long rss = 1024 * firstNumber(RSS, Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            assertThat(rss).as("the whole heap is resident at the start (touched once), so it cannot grow later")
                    .isGreaterThanOrEqualTo(maxHeap);
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
