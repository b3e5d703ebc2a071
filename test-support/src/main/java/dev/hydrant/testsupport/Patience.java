package dev.hydrant.testsupport;

import java.time.Duration;

/**
 * How long a test waits for something that must happen (Awaitility's {@code atMost}, a
 * StepVerifier's {@code verify}). These bound a wait, never a speed: a test that gets its answer
 * sooner goes on at once, so each is long enough to hold on a shared, loaded two-core machine.
 */
public final class Patience {

    /** For one component in the test's own JVM: a delivery, a count, a reconnection. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    /** For the whole pipe (several components, contexts or processes) to carry something end to end. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private Patience() {
    }
}
