package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenTest {

    @Test
    void tokenIsAnRs256AdminTokenThatThePemPublicKeyVerifies(@TempDir Path dir) throws Exception {
        AdminToken issued = AdminToken.issue(dir);

        // read the key the way the Traffic Controller does (hydrant.traffic-controller.auth.public-key-file)
        JWK key = JWK.parseFromPEMEncodedObjects(Files.readString(issued.publicKeyFile()));
        SignedJWT jwt = SignedJWT.parse(issued.token());

        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAKey()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("scope")).containsExactly("doppler.firehose");
        assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(new Date(System.currentTimeMillis() + 3_600_000));
    }

    @Test
    void aTokenSignedWithAGivenPkcs8KeyIsVerifiedByItsPublicHalf(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path pem = Files.writeString(dir.resolve("signing.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        SignedJWT jwt = SignedJWT.parse(AdminToken.signWith(pem));

        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) keys.getPublic()))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("scope")).containsExactly("doppler.firehose");
    }

    @Test
    void aFileWithoutAPkcs8KeyIsRefusedNamingTheOption(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n");

        assertThatThrownBy(() -> AdminToken.signWith(pem))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--token-signing-key");
    }
}
