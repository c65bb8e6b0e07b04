-- 0005_suggestion_decisions: the inspector's decision on each suggestion computed from the
-- statistics (采纳 / 不采纳 with a reason), and the new history field 'suggestion'.
--
-- A suggestion is identified within its leaf by `key` (the ids of the figures it was computed
-- from, joined by ","): re-importing statistics keeps the decision as long as the same figures
-- drive the suggestion; `explanation` keeps the suggestion's wording as it was decided, so a
-- changed suggestion can be told from the decided one. An open suggestion has no row. Released
-- migrations are never edited (see src/migrations.rs). This file runs inside the migration
-- transaction; no BEGIN/COMMIT or PRAGMA here.

CREATE TABLE suggestion_decisions (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    point         TEXT    NOT NULL,
    key           TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('adopted', 'declined')),
    reason        TEXT    NOT NULL DEFAULT '',
    explanation   TEXT    NOT NULL,
    decided_at    TEXT    NOT NULL,
    CHECK (status <> 'declined' OR length(trim(reason)) > 0),
    PRIMARY KEY (assessment_id, point, key)
) STRICT, WITHOUT ROWID;

-- history: same columns, field list widened by 'suggestion' (point = the leaf code). SQLite cannot
-- alter a CHECK, so the table is rebuilt as in 0002 and 0003.
CREATE TABLE history_new (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    point         TEXT,
    field         TEXT    NOT NULL CHECK (field IN ('rating', 'scored', 'deductions', 'note', 'problems',
                                                    'measures', 'bonus', 'revision', 'evidence',
                                                    'evidence_meta', 'import', 'statistics',
                                                    'suggestion')),
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
