//! Administration, under `/v1/admin/companies/{company}`. Two kinds of bearer token:
//!
//! - the **platform token** (Worker secret `PLATFORM_TOKEN`) creates and replaces any company's
//!   catalog and issues company admin tokens;
//! - a **company admin token** (`hst_…`, shown once when issued, stored as SHA-256 in the company
//!   object) administers that one company and nothing else: its catalog, its bookings, the
//!   export of its data, erasing a client, its own tokens, and the app keys of its own app
//!   (`hsapp_…`, sent by the app as `Homeslot-App-Key`; they open no admin endpoint).

use serde::{Deserialize, Serialize};
use worker::{Env, Request, Response};

use homeslot_core::availability::{day_bounds, format_instant, local_date, local_time, parse_date, zone};
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::validation;
use homeslot_core::wire::Money;

use homeslot_core::access::Action;

use homeslot_core::audit::AuditAction;

use crate::console::session::{self, Caller};
use crate::error::AppResult;
use crate::handlers::{location, Query};
use crate::store::audit::{self, Record};
use crate::store::company::Secret;
use crate::store::location::{AdminBooking, AdminClassBooking};
use crate::{http, store};

/// Who is asking about `company_id`: a bearer token (the platform's, or one of the company's
/// admin tokens), else a signed-in member of its staff (the console's session cookie), else
/// `unauthorized`.
pub async fn caller(req: &Request, env: &Env, company_id: &str) -> AppResult<Caller> {
    let header = req.headers().get("authorization").ok().flatten();
    if let Some(header) = header {
        let given = header.strip_prefix("Bearer ").unwrap_or_default();
        if is_platform_token(env, given) {
            return Ok(Caller::Platform);
        }
        if given.starts_with("hst_")
            && homeslot_core::catalog::is_valid_id(company_id)
            && store::company::token_is_valid(env, company_id, Secret::AdminToken, given).await.unwrap_or(false)
        {
            return Ok(Caller::Token);
        }
        return Err(unauthorised().into());
    }
    if session::has_cookie(req) && homeslot_core::catalog::is_valid_id(company_id) {
        return session::member(req, env, company_id).await;
    }
    Err(unauthorised().into())
}

/// The caller, if they may do `action` (at `location`): `unauthorized` for no one, `forbidden`
/// for a person whose role does not allow it.
pub async fn authorise(
    req: &Request,
    env: &Env,
    company_id: &str,
    action: Action,
    location: Option<&str>,
) -> AppResult<Caller> {
    let caller = caller(req, env, company_id).await?;
    caller.require(action, location)?;
    Ok(caller)
}

fn unauthorised() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "A valid admin token for this company, or a signed-in session, is required.")
}

fn is_platform_token(env: &Env, given: &str) -> bool {
    // No secret configured means no platform administration at all, never an open door.
    let Ok(expected) = env.secret("PLATFORM_TOKEN").map(|s| s.to_string()) else { return false };
    expected.len() >= 16 && store::same_secret(given, &expected)
}

#[derive(Deserialize)]
struct TokenRequest {
    #[serde(default)]
    label: String,
}

/// `POST /v1/admin/companies/{company}/tokens` (platform only): a new company admin token,
/// shown once. `POST …/app-keys` (the company's admin): a new key for the business's app.
pub async fn create_token(mut req: Request, env: &Env, company_id: &str, kind: Secret) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ManageStaff, None).await?;
    if kind == Secret::AdminToken {
        // Admin tokens are for integrations the operator sets up; people get invites instead.
        match caller {
            Caller::Platform => {}
            Caller::Token => {
                return Err(
                    ApiError::new(ErrorCode::Unauthorized, "Only the platform token issues admin tokens.").into()
                )
            }
            Caller::Person { .. } => {
                return Err(ApiError::new(ErrorCode::Forbidden, "Only the platform token issues admin tokens.").into())
            }
        }
    }
    let request: TokenRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let label = request.label.trim();
    // The raw label's length and characters, as the OpenAPI document reads them (a trailing
    // vertical tab is a control character, not just space to trim).
    if label.is_empty() || request.label.chars().count() > 100 || request.label.chars().any(char::is_control) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "label",
            "label must be 1–100 characters, without control characters",
        )
        .into());
    }
    let token = store::company::create_token(env, company_id, kind, label).await?;
    let action = if kind == Secret::AdminToken { AuditAction::AdminTokenIssued } else { AuditAction::AppKeyIssued };
    audit::record(env, company_id, Record::new(&caller, action, label)).await;
    Ok(http::json(&token, 201)?)
}

