//! One person, one client: every stored phone in the one form the numbering plans give it.
//!
//! Phones were once checked by shape only, so one person could be stored twice (`+8109012345678`
//! and `+819012345678`: a trunk zero typed after the country code). When the company object finds
//! its stored phones written under an older plan than [`PLAN_VERSION`], its alarm rewrites every
//! client's and membership's phone with `validation::phone` and merges the clients that turn out
//! to be one person (the one that already has the number keeps its id, the earliest first booking
//! and any missing e-mail). Each merge is recorded and carried to every location the company ever
//! had ([`propagate`]), whose bookings and seats then name the surviving client and the number in
//! its one form; a location that cannot be reached is asked again at the next alarm.

use serde::{Deserialize, Serialize};
use worker::{Env, SqlStorage};

use homeslot_core::membership::Membership;
use homeslot_core::validation;

use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;

/// The version of the rules stored phones are written by: 1 is libphonenumber's numbering plans.
pub const PLAN_VERSION: i64 = 1;

/// The company object's tables for it. The version row starts at 0: data written before it.
pub(super) const MIGRATIONS: [&str; 3] = [
    "CREATE TABLE phone_plan (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)",
    "INSERT INTO phone_plan (id, version) VALUES (1, 0)",
    "CREATE TABLE client_merges (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        from_id TEXT NOT NULL,
        to_id TEXT NOT NULL,
        from_phone TEXT NOT NULL,
        to_phone TEXT NOT NULL,
        locations_done TEXT NOT NULL DEFAULT '[]',
        created_at_ms INTEGER NOT NULL
    )",
];

/// A change of one client's identity that the locations' bookings must follow.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Merge {
    pub from_id: String,
    pub to_id: String,
    pub from_phone: String,
    pub to_phone: String,
}

#[derive(Deserialize)]
struct Version {
    version: i64,
}

/// Whether stored phones are written by an older plan than this build's.
pub(super) fn outdated(sql: &SqlStorage) -> AppResult<bool> {
    let rows: Vec<Version> = sql.exec("SELECT version FROM phone_plan WHERE id = 1", None)?.to_array()?;
    Ok(rows.first().is_none_or(|row| row.version < PLAN_VERSION))
}

/// Marks stored phones as written by the old rules (a test build's legacy booking wrote one).
#[cfg(feature = "faults")]
pub(super) fn mark_outdated(sql: &SqlStorage) -> AppResult<()> {
    sql.exec("UPDATE phone_plan SET version = 0 WHERE id = 1", None)?;
    Ok(())
}

#[derive(Deserialize)]
struct ClientRow {
    id: String,
    name: String,
    phone: String,
    email: Option<String>,
    created_at_ms: i64,
    updated_at_ms: i64,
    first_booked_at_ms: Option<i64>,
}

#[derive(Deserialize)]
struct MembershipRow {
    document: String,
}

impl MembershipRow {
    fn membership(&self) -> AppResult<Membership> {
        Ok(serde_json::from_str(&self.document)
            .map_err(|e| worker::Error::RustError(format!("stored membership: {e}")))?)
    }
}

/// Records `merge` for the locations to follow ([`propagate`]).
fn record(sql: &SqlStorage, merge: &Merge, now_ms: i64) -> AppResult<()> {
    sql.exec(
        "INSERT INTO client_merges (from_id, to_id, from_phone, to_phone, created_at_ms) VALUES (?, ?, ?, ?, ?)",
        vec![
            merge.from_id.as_str().into(),
            merge.to_id.as_str().into(),
            merge.from_phone.as_str().into(),
            merge.to_phone.as_str().into(),
            now_ms.into(),
        ],
    )?;
    Ok(())
}

/// Stores `membership` as held by `phone`.
fn move_membership(sql: &SqlStorage, mut membership: Membership, phone: &str, now_ms: i64) -> AppResult<()> {
    membership.phone = phone.to_string();
    let document = serde_json::to_string(&membership).map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "UPDATE memberships SET phone = ?, document = ?, updated_at_ms = ? WHERE number = ?",
        vec![phone.into(), document.into(), now_ms.into(), membership.number.to_uppercase().into()],
    )?;
    Ok(())
}

