package dev.hydrant.standalone.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.hydrant.standalone.DataDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

    @TempDir
    Path home;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsOnlyTheTokenOnStdout_anAdminsByDefault() throws Exception {
        assertThat(run()).isZero();

        SignedJWT token = SignedJWT.parse(out.toString(StandardCharsets.UTF_8).trim());
        assertThat(token.getJWTClaimsSet().getStringListClaim("scope")).containsExactly("doppler.firehose", "logs.admin");
        assertThat(token.getJWTClaimsSet().getIssuer()).isEqualTo(TokenMinter.ISSUER);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Made a token-signing key");
    }

    @Test
    void aSourceIdTokenListsItsSourcesAndExpiresAfterItsTtl() throws Exception {
        assertThat(run("--source-id", "app-1", "--source-id=app-2", "--ttl", "30m")).isZero();

        var claims = SignedJWT.parse(out.toString(StandardCharsets.UTF_8).trim()).getJWTClaimsSet();
        assertThat(claims.getStringListClaim("source_ids")).containsExactly("app-1", "app-2");
        assertThat(claims.getStringListClaim("scope")).doesNotContain("doppler.firehose", "logs.admin");
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void badOptionsPrintTheProblemAndUsage() {
        assertThat(run("--admin", "--source-id", "x")).isEqualTo(2);
        assertThat(run("--ttl", "soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not both").contains("--ttl must be like 30m")
                .contains("usage: token");
        assertThat(out.size()).isZero();
    }

    @Test
    void durationsReadAsUsersWriteThem() {
        assertThat(TokenCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TokenCommand.duration("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(TokenCommand.duration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(TokenCommand.duration("PT2H")).isEqualTo(Duration.ofHours(2));
    }

    private int run(String... args) {
        return TokenCommand.run(List.of(args), new DataDirectory(home), new PrintStream(out, true),
                new PrintStream(err, true));
    }
}
