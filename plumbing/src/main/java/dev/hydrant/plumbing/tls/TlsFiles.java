package dev.hydrant.plumbing.tls;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * The three PEM files of one side of a mutual TLS connection: its certificate chain, its
 * PKCS#8 private key, and the CA that signs its peers.
 *
 * @param certFile PEM certificate chain presented to the peer
 * @param keyFile  PEM PKCS#8 private key of that certificate
 * @param caFile   PEM CA certificate(s) a peer's certificate must chain to
 */
public record TlsFiles(Path certFile, Path keyFile, Path caFile) {

    /**
     * Checks that every file is set, readable and of the right kind, so that a start-up with a
     * bad file fails with the name of the setting rather than in the middle of a handshake.
     *
     * @param prefix the settings prefix, for example {@code hydrant.doppler.tls}
     * @return this
     */
    public TlsFiles validate(String prefix) {
        checkCertificates(prefix + ".cert-file", certFile);
        checkKey(prefix + ".key-file", keyFile);
        checkCertificates(prefix + ".ca-file", caFile);
        return this;
    }

    private static void checkCertificates(String setting, Path file) {
        checkReadable(setting, file);
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new InvalidSettingException(setting, "no certificate in " + file);
            }
        } catch (IOException | CertificateException e) {
            throw new InvalidSettingException(setting, "cannot read a PEM certificate from " + file, e);
        }
    }

    private static void checkKey(String setting, Path file) {
        checkReadable(setting, file);
        try {
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new InvalidSettingException(setting,
                        file + " holds no PKCS#8 PEM private key ('-----BEGIN PRIVATE KEY-----')");
            }
        } catch (IOException e) {
            throw new InvalidSettingException(setting, "cannot read " + file, e);
        }
    }

    private static void checkReadable(String setting, Path file) {
        if (file == null) {
            throw new InvalidSettingException(setting, "is not set; mutual TLS is required");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidSettingException(setting, "file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new InvalidSettingException(setting, "file " + file + " is not readable");
        }
    }
}
