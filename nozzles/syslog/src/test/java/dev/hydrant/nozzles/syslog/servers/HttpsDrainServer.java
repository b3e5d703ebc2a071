package dev.hydrant.nozzles.syslog.servers;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS drain (the JDK's server) on a port of its own, with a certificate from the test's CA for {@code drain.test}
 * (and localhost, 127.0.0.1, ::1); keeps each POST body. It may ask for a client certificate from the same CA
 * (mutual TLS), and may listen on every address (so a client reaching any loopback address would get in).
 */
public final class HttpsDrainServer implements AutoCloseable {

    private final HttpsServer server;
    private final List<byte[]> posts = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    public HttpsDrainServer(CertificateAuthority ca) throws IOException, GeneralSecurityException {
        this(ca, false, InetAddress.getLoopbackAddress());
    }

    /**
     * @param clientCertificate ask for a client certificate the CA issued; a client without one is refused
     * @param address           where to listen (the wildcard address: every interface)
     */
    public HttpsDrainServer(CertificateAuthority ca, boolean clientCertificate, InetAddress address)
            throws IOException, GeneralSecurityException {
        CertificateAuthority.Issued issued = ca.issue("drain.test");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("drain", issued.keyPair().getPrivate(), new char[0],
                new Certificate[] {issued.certificate(), ca.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        server = HttpsServer.create(new InetSocketAddress(address, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(clientCertificate);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                posts.add(in.readAllBytes());
            }
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<byte[]> posts() {
        return posts;
    }

    public List<String> authorizations() {
        return authorizations;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
