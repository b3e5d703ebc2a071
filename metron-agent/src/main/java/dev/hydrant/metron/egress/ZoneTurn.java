package dev.hydrant.metron.egress;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The turn of the workers of Dopplers outside the agent's zone: the pool's shared turn, but granted
 * only while no Doppler of the zone is reachable (has a stream established). While one is, a worker
 * asking for the turn waits out its time and gets nothing, so everything goes to the zone; the moment
 * none is, they take their turns as any worker does. The change either way is logged once.
 */
final class ZoneTurn implements Lock {

    private static final Logger log = LoggerFactory.getLogger(ZoneTurn.class);

    /** How often a waiting worker looks at the zone again. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Lock turn;
    private final BooleanSupplier zoneReachable;
    private final String zone;
    private final AtomicBoolean fallingBack = new AtomicBoolean();

    /**
     * @param turn          the pool's shared turn
     * @param zoneReachable whether a Doppler of the agent's zone has a stream established now
     */
    ZoneTurn(Lock turn, BooleanSupplier zoneReachable, String zone) {
        this.turn = turn;
        this.zoneReachable = zoneReachable;
        this.zone = zone;
    }

    /** Whether the Dopplers outside the zone may take now; logs when that changes. */
    private boolean open() {
        boolean open = !zoneReachable.getAsBoolean();
        if (fallingBack.compareAndSet(!open, open)) {
            if (open) {
                log.warn("no Doppler of zone {} is reachable: forwarding to the Dopplers of other zones", zone);
            } else {
                log.info("a Doppler of zone {} is reachable: forwarding to the zone's Dopplers only", zone);
            }
        }
        return open;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(time);
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (open()) {
                return turn.tryLock(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            }
            if (remaining <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(remaining, RECHECK_NANOS));
        }
    }

    @Override
    public boolean tryLock() {
        return open() && turn.tryLock();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        while (!tryLock(1, TimeUnit.SECONDS)) {
            // the zone is reachable: wait on
        }
    }

    @Override
    public void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                lockInterruptibly();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void unlock() {
        turn.unlock();
    }

    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("the zone's turn has no conditions");
    }
}
