package dev.hydrant.nozzles.syslog.bindings;

import dev.hydrant.nozzles.syslog.drain.Binding;
import dev.hydrant.nozzles.syslog.drain.DrainFactory;
import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import dev.hydrant.nozzles.syslog.drain.DrainWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running drain writers, one per binding, and the route table from source id to them. {@link #apply}
 * makes the writers match a new list of bindings without a restart: a new binding starts a writer, a
 * removed one stops it, a changed one (same id, other URL, type or TLS material) is replaced; the others go
 * on untouched. The route table is an immutable snapshot the router reads without a lock.
 */
public final class Drains implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Drains.class);

    private final DrainFactory factory;
    private final DrainMetrics metrics;
    private final Map<String, DrainWriter> writers = new HashMap<>();
    private volatile Map<String, List<DrainWriter>> routes = Map.of();

    public Drains(DrainFactory factory, DrainMetrics metrics) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The writers of the drains bound to {@code sourceId}, or null when there are none. */
    public List<DrainWriter> routes(String sourceId) {
        return routes.get(sourceId);
    }

    public synchronized Collection<DrainWriter> writers() {
        return List.copyOf(writers.values());
    }

    public synchronized void apply(List<Binding> bindings) {
        Map<String, Binding> wanted = new HashMap<>();
        for (Binding binding : bindings) {
            wanted.put(binding.id(), binding);
        }
        int added = 0;
        int removed = 0;
        int replaced = 0;
        for (var it = writers.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Binding next = wanted.get(entry.getKey());
            if (next == null || !next.equals(entry.getValue().binding())) {
                stop(entry.getValue());
                it.remove();
                if (next == null) {
                    removed++;
                } else {
                    replaced++;
                }
            }
        }
        for (Binding binding : wanted.values()) {
            if (!writers.containsKey(binding.id())) {
                writers.put(binding.id(), factory.start(binding, metrics.bind(binding.id())));
                added++;
            }
        }
        added -= replaced;
        Map<String, List<DrainWriter>> table = new HashMap<>();
        for (DrainWriter writer : writers.values()) {
            table.computeIfAbsent(writer.binding().sourceId(), id -> new ArrayList<>()).add(writer);
        }
        table.replaceAll((id, list) -> List.copyOf(list));
        routes = Map.copyOf(table);
        if (added + removed + replaced > 0) {
            log.info("Drains: {} bound ({} added, {} removed, {} replaced)", writers.size(), added, removed, replaced);
        }
    }

    private void stop(DrainWriter writer) {
        writer.close();
        metrics.unbind(writer.binding().id());
    }

    @Override
    public synchronized void close() {
        routes = Map.of();
        writers.values().forEach(this::stop);
        writers.clear();
    }
}
