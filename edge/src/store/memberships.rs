//! The chain's memberships, kept by the company object (a membership is the client's across every
//! location). Each command runs in one synchronous step of the object: a debit reads, checks and
//! writes the balance with nothing in between, so two bookings can never both spend the last visit;
//! an import writes every row or none.
//!
//! Numbers are stored and looked up in upper case: a client may type `m-100` for `M-100`.
//!
//! A booking pays with a membership through a **payment**: debited and recorded as pending here,
//! named by the booking's rows in the location object, then settled to what the booking used (see
//! `checkout::payment`). A payment the checkout did not settle is settled by this object's alarm,
//! [`recover`], once the location has said what it bought.

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response, SqlStorage, Storage};

use homeslot_core::catalog::Service;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::membership::{Debit, Membership, Use};
use homeslot_core::time::CivilDate;
use homeslot_core::webhooks::EventType;

use crate::error::AppResult;
use crate::http;
use crate::store::location::IDEMPOTENCY_KEEP_MS as KEEP_MS;
use crate::store::webhooks::{Emitted, Queued};
use crate::store::{call, random_hex, transaction_sync};

/// The company object's tables (created by its migrations): the memberships, and (until the
/// payments replaced them) the debits made for confirmations sent with an `Idempotency-Key`.
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

/// The payments (see the module's note). `key` is the confirmation's idempotency key (per
/// location), so a retried confirmation finds its payment; a refunded payment loses its key, so a
/// retry after a failure pays afresh. The debits of keyed confirmations made before payments
/// existed are kept as settled payments, so their retries are still answered without paying.
pub(super) const PAYMENTS_MIGRATIONS: [&str; 5] = [
    "CREATE TABLE membership_payments (
        id TEXT PRIMARY KEY,
        key TEXT UNIQUE,
        number TEXT NOT NULL,
        location_id TEXT NOT NULL,
        debit TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'settled', 'refunded')),
        created_at_ms INTEGER NOT NULL
    )",
    "CREATE INDEX membership_payments_pending ON membership_payments (created_at_ms) WHERE status = 'pending'",
    "INSERT INTO membership_payments (id, key, number, location_id, debit, status, created_at_ms)
     SELECT 'mp_' || lower(hex(randomblob(16))), key, number, substr(key, 1, instr(key, '/') - 1), debit, 'settled',
            created_at_ms
     FROM membership_debits",
    "DROP TABLE membership_debits",
    // Refunds of cancelled bookings already given, by their id, so a redelivery gives nothing more.
    "CREATE TABLE membership_refunds (id TEXT PRIMARY KEY, number TEXT NOT NULL, created_at_ms INTEGER NOT NULL)",
];

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

/// A pending payment: what it debited, and the membership after the debit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Payment {
    pub id: String,
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

/// Pays for `visits` at `location_id` with membership `number` of `phone`: checks and debits in
/// one step, recording a pending payment. With a `key` (the confirmation's idempotency key, per
/// location), the payment already made for that key is answered again instead of paying twice.
pub async fn pay(
    env: &Env,
    company_id: &str,
    location_id: &str,
    number: &str,
    phone: &str,
    visits: &[Visit],
    key: Option<String>,
) -> AppResult<Payment> {
    let command = PayCommand {
        number: number.to_string(),
        phone: phone.to_string(),
        location_id: location_id.to_string(),
        visits: visits.to_vec(),
        key,
    };
    call(&stub(env, company_id)?, "/memberships/pay", &command).await
}

/// Settles pending payment `payment_id`: it keeps `used` (what the booking's rows took) and gives
/// the rest back, or gives all of it back when `used` is `None` (nothing was booked). A payment
/// already settled is left as it is. The membership as it now is.
pub async fn settle(
    env: &Env,
    company_id: &str,
    payment_id: &str,
    used: Option<Debit>,
) -> AppResult<Option<Membership>> {
    let command = SettleCommand { payment_id: payment_id.to_string(), used };
    call(&stub(env, company_id)?, "/memberships/settle", &command).await
}

