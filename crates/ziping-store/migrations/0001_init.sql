-- 0001_init: the first schema of a 履职自评 workspace.
--
-- Released migrations are never edited: change the schema by adding 0002_….sql (see src/migrations.rs).
-- The runner applies this file inside one transaction and sets PRAGMA user_version; do not put
-- BEGIN/COMMIT or PRAGMA statements here. Tables are STRICT so that a wrong type is an error, not a
-- silent conversion.

-- The exact indicator system an assessment is judged against, as the JSON the app loaded.
-- Deduplicated by the SHA-256 of that JSON; a snapshot never changes once written.
CREATE TABLE system_snapshots (
    id        INTEGER PRIMARY KEY,
    system_id TEXT    NOT NULL,
    version   TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    official  INTEGER NOT NULL CHECK (official IN (0, 1)),
    json      TEXT    NOT NULL CHECK (json_valid(json)),
    sha256    TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64)
) STRICT;

-- One self-assessment (自评) of one region for one year, tied to one system snapshot.
-- frozen_at is set exactly while the current revision is frozen (定稿).
CREATE TABLE assessments (
    id          INTEGER PRIMARY KEY,
    uid         TEXT    NOT NULL UNIQUE,
    region      TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    organ       TEXT    NOT NULL,
    snapshot_id INTEGER NOT NULL REFERENCES system_snapshots (id) ON DELETE RESTRICT,
    status      TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'frozen')),
    revision    INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    frozen_at   TEXT,
    CHECK ((status = 'frozen') = (frozen_at IS NOT NULL))
) STRICT;

CREATE INDEX assessments_by_snapshot ON assessments (snapshot_id);

-- The inspector's input for one leaf (测评点). A row exists once the leaf was really changed.
CREATE TABLE entries (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    point         TEXT    NOT NULL,
    rating        TEXT,
    scored        INTEGER NOT NULL DEFAULT 0 CHECK (scored IN (0, 1)),
    note          TEXT    NOT NULL DEFAULT '',
    problems      TEXT    NOT NULL DEFAULT '',
    measures      TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, point)
) STRICT, WITHOUT ROWID;

-- Itemised deductions of a leaf, in the order the inspector gave them. amount is in hundredths of a
-- point (ziping_core::Points), never a float.
CREATE TABLE deductions (
    assessment_id INTEGER NOT NULL,
    point         TEXT    NOT NULL,
    position      INTEGER NOT NULL CHECK (position >= 0),
    amount        INTEGER NOT NULL,
    reason        TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, point, position),
    FOREIGN KEY (assessment_id, point) REFERENCES entries (assessment_id, point) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

-- Claimed bonus items (加分) with their justification. An unclaimed item has no row.
CREATE TABLE bonus_claims (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    code          TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    updated_at    TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, code)
) STRICT, WITHOUT ROWID;

-- Every real change, old and new value as JSON. point holds the leaf code, or the bonus item code for
-- field 'bonus', and is NULL for field 'revision'. reverted_id names the row whose old value this
-- change restored.
CREATE TABLE history (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    point         TEXT,
    field         TEXT    NOT NULL CHECK (field IN ('rating', 'scored', 'deductions', 'note', 'problems',
                                                    'measures', 'bonus', 'revision')),
    old_value     TEXT    NOT NULL CHECK (json_valid(old_value)),
    new_value     TEXT    NOT NULL CHECK (json_valid(new_value)),
    at            TEXT    NOT NULL,
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    reverted_id   INTEGER REFERENCES history (id) ON DELETE SET NULL,
    CHECK ((point IS NULL) = (field = 'revision'))
) STRICT;

CREATE INDEX history_by_point ON history (assessment_id, point, id);
CREATE INDEX history_by_reverted ON history (reverted_id) WHERE reverted_id IS NOT NULL;

-- What was signed: the canonical JSON of all entries and bonus claims at each freeze (定稿), and its
-- SHA-256. Written once per revision, never updated.
CREATE TABLE revisions (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    frozen_at     TEXT    NOT NULL,
    content       TEXT    NOT NULL CHECK (json_valid(content)),
    sha256        TEXT    NOT NULL CHECK (length(sha256) = 64),
    PRIMARY KEY (assessment_id, revision)
) STRICT;

-- A signed revision and a system snapshot are evidence: refuse to rewrite them in place.
CREATE TRIGGER revisions_are_immutable BEFORE UPDATE ON revisions
BEGIN
    SELECT RAISE(ABORT, 'revisions are immutable');
END;

CREATE TRIGGER system_snapshots_are_immutable BEFORE UPDATE ON system_snapshots
BEGIN
    SELECT RAISE(ABORT, 'system snapshots are immutable');
END;
