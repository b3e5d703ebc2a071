package dev.hydrant.metron.ratelimit;

import com.google.protobuf.ByteString;
import dev.hydrant.api.wire.EncodedEnvelope;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * Holds every app instance (source id and instance id) to its log rate limit. Only Log envelopes
 * count and are dropped; metrics pass untouched. An instance over its limit loses the excess
 * (counted as {@code dropped{direction=rate_limit}}) and, at most once a second, gets a Log envelope
 * of type ERR in its own log saying so, worded as Cloud Foundry words it.
 *
 * <p>On the hot path it costs one lookup in a concurrent map and the instance's own lock; it never
 * blocks on other instances. The map holds at most {@code maxSources} instances: when it is full,
 * the instances idle for a second are forgotten (their allowance is full again, so nothing changes);
 * when all of them are active it is cleared (counted as {@code rate_limit.resets}).
 */
public final class AppLogRateLimiter {

    private static final AppLogRateLimiter OFF = new AppLogRateLimiter();

    private final LogRateLimit limit;
    private final int maxSources;
    private final Map<SourceInstance, Allowance> allowances;
    private final RateLimitMeters meters;
    private final Counter ingress;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final ByteString notice;

    private AppLogRateLimiter() {
        this.limit = null;
        this.maxSources = 0;
        this.allowances = Map.of();
        this.meters = null;
        this.ingress = null;
        this.nanoTime = null;
        this.clock = null;
        this.notice = null;
    }

    /**
     * @param maxSources instances remembered at most
     * @param ingress    counted up by each notice, which enters the pipe as the agent's own envelope
     */
    public AppLogRateLimiter(LogRateLimit limit, int maxSources, RateLimitMeters meters, Counter ingress,
                             LongSupplier nanoTime, Clock clock) {
        if (maxSources < 1) {
            throw new IllegalArgumentException("maxSources must be positive, was " + maxSources);
        }
        this.limit = Objects.requireNonNull(limit, "limit");
        this.maxSources = maxSources;
        this.allowances = new ConcurrentHashMap<>();
        this.meters = Objects.requireNonNull(meters, "meters");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.notice = ByteString.copyFromUtf8(limit.notice());
    }

    /** No limit: everything passes. */
    public static AppLogRateLimiter off() {
        return OFF;
    }

    public boolean isOff() {
        return limit == null;
    }

    /**
     * The envelopes of a tagged batch (only logs are read, from their bytes, and only while a limit is set) that are within their instances' limits, in order, with a
     * notice after the first log an instance loses in a second; the batch itself when nothing was dropped.
     */
    public List<EncodedEnvelope> admit(List<EncodedEnvelope> batch) {
        if (limit == null) {
            return batch;
        }
        List<EncodedEnvelope> admitted = null;
        long now = nanoTime.getAsLong();
        int dropped = 0;
        int notices = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            EncodedEnvelope encoded = batch.get(i);
            if (encoded.type() != Envelope.MessageCase.LOG) {
                if (admitted != null) {
                    admitted.add(encoded);
                }
                continue;
            }
            Allowance.Verdict verdict = allowance(encoded, now).take(units(encoded), now);
            if (verdict == Allowance.Verdict.PASSED) {
                if (admitted != null) {
                    admitted.add(encoded);
                }
                continue;
            }
            if (admitted == null) {
                admitted = new ArrayList<>(batch.subList(0, i));
            }
            dropped++;
            if (verdict == Allowance.Verdict.DROPPED_AND_NOTICE_DUE) {
                admitted.add(EncodedEnvelope.of(notice(encoded.envelope())));
                notices++;
            }
        }
        if (dropped > 0) {
            meters.dropped().increment(dropped);
        }
        if (notices > 0) {
            meters.notices().increment(notices);
            ingress.increment(notices);
        }
        return admitted == null ? batch : admitted;
    }

    /** Instances remembered now. */
    public int sources() {
        return allowances.size();
    }

    private long units(EncodedEnvelope envelope) {
        return limit.unit() == LogRateLimit.Unit.BYTES ? envelope.logPayloadSize() : 1;
    }

    private Allowance allowance(EncodedEnvelope envelope, long now) {
        SourceInstance key = new SourceInstance(envelope.sourceId(), envelope.instanceId());
        Allowance allowance = allowances.get(key);
        if (allowance != null) {
            return allowance;
        }
        if (allowances.size() >= maxSources) {
            makeRoom(now);
        }
        return allowances.computeIfAbsent(key, k -> new Allowance(limit.perSecond(), now));
    }

    private void makeRoom(long now) {
        allowances.values().removeIf(allowance -> allowance.idleAt(now));
        if (allowances.size() >= maxSources) {
            allowances.clear();
            meters.resets().increment();
        }
    }

    private Envelope notice(Envelope dropped) {
        Instant now = clock.instant();
        return Envelope.newBuilder()
                .setSourceId(dropped.getSourceId())
                .setInstanceId(dropped.getInstanceId())
                .setTimestamp(now.getEpochSecond() * 1_000_000_000L + now.getNano())
                .putAllTags(dropped.getTagsMap())
                .setLog(Log.newBuilder().setPayload(notice).setType(Log.Type.ERR))
                .build();
    }

    private record SourceInstance(String sourceId, String instanceId) {
    }
}
