package dev.hydrant.nozzle.client;

import dev.hydrant.plumbing.config.InvalidSettingException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import reactor.netty.http.client.HttpClient;

/**
 * TLS of the HTTP side (SSE, websocket, recent logs over https, and the token endpoint): the CA that signs
 * the server, and optionally this client's certificate and key for mutual TLS, all PEM. Without a CA file
 * the JVM's default trust store is used. Checked when set, so that a bad file stops the start-up naming the
 * setting rather than failing each handshake.
 *
 * @param caFile   PEM certificate(s) of the CA that signs the Traffic Controller; null for the JVM's trust store
 * @param certFile PEM certificate chain of this client, for mutual TLS; null for none
 * @param keyFile  PKCS#8 PEM key of {@code certFile}
 */
public record HttpTls(Path caFile, Path certFile, Path keyFile) {

    /** Settings prefix named in errors. */
    public static final String PREFIX = "hydrant.nozzle";

    /** Trusting the CA in {@code caFile}, without a client certificate. */
    public static HttpTls trusting(Path caFile) {
        return new HttpTls(caFile, null, null);
    }

    /** Checks every file that is set; the certificate and the key go together. */
    public HttpTls validate() {
        if (caFile != null) {
            certificates(PREFIX + ".ca-file", caFile);
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new InvalidSettingException(PREFIX + (certFile == null ? ".cert-file" : ".key-file"),
                    "is required when " + (certFile == null ? "key-file" : "cert-file") + " is set");
        }
        if (certFile != null) {
            certificates(PREFIX + ".cert-file", certFile);
            readable(PREFIX + ".key-file", keyFile);
            try {
                if (!Files.readString(keyFile, StandardCharsets.US_ASCII).contains("-----BEGIN PRIVATE KEY-----")) {
                    throw new InvalidSettingException(PREFIX + ".key-file",
                            keyFile + " holds no PKCS#8 PEM private key ('-----BEGIN PRIVATE KEY-----')");
                }
            } catch (IOException e) {
                throw new InvalidSettingException(PREFIX + ".key-file", "cannot read " + keyFile, e);
            }
        }
        return this;
    }

    /** {@code http} trusting only the CA file (and presenting the client certificate, if any). */
    HttpClient secure(HttpClient http) {
        if (caFile == null && certFile == null) {
            return http;
        }
        SslContextBuilder builder = SslContextBuilder.forClient();
        String setting = PREFIX + ".ca-file";
        try {
            if (caFile != null) {
                builder.trustManager(caFile.toFile());
            }
            setting = PREFIX + ".key-file";
            if (certFile != null) {
                builder.keyManager(certFile.toFile(), keyFile.toFile());
            }
            SslContext context = builder.build();
            return http.secure(spec -> spec.sslContext(context));
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidSettingException(setting, "cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * {@code http} trusting the JVM's default CAs and the CA file both: for a token endpoint, which is often
     * signed by a public CA while the Traffic Controller is signed by a private one.
     */
    public HttpClient secureAlsoTrustingDefaults(HttpClient http) {
        if (caFile == null) {
            return http;
        }
        try {
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            List<X509Certificate> trusted = new ArrayList<>();
            for (var manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    trusted.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            for (Certificate certificate : certificates(PREFIX + ".ca-file", caFile)) {
                trusted.add((X509Certificate) certificate);
            }
            SslContext context = SslContextBuilder.forClient().trustManager(trusted).build();
            return http.secure(spec -> spec.sslContext(context));
        } catch (GeneralSecurityException | SSLException e) {
            throw new InvalidSettingException(PREFIX + ".ca-file", "cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(String setting, Path file) {
        readable(setting, file);
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new InvalidSettingException(setting, file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException | GeneralSecurityException e) {
            // the parser's own words as text only: its exception would hide this one as the root cause
            throw new InvalidSettingException(setting, file + " holds no PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static void readable(String setting, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidSettingException(setting, "file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidSettingException(setting, "file " + file + " is not readable");
        }
    }
}
