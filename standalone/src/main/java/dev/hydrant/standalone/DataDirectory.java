package dev.hydrant.standalone;

import dev.hydrant.plumbing.tls.DevelopmentPki;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where the standalone keeps what it makes on first start: the development PKI in {@code pki/},
 * the token-signing key pair, the drain bindings' database in {@code drains/}, the log files Metron
 * tails in {@code demo-files/} and its positions in them in {@code metron-positions/}. {@code --hydrant.home=DIR}, else {@code $HYDRANT_HOME}, else
 * {@code ./.hydrant}. The CLI keeps its {@code config.json} in the same directory when
 * {@code ./hydrant} runs it.
 *
 * @param root the data directory, absolute
 */
public record DataDirectory(Path root) {

    /** The command-line option naming the data directory. */
    public static final String OPTION = "--hydrant.home=";

    public DataDirectory {
        root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The directory named by the arguments, else by {@code HYDRANT_HOME}, else {@code ./.hydrant}. */
    public static DataDirectory of(List<String> args, Map<String, String> environment) {
        for (String arg : args) {
            if (arg.startsWith(OPTION) && arg.length() > OPTION.length()) {
                return new DataDirectory(Path.of(arg.substring(OPTION.length())));
            }
        }
        String home = environment.get("HYDRANT_HOME");
        return new DataDirectory(Path.of(home == null || home.isBlank() ? ".hydrant" : home));
    }

    /** The Traffic Controller's embedded database of drain bindings (H2). */
    public Path drains() {
        return root.resolve("drains");
    }

    /** The directory of log files that the stack's Metron tails, each {@code NAME.log} as source id {@code NAME}. */
    public Path demoFiles() {
        return root.resolve("demo-files");
    }

    /** Where the stack's Metron keeps its positions in the files it tails. */
    public Path metronPositions() {
        return root.resolve("metron-positions");
    }

    /** The development CA and the components' certificates. */
    public DevelopmentPki pki() {
        return new DevelopmentPki(root.resolve("pki"));
    }

    /** The PKCS#8 PEM private key that signs development tokens (mode 600). */
    public Path signingKey() {
        return root.resolve("token-signing.key");
    }

    /** Its public key (PEM), which the Traffic Controller verifies tokens with. */
    public Path verificationKey() {
        return root.resolve("token-signing.pub");
    }
}
