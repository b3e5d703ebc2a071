package dev.hydrant.cli.wire;

import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.publisher.Flux;

/**
 * The test Traffic Controller as a process, for measuring the CLI's start-to-first-line time
 * (scripts/measure-first-line.sh): serves on the given port, accepts the token {@code dev-token} for app
 * {@code app-1}, holds 100 recent logs of it and publishes one log line every 20 ms.
 */
public final class TestTrafficControllerMain {

    private TestTrafficControllerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        List<Envelope> recent = new ArrayList<>();
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < 100; i++) {
            recent.add(Envelopes.log("app-1", "recent line " + i, now - (100 - i) * 1_000_000L));
        }
        FakeTrafficController server = new FakeTrafficController(port).token("dev-token", "app-1")
                .recentLogs("app-1", recent).start();
        Flux.interval(java.time.Duration.ofMillis(20))
                .subscribe(i -> server.publish(Envelopes.log("app-1", "live line " + i, System.currentTimeMillis() * 1_000_000L)));
        System.out.println("listening on " + server.baseUrl());
        new CountDownLatch(1).await();
    }
}
