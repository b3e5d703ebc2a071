package dev.hydrant.trafficcontroller.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.trafficcontroller.TrafficControllerApplication;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

class StartupTest {

    @TempDir
    Path dir;

    private Map<String, Object> base() {
        TlsFiles tls = CertificateAuthority.create("test-ca").issueFiles(dir, "traffic-controller");
        Map<String, Object> properties = new HashMap<>(TrafficControllerApplication.BOOT_DEFAULTS);
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("hydrant.traffic-controller.drains.data-dir", dir.resolve("drains").toString());
        properties.put("hydrant.traffic-controller.grpc-port", "0");
        properties.put("hydrant.traffic-controller.tls.cert-file", tls.certFile().toString());
        properties.put("hydrant.traffic-controller.tls.key-file", tls.keyFile().toString());
        properties.put("hydrant.traffic-controller.tls.ca-file", tls.caFile().toString());
        return properties;
    }

    @Test
    void withoutAnyAuthSetting_startUpFailsNamingTheAuthSetting() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(base()).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.auth");
    }

    @Test
    void anUnbracketedIpv6Doppler_stopsStartUpNamingTheDopplersSetting() {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        properties.put("hydrant.traffic-controller.dopplers", "::1:8082");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.dopplers: '::1:8082' is an IPv6 address without "
                        + "brackets: write [address]:port");
    }

    @Test
    void withoutTlsFiles_startUpFailsNamingTheTlsSetting() {
        Map<String, Object> properties = base();
        properties.remove("hydrant.traffic-controller.tls.cert-file");
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.tls.cert-file");
    }

    @Test
    void aNegativeShutdownGrace_startUpFailsNamingTheSetting() {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        properties.put("hydrant.traffic-controller.shutdown-grace", "-1s");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("shutdownGrace");
    }

    @Test
    void zeroMaxSelectors_startUpFailsNamingTheSetting() {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        properties.put("hydrant.traffic-controller.max-selectors", "0");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.max-selectors");
    }

    @Test
    void aClientBufferOfFewerBytesThanOneKibibyte_startUpFailsNamingTheSetting() {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        properties.put("hydrant.traffic-controller.client-buffer-bytes", "1023");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.client-buffer-bytes: must be from 1024");
    }

    @Test
    void anEgressBufferBudgetOverOneGibibyte_startUpFailsNamingTheSetting() {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        properties.put("hydrant.traffic-controller.egress-buffer-bytes", String.valueOf((1L << 30) + 1));
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.egress-buffer-bytes: must be from 1024");
    }

    @Test
    void zeroMaxConnections_startUpFailsNamingTheSetting() {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        properties.put("hydrant.traffic-controller.http.max-connections", "0");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.http.max-connections");
    }

    @Test
    void anAllowedOriginWithAPath_stopsStartUpNamingTheSetting() {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        properties.put("hydrant.traffic-controller.auth.allowed-origins", "https://console.example.com,https://x.example.com/app");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.auth.allowed-origins[1]: 'https://x.example.com/app' "
                        + "is not a web origin");
    }

    @Test
    void aBlockedRangeThatIsNotACidr_stopsStartUpNamingTheSetting() {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        properties.put("hydrant.traffic-controller.drains.blocked-ranges", "10.0.0.0/8,10.0.0.0/40");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.drains.blocked-ranges[1]: '10.0.0.0/40' has a "
                        + "prefix length outside 0..32");
    }

    @Test
    void aDatabaseThatCannotBeReached_stopsStartUpNamingTheJdbcUrlSetting() throws Exception {
        Map<String, Object> properties = base();
        properties.put("hydrant.traffic-controller.auth.disabled", "true");
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        properties.put("hydrant.traffic-controller.drains.jdbc-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/drains");
        assertThatThrownBy(() -> new SpringApplicationBuilder(TrafficControllerApplication.class)
                .properties(properties).run().close())
                .hasStackTraceContaining("hydrant.traffic-controller.drains.jdbc-url: cannot open the drain bindings' "
                        + "database");
    }
}
