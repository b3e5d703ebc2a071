package dev.hydrant.cli.config;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * {@code config.json} in the hydrant home directory ({@code $HYDRANT_HOME}, else {@code ~/.hydrant}):
 * written with mode 600 in a directory with mode 700, replaced atomically so that a reader never sees
 * half a file, and never readable by others even for a moment (the temporary file is created 600).
 */
public final class ConfigStore {

    public static final String FILE_NAME = "config.json";

    private final Path home;

    public ConfigStore(Path home) {
        this.home = Objects.requireNonNull(home, "home");
    }

    public Path file() {
        return home.resolve(FILE_NAME);
    }

    /** The stored config, or an empty one when there is no file. */
    public CliConfig load() {
        Path file = file();
        if (!Files.exists(file)) {
            return CliConfig.empty();
        }
        try {
            Struct.Builder json = Struct.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(Files.readString(file, StandardCharsets.UTF_8), json);
            Struct s = json.build();
            return new CliConfig(text(s, "target"), text(s, "token"), text(s, "client_id"),
                    text(s, "client_secret"), text(s, "token_url"), text(s, "ca_file"));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(file + " is not valid JSON; fix it or run hydrant login again");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Replaces the stored config. */
    public void save(CliConfig config) {
        Objects.requireNonNull(config, "config");
        Struct.Builder json = Struct.newBuilder();
        put(json, "target", config.target());
        put(json, "token", config.token());
        put(json, "client_id", config.clientId());
        put(json, "client_secret", config.clientSecret());
        put(json, "token_url", config.tokenUrl());
        put(json, "ca_file", config.caFile());
        try {
            createPrivateDirectory(home);
            Path temporary = createPrivateFile(home.resolve(FILE_NAME + ".tmp"));
            Files.writeString(temporary, JsonFormat.printer().print(json) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(), e);
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (posix(directory.toAbsolutePath().getRoot())) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(directory);
        }
    }

    private static Path createPrivateFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        try {
            if (posix(file.getParent())) {
                return Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            return Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            throw new IOException("another hydrant login is writing " + file, raced);
        }
    }

    private static boolean posix(Path path) {
        return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void put(Struct.Builder json, String key, String value) {
        if (!value.isEmpty()) {
            json.putFields(key, Value.newBuilder().setStringValue(value).build());
        }
    }

    private static String text(Struct json, String key) {
        Value value = json.getFieldsMap().get(key);
        return value == null ? "" : value.getStringValue();
    }
}
