-- 0004_library: the library of indicator systems imported, attached or edited by the user.
--
-- One row per (system_id, version): the name, year and issuer shown in lists, where it came from
-- (origin 'import' = read from a notice's table, 'attach' = 测评点 attached to another version,
-- 'edit' = corrected in the editor; source file name and SHA-256 when read from a file; the
-- version it was derived from), and the system itself as a row of system_snapshots (the same
-- immutable, SHA-256-deduplicated JSON an assessment references). Library rows are never updated:
-- a correction is a new version. The runner applies this file inside one transaction; no
-- BEGIN/COMMIT or PRAGMA here.

CREATE TABLE library_systems (
    id            INTEGER PRIMARY KEY,
    system_id     TEXT    NOT NULL,
    version       TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    year          INTEGER,
    issuer        TEXT,
    origin        TEXT    NOT NULL CHECK (origin IN ('import', 'attach', 'edit')),
    source_file   TEXT,
    source_sha256 TEXT    CHECK (source_sha256 IS NULL OR length(source_sha256) = 64),
    base_version  TEXT,
    snapshot_id   INTEGER NOT NULL REFERENCES system_snapshots (id) ON DELETE RESTRICT,
    created_at    TEXT    NOT NULL,
    UNIQUE (system_id, version)
) STRICT;

CREATE INDEX library_by_system ON library_systems (system_id, id);

CREATE TRIGGER library_systems_are_immutable BEFORE UPDATE ON library_systems
BEGIN
    SELECT RAISE(ABORT, 'library systems are immutable');
END;
