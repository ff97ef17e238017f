//! The chain's memberships, kept by the company object (a membership is the client's across every
//! location). Each command runs in one synchronous step of the object: a debit reads, checks and
//! writes the balance with nothing in between, so two bookings can never both spend the last visit;
//! an import writes every row or none.
//!
//! Numbers are stored and looked up in upper case: a client may type `m-100` for `M-100`.

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response, SqlStorage, Storage};

use homeslot_core::catalog::Service;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::membership::{Debit, Membership, Use};
use homeslot_core::time::CivilDate;

use crate::error::AppResult;
use crate::http;
use crate::store::location::IDEMPOTENCY_KEEP_MS as KEEP_MS;
use crate::store::{call, transaction_sync};

/// The company object's tables (created by its migrations): the memberships, and the debits
/// made for confirmations sent with an `Idempotency-Key`, so a retry does not pay twice.
pub(super) const TABLE: &str = "CREATE TABLE memberships (
        number TEXT PRIMARY KEY,
        phone TEXT NOT NULL,
        document TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
    )";
pub(super) const DEBITS_TABLE: &str = "CREATE TABLE membership_debits (
        key TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        debit TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    )";

/// One visit to pay for, as the object needs it (the service whole: coverage reads its category).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Visit {
    pub service: Service,
    pub date: CivilDate,
    pub price_minor: i64,
}

impl Visit {
    /// The visit as the membership's rules read it.
    pub fn as_use(&self) -> Use<'_> {
        Use { service: &self.service, date: self.date, price_minor: self.price_minor }
    }
}

/// What a debit took, and the membership after it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Paid {
    pub membership: Membership,
    pub debit: Debit,
}

