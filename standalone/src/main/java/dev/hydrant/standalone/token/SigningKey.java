package dev.hydrant.standalone.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;

/**
 * The RSA key pair that signs development tokens: made on first use and kept as PEM files, the
 * private key PKCS#8 with mode 600, the public key as a SubjectPublicKeyInfo that the Traffic
 * Controller reads with {@code hydrant.traffic-controller.auth.public-key-file}. A file lock lets
 * the stack and a {@code token} command started at the same moment share one key.
 *
 * @param privateKey signs tokens
 * @param publicKey  verifies them
 * @param created    whether this call made the key pair
 */
public record SigningKey(RSAPrivateKey privateKey, RSAPublicKey publicKey, boolean created) {

    private static final int KEY_BITS = 2048;

    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /** The key pair in {@code privateFile} and {@code publicFile}, made and written first when missing. */
    public static SigningKey loadOrCreate(Path privateFile, Path publicFile) {
        try {
            Path directory = privateFile.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(directory.resolve(".token-signing.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.isRegularFile(privateFile) && Files.isRegularFile(publicFile)) {
                    return new SigningKey(readPrivate(privateFile), readPublic(publicFile), false);
                }
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(KEY_BITS);
                KeyPair pair = generator.generateKeyPair();
                write(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
                write(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
                return new SigningKey((RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic(), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the token-signing key " + privateFile, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the token-signing key " + privateFile + " or " + publicFile
                    + " is not a PEM RSA key; delete both to make a new pair", e);
        }
    }

    private static RSAPrivateKey readPrivate(Path file) throws IOException, GeneralSecurityException {
        return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(file)));
    }

    private static RSAPublicKey readPublic(Path file) throws IOException, GeneralSecurityException {
        return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(file)));
    }

    private static byte[] der(Path file) throws IOException {
        String base64 = Files.readString(file, StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** Writes through a temporary file that is private from its creation when {@code secret}. */
    private static void write(Path file, String content, boolean secret) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        if (secret && FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(temporary);
        }
        Files.writeString(temporary, content, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
