package dev.hydrant.standalone.stack;

import dev.hydrant.plumbing.tls.TlsFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings the standalone gives its components on top of their own defaults; command-line
 * arguments, system properties and environment variables override each of them.
 */
final class StandaloneDefaults {

    /** Everything listens on loopback only: a development stack is not a service for the network. */
    static final String LOOPBACK = "127.0.0.1";

    /** How often the stack's Metron scrapes the Doppler: often enough for a demo to show it soon. */
    static final String DOPPLER_SCRAPE_INTERVAL = "5s";

    private StandaloneDefaults() {
    }

    /** For every component: quiet start-up in one terminal, loopback, and shutdown left to the stack. */
    static Map<String, Object> common() {
        return Map.of(
                "spring.main.banner-mode", "off",
                "spring.main.register-shutdown-hook", "false",
                // logging too: stopped by Boot's hook, it would end while the stack still reports its stop
                "logging.register-shutdown-hook", "false",
                "logging.level.root", "WARN",
                "logging.level.dev.hydrant", "INFO",
                "logging.include-application-name", "false",
                "spring.main.log-startup-info", "false",
                "server.address", LOOPBACK);
    }

    static Map<String, Object> doppler(TlsFiles tls) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("hydrant.doppler.host", LOOPBACK);
        putTls(properties, "hydrant.doppler.tls.", tls);
        return properties;
    }

    /** @param drainsDir where the drain bindings' embedded database lives: {@code drains/} of the data directory */
    static Map<String, Object> trafficController(TlsFiles tls, int dopplerPort, Path verificationKey, int metronPort,
                                                 Path drainsDir) {
        String prefix = "hydrant.traffic-controller.";
        Map<String, Object> properties = new HashMap<>();
        properties.put(prefix + "dopplers", LOOPBACK + ":" + dopplerPort);
        properties.put(prefix + "grpc-host", LOOPBACK);
        properties.put(prefix + "auth.public-key-file", verificationKey.toString());
        properties.put(prefix + "metrics.metron", LOOPBACK + ":" + metronPort);
        properties.put(prefix + "drains.data-dir", drainsDir.toString());
        // one machine: a drain to a syslog listener on this machine is what a local user binds
        properties.put(prefix + "drains.allowed-ranges", "127.0.0.0/8,::1/128");
        properties.put("management.server.address", LOOPBACK);
        putTls(properties, prefix + "tls.", tls);
        return properties;
    }

    /**
     * Metron forwards to the Doppler, tails every {@code *.log} file of {@code demoFiles} (plain lines, the file's
     * name without {@code .log} as source id) and scrapes the Doppler's Prometheus endpoint as the component
     * {@link StandaloneStack#DOPPLER_METRICS_SOURCE_ID}: the demo's file-tailed app and scraped component.
     *
     * @param dopplerManagementPort the port of the Doppler's {@code /actuator/prometheus}
     */
    static Map<String, Object> metron(TlsFiles tls, int dopplerPort, int dopplerManagementPort, Path demoFiles,
                                      Path positions) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("hydrant.metron.host", LOOPBACK);
        properties.put("hydrant.metron.dopplers", LOOPBACK + ":" + dopplerPort);
        putTls(properties, "hydrant.metron.tls.", tls);
        String files = "hydrant.metron.files.";
        properties.put(files + "inputs[0].path", demoFiles.resolve("*.log").toString());
        properties.put(files + "inputs[0].format", "plain");
        properties.put(files + "inputs[0].source-id", "{file}");
        properties.put(files + "checkpoint-dir", positions.toString());
        String target = "hydrant.metron.scrape.targets[0].";
        properties.put(target + "url", "http://" + LOOPBACK + ":" + dopplerManagementPort + "/actuator/prometheus");
        properties.put(target + "source-id", StandaloneStack.DOPPLER_METRICS_SOURCE_ID);
        properties.put(target + "interval", DOPPLER_SCRAPE_INTERVAL);
        return properties;
    }

    private static void putTls(Map<String, Object> properties, String prefix, TlsFiles tls) {
        properties.put(prefix + "cert-file", tls.certFile().toString());
        properties.put(prefix + "key-file", tls.keyFile().toString());
        properties.put(prefix + "ca-file", tls.caFile().toString());
    }
}
