package dev.hydrant.plumbing.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentPkiTest {

    @TempDir
    Path dir;

    @Test
    void issuesEachComponentFromOneCaThatSurvivesARestart() throws Exception {
        TlsFiles doppler = new DevelopmentPki(dir).filesFor("doppler");
        byte[] caBefore = Files.readAllBytes(doppler.caFile());

        TlsFiles metron = new DevelopmentPki(dir).filesFor("metron");

        assertThat(Files.readAllBytes(metron.caFile())).isEqualTo(caBefore);
        X509Certificate ca = read(metron.caFile());
        read(metron.certFile()).verify(ca.getPublicKey());
        read(doppler.certFile()).verify(ca.getPublicKey());
        assertThat(metron.validate("test")).isEqualTo(metron);
    }

    @Test
    void keepsAnIssuedCertificateAcrossCalls() throws Exception {
        TlsFiles first = new DevelopmentPki(dir).filesFor("doppler");
        byte[] before = Files.readAllBytes(first.certFile());
        TlsFiles again = new DevelopmentPki(dir).filesFor("doppler");
        assertThat(Files.readAllBytes(again.certFile())).isEqualTo(before);
    }

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
