package dev.hydrant.plumbing.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority: it makes an EC P-256 CA and issues server and client
 * certificates from it, written as PEM files. Tests use it to make their own PKI, and a fresh
 * install uses it for its development CA; production points at real certificates instead.
 */
public final class CertificateAuthority {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(365);

    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private CertificateAuthority(KeyPair keyPair, X509Certificate certificate) {
        this.keyPair = keyPair;
        this.certificate = certificate;
    }

    /** A new self-signed CA with the given common name. */
    public static CertificateAuthority create(String commonName) {
        try {
            KeyPair keys = newKeyPair();
            X500Name name = new X500Name("CN=" + commonName + ",O=Hydrant");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    name, serial(), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                    name, keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys, sign(builder, keys));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create a certificate authority", e);
        }
    }

    /** Loads a CA written earlier by {@link #writeCertificate} and {@link #writeKey}. */
    public static CertificateAuthority load(Path certificateFile, Path keyFile) {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            String pem = Files.readString(keyFile, StandardCharsets.US_ASCII)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "")
                    .replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            return new CertificateAuthority(new KeyPair(certificate.getPublicKey(), key), certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA from " + certificateFile + " and " + keyFile, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot load the CA from " + certificateFile + " and " + keyFile, e);
        }
    }

    /**
     * Issues a certificate usable both as a TLS server and a TLS client, valid for the given DNS
     * names plus {@code localhost} and the loopback addresses.
     */
    public Issued issue(String commonName, String... dnsNames) {
        try {
            return issue(commonName, newKeyPair(), KeyUsage.digitalSignature | KeyUsage.keyAgreement, dnsNames);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /**
     * The same with an RSA 2048 key (usable for RSA key exchange too), as a public listener's
     * certificate often is: a test of the cipher policy needs one to offer the RSA suites.
     */
    public Issued issueRsa(String commonName, String... dnsNames) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return issue(commonName, generator.generateKeyPair(),
                    KeyUsage.digitalSignature | KeyUsage.keyEncipherment, dnsNames);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    private Issued issue(String commonName, KeyPair keys, int keyUsage, String... dnsNames) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    certificate, serial(), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)),
                    new X500Name("CN=" + commonName + ",O=Hydrant"), keys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.dNSName, commonName));
            for (String dns : dnsNames) {
                names.add(new GeneralName(GeneralName.dNSName, dns));
            }
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            names.add(new GeneralName(GeneralName.iPAddress, "::1"));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return new Issued(sign(builder, keyPair), keys);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue a certificate for " + commonName, e);
        }
    }

    /** Writes the CA certificate as PEM. */
    public Path writeCertificate(Path file) {
        return write(file, pem("CERTIFICATE", encoded(certificate)), false);
    }

    /** Writes the CA's private key as PKCS#8 PEM (owner-readable only), so the CA can be reloaded. */
    public Path writeKey(Path file) {
        return write(file, pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()), true);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * Issues a certificate for {@code name} and writes {@code name.crt}, {@code name.key} and
     * {@code ca.crt} into {@code directory}.
     */
    public TlsFiles issueFiles(Path directory, String name, String... dnsNames) {
        Issued issued = issue(name, dnsNames);
        Path ca = writeCertificate(directory.resolve("ca.crt"));
        return new TlsFiles(issued.writeCertificate(directory.resolve(name + ".crt")),
                issued.writeKey(directory.resolve(name + ".key")), ca);
    }

    /** A certificate and its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {

        public Issued {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(keyPair, "keyPair");
        }

        public Path writeCertificate(Path file) {
            return write(file, pem("CERTIFICATE", encoded(certificate)), false);
        }

        public Path writeKey(Path file) {
            return write(file, pem("PRIVATE KEY", keyPair.getPrivate().getEncoded()), true);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Path write(Path file, String content, boolean secret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, content, StandardCharsets.US_ASCII);
            if (secret) {
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system: keep the default permissions
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