/// `GET /v1/admin/companies/{company}/tokens` (or `…/app-keys`): ids and labels, never the secrets.
pub async fn list_tokens(req: &Request, env: &Env, company_id: &str, kind: Secret) -> AppResult<Response> {
    authorise(req, env, company_id, Action::ManageStaff, None).await?;
    Ok(http::json(&store::company::list_tokens(env, company_id, kind).await?, 200)?)
}

/// `DELETE /v1/admin/companies/{company}/tokens/{id}` (or `…/app-keys/{id}`).
pub async fn revoke_token(
    req: &Request,
    env: &Env,
    company_id: &str,
    kind: Secret,
    token_id: &str,
) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::ManageStaff, None).await?;
    let label = store::company::list_tokens(env, company_id, kind)
        .await?
        .into_iter()
        .find(|t| t.token_id == token_id)
        .map_or_else(|| token_id.to_string(), |t| t.label);
    if !store::company::revoke_token(env, company_id, kind, token_id).await? {
        return Err(ApiError::new(ErrorCode::NotFound, "No such token.").into());
    }
    let action = if kind == Secret::AdminToken { AuditAction::AdminTokenRevoked } else { AuditAction::AppKeyRevoked };
    audit::record(env, company_id, Record::new(&caller, action, label)).await;
    Ok(http::json(&serde_json::json!({"token_id": token_id, "status": "revoked"}), 200)?)
}

/// A booking for the admin's list: with the client's details and local times.
#[derive(Serialize)]
struct BookingRow {
    #[serde(flatten)]
    booking: Priced<AdminBooking>,
    start_at: String,
    end_at: String,
    local_date: String,
    local_time: String,
}

/// A stored booking or seat with its prices as [`Money`] beside the minor units it keeps: the
/// currency and its exponent say what `price_minor` means (5000 is ¥5,000 but €50.00).
#[derive(Serialize)]
struct Priced<T> {
    #[serde(flatten)]
    row: T,
    price: Option<Money>,
    original_price: Option<Money>,
}

/// A stored row with prices: a booking or a class seat.
trait WithPrices {
    /// What the client pays and the price before the discount, in minor units.
    fn prices(&self) -> (Option<i64>, Option<i64>);
}

impl WithPrices for AdminBooking {
    fn prices(&self) -> (Option<i64>, Option<i64>) {
        (self.price_minor, self.original_price_minor)
    }
}

impl WithPrices for AdminClassBooking {
    fn prices(&self) -> (Option<i64>, Option<i64>) {
        (self.price_minor, self.original_price_minor)
    }
}

impl<T: WithPrices> Priced<T> {
    fn new(company: &Company, row: T) -> Self {
        let money = |minor: Option<i64>| minor.map(|m| Money::of(m, &company.currency));
        let (price, original) = row.prices();
        Priced { price: money(price), original_price: money(original), row }
    }
}

/// `GET /v1/admin/companies/{company}/locations/{location}/bookings?date=YYYY-MM-DD`: every
/// booking of that local date, cancelled ones included.
pub async fn bookings(req: &Request, env: &Env, company_id: &str, location_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::SeeBookings, Some(location_id)).await?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    let zone = zone(&location.time_zone, "time_zone")?;
    let date = parse_date(&Query::of(req)?.required("date")?, "date")?;
    let (from, to) = day_bounds(&zone, date);
    let rows: Vec<BookingRow> = store::location::bookings_between(env, company_id, &location.id, from, to)
        .await?
        .into_iter()
        .map(|booking| BookingRow {
            start_at: format_instant(booking.start),
            end_at: format_instant(booking.end),
            local_date: local_date(&zone, booking.start).to_string(),
            local_time: local_time(&zone, booking.start),
            booking: Priced::new(&company, booking),
        })
        .collect();
    let answer = serde_json::json!({
        "location_id": location.id, "date": date.to_string(), "currency": currency(&company), "bookings": rows,
    });
    Ok(http::json(&answer, 200)?)
}

/// `GET /v1/admin/companies/{company}/locations/{location}/holds`: the times being held for
/// clients who are still typing, and expired holds the location's alarm has not cleared yet.
pub async fn holds(req: &Request, env: &Env, company_id: &str, location_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::SeeBookings, Some(location_id)).await?;
    let company = store::company::load(env, company_id).await?;
    let location = location(&company, location_id)?;
    let now = crate::clock::now();
    let holds: Vec<serde_json::Value> = store::location::stored_holds(env, company_id, &location.id)
        .await?
        .into_iter()
        .map(|hold| {
            serde_json::json!({
                "hold_id": hold.hold_id,
                "service_id": hold.service_id,
                "specialist_id": hold.specialist_id,
                "start_at": format_instant(hold.start),
                "expires_at": format_instant(hold.expires_at),
                "live": hold.expires_at > now,
            })
        })
        .collect();
    Ok(http::json(&serde_json::json!({ "location_id": location.id, "holds": holds }), 200)?)
}

