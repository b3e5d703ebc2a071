package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