/// Rewrites every stored phone by today's rules (national numbers read in `country`, the owner's
/// `phone_country`) and merges the clients that become one, recording each merge for the
/// locations; marks the phones current. Synchronous: the caller runs it in one transaction. A
/// phone the rules refuse (a number that cannot exist) is left as it was: its client stays
/// reachable, by that number, for export and erasure.
pub(super) fn normalize(sql: &SqlStorage, country: Option<&str>, now_ms: i64) -> AppResult<usize> {
    let clients: Vec<ClientRow> = sql
        .exec(
            "SELECT id, name, phone, email, created_at_ms, updated_at_ms, first_booked_at_ms FROM clients
             WHERE phone IS NOT NULL ORDER BY created_at_ms, id",
            None,
        )?
        .to_array()?;
    let mut merges = Vec::new();
    for client in clients {
        let Ok(phone) = validation::phone(&client.phone, country) else { continue };
        if phone == client.phone {
            continue;
        }
        let holder: Vec<ClientRow> = sql
            .exec(
                "SELECT id, name, phone, email, created_at_ms, updated_at_ms, first_booked_at_ms FROM clients
                 WHERE phone = ?",
                vec![phone.as_str().into()],
            )?
            .to_array()?;
        let to_id = match holder.into_iter().next() {
            None => {
                sql.exec(
                    "UPDATE clients SET phone = ? WHERE id = ?",
                    vec![phone.as_str().into(), client.id.as_str().into()],
                )?;
                client.id.clone()
            }
            Some(kept) => {
                absorb(sql, &kept, &client)?;
                kept.id
            }
        };
        merges.push(Merge { from_id: client.id, to_id, from_phone: client.phone, to_phone: phone });
    }
    for merge in &merges {
        record(sql, merge, now_ms)?;
    }
    let memberships: Vec<MembershipRow> = sql.exec("SELECT document FROM memberships", None)?.to_array()?;
    for row in memberships {
        let membership = row.membership()?;
        let Ok(phone) = validation::phone(&membership.phone, country) else { continue };
        if phone != membership.phone {
            move_membership(sql, membership, &phone, now_ms)?;
        }
    }
    sql.exec("UPDATE phone_plan SET version = ? WHERE id = 1", vec![PLAN_VERSION.into()])?;
    Ok(merges.len())
}

/// Merges client `merge_id` into `keep_id` because the staff say they are one person (a new
/// number, a typo): `keep` keeps its id, name and number and takes what [`absorb`] gives it, the notes
/// of both, and `merge`'s memberships; the merge is recorded for the locations ([`propagate`]).
/// `not_found` for an unknown or erased client; `validation_failed` for a client merged into
/// themselves. Synchronous: the caller runs it in one transaction.
pub(super) fn merge_clients(sql: &SqlStorage, keep_id: &str, merge_id: &str, now_ms: i64) -> AppResult<Merge> {
    if keep_id == merge_id {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "merge",
            "A client cannot be merged into themselves.",
        )
        .into());
    }
    let read = |id: &str| -> AppResult<ClientRow> {
        let rows: Vec<ClientRow> = sql
            .exec(
                "SELECT id, name, phone, email, created_at_ms, updated_at_ms, first_booked_at_ms FROM clients
                 WHERE id = ? AND phone IS NOT NULL",
                vec![id.into()],
            )?
            .to_array()?;
        rows.into_iter().next().ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No client with this id.").into())
    };
    let (kept, gone) = (read(keep_id)?, read(merge_id)?);
    #[derive(Deserialize)]
    struct Notes {
        keep: Option<String>,
        gone: Option<String>,
    }
    let notes: Notes = sql
        .exec(
            "SELECT (SELECT note FROM clients WHERE id = ?1) AS keep, (SELECT note FROM clients WHERE id = ?2) AS gone",
            vec![keep_id.into(), merge_id.into()],
        )?
        .one()?;
    absorb(sql, &kept, &gone)?;
    // The staff chose which record stays: its name too, whichever was given last.
    sql.exec("UPDATE clients SET name = ? WHERE id = ?", vec![kept.name.as_str().into(), keep_id.into()])?;
    let note = match (notes.keep, notes.gone) {
        (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => Some(format!("{a}\n{b}")),
        (a, b) => a.filter(|a| !a.is_empty()).or(b),
    };
    sql.exec("UPDATE clients SET note = ? WHERE id = ?", vec![note.into(), keep_id.into()])?;
    let merge = Merge {
        from_id: gone.id.clone(),
        to_id: kept.id.clone(),
        from_phone: gone.phone.clone(),
        to_phone: kept.phone.clone(),
    };
    record(sql, &merge, now_ms)?;
    let memberships: Vec<MembershipRow> =
        sql.exec("SELECT document FROM memberships WHERE phone = ?", vec![gone.phone.as_str().into()])?.to_array()?;
    for row in memberships {
        move_membership(sql, row.membership()?, &kept.phone, now_ms)?;
    }
    Ok(merge)
}

