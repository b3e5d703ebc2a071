package dev.hydrant.trafficcontroller.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSAlgorithmFamilyJWSKeySelector;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.trafficcontroller.config.TrafficControllerProperties;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Verifies bearer JWTs: signature (keys from the issuer's JWKS, a configured JWKS URL, or a
 * configured public key), expiry and not-before with a clock skew, an issue time ({@code iat}) no
 * further ahead than that skew (a token from the future is refused), the issuer when configured,
 * and the audience when configured. Fetching keys blocks, so verification runs on the
 * bounded-elastic scheduler; fetched keys are cached by nimbus.
 */
public final class TokenVerifier {

    private static final String PREFIX = TrafficControllerProperties.PREFIX + ".auth";
    private static final Set<JWSAlgorithm> ALGORITHMS = new HashSet<>();

    static {
        ALGORITHMS.addAll(JWSAlgorithm.Family.RSA);
        ALGORITHMS.addAll(JWSAlgorithm.Family.EC);
    }

    private final Supplier<DefaultJWTProcessor<SecurityContext>> processor;
    private final Duration clockSkew;

    private TokenVerifier(Supplier<DefaultJWTProcessor<SecurityContext>> processor, Duration clockSkew) {
        this.processor = processor;
        this.clockSkew = clockSkew;
    }

    /** Builds a verifier from the settings; fails naming the setting when none or a bad one is given. */
    public static TokenVerifier from(TrafficControllerProperties.Auth auth) {
        URI issuer = auth.issuerUri();
        JWTClaimsSet exact = issuer == null ? null : new JWTClaimsSet.Builder().issuer(issuer.toString()).build();
        Set<String> required = Set.of("exp");
        if (auth.publicKeyFile() != null) {
            Key key = readPublicKey(auth.publicKeyFile());
            DefaultJWTProcessor<SecurityContext> fixed = processor(auth, exact, required, (header, context) -> {
                boolean family = key.getAlgorithm().equals("RSA")
                        ? JWSAlgorithm.Family.RSA.contains(header.getAlgorithm())
                        : JWSAlgorithm.Family.EC.contains(header.getAlgorithm());
                return family ? List.of(key) : List.of();
            });
            return new TokenVerifier(() -> fixed, auth.clockSkew());
        }
        if (auth.jwkSetUri() != null) {
            DefaultJWTProcessor<SecurityContext> remote = processor(auth, exact, required, selector(auth.jwkSetUri()));
            return new TokenVerifier(() -> remote, auth.clockSkew());
        }
        if (issuer != null) {
            return new TokenVerifier(new Discovered(auth, exact, required), auth.clockSkew());
        }
        throw new InvalidSettingException(PREFIX,
                "no way to verify tokens: set issuer-uri, jwk-set-uri or public-key-file (or disabled=true for local demos only)");
    }

    /** Emits the caller when the token is valid, else fails with {@link AuthException} INVALID_TOKEN. */
    public Mono<Caller> verify(String token) {
        return Mono.fromCallable(() -> {
                    JWTClaimsSet claims = processor.get().process(token, null);
                    Date issued = claims.getIssueTime();
                    if (issued != null && issued.toInstant().isAfter(Instant.now().plus(clockSkew))) {
                        throw new AuthException(AuthFailure.INVALID_TOKEN);
                    }
                    return new Caller(token, scopes(claims), claims.toJSONObject());
                })
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(e -> new AuthException(AuthFailure.INVALID_TOKEN));
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new HashSet<>();
        for (String name : List.of("scope", "scp")) {
            Object value = claims.getClaim(name);
            if (value instanceof Collection<?> list) {
                list.forEach(v -> scopes.add(String.valueOf(v)));
            } else if (value instanceof String text) {
                scopes.addAll(List.of(text.trim().split("\\s+")));
            }
        }
        return scopes;
    }

    private static DefaultJWTProcessor<SecurityContext> processor(TrafficControllerProperties.Auth auth, JWTClaimsSet exact,
                                                                  Set<String> required,
                                                                  JWSKeySelector<SecurityContext> selector) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(selector);
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                blankToNull(auth.audience()), exact, required);
        verifier.setMaxClockSkew((int) auth.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(verifier);
        return processor;
    }

    private static JWSKeySelector<SecurityContext> selector(URI jwkSetUri) {
        try {
            JWKSource<SecurityContext> source = JWKSourceBuilder.<SecurityContext>create(jwkSetUri.toURL())
                    .retrying(true)
                    .build();
            return new JWSVerificationKeySelector<>(ALGORITHMS, source);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidSettingException(PREFIX + ".jwk-set-uri", "not a usable URL: " + jwkSetUri, e);
        }
    }

    private static Key readPublicKey(Path file) {
        String setting = PREFIX + ".public-key-file";
        try {
            JWK jwk = JWK.parseFromPEMEncodedObjects(Files.readString(file));
            return switch (jwk.getKeyType().getValue()) {
                case "RSA" -> jwk.toRSAKey().toPublicKey();
                case "EC" -> jwk.toECKey().toPublicKey();
                default -> throw new InvalidSettingException(setting, "only RSA and EC public keys are supported");
            };
        } catch (IOException e) {
            throw new InvalidSettingException(setting, "cannot read " + file, e);
        } catch (Exception e) {
            throw new InvalidSettingException(setting, "no PEM RSA or EC public key in " + file, e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Looks the JWKS URL up in the issuer's discovery document on first use, and again until that works. */
    private static final class Discovered implements Supplier<DefaultJWTProcessor<SecurityContext>> {
        private final TrafficControllerProperties.Auth auth;
        private final JWTClaimsSet exact;
        private final Set<String> required;
        private volatile DefaultJWTProcessor<SecurityContext> processor;

        Discovered(TrafficControllerProperties.Auth auth, JWTClaimsSet exact, Set<String> required) {
            this.auth = auth;
            this.exact = exact;
            this.required = required;
        }

        @Override
        public DefaultJWTProcessor<SecurityContext> get() {
            DefaultJWTProcessor<SecurityContext> current = processor;
            if (current == null) {
                synchronized (this) {
                    if (processor == null) {
                        processor = processor(auth, exact, required, selector(discoverJwks()));
                    }
                    current = processor;
                }
            }
            return current;
        }

        private URI discoverJwks() {
            String issuer = auth.issuerUri().toString().replaceAll("/+$", "");
            DefaultResourceRetriever retriever = new DefaultResourceRetriever(5000, 5000, 1024 * 1024);
            IllegalStateException failure = new IllegalStateException("no discovery document at " + issuer);
            for (String path : List.of("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server")) {
                try {
                    Map<String, Object> document = JSONObjectUtils.parse(
                            retriever.retrieveResource(new URL(issuer + path)).getContent());
                    Object jwks = document.get("jwks_uri");
                    if (jwks instanceof String uri) {
                        return URI.create(uri);
                    }
                } catch (Exception e) {
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }
    }
}
