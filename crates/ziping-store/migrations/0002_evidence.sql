-- 0002_evidence: evidence (佐证材料), their links to leaves, merge bases for packages, and the new
-- history fields 'evidence' (link/unlink), 'evidence_meta' (metadata edit of a linked item) and
-- 'import' (a package merged into an assessment).
--
-- Released migrations are never edited (see src/migrations.rs). This file runs inside the
-- migration transaction; no BEGIN/COMMIT or PRAGMA here.

-- One evidence item per distinct content: the file itself lives outside the database, in the
-- workspace's evidence folder under its SHA-256 (`<workspace>.evidence/ab/cdef…`).
CREATE TABLE evidence (
    id         INTEGER PRIMARY KEY,
    sha256     TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL CHECK (size >= 0),
    file_name  TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('document', 'minutes', 'ledger', 'statistics', 'photo',
                                                'certificate', 'other')),
    issuer     TEXT    NOT NULL DEFAULT '',
    doc_no     TEXT    NOT NULL DEFAULT '',
    date       TEXT    NOT NULL DEFAULT '',
    note       TEXT    NOT NULL DEFAULT '',
    added_at   TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
) STRICT;

-- Which item supports which leaf of which assessment. An item cannot be deleted while linked.
CREATE TABLE evidence_links (
    evidence_id   INTEGER NOT NULL REFERENCES evidence (id) ON DELETE RESTRICT,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    point         TEXT    NOT NULL,
    linked_at     TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, point, evidence_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX evidence_links_by_evidence ON evidence_links (evidence_id);

-- The merge base of packages: per leaf (or 'bonus:CODE'), the SHA-256 of its content as last
-- exchanged (written on export, and on import with the package's content).
CREATE TABLE sync_base (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    point         TEXT    NOT NULL,
    sha256        TEXT    NOT NULL CHECK (length(sha256) = 64),
    PRIMARY KEY (assessment_id, point)
) STRICT, WITHOUT ROWID;

-- history: same columns, wider field list. SQLite cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE history_new (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    point         TEXT,
    field         TEXT    NOT NULL CHECK (field IN ('rating', 'scored', 'deductions', 'note', 'problems',
                                                    'measures', 'bonus', 'revision', 'evidence',
                                                    'evidence_meta', 'import')),
    old_value     TEXT    NOT NULL CHECK (json_valid(old_value)),
    new_value     TEXT    NOT NULL CHECK (json_valid(new_value)),
    at            TEXT    NOT NULL,
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    reverted_id   INTEGER REFERENCES history_new (id) ON DELETE SET NULL,
    CHECK ((point IS NULL) = (field IN ('revision', 'import')))
) STRICT;

INSERT INTO history_new (id, assessment_id, point, field, old_value, new_value, at, revision, reverted_id)
    SELECT id, assessment_id, point, field, old_value, new_value, at, revision, reverted_id FROM history;

DROP TABLE history;
ALTER TABLE history_new RENAME TO history;

CREATE INDEX history_by_point ON history (assessment_id, point, id);
CREATE INDEX history_by_reverted ON history (reverted_id) WHERE reverted_id IS NOT NULL;
