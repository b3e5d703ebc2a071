package dev.hydrant.trafficcontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.trafficcontroller.config.TrafficControllerProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * Bearer tokens (the Traffic Controller's {@link Authorizer} and {@link TokenVerifier}): whatever a client puts in
 * the Authorization header or the authorization cookie, and whatever a token says (even under a valid signature),
 * verification ends in a {@link Caller} or an {@link AuthException} INVALID_TOKEN, never another error; and a
 * validly signed, unexpired token is accepted whatever other claims it carries.
 */
class TokenFuzzTest {

    private static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private static RSAKey key;
    @TempDir
    static Path directory;
    private static Path keyFile;
    private static TokenVerifier verifier;

    @BeforeAll
    static void verifierWithAPublicKeyFile() throws JOSEException, IOException {
        key = new RSAKeyGenerator(2048).keyID("fuzz").generate();
        keyFile = directory.resolve("token-key.pem");
        Files.writeString(keyFile, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        verifier = TokenVerifier.from(new TrafficControllerProperties.Auth(false, null, null, keyFile, null,
                TrafficControllerProperties.Policy.CLAIM, "source_ids", null, Duration.ofSeconds(60), List.of()));
    }

    @FuzzTest(maxDuration = "10s")
    void anyTokenIsACallerOrInvalid(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> fromTheRequest(data.consumeBoolean(), data.consumeRemainingAsString());
            case 1 -> verified(sign(data.consumeRemainingAsBytes()));
            default -> {
                Map<String, Object> claims = validClaimsWithExtras(data);
                assertThat(verified(sign(claims))).as("a validly signed, unexpired token with %s", claims).isNotNull();
            }
        }
    }

    private static void fromTheRequest(boolean cookie, String value) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/v2/read");
        try {
            if (cookie) {
                request.header(HttpHeaders.COOKIE, "authorization=" + value);
            } else {
                request.header(HttpHeaders.AUTHORIZATION, value);
            }
        } catch (IllegalArgumentException notAHeaderValue) {
            return;
        }
        String token = Authorizer.token(request.build());
        if (token != null) {
            assertThat(token).isNotEmpty();
            verified(token);
        }
    }

    /** The caller, or null when refused as INVALID_TOKEN; any other outcome fails. */
    private static Caller verified(String token) {
        try {
            Caller caller = verifier.verify(token).block(Patience.WAIT);
            assertThat(caller).isNotNull();
            assertThat(caller.token()).isEqualTo(token);
            return caller;
        } catch (AuthException refused) {
            assertThat(refused.failure()).isEqualTo(AuthFailure.INVALID_TOKEN);
            return null;
        }
    }

    private static String sign(byte[] payload) {
        return sign(new Payload(payload));
    }

    private static String sign(Map<String, Object> claims) {
        return sign(new Payload(claims));
    }

    private static String sign(Payload payload) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("fuzz").build(), payload);
            jws.sign(new RSASSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Unexpired and issued now, with scope and other claims of any JSON type the fuzzer picks; the registered
     * claims (RFC 7519 section 4.1) keep their types, as a token of another type for them is not valid.
     */
    private static Map<String, Object> validClaimsWithExtras(FuzzedDataProvider data) {
        Map<String, Object> claims = new LinkedHashMap<>();
        int extras = data.consumeInt(0, 6);
        for (int i = 0; i < extras; i++) {
            String name = data.consumeString(20);
            claims.put(REGISTERED.contains(name) ? "x-" + name : name, value(data, 2));
        }
        long now = Instant.now().getEpochSecond();
        claims.put("exp", now + 3600);
        claims.put("iat", now);
        claims.put("nbf", now - 10);
        return claims;
    }

    private static Object value(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth > 0 ? 6 : 4)) {
            case 0 -> null;
            case 1 -> data.consumeString(40);
            case 2 -> data.consumeLong();
            case 3 -> data.consumeBoolean();
            case 4 -> data.consumeRegularDouble();
            case 5 -> {
                List<Object> list = new ArrayList<>();
                int size = data.consumeInt(0, 4);
                for (int i = 0; i < size; i++) {
                    list.add(value(data, depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                int size = data.consumeInt(0, 4);
                for (int i = 0; i < size; i++) {
                    map.put(data.consumeString(10), value(data, depth - 1));
                }
                yield map;
            }
        };
    }
}
