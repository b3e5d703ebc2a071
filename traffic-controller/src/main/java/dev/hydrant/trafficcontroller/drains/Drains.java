package dev.hydrant.trafficcontroller.drains;

import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The drain bindings: checks a new one (URL, certificates, where its host resolves) and stores it, lists and
 * removes them. Every database call and every name resolution runs on Reactor's boundedElastic scheduler, never
 * on an event loop. Each change is counted in {@code drains.changes{action}} and logged at INFO with the URL
 * redacted; {@code drains.bound} is counted again after each.
 */
public final class Drains {

    /** The longest source id stored (the column's size). */
    public static final int MAX_SOURCE_ID = 255;
    /** The longest drain URL stored (the column's size). */
    public static final int MAX_URL = 2048;

    private static final Logger log = LoggerFactory.getLogger(Drains.class);

    private final DrainRepository repository;
    private final AddressPolicy addresses;
    private final ProxyMetrics metrics;

    /** Counts the stored bindings once, at start (blocking: built at start-up, not on a request). */
    public Drains(DrainRepository repository, AddressPolicy addresses, ProxyMetrics metrics) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        metrics.drainsBound().set(repository.count());
    }

    /** Every binding and the generation they were read at. */
    public record Snapshot(long generation, List<Binding> bindings) {
    }

    /** Checks and stores a new binding; a {@link DrainRefusal} says why not. */
    public Mono<Binding> create(NewBinding request) {
        return blocking(() -> {
            if (request.url().length() > MAX_URL) {
                throw DrainRefusal.invalidUrl("the drain URL is longer than " + MAX_URL + " characters");
            }
            DrainUrl url = DrainUrl.parse(request.url());
            ClientCertificates.check(request.cert(), request.key(), request.ca());
            addresses.check(url.host());
            Binding binding = store(new Binding(UUID.randomUUID(), request.sourceId(), request.url(),
                    url.type(), url.disableMetadata(), pem(request.cert()), pem(request.key()), pem(request.ca()),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS)));
            metrics.drainChanges("created").increment();
            metrics.drainsBound().set(repository.count());
            log.info("Drain {} bound to source id '{}': {} ({}{})", binding.id(), binding.sourceId(),
                    binding.redactedUrl(), binding.type().wire(), binding.cert() != null ? ", client certificate" : "");
            return binding;
        }).doOnError(DrainRefusal.class, refusal -> {
            metrics.drainChanges("refused").increment();
            log.info("Drain for source id '{}' refused: {} ({})", request.sourceId(), refusal.getMessage(),
                    refusal.error());
        });
    }

    /**
     * Stores a checked binding. A database failure is told without its message, which (H2's does) may quote the
     * values of the row, credentials included.
     */
    private Binding store(Binding binding) {
        try {
            return repository.create(binding);
        } catch (DataAccessException e) {
            log.warn("Drain for source id '{}' not stored: the database failed ({})", binding.sourceId(),
                    e.getClass().getSimpleName());
            throw new IllegalStateException("the drain bindings' database failed", null);
        }
    }

    /** Removes {@code binding}; false when it was already gone. */
    public Mono<Boolean> delete(Binding binding) {
        return blocking(() -> {
            boolean deleted = repository.delete(binding.id());
            if (deleted) {
                metrics.drainChanges("deleted").increment();
                metrics.drainsBound().set(repository.count());
                log.info("Drain {} unbound from source id '{}': {}", binding.id(), binding.sourceId(),
                        binding.redactedUrl());
            }
            return deleted;
        });
    }

    public Mono<Optional<Binding>> find(UUID id) {
        return blocking(() -> repository.find(id));
    }

    public Mono<List<Binding>> bySource(String sourceId) {
        return blocking(() -> repository.bySource(sourceId));
    }

    public Mono<List<Binding>> all() {
        return blocking(repository::all);
    }

    /** The generation first, then the bindings: a change in between shows as a new generation next time. */
    public Mono<Snapshot> snapshot() {
        return blocking(() -> {
            long generation = repository.generation();
            return new Snapshot(generation, repository.all());
        });
    }

    private static String pem(String value) {
        return ClientCertificates.present(value) ? value : null;
    }

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
