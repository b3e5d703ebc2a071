package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command lines {@code --component-java} and {@code --start-cache} make, and when a cache counts as
 * current; no component is started and nothing is recorded here (the load harness's runs do that).
 */
class StartCacheTest {

    private static final String JAR = "doppler-0.1.0-SNAPSHOT-exec.jar";
    private static final List<String> JVM = List.of("-XX:+UseSerialGC", "-Xmx128m");
    private static final ComponentJava JAVA_25 = new ComponentJava(Path.of("/opt/jdk-25/bin/java"), "25.0.3+9-LTS", 25);
    private static final ComponentJava JAVA_17 = new ComponentJava(Path.of("/opt/jdk-17/bin/java"), "17.0.15+6", 17);

    @TempDir
    Path dir;

    @Test
    void withoutACacheAComponentRunsFromItsExecJarWithTheOptionsGivenByTheJavaNamed() throws Exception {
        Path execJar = execJar();

        ComponentLaunch launch = Launcher.plain(JAVA_25).launch("doppler", execJar, JVM);

        assertThat(launch.command(List.of("--server.port=0"))).containsExactly("/opt/jdk-25/bin/java",
                "-XX:+UseSerialGC", "-Xmx128m", "-jar", execJar.toAbsolutePath().toString(), "--server.port=0");
        assertThat(launch.startCache()).isEqualTo("none");
        assertThat(launch.stopGrace()).isEqualTo(ComponentLaunch.STOP_GRACE);
    }

    @Test
    void onJava25AComponentRecordsItsAheadOfTimeCacheFromTheExtractedJarAndThenMustReadIt() throws Exception {
        Path execJar = execJar();
        Path cacheDir = extractedAlready(execJar);
        StartCache cache = new StartCache(cacheDir, JAVA_25);
        String extracted = cacheDir.resolve("doppler").resolve(JAR).toAbsolutePath().toString();
        String file = cacheDir.resolve("doppler-25.aot").toString();

        ComponentLaunch recording = new Launcher(JAVA_25, cache, Set.of("doppler")).launch("doppler", execJar, JVM);
        ComponentLaunch reading = new Launcher(JAVA_25, cache, Set.of()).launch("doppler", execJar, JVM);

        assertThat(recording.command(List.of())).containsExactly("/opt/jdk-25/bin/java", "-XX:+UseSerialGC",
                "-Xmx128m", "-XX:AOTCacheOutput=" + file, "-jar", extracted);
        assertThat(recording.startCache()).isEqualTo("recording " + file);
        assertThat(recording.stopGrace()).isEqualTo(ComponentLaunch.RECORDING_STOP_GRACE);
        assertThat(reading.command(List.of())).containsExactly("/opt/jdk-25/bin/java", "-XX:+UseSerialGC",
                "-Xmx128m", "-XX:AOTCache=" + file, "-XX:AOTMode=on", "-jar", extracted);
        assertThat(reading.startCache()).isEqualTo(file);
    }

    @Test
    void beforeJava25AComponentRecordsAndReadsADynamicClassDataSharingArchive() throws Exception {
        Path execJar = execJar();
        StartCache cache = new StartCache(extractedAlready(execJar), JAVA_17);
        String file = cache.dir().resolve("doppler-17.jsa").toString();

        assertThat(new Launcher(JAVA_17, cache, Set.of("doppler")).launch("doppler", execJar, JVM).jvmOptions())
                .containsExactly("-XX:+UseSerialGC", "-Xmx128m", "-XX:ArchiveClassesAtExit=" + file);
        assertThat(new Launcher(JAVA_17, cache, Set.of()).launch("doppler", execJar, JVM).jvmOptions())
                .containsExactly("-XX:+UseSerialGC", "-Xmx128m", "-XX:SharedArchiveFile=" + file, "-Xshare:on");
    }

    @Test
    void aCacheIsCurrentOnlyForTheJdkBuildAndJvmOptionsItWasRecordedWith() throws Exception {
        Path cacheDir = extractedAlready(execJar());
        StartCache cache = new StartCache(cacheDir, JAVA_25);
        assertThat(cache.isCurrent("doppler", JVM)).isFalse();

        Files.write(cache.file("doppler"), new byte[] {1});
        cache.recorded("doppler", JVM, dir.resolve("doppler.log"));

        assertThat(cache.isCurrent("doppler", JVM)).isTrue();
        assertThat(cache.isCurrent("doppler", List.of("-Xmx256m"))).isFalse();
        assertThat(new StartCache(cacheDir, new ComponentJava(JAVA_25.path(), "25.0.4+7-LTS", 25))
                .isCurrent("doppler", JVM)).isFalse();
    }

    @Test
    void aTrainingRunThatWroteNoCacheIsReportedNamingTheComponentsLog() throws Exception {
        StartCache cache = new StartCache(extractedAlready(execJar()), JAVA_25);

        assertThatThrownBy(() -> cache.recorded("doppler", JVM, dir.resolve("training/doppler.log")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrote no start-up cache " + cache.file("doppler"))
                .hasMessageContaining(dir.resolve("training/doppler.log").toString());
    }

    @Test
    void aNewerExecJarIsExtractedAgainAndItsOldCachesAreDropped() throws Exception {
        Path execJar = execJar();
        Path cacheDir = extractedAlready(execJar);
        StartCache cache = new StartCache(cacheDir, JAVA_17);
        Files.write(cache.file("doppler"), new byte[] {1});
        Files.setLastModifiedTime(execJar, FileTime.from(Instant.now().plusSeconds(60)));
        StartCache withThisJava = new StartCache(cacheDir, ComponentJava.harness());

        // the stand-in exec jar is no jar: the extraction is tried, and fails naming its log
        assertThatThrownBy(() -> withThisJava.extracted("doppler", execJar))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot extract " + execJar);
        assertThat(cache.file("doppler")).doesNotExist();
    }

    @Test
    void theLaunchOptionsAreRefusedAgainstARunningPipe() throws Exception {
        LoadHarness harness = new LoadHarness();
        new picocli.CommandLine(harness).parseArgs("--component-java", "/opt/jdk-25/bin/java",
                "--start-cache", dir.toString());
        assertThat(harness.componentJava).isEqualTo(Path.of("/opt/jdk-25/bin/java"));
        assertThat(harness.startCache).isEqualTo(dir);

        assertThatThrownBy(() -> LoadHarness.runToJson("--start-cache", dir.toString(), "--doppler-only",
                "--doppler", "127.0.0.1:1", "--certs", dir.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--start-cache are for components the harness starts");
        assertThatThrownBy(() -> ComponentJava.of(dir.resolve("no-java")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--component-java");
    }

    private Path execJar() throws Exception {
        Path jar = Files.writeString(Files.createDirectories(dir.resolve("doppler/target")).resolve(JAR), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3_600)));
        return jar;
    }

    /** A cache directory where {@code execJar} was extracted (by hand: the stand-in is no exec jar). */
    private Path extractedAlready(Path execJar) throws Exception {
        Path cacheDir = dir.resolve("cache");
        Path target = Files.createDirectories(cacheDir.resolve("doppler"));
        Files.writeString(target.resolve(JAR), "jar");
        Files.writeString(target.resolve(".extracted-from"), execJar.toAbsolutePath().normalize().toString());
        return cacheDir;
    }
}
