package dev.hydrant.metron.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A file's identity, whatever its name: the device and inode it lives on. A file renamed keeps it;
 * a file created in its place has another.
 */
record FileKey(long device, long inode) {

    /** The identity and size of the file at {@code path}, following symbolic links. */
    record Stat(FileKey key, long size, boolean regular) {
    }

    static Stat stat(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino,size,isRegularFile");
        return new Stat(new FileKey(((Number) attributes.get("dev")).longValue(), ((Number) attributes.get("ino")).longValue()),
                ((Number) attributes.get("size")).longValue(), Boolean.TRUE.equals(attributes.get("isRegularFile")));
    }

    /** Whether the platform has device and inode numbers (Linux, macOS). */
    static boolean supported(Path anyPath) {
        return anyPath.getFileSystem().supportedFileAttributeViews().contains("unix");
    }

    @Override
    public String toString() {
        return device + ":" + inode;
    }
}
