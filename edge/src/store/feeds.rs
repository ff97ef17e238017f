//! Staff calendar feeds ([`homeslot_core::feeds`]), kept in the company object: which location
//! (and specialist) each shows, who made it, and the SHA-256 of its secret. The secret itself is
//! never stored: it is in the address handed out once, and a rotation replaces its hash.

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response, SqlStorage};

use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::store::call;
use crate::{clock, http};

/// The company object's table of feeds (appended to its migrations).
pub const TABLE: &str = "CREATE TABLE feeds (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL,
    location_id TEXT NOT NULL,
    specialist_id TEXT,
    created_by TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
)";

/// A feed as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedRow {
    pub id: String,
    pub secret_hash: String,
    pub location_id: String,
    pub specialist_id: Option<String>,
    /// `platform`, `token`, or the person's id.
    pub created_by: String,
    pub created_by_name: String,
    pub created_at_ms: i64,
}

/// What a command names.
#[derive(Serialize, Deserialize)]
struct Named {
    id: String,
    secret_hash: Option<String>,
}

/// Keeps a new feed.
pub async fn create(env: &Env, company_id: &str, row: &FeedRow) -> AppResult<()> {
    call(&stub(env, company_id)?, "/feeds/create", row).await
}

/// Every feed of the business, oldest first.
pub async fn list(env: &Env, company_id: &str) -> AppResult<Vec<FeedRow>> {
    call(&stub(env, company_id)?, "/feeds/list", &()).await
}

/// The feed `id`, if there is one.
pub async fn find(env: &Env, company_id: &str, id: &str) -> AppResult<Option<FeedRow>> {
    call(&stub(env, company_id)?, "/feeds/find", &Named { id: id.into(), secret_hash: None }).await
}

/// A new secret for feed `id` (its hash): the old address stops at once.
pub async fn rotate(env: &Env, company_id: &str, id: &str, secret_hash: String) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/feeds/rotate", &Named { id: id.into(), secret_hash: Some(secret_hash) }).await
}

/// Deletes feed `id`; whether there was one.
pub async fn delete(env: &Env, company_id: &str, id: &str) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/feeds/delete", &Named { id: id.into(), secret_hash: None }).await
}

fn stub(env: &Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

const COLUMNS: &str = "id, secret_hash, location_id, specialist_id, created_by, created_by_name, created_at_ms";

/// The company object's feed commands (`/feeds/{action}`).
pub async fn command(sql: &SqlStorage, action: &str, req: &mut Request) -> AppResult<Response> {
    match action {
        "create" => {
            let row: FeedRow = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            sql.exec(
                &format!("INSERT INTO feeds ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                vec![
                    row.id.into(),
                    row.secret_hash.into(),
                    row.location_id.into(),
                    row.specialist_id.into(),
                    row.created_by.into(),
                    row.created_by_name.into(),
                    clock::now_millis().into(),
                ],
            )?;
            Ok(http::json(&(), 200)?)
        }
        "list" => {
            let rows: Vec<FeedRow> =
                sql.exec(&format!("SELECT {COLUMNS} FROM feeds ORDER BY created_at_ms, id"), None)?.to_array()?;
            Ok(http::json(&rows, 200)?)
        }
        "find" => {
            let named: Named = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let rows: Vec<FeedRow> =
                sql.exec(&format!("SELECT {COLUMNS} FROM feeds WHERE id = ?"), vec![named.id.into()])?.to_array()?;
            Ok(http::json(&rows.into_iter().next(), 200)?)
        }
        "rotate" => {
            let named: Named = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let hash = named.secret_hash.unwrap_or_default();
            let cursor = sql.exec(
                "UPDATE feeds SET secret_hash = ? WHERE id = ? AND ? != ''",
                vec![hash.as_str().into(), named.id.into(), hash.as_str().into()],
            )?;
            Ok(http::json(&(cursor.rows_written() > 0), 200)?)
        }
        "delete" => {
            let named: Named = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let cursor = sql.exec("DELETE FROM feeds WHERE id = ?", vec![named.id.into()])?;
            Ok(http::json(&(cursor.rows_written() > 0), 200)?)
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
    }
}
