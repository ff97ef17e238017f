//! The chain's clients, for the people who book for them:
//! `GET /v1/admin/companies/{company}/clients?q=` finds clients by name, phone or e-mail, so the
//! front desk books for a known client instead of typing them again (one identity across the
//! chain). Owners, managers and front desks may search and open a client's card (their visits at
//! the locations their role covers) and keep a note; a specialist sees only their own bookings'
//! clients, on the calendar. The owner merges two records of one person and exports one
//! client's data (erasing one is `POST …/clients/erase`, in `admin`).

use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::agenda::{FoundClient, MAX_SEARCH_CHARS};
use homeslot_core::audit::AuditAction;
use homeslot_core::availability::{format_instant, local_date, local_time, zone, TimeZone};
use homeslot_core::catalog::Company;
use homeslot_core::clients::{ClientCard, ClientNote, ClientVisit, MergeClients, MAX_NOTE_CHARS};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::membership::Membership;
use homeslot_core::wire::Money;

use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::Query;
use crate::store::audit::{self, Record};
use crate::store::company::ClientFile;
use crate::store::location::LocationExport;
use crate::{http, store};

/// `GET …/clients?q=`: at most 20 clients, the most recently seen first.
pub async fn search(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::SeeBookings, None).await?;
    let text = Query::of(req)?.required("q")?;
    // As the OpenAPI document says it: 2–100 characters, not only spaces, no control characters.
    let fits = (2..=MAX_SEARCH_CHARS).contains(&text.chars().count())
        && !text.trim().is_empty()
        && !text.chars().any(char::is_control);
    if !fits {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "q",
            "q must be 2–100 characters (a name, a phone number or an e-mail, or a part of one), not only spaces, without control characters",
        )
        .into());
    }
    let found: Vec<FoundClient> = store::company::search_clients(env, company_id, text.trim())
        .await?
        .into_iter()
        .map(|c| FoundClient { client_id: c.id, name: c.name, phone: c.phone.unwrap_or_default(), email: c.email })
        .collect();
    Ok(http::json(&serde_json::json!({ "clients": found }), 200)?)
}

/// Client ids are `cl_` and 32 hex digits; anything else names no client.
fn known_shape(id: &str) -> Result<(), ApiError> {
    let fits = id.strip_prefix("cl_").is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if fits {
        Ok(())
    } else {
        Err(not_found())
    }
}

fn not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No client with this id.")
}

/// `GET …/clients/{client}`: the client's card — every visit at the locations the caller's role
/// covers, what they spent, no-shows, memberships, the staff's note, marketing consent.
pub async fn card(req: &Request, env: &Env, company_id: &str, id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::SeeBookings, None).await?;
    known_shape(id)?;
    let company = store::company::load(env, company_id).await?;
    let client = store::company::client(env, company_id, id).await?.ok_or_else(not_found)?;
    // Every location's, for the consent the client gave last wherever they booked; the visits
    // only of those the caller's role covers.
    let mut stored = Vec::new();
    for location_id in store::company::known_locations(env, company_id).await? {
        let data = store::location::of_client(env, company_id, &location_id, id).await?;
        let covered = caller.require(Action::SeeBookings, Some(&location_id)).is_ok();
        stored.push((location_id, covered, data));
    }
    let memberships =
        store::memberships::list(env, company_id).await?.into_iter().filter(|m| m.phone == client.phone).collect();
    let card = ClientCards { company: &company, now: crate::clock::now() }.card(client, &stored, memberships)?;
    Ok(http::json(&card, 200)?)
}

/// Makes the cards: the catalog's names and the location's local times.
struct ClientCards<'a> {
    company: &'a Company,
    now: i64,
}

