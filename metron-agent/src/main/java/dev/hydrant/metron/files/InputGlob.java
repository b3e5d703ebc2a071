package dev.hydrant.metron.files;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.EnumSet;

/**
 * An input's path or glob, evaluated on demand: the directory before the first glob character is
 * walked (as deep as the glob has parts; sixteen levels at most for {@code **}) and every regular
 * file whose path matches is a file of the input. The directories walked are the ones to watch
 * for new files.
 */
final class InputGlob {

    private static final int DEEPEST = 16;

    private final Path root;
    private final PathMatcher matcher;
    private final int depth;

    private InputGlob(Path root, PathMatcher matcher, int depth) {
        this.root = root;
        this.matcher = matcher;
        this.depth = depth;
    }

    /** The glob of {@code path}, an absolute path; errors name {@code setting}. */
    static InputGlob of(String path, String setting) {
        Path whole;
        try {
            whole = Path.of(path).normalize();
        } catch (RuntimeException e) {
            throw new InvalidSettingException(setting, "not a path: " + path, e);
        }
        if (!whole.isAbsolute()) {
            throw new InvalidSettingException(setting, "must be an absolute path, was " + path);
        }
        Path root = whole.getRoot();
        int fixed = 0;
        for (Path part : whole) {
            if (part.toString().matches(".*[*?\\[\\]{}].*")) {
                break;
            }
            fixed++;
        }
        int parts = whole.getNameCount();
        if (fixed == parts) { // no glob: the file itself, watched in its directory
            fixed = parts - 1;
        }
        if (fixed > 0) {
            root = root.resolve(whole.subpath(0, fixed));
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + whole);
        } catch (RuntimeException e) {
            throw new InvalidSettingException(setting, "not a glob: " + path, e);
        }
        int depth = path.contains("**") ? DEEPEST : parts - fixed;
        return new InputGlob(root, matcher, depth);
    }

    /** Adds the matching files to {@code files} and the directories walked to {@code directories}. */
    void scan(Collection<Path> files, Collection<Path> directories) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    directories.add(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && matcher.matches(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone while walking, or not readable: left
                }
            });
        } catch (IOException e) {
            // the root went away while walking: nothing matches now
        }
    }

    Path root() {
        return root;
    }
}
