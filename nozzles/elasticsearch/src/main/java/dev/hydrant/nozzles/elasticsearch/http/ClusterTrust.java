package dev.hydrant.nozzles.elasticsearch.http;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS trust for the cluster: exactly the CA certificates of a PEM file. */
public final class ClusterTrust {

    private ClusterTrust() {
    }

    /** An SSL context trusting the certificates in {@code caFile} (PEM, one or more); {@code setting} names it in errors. */
    public static SSLContext of(Path caFile, String setting) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (Exception e) {
            throw new InvalidSettingException(setting, "cannot read a PEM certificate from " + caFile + ": " + e, e);
        }
        if (certificates.isEmpty()) {
            throw new InvalidSettingException(setting, "no certificate in " + caFile);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
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
        } catch (Exception e) {
            throw new InvalidSettingException(setting, "cannot trust the certificates of " + caFile + ": " + e, e);
        }
    }
}
