package dev.hydrant.plumbing.lifecycle;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import sun.misc.Signal;

/**
 * What a component's {@code main} sets up because the component has its JVM to itself; tests and
 * the standalone stack, which run several components in one JVM, do not use it (the standalone
 * takes only {@link #exitZeroOnSigterm()}, and gives each of its contexts event loops of its own).
 *
 * <ul>
 *   <li>SIGTERM as a requested, normal stop. By default a JVM ended by SIGTERM runs its shutdown
 *       hooks (Spring's context close, in which each component stops taking new work and flushes what
 *       it holds within its {@code shutdown-grace}) and then exits with status 143, which supervisors
 *       and CI read as a failure. Here SIGTERM calls {@link System#exit(int) System.exit(0)}: the same
 *       shutdown hooks run in the same order, and a stop that was asked for ends with status 0. A JVM
 *       that has no SIGTERM to handle (another platform, {@code -Xrs}) keeps its default.</li>
 *   <li>Reactor Netty's event loops end as soon as their work is done when the context closes,
 *       rather than after a quiet period of 2 s that any activity resets (up to 15 s): that wait held
 *       every component after "Graceful shutdown complete". The loops are global to the JVM, so this
 *       holds only for a JVM with one context: several contexts in one JVM share them, and the first
 *       to close would take them from the others.</li>
 * </ul>
 */
public final class OwnJvm {

    /** Boot settings for a component alone in its JVM. */
    public static final Map<String, Object> DEFAULTS = Map.of("spring.reactor.netty.shutdown-quiet-period", "0s");

    private OwnJvm() {
    }

    /**
     * Installs the SIGTERM handler and gives {@code application} the component's default properties
     * together with {@link #DEFAULTS} (the component's own win).
     */
    public static SpringApplication prepare(SpringApplication application, Map<String, Object> componentDefaults) {
        Map<String, Object> defaults = new HashMap<>(DEFAULTS);
        defaults.putAll(componentDefaults);
        application.setDefaultProperties(defaults);
        exitZeroOnSigterm();
        return application;
    }

    /**
     * Makes SIGTERM a normal stop: {@code System.exit(0)}, which runs the shutdown hooks as SIGTERM
     * would, then exits with status 0 rather than 143.
     */
    public static void exitZeroOnSigterm() {
        try {
            Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException unavailable) {
            // no SIGTERM here, or the JVM keeps it for itself: its default handling stays
        }
    }
}