impl ClientCards<'_> {
    fn card(
        &self,
        client: ClientFile,
        stored: &[(String, bool, LocationExport)],
        memberships: Vec<Membership>,
    ) -> AppResult<ClientCard> {
        let company = self.company;
        let money = |minor: Option<i64>| minor.map(|m| Money::of(m, &company.currency));
        let service_name = |id: &str| company.service(id).map_or_else(|| id.to_string(), |s| s.name.clone());
        let consent = stored
            .iter()
            .flat_map(|(_, _, data)| {
                let bookings = data.bookings.iter().map(|b| (b.created_at_ms, b.marketing_consent));
                bookings.chain(data.class_bookings.iter().map(|b| (b.created_at_ms, b.marketing_consent)))
            })
            .max_by_key(|(created, _)| *created)
            .is_some_and(|(_, consent)| consent);
        // (start, the visit)
        let mut visits: Vec<(i64, ClientVisit)> = Vec::new();
        for (location_id, _, data) in stored.iter().filter(|(_, covered, _)| *covered) {
            let place = company.locations.iter().find(|l| &l.id == location_id);
            let zone = place.map_or(Ok(TimeZone::UTC), |l| zone(&l.time_zone, "time_zone"))?;
            let location_name = place.map_or_else(|| location_id.clone(), |l| l.name.clone());
            let visit = |booking_id: &str, start: i64, service: &str| ClientVisit {
                booking_id: booking_id.to_string(),
                location_id: location_id.clone(),
                location_name: location_name.clone(),
                date: local_date(&zone, start).to_string(),
                time: local_time(&zone, start),
                service_name: service_name(service),
                specialist_name: None,
                status: String::new(),
                attendance: None,
                price: None,
                channel: String::new(),
            };
            for b in &data.bookings {
                let specialist = company.specialist(&b.specialist_id).map_or(&b.specialist_id, |s| &s.name);
                let v = ClientVisit {
                    specialist_name: Some(specialist.clone()),
                    status: b.status.clone(),
                    attendance: b.attendance.clone(),
                    price: money(b.price_minor),
                    channel: b.channel.clone(),
                    ..visit(&b.booking_id, b.start, &b.service_id)
                };
                visits.push((b.start, v));
            }
            for b in &data.class_bookings {
                let v = ClientVisit {
                    status: b.status.clone(),
                    price: money(b.price_minor),
                    channel: b.channel.clone(),
                    ..visit(&b.booking_id, b.session_start, &b.service_id)
                };
                visits.push((b.session_start, v));
            }
        }
        visits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.booking_id.cmp(&b.1.booking_id)));
        let took_place = |(start, v): &&(i64, ClientVisit)| {
            *start < self.now
                && matches!(v.status.as_str(), "confirmed" | "booked")
                && v.attendance.as_deref() != Some("no_show")
        };
        let visited: Vec<_> = visits.iter().filter(took_place).collect();
        Ok(ClientCard {
            since: format_instant(client.created_at_ms / 1000),
            note: client.note,
            marketing_consent: consent,
            visited: visited.len() as u32,
            spent: Money::of(
                visited.iter().filter_map(|(_, v)| v.price.as_ref()).map(|p| p.amount_minor).sum(),
                &company.currency,
            ),
            no_shows: visits.iter().filter(|(_, v)| v.attendance.as_deref() == Some("no_show")).count() as u32,
            cancelled: visits.iter().filter(|(_, v)| v.status == "cancelled").count() as u32,
            visits: visits.into_iter().map(|(_, v)| v).collect(),
            memberships,
            client: FoundClient { client_id: client.id, name: client.name, phone: client.phone, email: client.email },
        })
    }
}

/// `PUT …/clients/{client}/note` with `{"note"}`: what the staff keep about the client (empty:
/// none). Those who book for clients: owners, managers, front desks.
pub async fn note(mut req: Request, env: &Env, company_id: &str, id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::SeeBookings, None).await?;
    caller.require(Action::ManageBookings, None)?;
    known_shape(id)?;
    let ClientNote { note } = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    if note.chars().count() > MAX_NOTE_CHARS || note.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "note",
            "note must be at most 1000 characters, without control characters other than line breaks",
        )
        .into());
    }
    let kept = note.trim();
    if !store::company::set_client_note(env, company_id, id, (!kept.is_empty()).then_some(kept)).await? {
        return Err(not_found().into());
    }
    Ok(http::json(&ClientNote { note: kept.to_string() }, 200)?)
}

/// `POST …/clients/merge` with `{"keep", "merge"}`: two records of one person become one (the
/// owner's: it rewrites bookings at every location). Answers the kept client's card.
pub async fn merge(mut req: Request, env: &Env, company_id: &str) -> AppResult<Response> {
    let caller = authorise(&req, env, company_id, Action::ClientData, None).await?;
    let request: MergeClients = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    known_shape(&request.keep).map_err(|e| ApiError { field: Some("keep".into()), ..e })?;
    known_shape(&request.merge).map_err(|e| ApiError { field: Some("merge".into()), ..e })?;
    store::company::merge_clients(env, company_id, &request).await?;
    let record = Record::new(&caller, AuditAction::ClientsMerged, format!("client {}", request.keep))
        .detail(format!("client {} merged into it", request.merge));
    audit::record(env, company_id, record).await;
    card(&req, env, company_id, &request.keep).await
}

/// `GET …/clients/{client}/export`: everything stored about one client — their record, the
/// staff's note, every booking and seat at every location the company ever had, their
/// memberships — as a JSON file (the owner's: a client's request for their data).
pub async fn export(req: &Request, env: &Env, company_id: &str, id: &str) -> AppResult<Response> {
    let caller = authorise(req, env, company_id, Action::ClientData, None).await?;
    known_shape(id)?;
    let client = store::company::client(env, company_id, id).await?.ok_or_else(not_found)?;
    let mut locations = Vec::new();
    for location_id in store::company::known_locations(env, company_id).await? {
        let data = store::location::of_client(env, company_id, &location_id, id).await?;
        locations.push(serde_json::json!({ "location_id": location_id, "bookings": data.bookings, "class_bookings": data.class_bookings }));
    }
    let memberships: Vec<Membership> =
        store::memberships::list(env, company_id).await?.into_iter().filter(|m| m.phone == client.phone).collect();
    let body = serde_json::json!({
        "exported_at": format_instant(crate::clock::now()),
        "client": client,
        "memberships": memberships,
        "locations": locations,
    });
    audit::record(env, company_id, Record::new(&caller, AuditAction::ClientDataExported, format!("client {id}"))).await;
    let response = http::json(&body, 200)?;
    response.headers().set("content-disposition", &format!("attachment; filename=\"client-{id}.json\""))?;
    Ok(response)
}
