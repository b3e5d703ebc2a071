package dev.hydrant.nozzles.splunk.servers;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A server TLS context with a certificate for localhost and 127.0.0.1 issued by the test's CA. */
public final class ServerTls {

    private ServerTls() {
    }

    public static SSLContext issuedBy(CertificateAuthority ca) throws Exception {
        CertificateAuthority.Issued issued = ca.issue("splunk-hec");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("hec", issued.keyPair().getPrivate(), password,
                new Certificate[] {issued.certificate(), ca.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }
}
