//! The business's mail settings (`homeslot_core::mail`), kept in the company object with the
//! provider's password sealed (`crate::mail::seal`): one row, replaced whole.

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response, SqlStorage};

use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::mail::MailSettings;

use crate::error::AppResult;
use crate::store::call;
use crate::{clock, http};

/// The company object's table of mail settings (appended to its migrations).
pub const TABLE: &str = "CREATE TABLE mail_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings TEXT NOT NULL,
    sealed_password TEXT,
    updated_at_ms INTEGER NOT NULL
)";

/// The settings as stored: the password only sealed (`settings.password` is always empty).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub settings: MailSettings,
    pub sealed_password: Option<String>,
}

/// The stored settings, if the owner set any.
pub async fn get(env: &Env, company_id: &str) -> AppResult<Option<Stored>> {
    call(&stub(env, company_id)?, "/mail/get", &()).await
}

/// Replaces the settings.
pub async fn put(env: &Env, company_id: &str, stored: &Stored) -> AppResult<()> {
    call(&stub(env, company_id)?, "/mail/put", stored).await
}

/// Forgets them: nothing is sent any more.
pub async fn delete(env: &Env, company_id: &str) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/mail/delete", &()).await
}

fn stub(env: &Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

#[derive(Deserialize)]
struct Row {
    settings: String,
    sealed_password: Option<String>,
}

/// The stored settings, read inside the company object.
pub fn read(sql: &SqlStorage) -> AppResult<Option<Stored>> {
    let rows: Vec<Row> = sql.exec("SELECT settings, sealed_password FROM mail_settings", None)?.to_array()?;
    rows.into_iter()
        .next()
        .map(|row| -> AppResult<Stored> {
            let settings = serde_json::from_str(&row.settings).map_err(|e| worker::Error::RustError(e.to_string()))?;
            Ok(Stored { settings, sealed_password: row.sealed_password })
        })
        .transpose()
}

/// The company object's mail commands (`/mail/{action}`).
pub async fn command(sql: &SqlStorage, action: &str, req: &mut Request) -> AppResult<Response> {
    match action {
        "get" => Ok(http::json(&read(sql)?, 200)?),
        "put" => {
            let stored: Stored = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let settings =
                serde_json::to_string(&stored.settings).map_err(|e| worker::Error::RustError(e.to_string()))?;
            sql.exec(
                "INSERT INTO mail_settings (id, settings, sealed_password, updated_at_ms) VALUES (1, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET settings = excluded.settings,
                   sealed_password = excluded.sealed_password, updated_at_ms = excluded.updated_at_ms",
                vec![settings.into(), stored.sealed_password.into(), clock::now_millis().into()],
            )?;
            Ok(http::json(&(), 200)?)
        }
        "delete" => {
            let cursor = sql.exec("DELETE FROM mail_settings", None)?;
            Ok(http::json(&(cursor.rows_written() > 0), 200)?)
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
    }
}