/// Folds client `gone` into `kept`, the same person: `kept` keeps its id and number, takes the
/// name most recently given, an e-mail if it has none, the earliest first booking and creation.
fn absorb(sql: &SqlStorage, kept: &ClientRow, gone: &ClientRow) -> AppResult<()> {
    let name = if gone.updated_at_ms > kept.updated_at_ms { &gone.name } else { &kept.name };
    let email = kept.email.as_ref().or(gone.email.as_ref());
    let first = match (kept.first_booked_at_ms, gone.first_booked_at_ms) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    sql.exec("DELETE FROM clients WHERE id = ?", vec![gone.id.as_str().into()])?;
    sql.exec(
        "UPDATE clients SET name = ?, email = ?, first_booked_at_ms = ?, created_at_ms = ?, updated_at_ms = ?
         WHERE id = ?",
        vec![
            name.as_str().into(),
            email.map(String::as_str).into(),
            first.into(),
            kept.created_at_ms.min(gone.created_at_ms).into(),
            kept.updated_at_ms.max(gone.updated_at_ms).into(),
            kept.id.as_str().into(),
        ],
    )?;
    Ok(())
}

#[derive(Deserialize)]
struct MergeRow {
    id: i64,
    from_id: String,
    to_id: String,
    from_phone: String,
    to_phone: String,
    locations_done: String,
}

/// Whether merges are still to be carried to some location.
pub(super) fn pending(sql: &SqlStorage) -> AppResult<bool> {
    #[derive(Deserialize)]
    struct Count {
        n: i64,
    }
    Ok(sql.exec("SELECT count(*) AS n FROM client_merges", None)?.one::<Count>()?.n > 0)
}

/// Carries every recorded merge to every location in `locations`, forgetting a merge once all have
/// it. A location that cannot be reached now keeps it pending. Answers whether any is left.
pub(super) async fn propagate(env: &Env, sql: &SqlStorage, company_id: &str, locations: &[String]) -> AppResult<bool> {
    let rows: Vec<MergeRow> = sql
        .exec("SELECT id, from_id, to_id, from_phone, to_phone, locations_done FROM client_merges ORDER BY id", None)?
        .to_array()?;
    let mut left = false;
    for row in rows {
        let mut done: Vec<String> = serde_json::from_str(&row.locations_done).unwrap_or_default();
        let merge =
            Merge { from_id: row.from_id, to_id: row.to_id, from_phone: row.from_phone, to_phone: row.to_phone };
        let missing: Vec<&String> = locations.iter().filter(|l| !done.contains(l)).collect();
        for location_id in missing {
            if crate::store::location::merge_client(env, company_id, location_id, &merge).await.is_ok() {
                done.push(location_id.clone());
            }
        }
        if locations.iter().all(|l| done.contains(l)) {
            sql.exec("DELETE FROM client_merges WHERE id = ?", vec![row.id.into()])?;
        } else {
            left = true;
            let text = serde_json::to_string(&done).unwrap_or_else(|_| "[]".into());
            sql.exec("UPDATE client_merges SET locations_done = ? WHERE id = ?", vec![text.into(), row.id.into()])?;
        }
    }
    Ok(left)
}
