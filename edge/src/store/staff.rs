//! A business's staff, kept in its company object: the people who joined it with their
//! [`Grant`] (role, locations, specialist), and the invites not yet used. The company object is
//! the authority on who may do what in the business; a person's own object only lists the
//! businesses they joined.
//!
//! An invite is a link with a secret (`{company}.{secret}`), shown once to whoever invites; only
//! its SHA-256 is stored. It expires after [`INVITE_LIFETIME_MS`], works once, and can be revoked.

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response, SqlStorage};

use homeslot_core::access::{Grant, Role};
use homeslot_core::accounts::{Member, PendingInvite, Staff};
use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::store::{call, random_hex, sha256_hex};
use crate::{clock, http};

/// The company object's tables for its staff (appended to its migrations).
pub const MIGRATIONS: [&str; 2] = [
    "CREATE TABLE staff (
        person_id TEXT PRIMARY KEY,
        email TEXT NOT NULL,
        name TEXT NOT NULL,
        grant_json TEXT NOT NULL,
        joined_at_ms INTEGER NOT NULL
    )",
    "CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL,
        grant_json TEXT NOT NULL,
        invited_by TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        used_at_ms INTEGER,
        revoked_at_ms INTEGER
    )",
];

/// How long an invite link works (7 days).
pub const INVITE_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;

/// A new invite as the object answers it: the only time its secret exists outside the link.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewInvite {
    pub invite_id: String,
    pub secret: String,
    pub email: String,
    pub expires_at_ms: i64,
}

/// What an invite offers, shown before it is accepted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Offer {
    pub email: String,
    #[serde(flatten)]
    pub grant: Grant,
}

fn stub(env: &Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

/// Invites `email` to the business with `grant`; `invited_by` is a person id or `platform`.
pub async fn invite(env: &Env, company_id: &str, email: &str, grant: &Grant, invited_by: &str) -> AppResult<NewInvite> {
    let command = serde_json::json!({ "email": email, "grant": grant, "invited_by": invited_by });
    call(&stub(env, company_id)?, "/staff/invite", &command).await
}

/// What the invite with this secret offers, or `invite_unusable`.
pub async fn offer(env: &Env, company_id: &str, secret: &str) -> AppResult<Offer> {
    call(&stub(env, company_id)?, "/staff/offer", &serde_json::json!({ "hash": sha256_hex(secret) })).await
}

/// Uses the invite (once) for the person, who joins the business with its grant.
pub async fn accept(env: &Env, company_id: &str, secret: &str, person_id: &str, name: &str) -> AppResult<Offer> {
    let command = serde_json::json!({ "hash": sha256_hex(secret), "person_id": person_id, "name": name });
    call(&stub(env, company_id)?, "/staff/accept", &command).await
}

/// The person's grant in the business, if they are on its staff.
pub async fn grant_of(env: &Env, company_id: &str, person_id: &str) -> AppResult<Option<Grant>> {
    call(&stub(env, company_id)?, "/staff/grant", &serde_json::json!({ "person_id": person_id })).await
}

/// The business's staff and its pending invites.
pub async fn list(env: &Env, company_id: &str) -> AppResult<Staff> {
    call(&stub(env, company_id)?, "/staff/list", &()).await
}

/// Removes a person from the staff (never the last owner); whether they were on it.
pub async fn remove(env: &Env, company_id: &str, person_id: &str) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/staff/remove", &serde_json::json!({ "person_id": person_id })).await
}

/// Revokes a pending invite; whether it was pending.
pub async fn revoke_invite(env: &Env, company_id: &str, invite_id: &str) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/staff/revoke-invite", &serde_json::json!({ "invite_id": invite_id })).await
}

#[derive(Deserialize)]
struct InviteCommand {
    email: String,
    grant: Grant,
    invited_by: String,
}

#[derive(Deserialize)]
struct HashCommand {
    hash: String,
}

#[derive(Deserialize)]
struct AcceptCommand {
    hash: String,
    person_id: String,
    name: String,
}

#[derive(Deserialize)]
struct PersonCommand {
    person_id: String,
}

#[derive(Deserialize)]
struct InviteIdCommand {
    invite_id: String,
}

#[derive(Deserialize)]
struct InviteRow {
    id: String,
    email: String,
    grant_json: String,
    expires_at_ms: i64,
    used_at_ms: Option<i64>,
    revoked_at_ms: Option<i64>,
}

#[derive(Deserialize)]
struct MemberRow {
    person_id: String,
    email: String,
    name: String,
    grant_json: String,
    joined_at_ms: i64,
}

fn parse_grant(json: &str) -> worker::Result<Grant> {
    serde_json::from_str(json).map_err(|e| worker::Error::RustError(format!("stored grant does not parse: {e}")))
}

fn to_json<T: Serialize>(value: &T) -> worker::Result<String> {
    serde_json::to_string(value).map_err(|e| worker::Error::RustError(e.to_string()))
}

fn unusable() -> ApiError {
    ApiError::new(
        ErrorCode::InviteUnusable,
        "This invite link has expired, was used already or was withdrawn. Ask for a new one.",
    )
}

/// The invite with this hash if it can still be used.
fn usable(sql: &SqlStorage, hash: &str, now: i64) -> AppResult<InviteRow> {
    let rows: Vec<InviteRow> = sql
        .exec(
            "SELECT id, email, grant_json, expires_at_ms, used_at_ms, revoked_at_ms FROM invites WHERE hash = ?",
            vec![hash.into()],
        )?
        .to_array()?;
    match rows.into_iter().next() {
        Some(row) if row.used_at_ms.is_none() && row.revoked_at_ms.is_none() && row.expires_at_ms > now => Ok(row),
        _ => Err(unusable().into()),
    }
}

