package dev.hydrant.plumbing.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;

/**
 * The instance id a component puts on its own envelopes (self-metrics, notices), the same rule in
 * every component: the {@code instance-id} setting when it is set (not blank); otherwise the
 * machine's host name; otherwise, when the host name cannot be found, {@value #UNKNOWN}.
 */
public final class InstanceId {

    /** The instance id when neither the setting nor the host name gives one. */
    public static final String UNKNOWN = "0";

    private InstanceId() {
    }

    /** @param configured the component's {@code instance-id} setting, null or blank when not set */
    public static String resolve(String configured) {
        return resolve(configured, InstanceId::localHostName);
    }

    /** The rule, with the host name from {@code hostName} (null when unknown). */
    static String resolve(String configured, Supplier<String> hostName) {
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        String host = hostName.get();
        return host == null || host.isBlank() ? UNKNOWN : host;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
