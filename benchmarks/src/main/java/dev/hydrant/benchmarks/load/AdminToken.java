package dev.hydrant.benchmarks.load;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * The harness's own token issuer for the Traffic Controller it starts: a fresh RSA key pair, the
 * public key as a PEM file (what {@code hydrant.traffic-controller.auth.public-key-file} reads),
 * and one RS256 admin token with scope {@code doppler.firehose}, valid for as long as any run
 * can last.
 *
 * @param publicKeyFile the PEM {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) file
 * @param token         the signed admin token, for {@code Authorization: bearer <token>}
 */
record AdminToken(Path publicKeyFile, String token) {

    /** The scope that makes a caller an admin of the firehose and of /v2/read (docs/wire.md sections 4 and 5). */
    static final String ADMIN_SCOPE = "doppler.firehose";
    /** Longer than the longest run the settings allow (warm-up, sending, drain, start-up). */
    static final Duration VALIDITY = Duration.ofHours(2);
    private static final int RSA_BITS = 2048;

    AdminToken {
        Objects.requireNonNull(publicKeyFile, "publicKeyFile");
        Objects.requireNonNull(token, "token");
    }

    /** A new key pair, its public key written into {@code directory}, and an admin token signed with it. */
    static AdminToken issue(Path directory) throws IOException {
        KeyPair keys;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM cannot make RSA keys", e);
        }
        Path file = Files.createDirectories(directory).resolve("token-public-key.pem");
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return new AdminToken(file, sign(keys.getPrivate()));
    }

    /**
     * An admin token signed with the RSA private key in {@code pemFile} (PEM {@code PRIVATE KEY}, PKCS#8),
     * for a running Traffic Controller that trusts its public half.
     */
    static String signWith(Path pemFile) throws IOException {
        String pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("--token-signing-key " + pemFile
                    + " holds no PEM PRIVATE KEY (PKCS#8; convert with openssl pkcs8 -topk8 -nocrypt)");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            PrivateKey key = KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return sign(key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--token-signing-key " + pemFile + " is not an RSA private key: " + e, e);
        }
    }

    private static String sign(PrivateKey key) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("load-harness")
                .subject("load-harness")
                .claim("client_id", "load-harness")
                .claim("scope", List.of(ADMIN_SCOPE))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(VALIDITY)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the admin token", e);
        }
        return jwt.serialize();
    }
}
