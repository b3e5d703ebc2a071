package dev.hydrant.trafficcontroller.drains;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A binding's PEM for mutual TLS: certificate and key together and matching, a CA that parses. */
class ClientCertificatesTest {

    @TempDir
    static Path dir;

    private static String cert;
    private static String key;
    private static String ca;
    private static String otherKey;

    @BeforeAll
    static void issue() throws Exception {
        CertificateAuthority authority = CertificateAuthority.create("drain-ca");
        TlsFiles one = authority.issueFiles(dir.resolve("one"), "client");
        TlsFiles two = authority.issueFiles(dir.resolve("two"), "other");
        cert = Files.readString(one.certFile());
        key = Files.readString(one.keyFile());
        ca = Files.readString(one.caFile());
        otherKey = Files.readString(two.keyFile());
    }

    @Test
    void aMatchingCertificateKeyAndCa_pass() {
        assertThatCode(() -> ClientCertificates.check(cert, key, ca)).doesNotThrowAnyException();
        assertThatCode(() -> ClientCertificates.check(null, null, ca)).doesNotThrowAnyException();
        assertThatCode(() -> ClientCertificates.check(null, null, null)).doesNotThrowAnyException();
    }

    @Test
    void aKeyOfAnotherCertificate_isRefused() {
        assertThatThrownBy(() -> ClientCertificates.check(cert, otherKey, null))
                .hasMessage("key does not match the certificate in cert");
    }

    @Test
    void aCertificateWithoutItsKey_orTheReverse_isRefused() {
        assertThatThrownBy(() -> ClientCertificates.check(cert, null, null))
                .hasMessage("cert and key go together: give both or neither");
        assertThatThrownBy(() -> ClientCertificates.check(null, key, null))
                .hasMessage("cert and key go together: give both or neither");
    }

    @Test
    void textThatIsNotPem_isRefusedWithoutBeingEchoed() {
        assertThatThrownBy(() -> ClientCertificates.check("secret-not-pem", key, null))
                .hasMessage("cert is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
        assertThatThrownBy(() -> ClientCertificates.check(cert, "secret-not-pem", null))
                .hasMessage("key is not an unencrypted PEM private key (PKCS#8, RSA or EC)");
        assertThatThrownBy(() -> ClientCertificates.check(null, null, "-----BEGIN CERTIFICATE-----\nAAAA\n"
                + "-----END CERTIFICATE-----\n")).hasMessage("ca is not a valid PEM certificate");
    }
}
