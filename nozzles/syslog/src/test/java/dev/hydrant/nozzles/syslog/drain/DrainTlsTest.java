package dev.hydrant.nozzles.syslog.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.testsupport.syslog.Sec1Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrainTlsTest {

    @TempDir
    Path dir;

    private final CertificateAuthority ca = CertificateAuthority.create("drain-ca");
    private final CertificateAuthority.Issued client = ca.issue("client");

    private Binding binding(String cert, String key, String caPem) {
        return new Binding("b", "app", "syslog-tls://drain.test:6514", DrainType.LOGS, false, cert, key, caPem);
    }

    @Test
    void aClientKey_isReadAsPkcs8OrAsSec1() throws Exception {
        String cert = Files.readString(client.writeCertificate(dir.resolve("c.crt")));
        String pkcs8 = Files.readString(client.writeKey(dir.resolve("c.key")));
        String sec1 = Sec1Keys.pem((ECPrivateKey) client.keyPair().getPrivate(), client.keyPair().getPublic());
        String caPem = Files.readString(ca.writeCertificate(dir.resolve("ca.crt")));

        assertThat(DrainTls.context(binding(cert, pkcs8, caPem))).isNotNull();
        assertThat(DrainTls.context(binding(cert, sec1, null))).isNotNull();
    }

    @Test
    void materialThatIsNotPem_isRefusedWithWhatIsWrong() throws Exception {
        String cert = Files.readString(client.writeCertificate(dir.resolve("c.crt")));
        assertThatThrownBy(() -> DrainTls.context(binding(cert, "not a key", null)))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> DrainTls.context(binding(cert, null, "not a CA")))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
