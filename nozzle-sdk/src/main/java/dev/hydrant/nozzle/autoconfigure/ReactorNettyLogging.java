package dev.hydrant.nozzle.autoconfigure;

import java.util.List;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Two Reactor Netty loggers repeat, per connection attempt, a failure the client already reports once per
 * outage: {@code HttpClientConnect} logs every TLS handshake failure at WARN with its stack trace before
 * handing it on ("The connection observed an error"), and {@code FluxReceive} logs at WARN the second error
 * Reactor Netty raises for a refused websocket handshake ("An exception has been observed post termination").
 * Neither can be handled in the Reactor pipeline, since Reactor Netty logs before it reports. A nozzle app
 * sets both to ERROR, unless the app configured them or runs them at DEBUG.
 */
final class ReactorNettyLogging {

    static final List<String> REPEATING_LOGGERS = List.of(
            "reactor.netty.http.client.HttpClientConnect", "reactor.netty.channel.FluxReceive");

    private ReactorNettyLogging() {
    }

    static void quietRepeats(ClassLoader classLoader) {
        try {
            LoggingSystem system = LoggingSystem.get(classLoader);
            for (String name : REPEATING_LOGGERS) {
                LoggerConfiguration configuration = system.getLoggerConfiguration(name);
                LogLevel effective = configuration == null ? LogLevel.INFO : configuration.getEffectiveLevel();
                boolean configured = configuration != null && configuration.getConfiguredLevel() != null;
                if (!configured && (effective == LogLevel.INFO || effective == LogLevel.WARN)) {
                    system.setLogLevel(name, LogLevel.ERROR);
                }
            }
        } catch (RuntimeException unsupported) {
            // no logging system, or one that cannot set levels: the lines stay as they are
        }
    }
}
