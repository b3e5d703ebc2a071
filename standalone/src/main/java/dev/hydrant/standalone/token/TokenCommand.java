package dev.hydrant.standalone.token;

import dev.hydrant.standalone.DataDirectory;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code token [--admin | --source-id ID ...] [--ttl 24h] [--hydrant.home=DIR]}: prints a development
 * token signed by the data directory's key (made when missing) on stdout, and nothing else there, so
 * that {@code $(hydrant token)} is the token. Without {@code --source-id} the token is an admin's.
 */
public final class TokenCommand {

    /** Lifetime of a token unless {@code --ttl} says otherwise. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private static final String USAGE = """
            usage: token [--admin | --source-id ID ...] [--ttl DURATION] [--hydrant.home=DIR]
              --admin          a token for the firehose and every app (scopes doppler.firehose, logs.admin); the default
              --source-id ID   a token that may read only these source ids (repeatable)
              --ttl DURATION   how long the token is valid, e.g. 30m, 24h, 7d (default 24h)""";

    private TokenCommand() {
    }

    /** Runs the command; returns the exit code. */
    public static int run(List<String> args, DataDirectory home, PrintStream out, PrintStream err) {
        boolean admin = false;
        List<String> sourceIds = new ArrayList<>();
        Duration ttl = DEFAULT_TTL;
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--admin")) {
                    admin = true;
                } else if (arg.equals("--source-id") && i + 1 < args.size()) {
                    sourceIds.add(args.get(++i));
                } else if (arg.startsWith("--source-id=")) {
                    sourceIds.add(arg.substring("--source-id=".length()));
                } else if (arg.equals("--ttl") && i + 1 < args.size()) {
                    ttl = duration(args.get(++i));
                } else if (arg.startsWith("--ttl=")) {
                    ttl = duration(arg.substring("--ttl=".length()));
                } else if (arg.equals("--help") || arg.equals("-h")) {
                    out.println(USAGE);
                    return 0;
                } else if (!arg.startsWith(DataDirectory.OPTION)) {
                    throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (admin && !sourceIds.isEmpty()) {
                throw new IllegalArgumentException("give either --admin or --source-id, not both");
            }
            if (sourceIds.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("--source-id needs a value");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        SigningKey key = SigningKey.loadOrCreate(home.signingKey(), home.verificationKey());
        if (key.created()) {
            err.println("Made a token-signing key in " + home.signingKey() + " (mode 600)");
        }
        TokenMinter minter = new TokenMinter(key, Clock.systemUTC());
        out.println(sourceIds.isEmpty() ? minter.admin(ttl) : minter.forSources(sourceIds, ttl));
        out.flush();
        return 0;
    }

    /** {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, or an ISO-8601 duration such as {@code PT1H}. */
    static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("p")) {
                return Duration.parse(value.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new IllegalArgumentException("bad unit");
            };
        } catch (DateTimeParseException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--ttl must be like 30m, 24h or 7d, was '" + text + "'");
        }
    }
}