fn members(sql: &SqlStorage) -> AppResult<Vec<Member>> {
    let rows: Vec<MemberRow> = sql
        .exec(
            "SELECT person_id, email, name, grant_json, joined_at_ms FROM staff ORDER BY joined_at_ms, person_id",
            None,
        )?
        .to_array()?;
    rows.into_iter()
        .map(|row| {
            Ok(Member {
                grant: parse_grant(&row.grant_json)?,
                person_id: row.person_id,
                email: row.email,
                name: row.name,
                joined_at_ms: row.joined_at_ms,
            })
        })
        .collect()
}

/// The company object's staff commands (`/staff/{action}`). `exists` says whether the company
/// has a catalog (no one is invited to a business that does not exist).
pub async fn command(sql: &SqlStorage, exists: bool, action: &str, req: &mut Request) -> AppResult<Response> {
    let now = clock::now_millis();
    match action {
        "invite" => {
            let command: InviteCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            if !exists {
                return Err(ApiError::new(ErrorCode::NotFound, "No such company.").into());
            }
            let secret = format!("{}{}", random_hex()?, random_hex()?);
            let hash = sha256_hex(&secret);
            let invite_id = hash[..12].to_owned();
            let expires_at_ms = now + INVITE_LIFETIME_MS;
            sql.exec(
                "INSERT INTO invites (id, hash, email, grant_json, invited_by, created_at_ms, expires_at_ms)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                vec![
                    invite_id.as_str().into(),
                    hash.into(),
                    command.email.as_str().into(),
                    to_json(&command.grant)?.into(),
                    command.invited_by.into(),
                    now.into(),
                    expires_at_ms.into(),
                ],
            )?;
            Ok(http::json(&NewInvite { invite_id, secret, email: command.email, expires_at_ms }, 200)?)
        }
        "offer" => {
            let command: HashCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let row = usable(sql, &command.hash, now)?;
            Ok(http::json(&Offer { email: row.email, grant: parse_grant(&row.grant_json)? }, 200)?)
        }
        "accept" => {
            let command: AcceptCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            // The check and both writes with no `.await` between them: an invite works once.
            let row = usable(sql, &command.hash, now)?;
            sql.exec("UPDATE invites SET used_at_ms = ? WHERE id = ?", vec![now.into(), row.id.as_str().into()])?;
            sql.exec(
                "INSERT INTO staff (person_id, email, name, grant_json, joined_at_ms) VALUES (?, ?, ?, ?, ?)
                 ON CONFLICT (person_id) DO UPDATE SET grant_json = excluded.grant_json, name = excluded.name",
                vec![
                    command.person_id.into(),
                    row.email.as_str().into(),
                    command.name.into(),
                    row.grant_json.as_str().into(),
                    now.into(),
                ],
            )?;
            Ok(http::json(&Offer { email: row.email, grant: parse_grant(&row.grant_json)? }, 200)?)
        }
        "grant" => {
            let command: PersonCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            #[derive(Deserialize)]
            struct Row {
                grant_json: String,
            }
            let rows: Vec<Row> = sql
                .exec("SELECT grant_json FROM staff WHERE person_id = ?", vec![command.person_id.into()])?
                .to_array()?;
            let grant = rows.first().map(|row| parse_grant(&row.grant_json)).transpose()?;
            Ok(http::json(&grant, 200)?)
        }
        "list" => {
            let rows: Vec<InviteRow> = sql
                .exec(
                    "SELECT id, email, grant_json, expires_at_ms, used_at_ms, revoked_at_ms FROM invites
                     WHERE used_at_ms IS NULL AND revoked_at_ms IS NULL AND expires_at_ms > ? ORDER BY created_at_ms",
                    vec![now.into()],
                )?
                .to_array()?;
            let pending = rows
                .into_iter()
                .map(|row| {
                    Ok(PendingInvite {
                        grant: parse_grant(&row.grant_json)?,
                        invite_id: row.id,
                        email: row.email,
                        expires_at_ms: row.expires_at_ms,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            Ok(http::json(&Staff { people: members(sql)?, invites: pending }, 200)?)
        }
        "remove" => {
            let command: PersonCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let staff = members(sql)?;
            let Some(leaving) = staff.iter().find(|m| m.person_id == command.person_id) else {
                return Ok(http::json(&false, 200)?);
            };
            let owners = staff.iter().filter(|m| m.grant.role == Role::Owner).count();
            if leaving.grant.role == Role::Owner && owners == 1 {
                return Err(ApiError::new(
                    ErrorCode::InUse,
                    "A business keeps at least one owner: make someone else an owner first.",
                )
                .into());
            }
            sql.exec("DELETE FROM staff WHERE person_id = ?", vec![command.person_id.into()])?;
            Ok(http::json(&true, 200)?)
        }
        "revoke-invite" => {
            let command: InviteIdCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let revoked: Vec<serde_json::Value> = sql
                .exec(
                    "UPDATE invites SET revoked_at_ms = ? WHERE id = ? AND used_at_ms IS NULL AND revoked_at_ms IS NULL
                     RETURNING id",
                    vec![now.into(), command.invite_id.into()],
                )?
                .to_array()?;
            Ok(http::json(&!revoked.is_empty(), 200)?)
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
    }
}
