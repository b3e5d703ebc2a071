package dev.hydrant.metron.scrape;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server whose chain the delegate trusts and whose certificate carries a configured name
 * among its DNS subject alternative names (a {@code *.} wildcard covers one label), whatever host the
 * URL names: the {@code server-name} setting of a scrape target.
 */
final class ServerNameTrust extends X509ExtendedTrustManager {

    private static final int DNS_NAME = 2;

    private final X509ExtendedTrustManager delegate;
    private final String serverName;

    ServerNameTrust(X509ExtendedTrustManager delegate, String serverName) {
        this.delegate = delegate;
        this.serverName = serverName.toLowerCase(Locale.ROOT);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        if (chain.length == 0 || !carriesName(chain[0])) {
            throw new CertificateException("the server's certificate is not for " + serverName);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    private boolean carriesName(X509Certificate certificate) throws CertificateParsingException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        if (names == null) {
            return false;
        }
        for (List<?> name : names) {
            if (name.size() == 2 && Integer.valueOf(DNS_NAME).equals(name.get(0)) && name.get(1) instanceof String dns
                    && matches(dns.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(String dns) {
        if (dns.startsWith("*.")) {
            int dot = serverName.indexOf('.');
            return dot > 0 && serverName.substring(dot).equals(dns.substring(1));
        }
        return dns.equals(serverName);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
