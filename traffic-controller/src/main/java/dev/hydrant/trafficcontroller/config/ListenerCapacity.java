package dev.hydrant.trafficcontroller.config;

import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the process may open as many descriptors as the public listener may hold connections, with
 * room for the rest (jars, Doppler channels, the gRPC egress, the database): when it may not, the
 * descriptor limit and not {@code http.max-connections} is what ends up refusing clients, with
 * errors instead of a counted refusal, so start-up says so once.
 */
final class ListenerCapacity {

    /** Descriptors kept for everything but the public listener's connections. */
    static final long RESERVE = 512;

    private static final Logger log = LoggerFactory.getLogger(ListenerCapacity.class);

    private ListenerCapacity() {
    }

    static void warnWhenOverDescriptorLimit(int maxConnections, String setting) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            if (maxConnections + RESERVE > limit) {
                log.warn("{}={} with a descriptor limit of {} (ulimit -n): raise the limit to at least {} or lower the "
                        + "setting, else accepting connections fails before the cap is reached", setting,
                        maxConnections, limit, maxConnections + RESERVE);
            }
        }
    }
}
