package dev.hydrant.plumbing.lifecycle;

import sun.misc.Signal;

/**
 * SIGTERM as a requested, normal stop. By default a JVM ended by SIGTERM runs its shutdown hooks
 * (Spring's context close, in which each component stops taking new work and flushes what it holds
 * within its {@code shutdown-grace}) and then exits with status 143, which supervisors and CI read
 * as a failure. With this handler SIGTERM calls {@link System#exit(int) System.exit(0)}: the same
 * shutdown hooks run in the same order, and a stop that was asked for ends with status 0. A JVM
 * that has no SIGTERM to handle (another platform, {@code -Xrs}) keeps its default.
 *
 * <p>Installed from each component's {@code main} only: tests that run a component inside their
 * own JVM keep the test runner's signal handling.
 */
public final class SigtermExit {

    private SigtermExit() {
    }

    /** Installs the handler; call once, from {@code main}, before the application starts. */
    public static void install() {
        try {
            Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException unavailable) {
            // no SIGTERM here, or the JVM keeps it for itself: its default handling stays
        }
    }
}
