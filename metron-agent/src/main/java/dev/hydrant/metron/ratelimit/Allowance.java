package dev.hydrant.metron.ratelimit;

/**
 * The log allowance of one source instance: a token bucket holding at most one second of the limit,
 * refilled continuously at the limit's rate, so that over any window of {@code w} seconds at most
 * {@code limit × (w + 1)} passes. It also remembers when the instance was last told it is over its
 * limit, so that it is told at most once a second. Its lock is its own: sources never wait on each other.
 */
final class Allowance {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final double perSecond;
    private double tokens;
    private long refilledAt;
    private long noticedAt;
    private boolean noticed;
    private volatile long lastSeen;

    Allowance(long perSecond, long now) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.refilledAt = now;
        this.lastSeen = now;
    }

    /** What became of one log of {@code units} (lines or bytes) at {@code now} (System.nanoTime). */
    enum Verdict { PASSED, DROPPED, DROPPED_AND_NOTICE_DUE }

    synchronized Verdict take(long units, long now) {
        lastSeen = now;
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(perSecond, tokens + elapsed * perSecond / SECOND_NANOS);
            refilledAt = now;
        }
        if (tokens >= units) {
            tokens -= units;
            return Verdict.PASSED;
        }
        if (!noticed || now - noticedAt >= SECOND_NANOS) {
            noticed = true;
            noticedAt = now;
            return Verdict.DROPPED_AND_NOTICE_DUE;
        }
        return Verdict.DROPPED;
    }

    /**
     * Whether it has not been used for a second: its bucket is full again and its notice window has
     * passed, so forgetting it changes nothing.
     */
    boolean idleAt(long now) {
        return now - lastSeen >= SECOND_NANOS;
    }
}
