package dev.hydrant.nozzle.classpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * gRPC's transport and BouncyCastle are optional for a nozzle: with them off the class path (as in a nozzle
 * that does not add them) the SSE path reads envelopes, never loads the gRPC transport, and asking for
 * transport grpc says which dependency to add.
 */
class OptionalDependenciesTest {

    private static final List<String> HIDDEN = List.of("grpc-netty-shaded", "bcprov", "bcpkix", "bcutil");

    @Test
    void withoutGrpcAndBouncyCastle_sseReads_andGrpcSaysWhatToAdd() throws Exception {
        List<URL> urls = new ArrayList<>();
        long hiddenBytes = 0;
        for (String entry : classPath()) {
            if (HIDDEN.stream().anyMatch(entry::contains)) {
                hiddenBytes += new File(entry).length();
            } else {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        Set<String> loaded = ConcurrentHashMap.newKeySet();
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                loaded.add(name);
                return super.findClass(name);
            }
        }) {
            assertThat(hiddenBytes).as("bytes of the jars hidden").isGreaterThan(10_000_000);
            assertThat(loader.getResource("io/grpc/netty/shaded/io/grpc/netty/NettyChannelBuilder.class")).isNull();

            @SuppressWarnings("unchecked")
            Callable<List<String>> run = (Callable<List<String>>) loader
                    .loadClass(SseWithoutGrpc.class.getName()).getConstructor().newInstance();
            List<String> answers = run.call();

            assertThat(answers.get(0)).isEqualTo("read without grpc");
            assertThat(answers.get(1)).startsWith("transport grpc needs io.grpc:grpc-netty-shaded on the class path: add");
            assertThat(loaded).doesNotContain("dev.hydrant.nozzle.client.GrpcEgressTransport",
                    "dev.hydrant.plumbing.grpc.GrpcTransport");
        }
    }

    /** The test class path, also when surefire passes it in a manifest-only jar. */
    private static List<String> classPath() throws Exception {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("surefirebooter")) {
                try (JarFile jar = new JarFile(entry)) {
                    for (String url : jar.getManifest().getMainAttributes().getValue("Class-Path").split(" ")) {
                        if (!url.isBlank()) {
                            entries.add(Path.of(new URL(url).toURI()).toString());
                        }
                    }
                }
            } else {
                entries.add(entry);
            }
        }
        return entries;
    }
}
