package dev.hydrant.trafficcontroller.drains;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The drain bindings in the database (table {@code drain_bindings}, migrations in
 * {@code db/migration/hydrant}). Blocking JDBC: {@link Drains} calls it on Reactor's boundedElastic scheduler,
 * never on an event loop. Every change first bumps the one row of {@code drain_generation}, which locks it:
 * changes are serialised across every Traffic Controller sharing the database, so the per-source limit holds,
 * and readers learn from the generation that something changed.
 */
public final class DrainRepository {

    private static final String COLUMNS =
            "id, source_id, url, drain_type, disable_metadata, client_cert, client_key, ca, created_at";
    private static final RowMapper<Binding> BINDING = DrainRepository::binding;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final int maxPerSource;

    public DrainRepository(DataSource dataSource, int maxPerSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.maxPerSource = maxPerSource;
    }

    /** Stores {@code binding}; a {@link DrainRefusal} when its URL is already bound to its source or the source is full. */
    public Binding create(Binding binding) {
        try {
            return transactions.execute(status -> {
                bumpGeneration();
                Integer same = jdbc.queryForObject("SELECT COUNT(*) FROM drain_bindings WHERE source_id = ? AND url = ?",
                        Integer.class, binding.sourceId(), binding.url());
                if (same != null && same > 0) {
                    throw duplicate(binding);
                }
                Integer bound = jdbc.queryForObject("SELECT COUNT(*) FROM drain_bindings WHERE source_id = ?",
                        Integer.class, binding.sourceId());
                if (bound != null && bound >= maxPerSource) {
                    throw DrainRefusal.limit("source id '" + binding.sourceId() + "' already has " + bound
                            + " drains, the most allowed (max-drains-per-source)");
                }
                jdbc.update("INSERT INTO drain_bindings (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        binding.id(), binding.sourceId(), binding.url(), binding.type().wire(),
                        binding.disableMetadata(), binding.cert(), binding.key(), binding.ca(),
                        OffsetDateTime.ofInstant(binding.createdAt(), ZoneOffset.UTC));
                return binding;
            });
        } catch (DuplicateKeyException e) {
            throw duplicate(binding);
        }
    }

    private static DrainRefusal duplicate(Binding binding) {
        return DrainRefusal.duplicate("the drain " + binding.redactedUrl() + " is already bound to source id '"
                + binding.sourceId() + "'");
    }

    /** Removes one binding; false when there was none with that id. */
    public boolean delete(UUID id) {
        Boolean deleted = transactions.execute(status -> {
            bumpGeneration();
            if (jdbc.update("DELETE FROM drain_bindings WHERE id = ?", id) == 0) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        });
        return Boolean.TRUE.equals(deleted);
    }

    public Optional<Binding> find(UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM drain_bindings WHERE id = ?", BINDING, id).stream().findFirst();
    }

    /** The bindings of one source id, oldest first. */
    public List<Binding> bySource(String sourceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM drain_bindings WHERE source_id = ? ORDER BY created_at, id",
                BINDING, sourceId);
    }

    /** Every binding, by source id, oldest first. */
    public List<Binding> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM drain_bindings ORDER BY source_id, created_at, id", BINDING);
    }

    /** Grows with every change of any binding. */
    public long generation() {
        Long generation = jdbc.queryForObject("SELECT generation FROM drain_generation WHERE id = 1", Long.class);
        return generation == null ? 0 : generation;
    }

    public int count() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM drain_bindings", Integer.class);
        return count == null ? 0 : count;
    }

    private void bumpGeneration() {
        jdbc.update("UPDATE drain_generation SET generation = generation + 1 WHERE id = 1");
    }

    private static Binding binding(ResultSet row, int index) throws SQLException {
        return new Binding(row.getObject("id", UUID.class), row.getString("source_id"), row.getString("url"),
                DrainType.fromWire(row.getString("drain_type")), row.getBoolean("disable_metadata"),
                row.getString("client_cert"), row.getString("client_key"), row.getString("ca"),
                row.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
