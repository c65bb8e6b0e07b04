-- 0003_statistics: statistics imported from workbooks (ziping-import), per assessment.
--
-- One row per assessment and table: the typed rows as JSON, each value with the workbook cell it
-- came from (file, sheet, row, column); the source file name and SHA-256; the sheet; the time of
-- import. Re-importing a table replaces its row; the history records it (field 'statistics', point =
-- the table key, old/new value = a summary of the source). The runner applies this file inside one
-- transaction; no BEGIN/COMMIT or PRAGMA here.

CREATE TABLE statistics (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    table_key     TEXT    NOT NULL CHECK (table_key IN ('schools', 'classes', 'finance', 'teacher_pay',
                                                        'preschool', 'special_groups', 'satisfaction')),
    rows_json     TEXT    NOT NULL CHECK (json_valid(rows_json)),
    row_count     INTEGER NOT NULL CHECK (row_count >= 0),
    sheet         TEXT    NOT NULL,
    source_file   TEXT    NOT NULL,
    source_sha256 TEXT    NOT NULL CHECK (length(source_sha256) = 64),
    imported_at   TEXT    NOT NULL,
    UNIQUE (assessment_id, table_key)
) STRICT;

-- history: same columns, field list widened by 'statistics' (point = the table key). SQLite cannot
-- alter a CHECK, so the table is rebuilt as in 0002.
CREATE TABLE history_new (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    point         TEXT,
    field         TEXT    NOT NULL CHECK (field IN ('rating', 'scored', 'deductions', 'note', 'problems',
                                                    'measures', 'bonus', 'revision', 'evidence',
                                                    'evidence_meta', 'import', 'statistics')),
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
