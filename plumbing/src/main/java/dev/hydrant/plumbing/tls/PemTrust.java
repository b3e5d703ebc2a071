package dev.hydrant.plumbing.tls;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client's TLS context that trusts exactly the CA certificates of one PEM file (a {@code ca-file} setting)
 * and nothing else; used by the nozzles for the servers they write to (a Splunk HEC, an Elasticsearch
 * cluster). A file that cannot be read or holds no certificate stops the start-up naming the setting.
 */
public final class PemTrust {

    private PemTrust() {
    }

    /** An SSL context trusting the certificates in {@code caFile} (PEM, one or more); {@code setting} names it in errors. */
    public static SSLContext trusting(Path caFile, String setting) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new InvalidSettingException(setting, "cannot read " + caFile + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new InvalidSettingException(setting, caFile + " is not a PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new InvalidSettingException(setting, caFile + " holds no PEM certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidSettingException(setting, "cannot trust " + caFile + ": " + e.getMessage(), e);
        }
    }
}
