package dev.hydrant.trafficcontroller.drains;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hydrant.plumbing.config.InvalidSettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the drain bindings' database and brings its schema up to date with Flyway
 * ({@value #MIGRATIONS}): PostgreSQL (or any JDBC database with a driver here) when {@code jdbc-url} is set,
 * else an embedded H2 file {@code drains.mv.db} under {@code data-dir}, made on first start. A database that
 * cannot be opened stops start-up naming the setting.
 */
public final class DrainDatabase {

    /** Where the migrations are, on the classpath. */
    public static final String MIGRATIONS = "classpath:db/migration/hydrant";

    private static final Logger log = LoggerFactory.getLogger(DrainDatabase.class);

    private DrainDatabase() {
    }

    /** A connection pool to the configured database, its schema migrated. */
    public static HikariDataSource open(DrainSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("drains");
        config.setMaximumPoolSize(settings.maxConnections());
        config.setMinimumIdle(Math.min(1, settings.maxConnections()));
        String setting;
        if (settings.external()) {
            setting = DrainSettings.PREFIX + ".jdbc-url";
            config.setJdbcUrl(settings.jdbcUrl().trim());
            config.setUsername(settings.username());
            config.setPassword(settings.password());
        } else {
            setting = DrainSettings.PREFIX + ".data-dir";
            Path dir = settings.dataDir().toAbsolutePath().normalize();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new InvalidSettingException(setting, "cannot create the directory " + dir + ": " + e.getMessage());
            }
            // closed with the pool, not by H2's own shutdown hook, which would close it under a stopping context
            config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("drains") + ";DB_CLOSE_ON_EXIT=FALSE");
            config.setUsername("sa");
            config.setPassword("");
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new InvalidSettingException(setting, "cannot open the drain bindings' database: " + rootMessage(e), e);
        }
        try {
            migrate(dataSource);
        } catch (FlywayException e) {
            dataSource.close();
            throw new InvalidSettingException(setting, "cannot migrate the drain bindings' database: "
                    + rootMessage(e), e);
        }
        log.info("Drain bindings in {}", settings.external() ? "the database at " + DrainSettings.PREFIX + ".jdbc-url"
                : settings.dataDir().toAbsolutePath().normalize().resolve("drains.mv.db"));
        return dataSource;
    }

    /** Applies the migrations not applied yet. */
    public static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load().migrate();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage()).replaceAll("\\s+", " ").trim();
    }
}