/// Gives `debit` back to membership `number`: refund `id` (a cancelled booking's), once, however
/// often it is delivered. The membership as it now is.
pub async fn refund(
    env: &Env,
    company_id: &str,
    id: &str,
    number: &str,
    debit: Debit,
) -> AppResult<Option<Membership>> {
    let command = RefundCommand { id: id.to_string(), number: number.to_string(), debit };
    call(&stub(env, company_id)?, "/memberships/refund", &command).await
}

/// How long a given refund's id is remembered: far longer than any outbox keeps an entry.
const REFUNDS_KEPT_MS: i64 = 30 * 24 * 3600 * 1000;

fn not_found() -> ApiError {
    ApiError::field(
        ErrorCode::MembershipNotFound,
        "membership.number",
        "No membership with this number belongs to this phone number.",
    )
}

#[derive(Serialize, Deserialize)]
struct PayCommand {
    number: String,
    phone: String,
    location_id: String,
    visits: Vec<Visit>,
    key: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct SettleCommand {
    payment_id: String,
    used: Option<Debit>,
}

#[derive(Serialize, Deserialize)]
struct RefundCommand {
    id: String,
    number: String,
    debit: Debit,
}

#[derive(Deserialize)]
struct PaymentRow {
    id: String,
    number: String,
    location_id: String,
    debit: String,
    status: String,
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
/// Whose memberships these are, for the webhook events a debit or a refund makes.
pub struct Here<'a> {
    pub env: &'a Env,
    pub company_id: &'a str,
}

pub(super) async fn command(
    sql: &SqlStorage,
    storage: &Storage,
    here: Here<'_>,
    action: &str,
    req: &mut Request,
    now_ms: i64,
) -> AppResult<Response> {
    match action {
        "put" => {
            let memberships: Vec<Membership> = http::read_command(req, http::MAX_CATALOG_BODY).await?;
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
            let number: String = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            Ok(http::json(&read(sql, &number)?, 200)?)
        }
        "list" => {
            let rows: Vec<Row> = sql.exec("SELECT document FROM memberships ORDER BY number", None)?.to_array()?;
            let all = rows.iter().map(|row| parse(&row.document)).collect::<AppResult<Vec<_>>>()?;
            Ok(http::json(&all, 200)?)
        }
        "pay" => {
            let command: PayCommand = http::read_command(req, http::MAX_CATALOG_BODY).await?;
            let sql = sql.clone();
            let payment = transaction_sync(storage, move || pay_now(&sql, &command, now_ms))?;
            Ok(http::json(&payment, 200)?)
        }
        "settle" => {
            let command: SettleCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let sql = sql.clone();
            let company_id = here.company_id.to_string();
            let (after, queued) = transaction_sync(storage, move || {
                settle_now(&sql, &company_id, &command.payment_id, command.used, now_ms)
            })?;
            crate::store::webhooks::send(here.env, &queued).await?;
            Ok(http::json(&after, 200)?)
        }
        "refund" => {
            let command: RefundCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let sql = sql.clone();
            let company_id = here.company_id.to_string();
            let (after, queued) = transaction_sync(storage, move || refund_now(&sql, &company_id, &command, now_ms))?;
            crate::store::webhooks::send(here.env, &queued).await?;
            Ok(http::json(&after, 200)?)
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
    }
}

/// `pay`: read, check and write with no `.await` in between, inside one transaction.
fn pay_now(sql: &SqlStorage, command: &PayCommand, now_ms: i64) -> AppResult<Payment> {
    let membership = read(sql, &command.number)?.filter(|m| m.phone == command.phone).ok_or_else(not_found)?;
    if let Some(key) = &command.key {
        let rows: Vec<PaymentRow> = sql
            .exec(
                "SELECT id, number, location_id, debit, status FROM membership_payments WHERE key = ?",
                vec![key.as_str().into()],
            )?
            .to_array()?;
        if let Some(earlier) = rows.into_iter().next() {
            if earlier.number != membership.number.to_uppercase() {
                return Err(ApiError::field(
                    ErrorCode::IdempotencyKeyReused,
                    "Idempotency-Key",
                    "This Idempotency-Key was already used for a different request.",
                )
                .into());
            }
            if earlier.status != "refunded" {
                return Ok(Payment { id: earlier.id, membership, debit: parse_debit(&earlier.debit)? });
            }
            // The first try was refunded (it booked nothing): this one pays afresh.
            sql.exec("UPDATE membership_payments SET key = NULL WHERE id = ?", vec![earlier.id.into()])?;
        }
    }
    let uses: Vec<Use> = command.visits.iter().map(Visit::as_use).collect();
    let debit = membership.pays_for(&uses)?;
    let membership = membership.debited(debit);
    write(sql, &membership, now_ms)?;
    let id = format!("mp_{}", random_hex()?);
    let text = serde_json::to_string(&debit).map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "INSERT INTO membership_payments (id, key, number, location_id, debit, status, created_at_ms)
         VALUES (?, ?, ?, ?, ?, 'pending', ?)",
        vec![
            id.as_str().into(),
            command.key.as_deref().into(),
            membership.number.to_uppercase().into(),
            command.location_id.as_str().into(),
            text.into(),
            now_ms.into(),
        ],
    )?;
    // Settled payments are kept as long as the location objects keep idempotency keys.
    sql.exec(
        "DELETE FROM membership_payments WHERE status != 'pending' AND created_at_ms < ?",
        vec![(now_ms - KEEP_MS).into()],
    )?;
    Ok(Payment { id, membership, debit })
}

fn parse_debit(text: &str) -> AppResult<Debit> {
    serde_json::from_str(text).map_err(|e| worker::Error::RustError(format!("stored debit: {e}")).into())
}

/// `settle` (see [`settle`]): a payment that bought something is the membership's debit, of which
/// the business's systems hear (`membership.debited`); answers the deliveries to queue.
fn settle_now(
    sql: &SqlStorage,
    company_id: &str,
    payment_id: &str,
    used: Option<Debit>,
    now_ms: i64,
) -> AppResult<(Option<Membership>, Vec<Queued>)> {
    let rows: Vec<PaymentRow> = sql
        .exec(
            "SELECT id, number, location_id, debit, status FROM membership_payments WHERE id = ?",
            vec![payment_id.into()],
        )?
        .to_array()?;
    let Some(payment) = rows.into_iter().next() else { return Ok((None, Vec::new())) };
    let membership = read(sql, &payment.number)?;
    if payment.status != "pending" {
        return Ok((membership, Vec::new()));
    }
    let debited = parse_debit(&payment.debit)?;
    let back = match used {
        None => debited,
        Some(used) => {
            Debit { visits: debited.visits.saturating_sub(used.visits), minor: (debited.minor - used.minor).max(0) }
        }
    };
    let status = if used.is_some() { "settled" } else { "refunded" };
    sql.exec("UPDATE membership_payments SET status = ? WHERE id = ?", vec![status.into(), payment_id.into()])?;
    let Some(membership) = membership else { return Ok((None, Vec::new())) };
    let membership = if back == Debit::default() { membership } else { membership.credited(back) };
    if back != Debit::default() {
        write(sql, &membership, now_ms)?;
    }
    let queued = match used.filter(|used| *used != Debit::default()) {
        Some(used) => {
            let where_ = Some(payment.location_id.as_str());
            event(sql, company_id, EventType::MembershipDebited, &payment.id, &membership, used, where_, now_ms)?
        }
        None => Vec::new(),
    };
    Ok((Some(membership), queued))
}

/// A membership's debit or refund as a webhook event (the membership's number and what is left on
/// it; no client details: the business's systems know the holder by the number).
#[allow(clippy::too_many_arguments)]
fn event(
    sql: &SqlStorage,
    company_id: &str,
    kind: EventType,
    id: &str,
    membership: &Membership,
    debit: Debit,
    location_id: Option<&str>,
    now_ms: i64,
) -> AppResult<Vec<Queued>> {
    let event = Emitted {
        source: format!("{id}:{}", kind.name()),
        r#type: kind.name().into(),
        data: serde_json::json!({
            "number": membership.number,
            "name": membership.name,
            "location_id": location_id,
            "visits": debit.visits,
            "amount_minor": debit.minor,
            "visits_left": membership.visits_left,
            "balance_minor": membership.balance_minor,
        }),
        at_ms: now_ms,
    };
    crate::store::webhooks::made_here(sql, company_id, &event)
}

/// When the oldest pending payment is due for the alarm (Unix ms), if any.
pub(super) fn next_due(sql: &SqlStorage, settle_after_ms: i64) -> worker::Result<Option<i64>> {
    #[derive(Deserialize)]
    struct Oldest {
        oldest: Option<i64>,
    }
    let oldest = sql
        .exec("SELECT min(created_at_ms) AS oldest FROM membership_payments WHERE status = 'pending'", None)?
        .one::<Oldest>()?
        .oldest;
    Ok(oldest.map(|created| created + settle_after_ms))
}

/// The alarm's work: settles every payment pending for longer than `settle_after_ms`, by what its
/// location says it bought (and so makes an unused one void there). A location that cannot be
/// reached now is asked again at the next alarm. Answers how many were settled.
pub(super) async fn recover(
    env: &Env,
    sql: &SqlStorage,
    storage: &Storage,
    company_id: &str,
    settle_after_ms: i64,
) -> AppResult<u32> {
    let now_ms = crate::clock::now_millis();
    let due: Vec<PaymentRow> = sql
        .exec(
            "SELECT id, number, location_id, debit, status FROM membership_payments
             WHERE status = 'pending' AND created_at_ms <= ? ORDER BY created_at_ms",
            vec![(now_ms - settle_after_ms).into()],
        )?
        .to_array()?;
    let mut settled = 0;
    for payment in due {
        let Ok(used) =
            crate::store::location::resolve_payment(env, company_id, &payment.location_id, &payment.id).await
        else {
            continue;
        };
        let sql = sql.clone();
        let now_ms = crate::clock::now_millis();
        let company_id = company_id.to_string();
        let (_, queued) = transaction_sync(storage, move || settle_now(&sql, &company_id, &payment.id, used, now_ms))?;
        crate::store::webhooks::send(env, &queued).await?;
        settled += 1;
    }
    Ok(settled)
}

/// `refund` (see [`refund`]): the credit and the record of its id in one transaction, and the
/// `membership.refunded` event; answers the deliveries to queue.
fn refund_now(
    sql: &SqlStorage,
    company_id: &str,
    command: &RefundCommand,
    now_ms: i64,
) -> AppResult<(Option<Membership>, Vec<Queued>)> {
    let membership = read(sql, &command.number)?;
    let given: Vec<Row> = sql
        .exec("SELECT id AS document FROM membership_refunds WHERE id = ?", vec![command.id.as_str().into()])?
        .to_array()?;
    if !given.is_empty() {
        return Ok((membership, Vec::new()));
    }
    sql.exec(
        "INSERT INTO membership_refunds (id, number, created_at_ms) VALUES (?, ?, ?)",
        vec![command.id.as_str().into(), command.number.to_uppercase().into(), now_ms.into()],
    )?;
    sql.exec("DELETE FROM membership_refunds WHERE created_at_ms < ?", vec![(now_ms - REFUNDS_KEPT_MS).into()])?;
    let Some(membership) = membership else { return Ok((None, Vec::new())) };
    let membership = membership.credited(command.debit);
    write(sql, &membership, now_ms)?;
    let kind = EventType::MembershipRefunded;
    let queued = event(sql, company_id, kind, &command.id, &membership, command.debit, None, now_ms)?;
    Ok((Some(membership), queued))
}