fn stub(env: &Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

/// Stores `memberships` (validated), all or none; whether each was new.
pub async fn put(env: &Env, company_id: &str, memberships: &[Membership]) -> AppResult<Vec<bool>> {
    call(&stub(env, company_id)?, "/memberships/put", &memberships).await
}

/// The membership with this number, if any.
pub async fn get(env: &Env, company_id: &str, number: &str) -> AppResult<Option<Membership>> {
    call(&stub(env, company_id)?, "/memberships/get", &number).await
}

/// Every membership of the chain, by number.
pub async fn list(env: &Env, company_id: &str) -> AppResult<Vec<Membership>> {
    call(&stub(env, company_id)?, "/memberships/list", &()).await
}

/// The membership `number` if it belongs to `phone` (E.164), else `membership_not_found`: the same
/// answer whether the number does not exist or is someone else's.
pub async fn holder(env: &Env, company_id: &str, number: &str, phone: &str) -> AppResult<Membership> {
    let found = get(env, company_id, number).await?;
    found.filter(|m| m.phone == phone).ok_or_else(|| not_found().into())
}

/// Pays for `visits` with membership `number` of `phone`: checks and debits in one step. With a
/// `key` (the confirmation's idempotency key, per location), a debit already made for that key is
/// answered again instead of debiting twice.
pub async fn debit(
    env: &Env,
    company_id: &str,
    number: &str,
    phone: &str,
    visits: &[Visit],
    key: Option<String>,
) -> AppResult<Paid> {
    let command = DebitCommand { number: number.to_string(), phone: phone.to_string(), visits: visits.to_vec(), key };
    call(&stub(env, company_id)?, "/memberships/debit", &command).await
}

/// Gives `debit` back to membership `number` (a cancelled booking, or one that failed; then its
/// `key`'s debit is forgotten, so a retry pays afresh).
pub async fn credit(
    env: &Env,
    company_id: &str,
    number: &str,
    debit: Debit,
    key: Option<String>,
) -> AppResult<Option<Membership>> {
    let command = CreditCommand { number: number.to_string(), debit, key };
    call(&stub(env, company_id)?, "/memberships/credit", &command).await
}

fn not_found() -> ApiError {
    ApiError::field(
        ErrorCode::MembershipNotFound,
        "membership.number",
        "No membership with this number belongs to this phone number.",
    )
}

#[derive(Serialize, Deserialize)]
struct DebitCommand {
    number: String,
    phone: String,
    visits: Vec<Visit>,
    key: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct CreditCommand {
    number: String,
    debit: Debit,
    key: Option<String>,
}

#[derive(Deserialize)]
struct DebitRow {
    debit: String,
}

#[derive(Deserialize)]
struct Row {
    document: String,
}

fn read(sql: &SqlStorage, number: &str) -> AppResult<Option<Membership>> {
    let rows: Vec<Row> = sql
        .exec("SELECT document FROM memberships WHERE number = ?", vec![number.to_uppercase().into()])?
        .to_array()?;
    rows.first().map(|row| parse(&row.document)).transpose()
}

fn parse(document: &str) -> AppResult<Membership> {
    serde_json::from_str(document).map_err(|e| worker::Error::RustError(format!("stored membership: {e}")).into())
}

fn write(sql: &SqlStorage, membership: &Membership, now_ms: i64) -> AppResult<()> {
    let document = serde_json::to_string(membership).map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "INSERT INTO memberships (number, phone, document, updated_at_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (number) DO UPDATE SET phone = excluded.phone, document = excluded.document,
                                            updated_at_ms = excluded.updated_at_ms",
        vec![membership.number.to_uppercase().into(), membership.phone.as_str().into(), document.into(), now_ms.into()],
    )?;
    Ok(())
}

/// The object's side: `/memberships/{action}`.
pub(super) async fn command(
    sql: &SqlStorage,
    storage: &Storage,
    action: &str,
    req: &mut Request,
    now_ms: i64,
) -> AppResult<Response> {
    match action {
        "put" => {
            let memberships: Vec<Membership> = http::read_json(req, http::MAX_CATALOG_BODY).await?;
            let mut new = Vec::with_capacity(memberships.len());
            for membership in &memberships {
                new.push(read(sql, &membership.number)?.is_none());
            }
            let sql_in_transaction = sql.clone();
            transaction_sync(storage, move || {
                memberships.iter().try_for_each(|m| write(&sql_in_transaction, m, now_ms))
            })?;
            Ok(http::json(&new, 200)?)
        }
        "get" => {
            let number: String = http::read_json(req, http::MAX_BOOKING_BODY).await?;
            Ok(http::json(&read(sql, &number)?, 200)?)
        }
        "list" => {
            let rows: Vec<Row> = sql.exec("SELECT document FROM memberships ORDER BY number", None)?.to_array()?;
            let all = rows.iter().map(|row| parse(&row.document)).collect::<AppResult<Vec<_>>>()?;
            Ok(http::json(&all, 200)?)
        }
        "debit" => {
            let command: DebitCommand = http::read_json(req, http::MAX_CATALOG_BODY).await?;
            // Read, check and write with no `.await` in between.
            let membership = read(sql, &command.number)?.filter(|m| m.phone == command.phone).ok_or_else(not_found)?;
            if let Some(key) = &command.key {
                let rows: Vec<DebitRow> = sql
                    .exec("SELECT debit FROM membership_debits WHERE key = ?", vec![key.as_str().into()])?
                    .to_array()?;
                if let Some(row) = rows.first() {
                    let debit =
                        serde_json::from_str(&row.debit).map_err(|e| worker::Error::RustError(e.to_string()))?;
                    return Ok(http::json(&Paid { membership, debit }, 200)?);
                }
            }
            let uses: Vec<Use> = command.visits.iter().map(Visit::as_use).collect();
            let debit = membership.pays_for(&uses)?;
            let membership = membership.debited(debit);
            write(sql, &membership, now_ms)?;
            if let Some(key) = &command.key {
                let text = serde_json::to_string(&debit).map_err(|e| worker::Error::RustError(e.to_string()))?;
                sql.exec(
                    "INSERT INTO membership_debits (key, number, debit, created_at_ms) VALUES (?, ?, ?, ?)",
                    vec![key.as_str().into(), membership.number.as_str().into(), text.into(), now_ms.into()],
                )?;
                // Kept as long as the location objects keep idempotency keys.
                sql.exec("DELETE FROM membership_debits WHERE created_at_ms < ?", vec![(now_ms - KEEP_MS).into()])?;
            }
            Ok(http::json(&Paid { membership, debit }, 200)?)
        }
        "credit" => {
            let command: CreditCommand = http::read_json(req, http::MAX_BOOKING_BODY).await?;
            if let Some(key) = &command.key {
                sql.exec("DELETE FROM membership_debits WHERE key = ?", vec![key.as_str().into()])?;
            }
            let Some(membership) = read(sql, &command.number)? else {
                return Ok(http::json(&None::<Membership>, 200)?);
            };
            let membership = membership.credited(command.debit);
            write(sql, &membership, now_ms)?;
            Ok(http::json(&Some(membership), 200)?)
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
    }
}
