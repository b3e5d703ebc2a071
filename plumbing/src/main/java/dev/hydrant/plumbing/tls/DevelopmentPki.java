package dev.hydrant.plumbing.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The development PKI of a fresh install: a CA kept in a data directory, created on first use,
 * and one certificate per component name issued from it. Several processes may ask at once
 * (Metron and Doppler started side by side): a file lock makes them share one CA.
 *
 * <p>For one machine and for demos only; production configures real certificate files.
 */
public final class DevelopmentPki {

    private final Path directory;

    public DevelopmentPki(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    }

    /**
     * The certificate, key and CA files of {@code name}, issued on first call and reused after.
     * The certificate carries {@code name} and {@code dnsNames} (plus localhost and loopback).
     */
    public TlsFiles filesFor(String name, String... dnsNames) {
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(directory.resolve(".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                CertificateAuthority ca = loadOrCreateCa();
                TlsFiles files = new TlsFiles(directory.resolve(name + ".crt"), directory.resolve(name + ".key"),
                        directory.resolve("ca.crt"));
                if (!Files.isRegularFile(files.certFile()) || !Files.isRegularFile(files.keyFile())) {
                    CertificateAuthority.Issued issued = ca.issue(name, dnsNames);
                    issued.writeKey(files.keyFile());
                    issued.writeCertificate(files.certFile());
                }
                return files;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the development PKI in " + directory, e);
        }
    }

    /** Where the CA certificate is, for clients that must trust it. */
    public Path caFile() {
        return directory.resolve("ca.crt");
    }

    private CertificateAuthority loadOrCreateCa() {
        Path certificate = directory.resolve("ca.crt");
        Path key = directory.resolve("ca.key");
        if (Files.isRegularFile(certificate) && Files.isRegularFile(key)) {
            return CertificateAuthority.load(certificate, key);
        }
        CertificateAuthority ca = CertificateAuthority.create("hydrant-development-ca");
        ca.writeKey(key);
        ca.writeCertificate(certificate);
        return ca;
    }
}
