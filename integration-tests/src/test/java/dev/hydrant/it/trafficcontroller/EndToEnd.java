package dev.hydrant.it.trafficcontroller;

import dev.hydrant.it.Pipe;
import dev.hydrant.testsupport.tokens.Tokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an end-to-end test through the Traffic Controller starts from, one per test
 * ({@code @RegisterExtension final EndToEnd e2e = new EndToEnd();}): a directory of its own, tokens
 * signed by a key every Traffic Controller it starts trusts, and a {@link Closer} that closes what
 * the test {@linkplain #keep kept} after the test, in reverse order, before the directory goes.
 */
public final class EndToEnd implements BeforeEachCallback, AfterEachCallback {

    private final Tokens tokens = new Tokens();
    private final Closer closer = new Closer();
    private Path dir;
    private Path publicKey;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("hydrant-it-");
        publicKey = tokens.writePublicKey(dir.resolve("uaa"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            closer.close();
        } finally {
            delete(dir);
        }
    }

    /** The test's own directory. */
    public Path dir() {
        return dir;
    }

    public Tokens tokens() {
        return tokens;
    }

    /** Closes {@code closeable} after the test, before what was kept earlier. */
    public <T extends AutoCloseable> T keep(T closeable) {
        return closer.keep(closeable);
    }

    /** Metron and {@code dopplers} Dopplers, with their defaults. */
    public Pipe pipe(int dopplers) {
        return keep(Pipe.start(dir, dopplers, Map.of(), Map.of()));
    }

    /** A Traffic Controller named {@code traffic-controller} on every Doppler of {@code pipe}. */
    public TrafficControllerNode trafficController(Pipe pipe, Map<String, Object> overrides) {
        return trafficController(pipe, "traffic-controller", pipe.dopplerAddresses(), overrides);
    }

    public TrafficControllerNode trafficController(Pipe pipe, String name, List<String> dopplers,
                                                   Map<String, Object> overrides) {
        return keep(TrafficControllerNode.start(pipe, name, dopplers, publicKey, overrides));
    }

    private static void delete(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
