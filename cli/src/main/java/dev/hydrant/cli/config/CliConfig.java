package dev.hydrant.cli.config;

import java.util.Objects;

/**
 * What {@code hydrant login} stores: the Traffic Controller's address and how to authenticate. Absent
 * values are empty strings. Either {@code token} or the three client-credential values are set, or none.
 *
 * @param target       the Traffic Controller's HTTP(S) address, e.g. {@code https://hydrant.example.com}
 * @param token        a fixed bearer token
 * @param clientId     OAuth2 client id (client credentials grant)
 * @param clientSecret its secret
 * @param tokenUrl     the token endpoint
 * @param caFile       a PEM file of CA certificates to trust besides the JDK's (a development CA)
 */
public record CliConfig(String target, String token, String clientId, String clientSecret, String tokenUrl,
                        String caFile) {

    public CliConfig {
        target = orEmpty(target);
        token = orEmpty(token);
        clientId = orEmpty(clientId);
        clientSecret = orEmpty(clientSecret);
        tokenUrl = orEmpty(tokenUrl);
        caFile = orEmpty(caFile);
    }

    public static CliConfig empty() {
        return new CliConfig("", "", "", "", "", "");
    }

    public boolean hasClientCredentials() {
        return !clientId.isEmpty();
    }

    /** The same target and CA without any credentials. */
    public CliConfig withoutCredentials() {
        return new CliConfig(target, "", "", "", "", caFile);
    }

    /** Never shows the token or the secret. */
    @Override
    public String toString() {
        return "CliConfig[target=" + target + ", token=" + (token.isEmpty() ? "none" : "***")
                + ", clientId=" + clientId + ", tokenUrl=" + tokenUrl + ", caFile=" + caFile + "]";
    }

    private static String orEmpty(String value) {
        return Objects.requireNonNullElse(value, "").trim();
    }
}
