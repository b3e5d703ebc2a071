package dev.hydrant.metron.files;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The read positions, on disk in {@code <checkpoint-dir>/positions}: one line per file,
 * {@code <device> <inode> <offset> <path>}. Written whole to a temporary file, forced to the disk
 * and moved over the old one atomically, so a crash leaves the old positions or the new, never a mix.
 * A restart finds a file by its device and inode (so a file renamed while the agent was down is
 * still known); the path is kept for people reading the file.
 */
final class Checkpoints {

    /** One file's position. */
    record Position(FileKey key, long offset, Path path) {
    }

    private static final String HEADER = "# hydrant metron file positions: device inode offset path\n";

    private final Path file;
    private final Path temporary;

    /** Checks that {@code dir} can be written, creating it if needed; errors name {@code setting}. */
    Checkpoints(Path dir, String setting) {
        if (dir == null) {
            throw new InvalidSettingException(setting, "required when hydrant.metron.files.inputs are set");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidSettingException(setting, "cannot create directory " + dir, e);
        }
        if (!Files.isWritable(dir)) {
            throw new InvalidSettingException(setting, "directory " + dir + " is not writable");
        }
        this.file = dir.resolve("positions");
        this.temporary = dir.resolve("positions.tmp");
    }

    /** The positions last written; none when there is no file or it cannot be read. */
    Map<FileKey, Position> load() throws IOException {
        Map<FileKey, Position> positions = new HashMap<>();
        if (!Files.exists(file)) {
            return positions;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] fields = line.split(" ", 4);
            if (fields.length == 4) {
                try {
                    FileKey key = new FileKey(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
                    positions.put(key, new Position(key, Long.parseLong(fields[2]), Path.of(fields[3])));
                } catch (RuntimeException e) {
                    // a line that is not ours is skipped: its file is read from the start
                }
            }
        }
        return positions;
    }

    /** Writes {@code positions} in place of the last ones, atomically. */
    void write(List<Position> positions) throws IOException {
        StringBuilder text = new StringBuilder(HEADER);
        for (Position position : positions) {
            text.append(position.key().device()).append(' ').append(position.key().inode()).append(' ')
                    .append(position.offset()).append(' ').append(position.path()).append('\n');
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
