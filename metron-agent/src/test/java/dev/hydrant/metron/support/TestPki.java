package dev.hydrant.metron.support;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.nio.file.Path;

/** A throw-away PKI: one CA, and certificates for metron, a Doppler and an emitter. */
public final class TestPki {

    public final CertificateAuthority ca;
    public final TlsFiles metron;
    public final TlsFiles doppler;
    public final TlsFiles emitter;

    public TestPki(Path directory) {
        this.ca = CertificateAuthority.create("test-ca");
        this.metron = ca.issueFiles(directory.resolve("metron"), "metron");
        this.doppler = ca.issueFiles(directory.resolve("doppler"), "doppler");
        this.emitter = ca.issueFiles(directory.resolve("emitter"), "emitter");
    }
}
