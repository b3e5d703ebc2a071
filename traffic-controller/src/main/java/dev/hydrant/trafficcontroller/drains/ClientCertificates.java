package dev.hydrant.trafficcontroller.drains;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The PEM a binding may carry for mutual TLS to its drain: a client certificate (chain) with its private key,
 * both or neither, the key matching the certificate, and a CA. Each is checked when the binding is created,
 * so that a drain never fails later on a certificate that could not have worked. Messages never hold the PEM.
 */
public final class ClientCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientCertificates() {
    }

    /** Checks the three values (each may be null); throws a {@link DrainRefusal} invalid_certificate. */
    public static void check(String cert, String key, String ca) {
        if (present(cert) != present(key)) {
            throw DrainRefusal.invalidCertificate("cert and key go together: give both or neither");
        }
        if (present(cert)) {
            List<? extends Certificate> chain = certificates(cert, "cert");
            PrivateKey privateKey = privateKey(key);
            if (!matches(privateKey, chain.get(0))) {
                throw DrainRefusal.invalidCertificate("key does not match the certificate in cert");
            }
        }
        if (present(ca)) {
            certificates(ca, "ca");
        }
    }

    static boolean present(String pem) {
        return pem != null && !pem.isBlank();
    }

    private static List<? extends Certificate> certificates(String pem, String field) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw DrainRefusal.invalidCertificate(field + " is not a PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            if (certificates.isEmpty()) {
                throw DrainRefusal.invalidCertificate(field + " holds no certificate");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw DrainRefusal.invalidCertificate(field + " is not a valid PEM certificate");
        }
    }

    private static PrivateKey privateKey(String pem) {
        Object parsed;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            parsed = parser.readObject();
        } catch (IOException | RuntimeException e) {
            parsed = null;
        }
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException | RuntimeException e) {
            // falls through to the refusal
        }
        throw DrainRefusal.invalidCertificate("key is not an unencrypted PEM private key (PKCS#8, RSA or EC)");
    }

    /**
     * Signs a random challenge with the key and verifies it with the certificate's public key (a key of another
     * kind than the certificate's fails the verification).
     */
    private static boolean matches(PrivateKey key, Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
