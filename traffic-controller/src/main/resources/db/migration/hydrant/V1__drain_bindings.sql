-- Drain bindings (docs/wire.md section 7): one row per drain bound to a source id. The URL is stored whole,
-- credentials included; the API shows it redacted except to an admin asking for secrets (nozzles/syslog).
-- Portable SQL: the same migration runs on the embedded H2 file database and on PostgreSQL.
CREATE TABLE drain_bindings (
    id               UUID                     NOT NULL PRIMARY KEY,
    source_id        VARCHAR(255)             NOT NULL,
    url              VARCHAR(2048)            NOT NULL,
    drain_type       VARCHAR(16)              NOT NULL,
    disable_metadata BOOLEAN                  NOT NULL,
    client_cert      TEXT,
    client_key       TEXT,
    ca               TEXT,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT drain_bindings_source_url UNIQUE (source_id, url)
);

-- One row whose number grows with every change of any binding: readers poll it cheaply, and every change
-- locks it first, so that changes (and the per-source limit check) are serialised across Traffic Controllers.
CREATE TABLE drain_generation (
    id         INTEGER NOT NULL PRIMARY KEY,
    generation BIGINT  NOT NULL
);

INSERT INTO drain_generation (id, generation) VALUES (1, 0);