/// `GET /v1/admin/companies/{company}/export`: the catalog, the chain's clients and the bookings
/// of every location the company ever had.
pub async fn export(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::ClientData, None).await?;
    let company = store::company::load(env, company_id).await?;
    let known = store::company::known_locations(env, company_id).await?;
    let mut locations = Vec::with_capacity(known.len());
    for location_id in &known {
        let data = store::location::export(env, company_id, location_id).await?;
        let bookings: Vec<_> = data.bookings.into_iter().map(|b| Priced::new(&company, b)).collect();
        let seats: Vec<_> = data.class_bookings.into_iter().map(|b| Priced::new(&company, b)).collect();
        locations.push(serde_json::json!({"location_id": location_id, "bookings": bookings, "class_bookings": seats}));
    }
    let export = serde_json::json!({
        "exported_at": format_instant(crate::clock::now()),
        "currency": currency(&company),
        "catalog": &*company,
        "clients": store::company::list_clients(env, company_id).await?,
        "locations": locations,
    });
    audit::record(env, company_id, Record::new(&caller, AuditAction::ClientDataExported, company_id)).await;
    Ok(http::json(&export, 200)?)
}

/// The company's currency and its exponent, said once at the top of a list of stored prices.
fn currency(company: &Company) -> serde_json::Value {
    serde_json::json!({ "code": company.currency, "exponent": Money::of(0, &company.currency).exponent })
}

/// The phone whose client to erase: as every stored phone is written (E.164, read against the
/// numbering plans), or, for a number stored before those checks that they would refuse, the same
/// digits as given: erasure must reach every record of a person.
fn erasable_phone(raw: &str, country: Option<&str>) -> Result<String, ApiError> {
    validation::phone(raw, country).or_else(|refused| {
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        let written = format!("+{digits}");
        if raw.trim_start().starts_with('+') && validation::is_e164(&written) {
            Ok(written)
        } else {
            Err(ApiError { field: Some("phone".into()), ..refused })
        }
    })
}

#[derive(Deserialize)]
struct EraseRequest {
    #[serde(default)]
    phone: String,
}

/// `POST /v1/admin/companies/{company}/clients/erase` with `{"phone": …}`: removes the client's
/// name and phone from every booking at every location the company ever had; the bookings stay,
/// anonymous.
/// `POST …/test-bookings/clear`: deletes every test booking and seat at every location (their
/// times are free again), giving back what memberships paid for them.
pub async fn clear_test_bookings(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::EditCompany, None).await?;
    let (mut bookings, mut seats) = (0, 0);
    for location_id in store::company::known_locations(env, company_id).await? {
        let cleared = store::location::clear_tests(env, company_id, &location_id).await?;
        bookings += cleared.bookings;
        seats += cleared.seats;
        if !cleared.refunds.is_empty() {
            // Recorded with the deletion: if this fails, the location's alarm delivers them.
            let _ = store::location::deliver_outbox(env, &location_id, &cleared.refunds).await;
        }
    }
    let record = Record::new(&caller, AuditAction::TestBookingsCleared, company_id)
        .detail(format!("{bookings} bookings, {seats} class seats"));
    audit::record(env, company_id, record).await;
    Ok(http::json(&serde_json::json!({"cleared_bookings": bookings, "cleared_seats": seats}), 200)?)
}

pub async fn erase_client(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ClientData, None).await?;
    let request: EraseRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let company = store::company::load(env, company_id).await?;
    let phone = erasable_phone(&request.phone, company.widget.phone_country.as_deref())?;
    let mut erased = 0;
    for location_id in store::company::known_locations(env, company_id).await? {
        erased += store::location::erase_client(env, company_id, &location_id, &phone).await?;
    }
    // The identity stays (anonymous), so the history still counts one person.
    let clients = store::company::erase_client(env, company_id, &phone).await?;
    // Never the phone or the name: the trail must not keep what the erasure removed.
    let record =
        Record::new(&caller, AuditAction::ClientErased, "a client").detail(format!("{erased} bookings made anonymous"));
    audit::record(env, company_id, record).await;
    Ok(http::json(&serde_json::json!({"erased_bookings": erased, "erased_clients": clients}), 200)?)
}
