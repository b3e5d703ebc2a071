package dev.hydrant.doppler;

import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.doppler.config.DopplerServer;
import dev.hydrant.doppler.routing.Router;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/** A real DopplerApplication on port 0 with certificates made for the test, and a client channel to it. */
public final class TestDoppler implements AutoCloseable {

    public final CertificateAuthority ca;
    public final TlsFiles serverFiles;
    public final TlsFiles clientFiles;
    public final ConfigurableApplicationContext context;
    public final ManagedChannel channel;

    private TestDoppler(CertificateAuthority ca, TlsFiles serverFiles, TlsFiles clientFiles,
                        ConfigurableApplicationContext context) {
        this.ca = ca;
        this.serverFiles = serverFiles;
        this.clientFiles = clientFiles;
        this.context = context;
        this.channel = GrpcTransport.channel("127.0.0.1:" + grpcPort(), "doppler", clientFiles, "test.tls").build();
    }

    public static TestDoppler start(Path directory, String... properties) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test-ca");
        Path server = Files.createDirectories(directory.resolve("server"));
        Path client = Files.createDirectories(directory.resolve("client"));
        TlsFiles serverFiles = ca.issueFiles(server, "doppler");
        TlsFiles clientFiles = ca.issueFiles(client, "client");
        return new TestDoppler(ca, serverFiles, clientFiles, application(serverFiles, properties).run());
    }

    /** The application as the tests start it: loopback, port 0, the given TLS files and properties. */
    public static SpringApplicationBuilder application(TlsFiles serverFiles, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "hydrant.doppler.host=127.0.0.1",
                "hydrant.doppler.port=0",
                "hydrant.doppler.tls.cert-file=" + serverFiles.certFile(),
                "hydrant.doppler.tls.key-file=" + serverFiles.keyFile(),
                "hydrant.doppler.tls.ca-file=" + serverFiles.caFile(),
                "spring.main.banner-mode=off"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(DopplerApplication.class)
                .properties(DopplerApplication.DEFAULT_PROPERTIES)
                .properties(all.toArray(String[]::new));
    }

    public int grpcPort() {
        return context.getBean(DopplerServer.class).port();
    }

    public int httpPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public IngressGrpc.IngressStub ingress() {
        return IngressGrpc.newStub(channel);
    }

    public IngressGrpc.IngressBlockingStub ingressBlocking() {
        return IngressGrpc.newBlockingStub(channel);
    }

    public EgressGrpc.EgressStub egress() {
        return EgressGrpc.newStub(channel);
    }

    public RecentEnvelopesGrpc.RecentEnvelopesBlockingStub recent() {
        return RecentEnvelopesGrpc.newBlockingStub(channel);
    }

    public int subscriptions() {
        return context.getBean(Router.class).subscriptions();
    }

    /** Waits until the server has registered exactly {@code count} subscriptions. */
    public void awaitSubscriptions(int count) {
        await().until(() -> subscriptions() == count);
    }

    /** The current value of a counter, 0 when it does not exist. */
    public double counter(String name, String... tags) {
        Search search = context.getBean(MeterRegistry.class).find(name).tags(tags);
        return search.counter() == null ? 0 : search.counter().count();
    }

    @Override
    public void close() {
        GrpcTransport.shutdown(channel, 1_000);
        context.close();
    }
}
