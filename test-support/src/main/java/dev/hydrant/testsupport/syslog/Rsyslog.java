package dev.hydrant.testsupport.syslog;

import static org.awaitility.Awaitility.await;

import dev.hydrant.testsupport.Patience;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A real rsyslog ({@code rsyslogd -n} with a config of its own in a temporary directory, no system inputs,
 * nothing needing root) listening with imtcp on a port it chooses and writes to a file; over TLS (gtls) it
 * demands a client certificate signed by the test's CA. Every message it receives is written to a file as
 * its parsed RFC 5424 fields, separated by tabs.
 */
public final class Rsyslog implements AutoCloseable {

    private static final String FIELDS = "%pri%\\t%timereported:::date-rfc3339%\\t%hostname%\\t%app-name%\\t%procid%"
            + "\\t%msgid%\\t%structured-data%\\t%msg%\\n";

    private final Process process;
    private final Path dir;
    private final Path output;
    private final int port;

    /** The server side of {@code syslog-tls://}: its certificate, its PKCS#8 key and the CA its clients' certificates chain to. */
    public record ServerTls(Path certFile, Path keyFile, Path caFile) {
    }

    private Rsyslog(Path dir, ServerTls tls) throws IOException {
        this.dir = dir;
        this.output = dir.resolve("received.log");
        Path portFile = dir.resolve("port");
        String global = "global(workDirectory=\"" + dir + "\"";
        String module = "module(load=\"imtcp\"";
        if (tls != null) {
            global += " defaultNetstreamDriverCAFile=\"" + tls.caFile() + "\" defaultNetstreamDriverCertFile=\""
                    + tls.certFile() + "\" defaultNetstreamDriverKeyFile=\"" + sec1Key(tls, dir) + "\"";
            module += " streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"x509/certvalid\"";
        }
        String config = global + ")\n" + module + ")\n"
                + "input(type=\"imtcp\" port=\"0\" listenPortFileName=\"" + portFile + "\")\n"
                + "template(name=\"fields\" type=\"string\" string=\"" + FIELDS + "\")\n"
                + "action(type=\"omfile\" file=\"" + output + "\" template=\"fields\")\n";
        Path conf = Files.writeString(dir.resolve("rsyslog.conf"), config);
        String binary = Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) ? "/usr/sbin/rsyslogd" : "rsyslogd";
        try {
            process = new ProcessBuilder(binary, "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot start rsyslogd (Debian: apt-get install rsyslog rsyslog-gnutls)", e);
        }
        await("rsyslogd listening (its output: " + dir.resolve("rsyslogd.out") + ")").atMost(Patience.WAIT)
                .until(() -> !process.isAlive() || Files.exists(portFile) && !Files.readString(portFile).isBlank());
        if (!process.isAlive()) {
            throw new IllegalStateException("rsyslogd exited: " + Files.readString(dir.resolve("rsyslogd.out")));
        }
        this.port = Integer.parseInt(Files.readString(portFile).trim());
    }

    /** The server key in SEC1 with its public point: see {@link Sec1Keys}. */
    private static Path sec1Key(ServerTls tls, Path dir) throws IOException {
        try (var in = Files.newInputStream(tls.certFile())) {
            var certificate = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            String pem = Files.readString(tls.keyFile()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            ECPrivateKey key = (ECPrivateKey) java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            return Files.writeString(dir.resolve("rsyslog.key"), Sec1Keys.pem(key, certificate.getPublicKey()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot rewrite " + tls.keyFile() + " for GnuTLS", e);
        }
    }

    /** Plain TCP ({@code syslog://}). */
    public static Rsyslog tcp(Path dir) throws IOException {
        return new Rsyslog(dir, null);
    }

    /** TLS with client certificates required ({@code syslog-tls://}); {@code server} is its certificate, key and CA. */
    public static Rsyslog tls(Path dir, ServerTls server) throws IOException {
        return new Rsyslog(dir, Objects.requireNonNull(server, "server"));
    }

    public int port() {
        return port;
    }

    /** Each message received so far: PRI, TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID, SD, MSG. */
    public List<List<String>> messages() {
        if (!Files.exists(output)) {
            return List.of();
        }
        try {
            List<List<String>> messages = new ArrayList<>();
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                messages.add(List.of(line.split("\t", -1)));
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What rsyslogd printed and whether it still runs, for failure messages. */
    public String log() {
        try {
            return "rsyslogd " + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ", printed: "
                    + Files.readString(dir.resolve("rsyslogd.out"));
        } catch (IOException e) {
            return "rsyslogd's output cannot be read: " + e;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
