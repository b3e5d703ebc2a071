package dev.hydrant.benchmarks.load;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The certificates of one run. When the harness starts the components, it makes a fresh test CA
 * and issues {@code doppler}, {@code metron}, {@code traffic-controller} and {@code load-harness}
 * certificates from it. When it targets running components, {@code --certs DIR} must hold
 * {@code ca.crt}, {@code load-harness.crt} and {@code load-harness.key}: a client certificate
 * their CA trusts.
 *
 * @param doppler Doppler's server files, or null when Doppler is not started by the harness
 * @param metron  Metron's server and client files, or null when Metron is not started by the harness
 * @param trafficController the Traffic Controller's client (towards Doppler) and gRPC server files, or null
 * @param client  the harness's own client files
 */
record HarnessPki(TlsFiles doppler, TlsFiles metron, TlsFiles trafficController, TlsFiles client) {

    /** Name of the harness's client certificate files in a certificate directory. */
    static final String CLIENT_NAME = "load-harness";

    /** A new test CA and its four certificates, written into {@code directory}. */
    static HarnessPki generate(Path directory) {
        CertificateAuthority ca = CertificateAuthority.create("hydrant-load-harness-ca");
        return new HarnessPki(
                ca.issueFiles(directory.resolve("doppler"), "doppler"),
                ca.issueFiles(directory.resolve("metron"), "metron"),
                ca.issueFiles(directory.resolve("traffic-controller"), "traffic-controller"),
                ca.issueFiles(directory, CLIENT_NAME));
    }

    /** The client files from an existing directory, checked now so that a bad directory is named at once. */
    static HarnessPki existing(Path directory) {
        TlsFiles client = new TlsFiles(directory.resolve(CLIENT_NAME + ".crt"),
                directory.resolve(CLIENT_NAME + ".key"), directory.resolve("ca.crt"));
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("--certs " + directory + " is not a directory");
        }
        return new HarnessPki(null, null, null, client.validate("--certs"));
    }
}
