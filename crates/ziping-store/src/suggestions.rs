//! The inspector's decisions on suggestions computed from the statistics: 采纳 (adopted) or 不采纳
//! (declined, always with a reason).
//!
//! A suggestion is identified within its leaf by a `key` the app chooses (the ids of the figures it
//! was computed from). An open suggestion has no row. A decision is written with
//! [`crate::Change::Suggestion`] through [`Workspace::apply`], so it is refused on frozen
//! assessments, recorded in the history (field `suggestion`, values
//! `{"key", "status": "open" | "adopted" | "declined", "reason", "explanation"}`) and revertible
//! like any other change: reverting a decision makes the suggestion open again (or restores the
//! earlier decision). Adopting also writes the rating or deduction itself; the app puts those
//! changes in the same [`Workspace::apply`] call, so both land in one transaction.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::StoreError;
use crate::types::{AssessmentRow, HistoryRow};
use crate::workspace::{insert_history, load_assessment, Workspace};

/// 采纳 or 不采纳.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    Adopted,
    Declined,
}

impl DecisionStatus {
    /// The value stored in `suggestion_decisions.status` and in the history.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionStatus::Adopted => "adopted",
            DecisionStatus::Declined => "declined",
        }
    }

    fn parse(s: &str) -> Option<DecisionStatus> {
        match s {
            "adopted" => Some(DecisionStatus::Adopted),
            "declined" => Some(DecisionStatus::Declined),
            _ => None,
        }
    }
}

/// A decision as written by [`crate::Change::Suggestion`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub status: DecisionStatus,
    /// Why it was declined (required then); empty or a remark when adopted.
    pub reason: String,
    /// The suggestion's explanation as it read when decided.
    pub explanation: String,
}

/// A stored decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRow {
    pub point: String,
    pub key: String,
    pub status: DecisionStatus,
    pub reason: String,
    pub explanation: String,
    pub decided_at: String,
}

/// The history value of a decision (`None`: open).
pub(crate) fn decision_value(key: &str, d: Option<&Decision>) -> Value {
    match d {
        None => json!({ "key": key, "status": "open", "reason": "", "explanation": "" }),
        Some(d) => json!({
            "key": key,
            "status": d.status.as_str(),
            "reason": d.reason,
            "explanation": d.explanation,
        }),
    }
}

/// The decision a history value records (`Ok(None)`: open); `None` when it cannot be read.
pub(crate) fn decision_from_value(v: &Value) -> Option<(String, Option<Decision>)> {
    let key = v.get("key")?.as_str()?.to_string();
    let status = v.get("status")?.as_str()?;
    if status == "open" {
        return Some((key, None));
    }
    let text = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Some((
        key,
        Some(Decision {
            status: DecisionStatus::parse(status)?,
            reason: text("reason"),
            explanation: text("explanation"),
        }),
    ))
}

fn load_decision(
    conn: &Connection,
    id: i64,
    point: &str,
    key: &str,
) -> Result<Option<Decision>, StoreError> {
    let row: Option<(String, String, String)> = conn
        .query_row(
            "SELECT status, reason, explanation FROM suggestion_decisions \
             WHERE assessment_id = ?1 AND point = ?2 AND key = ?3",
            params![id, point, key],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    row.map(|(status, reason, explanation)| {
        let status = DecisionStatus::parse(&status)
            .ok_or_else(|| StoreError::Invalid(format!("建议处理状态“{status}”无法识别")))?;
        Ok(Decision {
            status,
            reason,
            explanation,
        })
    })
    .transpose()
}

/// Writes (or clears) one decision inside the caller's transaction; `None` if nothing changes.
pub(crate) fn apply_decision(
    conn: &Connection,
    row: &AssessmentRow,
    point: &str,
    key: &str,
    decision: Option<&Decision>,
    now: &str,
    reverted_id: Option<i64>,
) -> Result<Option<HistoryRow>, StoreError> {
    if key.trim().is_empty() {
        return Err(StoreError::Invalid("建议的标识不能为空".to_string()));
    }
    if let Some(d) = decision {
        if d.status == DecisionStatus::Declined && d.reason.trim().is_empty() {
            return Err(StoreError::Invalid("不采纳建议须填写理由".to_string()));
        }
    }
    let current = load_decision(conn, row.id, point, key)?;
    if current.as_ref() == decision {
        return Ok(None);
    }
    match decision {
        Some(d) => conn.execute(
            "INSERT INTO suggestion_decisions (assessment_id, point, key, status, reason, explanation, decided_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
             ON CONFLICT (assessment_id, point, key) DO UPDATE SET status = excluded.status, \
             reason = excluded.reason, explanation = excluded.explanation, decided_at = excluded.decided_at",
            params![row.id, point, key, d.status.as_str(), d.reason, d.explanation, now],
        )?,
        None => conn.execute(
            "DELETE FROM suggestion_decisions WHERE assessment_id = ?1 AND point = ?2 AND key = ?3",
            params![row.id, point, key],
        )?,
    };
    insert_history(
        conn,
        row.id,
        Some(point),
        "suggestion",
        &decision_value(key, current.as_ref()),
        &decision_value(key, decision),
        now,
        row.revision,
        reverted_id,
    )
    .map(Some)
}

impl Workspace {
    /// The decisions taken on an assessment's suggestions, ordered by leaf and key.
    pub fn suggestion_decisions(&self, id: i64) -> Result<Vec<DecisionRow>, StoreError> {
        load_assessment(&self.conn, id)?;
        decision_rows(&self.conn, id)
    }
}

/// The decisions of an assessment, ordered by leaf and key (also what a package carries).
pub(crate) fn decision_rows(conn: &Connection, id: i64) -> Result<Vec<DecisionRow>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT point, key, status, reason, explanation, decided_at FROM suggestion_decisions \
             WHERE assessment_id = ?1 ORDER BY point, key",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (point, key, status, reason, explanation, decided_at) = row?;
        let status = DecisionStatus::parse(&status)
            .ok_or_else(|| StoreError::Invalid(format!("建议处理状态“{status}”无法识别")))?;
        out.push(DecisionRow {
            point,
            key,
            status,
            reason,
            explanation,
            decided_at,
        });
    }
    Ok(out)
}
