package dev.hydrant.nozzle.classpath;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;

import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.Transport;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Run inside a class loader without grpc-netty-shaded and BouncyCastle: reads one envelope over SSE, then asks
 * for a gRPC client. Answers what it read and what the gRPC attempt said.
 */
public final class SseWithoutGrpc implements Callable<List<String>> {

    @Override
    public List<String> call() {
        try (FakeTrafficController server = new FakeTrafficController().start()) {
            HydrantClient client = HydrantClient.builder().baseUrl(server.baseUrl()).transport(Transport.SSE).build();
            var subscriber = new java.util.concurrent.CompletableFuture<Envelope>();
            var subscription = client.firehose("no-grpc").subscribe(subscriber::complete);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!subscriber.isDone() && System.nanoTime() < deadline) {
                server.publish(log("app", "read without grpc"));
                try {
                    subscriber.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Exception notYet) {
                    // publish again: the stream may not be open yet
                }
            }
            subscription.dispose();
            String read = subscriber.isDone() ? text(subscriber.join()) : "nothing";
            String grpc;
            try {
                HydrantClient.builder().transport(Transport.GRPC)
                        .grpc(new dev.hydrant.nozzle.client.GrpcSettings("localhost:8089", "reverselogproxy",
                                new dev.hydrant.plumbing.tls.TlsFiles(null, null, null)))
                        .build();
                grpc = "built";
            } catch (IllegalStateException e) {
                grpc = e.getMessage();
            }
            return List.of(read, grpc);
        }
    }
}
