//! Reserve with Google's booking server (REST v3), for every business of the deployment: Google
//! calls `{RESERVE_PATH}/v3/{Method}/` with HTTP Basic credentials the operator sets
//! (`RESERVE_USERNAME`, `RESERVE_PASSWORD`); without them the server is off. The messages are
//! `homeslot_core::reserve`'s; a merchant is a location (`{company}.{location}`).
//!
//! Availability is answered from the same engine the widget reads (the location's free slots, a
//! class's seats left), and a booking is made through the one checkout on the `google` channel,
//! once per Google's `idempotency_token`. A business refusal (the slot was taken meanwhile) is a
//! `booking_failure` in an HTTP 200, as the spec asks; a request that cannot be read is a 400,
//! an unknown merchant, service or booking a 404.

use std::collections::BTreeMap;

use base64::Engine;
use worker::{Env, Method as Verb, Request, Response};

use homeslot_core::availability::{local_date, zone, Date, Instant};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::reserve::{
    self, BatchAvailabilityLookupRequest, BatchAvailabilityLookupResponse, Booking, BookingFailure, BookingStatus,
    Cause, CheckAvailabilityRequest, CheckAvailabilityResponse, CreateBookingRequest, CreateBookingResponse,
    GetBookingStatusRequest, GetBookingStatusResponse, ListBookingsRequest, ListBookingsResponse, Method,
    PaymentInformation, PrepaymentStatus, ResourceIds, Slot, SlotTimeAvailability, UpdateBookingRequest,
    UpdateBookingResponse, UserInformation,
};
use homeslot_core::wire::ClientDetails;

use crate::checkout::{self, Item, Order};
use crate::error::{AppError, AppResult};
use crate::handlers::classes::bookable_class;
use crate::handlers::{bookable_service, location, schedule_for};
use crate::store::google_user::{self, Made};
use crate::store::location::{Change, Placed, Proof, StoredBooking};
use crate::{http, store};

/// The part of `path` below the operator's base path (`RESERVE_PATH`, `/reserve` unless set),
/// when the booking server is on and the path is under it.
pub fn below<'p>(env: &Env, path: &'p str) -> Option<&'p str> {
    credentials(env)?;
    let base = env.var("RESERVE_PATH").map(|v| v.to_string()).unwrap_or_else(|_| "/reserve".into());
    let base = base.trim_end_matches('/');
    let head = path.get(..base.len())?;
    let rest = &path[base.len()..];
    (head.eq_ignore_ascii_case(base) && rest.starts_with('/')).then_some(rest)
}

/// The operator's Basic credentials, if both are set.
fn credentials(env: &Env) -> Option<(String, String)> {
    Some((http::setting(env, "RESERVE_USERNAME")?, http::setting(env, "RESERVE_PASSWORD")?))
}

/// Answers a booking server call (`rest`: the path below the base path).
pub async fn route(mut req: Request, env: &Env, rest: &str) -> AppResult<Response> {
    if !authorised(&req, env) {
        let refused = ApiError::new(ErrorCode::Unauthorized, "Google's booking server credentials, please.");
        let answer = AppError::from(refused).into_response()?;
        answer.headers().set("WWW-Authenticate", "Basic realm=\"reserve\"")?;
        return Ok(answer);
    }
    if let Some(file) = feed_file(rest) {
        if req.method() != Verb::Get {
            return Err(ApiError::new(ErrorCode::MethodNotAllowed, "Feed files are read with GET.").into());
        }
        return crate::handlers::google_feeds::serve(&req, env, file).await;
    }
    let Some(method) = Method::of(rest) else {
        return Err(ApiError::new(ErrorCode::NotFound, "No such booking server method.").into());
    };
    match (req.method(), method) {
        (Verb::Get, Method::HealthCheck) => reply(serde_json::json!({})),
        (Verb::Post, Method::BatchAvailabilityLookup) => reply(batch_availability(env, &read(&mut req).await?).await?),
        (Verb::Post, Method::CheckAvailability) => reply(check_availability(env, &read(&mut req).await?).await?),
        (Verb::Post, Method::CreateBooking) => {
            let request = read(&mut req).await?;
            reply(create_booking(&req, env, &request).await?)
        }
        (Verb::Post, Method::GetBookingStatus) => reply(booking_status(env, &read(&mut req).await?).await?),
        (Verb::Post, Method::UpdateBooking) => reply(update_booking(env, &read(&mut req).await?).await?),
        (Verb::Post, Method::ListBookings) => reply(list_bookings(env, &read(&mut req).await?).await?),
        _ => Err(ApiError::new(ErrorCode::MethodNotAllowed, "HealthCheck is a GET; every other method a POST.").into()),
    }
}

/// The part of `rest` below `/feeds/` (any case), for a feed file.
fn feed_file(rest: &str) -> Option<&str> {
    let head = rest.get(..7)?;
    head.eq_ignore_ascii_case("/feeds/").then(|| &rest[7..])
}

/// A method's request, read as proto3 JSON.
async fn read<T: serde::de::DeserializeOwned>(req: &mut Request) -> AppResult<T> {
    Ok(http::read_json(req, http::MAX_BOOKING_BODY).await?)
}

/// A method's answer: HTTP 200 (business failures included).
fn reply<T: serde::Serialize>(answer: T) -> AppResult<Response> {
    Ok(http::json(&answer, 200)?)
}

/// Whether the request carries the operator's Basic credentials (compared in constant time).
fn authorised(req: &Request, env: &Env) -> bool {
    let Some((user, password)) = credentials(env) else { return false };
    let Ok(Some(header)) = req.headers().get("Authorization") else { return false };
    let Some(encoded) = header.strip_prefix("Basic ").or_else(|| header.strip_prefix("basic ")) else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else { return false };
    let Ok(given) = String::from_utf8(decoded) else { return false };
    store::same_secret(&given, &format!("{user}:{password}"))
}

/// The business and location a merchant id names, loaded.
async fn merchant(env: &Env, merchant_id: &str) -> AppResult<(std::rc::Rc<Company>, String)> {
    let unknown = || ApiError::field(ErrorCode::NotFound, "merchant_id", format!("No merchant {merchant_id:?}."));
    let (company_id, location_id) = reserve::merchant(merchant_id).ok_or_else(unknown)?;
    Ok((located(env, company_id, location_id, unknown).await?, location_id.to_string()))
}

/// The business, loaded, if it has the location; `unknown()` otherwise.
async fn located(
    env: &Env,
    company_id: &str,
    location_id: &str,
    unknown: impl Fn() -> ApiError,
) -> AppResult<std::rc::Rc<Company>> {
    let company = store::company::load(env, company_id).await.map_err(|error| match error {
        AppError::Api(e) if e.code == ErrorCode::NotFound => unknown().into(),
        other => other,
    })?;
    match company.location(location_id) {
        Some(_) => Ok(company),
        None => Err(unknown().into()),
    }
}

/// A service Google may book at the location: a one-to-one service or a class.
fn service<'c>(company: &'c Company, location: &Location, id: &str) -> AppResult<&'c Service> {
    company.service(id).filter(|service| company.offers(service, location)).ok_or_else(|| {
        ApiError::field(ErrorCode::NotFound, "service_id", format!("No service {id:?} at this merchant.")).into()
    })
}

/// A service on a local date (`YYYY-MM-DD`): what the counter reads once per batch.
type ServiceDay = (String, String);

/// How many can still book `slot`'s time: 0 or 1 for an appointment (a specialist free for it,
/// the one asked for if any, for exactly the service's length), the seats left for a class.
struct Counter<'e> {
    env: &'e Env,
    company: &'e Company,
    location: &'e Location,
    /// Free starts (and who is free) per service and local date, read once per batch.
    days: BTreeMap<ServiceDay, Vec<(Instant, Vec<String>)>>,
    /// Each class session's start, seats left and specialist, per service and local date.
    sessions: BTreeMap<ServiceDay, Vec<(Instant, u32, String)>>,
}

impl<'e> Counter<'e> {
    fn new(env: &'e Env, company: &'e Company, location: &'e Location) -> Self {
        Counter { env, company, location, days: BTreeMap::new(), sessions: BTreeMap::new() }
    }

    /// Reads the free starts of every appointment service `asked` names, one call per service for
    /// the range of its dates (a batch spans a few days, each read once).
    async fn prefetch(&mut self, asked: &[reserve::SlotTime]) -> AppResult<()> {
        let clock = zone(&self.location.time_zone, "time_zone")?;
        let mut ranges: BTreeMap<&str, (Date, Date)> = BTreeMap::new();
        for slot in asked {
            let date = local_date(&clock, slot.start_sec.0);
            let range = ranges.entry(slot.service_id.as_str()).or_insert((date, date));
            *range = (range.0.min(date), range.1.max(date));
        }
        for (service_id, (from, until)) in ranges {
            let Ok(service) = service(self.company, self.location, service_id) else { continue };
            let days = u32::try_from((until - from).get_days() + 1).unwrap_or(u32::MAX);
            if service.class.is_some() || days > store::location::MAX_CALENDAR_DAYS {
                continue;
            }
            let schedule = schedule_for(self.company, self.location, service, None)?;
            let read =
                store::location::starts(self.env, &self.company.id, &self.location.id, &schedule, from, days).await?;
            for day in read {
                self.days.insert((service.id.clone(), day.date), day.starts);
            }
        }
        Ok(())
    }

    async fn open(&mut self, service_id: &str, start: Instant, duration_s: i64, staff: Option<&str>) -> AppResult<u32> {
        let service = service(self.company, self.location, service_id)?;
        let clock = zone(&self.location.time_zone, "time_zone")?;
        let date = local_date(&clock, start);
        let key = (service.id.clone(), date.to_string());
        if service.class.is_some() {
            let (_, class) = bookable_class(self.company, self.location, &service.id, "service_id")?;
            if !self.sessions.contains_key(&key) {
                let counted =
                    store::location::class_sessions(self.env, &self.company.id, &self.location.id, &class, date, 1)
                        .await?;
                let seats = counted
                    .into_iter()
                    .map(|s| (s.start, class.capacity.saturating_sub(s.booked), s.specialist_id))
                    .collect();
                self.sessions.insert(key.clone(), seats);
            }
            let length = i64::from(service.duration_minutes) * 60;
            let session = self.sessions[&key].iter().find(|(at, _, _)| *at == start);
            return Ok(match session {
                Some((_, left, teacher)) if duration_s == length && staff.is_none_or(|s| s == teacher) => *left,
                _ => 0,
            });
        }
        if !self.days.contains_key(&key) {
            let schedule = schedule_for(self.company, self.location, service, None)?;
            let answer =
                store::location::slots(self.env, &self.company.id, &self.location.id, &schedule, date, 0, false)
                    .await?;
            let starts = answer
                .slots
                .into_iter()
                .filter_map(|slot| {
                    let at = homeslot_core::availability::parse_instant(&slot.start, "start").ok()?;
                    Some((at, slot.specialist_ids))
                })
                .collect();
            self.days.insert(key.clone(), starts);
        }
        let free = self.days[&key].iter().find(|(at, _)| *at == start).map(|(_, who)| who.as_slice()).unwrap_or(&[]);
        // The specialist's own length of the service (a variant may take longer).
        let fits = |specialist: &str| i64::from(service.duration_with(specialist)) * 60 == duration_s;
        let open = match staff {
            Some(wanted) => free.iter().any(|s| s == wanted && fits(s)),
            None => free.iter().any(|s| fits(s)),
        };
        Ok(u32::from(open))
    }
}

async fn batch_availability(
    env: &Env,
    request: &BatchAvailabilityLookupRequest,
) -> AppResult<BatchAvailabilityLookupResponse> {
    let (company, location_id) = merchant(env, &request.merchant_id).await?;
    let location = location(&company, &location_id)?;
    let mut counter = Counter::new(env, &company, location);
    counter.prefetch(&request.slot_time).await?;
    let mut answers = Vec::with_capacity(request.slot_time.len());
    for asked in &request.slot_time {
        let open = counter.open(&asked.service_id, asked.start_sec.0, asked.duration_sec.0, asked.staff_id()).await;
        let available = match open {
            Ok(n) => n > 0,
            // A service the merchant does not have (any more) is simply not available.
            Err(AppError::Api(e)) if matches!(e.code, ErrorCode::NotFound | ErrorCode::ServiceUnavailable) => false,
            Err(other) => return Err(other),
        };
        answers.push(SlotTimeAvailability { slot_time: asked.clone(), available });
    }
    Ok(BatchAvailabilityLookupResponse { slot_time_availability: answers })
}

async fn check_availability(env: &Env, request: &CheckAvailabilityRequest) -> AppResult<CheckAvailabilityResponse> {
    let slot = &request.slot;
    let (company, location_id) = merchant(env, &slot.merchant_id).await?;
    let location = location(&company, &location_id)?;
    let mut counter = Counter::new(env, &company, location);
    let open = counter.open(&slot.service_id, slot.start_sec.0, slot.duration_sec.0, slot.staff_id()).await?;
    Ok(CheckAvailabilityResponse { slot: slot.clone(), count_available: i32::try_from(open).unwrap_or(i32::MAX) })
}

/// Makes the booking through the one checkout; a business refusal comes back as its
/// `booking_failure`.
async fn create_booking(req: &Request, env: &Env, request: &CreateBookingRequest) -> AppResult<CreateBookingResponse> {
    let token = request.idempotency_token.trim();
    if token.is_empty() || token.len() > 200 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            "idempotency_token",
            "1–200 visible ASCII characters",
        )
        .into());
    }
    let slot = &request.slot;
    let (company, location_id) = merchant(env, &slot.merchant_id).await?;
    let location = location(&company, &location_id)?;
    let service = service(&company, location, &slot.service_id)?;
    let user = &request.user_information;
    let client = ClientDetails {
        name: user.full_name(),
        phone: user.telephone.clone(),
        email: Some(user.email.clone()).filter(|e| !e.trim().is_empty()),
        language: Some(user.language_code.clone()).filter(|l| !l.is_empty()),
        ..ClientDetails::default()
    };
    let start = slot.start_sec.0;
    // The slot Google asks for is one of ours only at its own length: the class's, or the
    // specialist's (any specialist's, when none is asked for).
    let lengths: Vec<i64> = match (&service.class, slot.staff_id()) {
        (Some(_), _) => vec![i64::from(service.duration_minutes)],
        (None, Some(staff)) => vec![i64::from(service.duration_with(staff))],
        (None, None) => service.specialist_ids.iter().map(|s| i64::from(service.duration_with(s))).collect(),
    };
    if !lengths.contains(&(slot.duration_sec.0 / 60)) || slot.duration_sec.0 % 60 != 0 {
        let refused = BookingFailure::new(Cause::SLOT_UNAVAILABLE, "There is no slot of this length.");
        return Ok(CreateBookingResponse { booking: None, booking_failure: Some(refused) });
    }
    let item = if service.class.is_some() {
        let (service, class) = bookable_class(&company, location, &service.id, "service_id")?;
        Item::Seat { service, class, join_waitlist: false }
    } else {
        let service = bookable_service(&company, location, &service.id, "service_id")?;
        let schedule = schedule_for(&company, location, service, slot.staff_id())?;
        Item::Booking { service, schedule, specialist_id: slot.staff_id().map(str::to_string), hold_id: None }
    };
    let order = Order::from_google(req, (&company, location), item, start, &client, token)?;
    let receipt = match checkout::place(env, order).await {
        Ok(receipt) => receipt,
        Err(AppError::Api(error)) => match failure(&error) {
            Some(failure) => return Ok(CreateBookingResponse { booking: None, booking_failure: Some(failure) }),
            None => return Err(error.into()),
        },
        Err(other) => return Err(other),
    };
    let (booking_id, specialist_id, start, end) = match receipt.placed {
        Placed::Booking(booked) => (booked.booking_id, booked.specialist_id, booked.start, booked.end),
        Placed::Seat(seat) => (seat.booking_id, seat.specialist_id, seat.start, seat.end),
        Placed::Visit(_) => return Err(checkout::unexpected()),
    };
    let placed = Where { merchant_id: &slot.merchant_id, service_id: &service.id, specialist_id: &specialist_id };
    let mut booking = google_booking(&company, location, &booking_id, &placed, (start, end), BookingStatus::CONFIRMED);
    booking.user_information = Some(request.user_information.clone());
    // Before the answer: should this fail, Google's retry with the token remembers it.
    if !user.user_id.is_empty() {
        let made = Made { booking_id: booking.booking_id.clone(), start_s: start };
        google_user::remember(env, &user.user_id, &made).await?;
    }
    Ok(CreateBookingResponse { booking: Some(booking), booking_failure: None })
}

/// Where a booking is, for [`google_booking`].
struct Where<'a> {
    merchant_id: &'a str,
    service_id: &'a str,
    specialist_id: &'a str,
}

/// A booking as Google sees it: its id names the business, location and booking.
fn google_booking(
    company: &Company,
    location: &Location,
    booking_id: &str,
    placed: &Where<'_>,
    (start, end): (Instant, Instant),
    status: BookingStatus,
) -> Booking {
    Booking {
        booking_id: reserve::booking_id(&company.id, &location.id, booking_id),
        slot: Some(Slot {
            merchant_id: placed.merchant_id.to_string(),
            service_id: placed.service_id.to_string(),
            start_sec: reserve::Int64(start),
            duration_sec: reserve::Int64(end - start),
            resources: (!placed.specialist_id.is_empty())
                .then(|| ResourceIds { staff_id: placed.specialist_id.to_string(), ..ResourceIds::default() }),
            ..Slot::default()
        }),
        user_information: None,
        status,
        payment_information: Some(PaymentInformation { prepayment_status: PrepaymentStatus::PREPAYMENT_NOT_PROVIDED }),
    }
}

/// The business refusal a checkout error is, in the spec's causes; `None` for a request at fault.
fn failure(error: &ApiError) -> Option<BookingFailure> {
    let cause = match error.code {
        ErrorCode::SlotUnavailable
        | ErrorCode::NoFreeSpecialist
        | ErrorCode::ClassFull
        | ErrorCode::StartInPast
        | ErrorCode::SpecialistUnavailable => Cause::SLOT_UNAVAILABLE,
        ErrorCode::OverlappingAppointments => Cause::OVERLAPPING_RESERVATION,
        // The merchant's window for changes (a cancellation or a move) has closed.
        ErrorCode::TooLateToCancel | ErrorCode::TooLateToReschedule => Cause::OUTSIDE_CANCELLATION_WINDOW,
        ErrorCode::NotMovable => Cause::BOOKING_NOT_CANCELLABLE,
        _ => return None,
    };
    Some(BookingFailure::new(cause, error.message.clone()))
}

async fn booking_status(env: &Env, request: &GetBookingStatusRequest) -> AppResult<GetBookingStatusResponse> {
    let (company, location_id, id) = google_place(env, &request.booking_id).await?;
    let location = location(&company, &location_id)?;
    let stored = as_user(env, &company, location, &id, Change::View).await?;
    let status = match (stored.status.as_str(), stored.attendance.as_deref()) {
        ("cancelled", _) => BookingStatus::CANCELED,
        (_, Some("no_show")) => BookingStatus::NO_SHOW,
        _ => BookingStatus::CONFIRMED,
    };
    Ok(GetBookingStatusResponse {
        booking_id: request.booking_id.clone(),
        booking_status: status,
        prepayment_status: PrepaymentStatus::PREPAYMENT_NOT_PROVIDED,
    })
}

/// A Google booking's place: its business (loaded), location and own id; `not_found` for an id
/// that names nothing.
async fn google_place(env: &Env, google_id: &str) -> AppResult<(std::rc::Rc<Company>, String, String)> {
    let unknown = || ApiError::field(ErrorCode::NotFound, "booking_id", "No such booking.");
    let (company_id, location_id, id) = reserve::booking(google_id).ok_or_else(unknown)?;
    let company = located(env, company_id, location_id, unknown).await?;
    Ok((company, location_id.to_string(), id.to_string()))
}

/// Reads or changes a booking made through Google, as its user would through their own manage
/// link (the location's window for changes, the same free times): Google's channel is the proof.
async fn as_user(
    env: &Env,
    company: &Company,
    location: &Location,
    id: &str,
    change: Change,
) -> AppResult<StoredBooking> {
    let proof = Proof::Channel("google".into());
    store::location::manage(env, &company.id, &location.id, id, proof, change, None).await.map_err(
        |error| match error {
            AppError::Api(e) if e.code == ErrorCode::NotFound => {
                ApiError::field(ErrorCode::NotFound, "booking_id", "No such booking.").into()
            }
            other => other,
        },
    )
}

/// Google's view of a booking as it is now.
fn as_google(company: &Company, location: &Location, stored: &StoredBooking) -> Booking {
    let status = if stored.status == "cancelled" { BookingStatus::CANCELED } else { BookingStatus::CONFIRMED };
    let merchant_id = reserve::merchant_id(&company.id, &location.id);
    let placed =
        Where { merchant_id: &merchant_id, service_id: &stored.service_id, specialist_id: &stored.specialist_id };
    google_booking(company, location, &stored.booking_id, &placed, (stored.start, stored.end), status)
}

/// Cancels (`status` in the mask, `CANCELED`) or moves (`slot.start_sec`) a booking made through
/// Google. Both are idempotent: a cancelled booking cancelled again, or a booking moved to where
/// it already is, is answered as it is.
async fn update_booking(env: &Env, request: &UpdateBookingRequest) -> AppResult<UpdateBookingResponse> {
    let (company, location_id, id) = google_place(env, &request.booking.booking_id).await?;
    let location = location(&company, &location_id)?;
    let cancel = request.updates("status");
    let reschedule = request.updates("slot.start_sec");
    let change = match (cancel, reschedule) {
        (true, false) if request.booking.status == BookingStatus::CANCELED => Change::Cancel {
            notice_minutes: location.policy.cancellation_notice_minutes,
            leads: location.policy.reminder_minutes.clone(),
        },
        (false, true) => {
            let slot = request.booking.slot.as_ref().ok_or_else(|| {
                ApiError::field(ErrorCode::ValidationFailed, "booking.slot", "the new start_sec and duration_sec")
            })?;
            let current = as_user(env, &company, location, &id, Change::View).await?;
            if current.status == "cancelled" {
                let refused = BookingFailure::new(Cause::BOOKING_ALREADY_CANCELLED, "This booking was cancelled.");
                return Ok(UpdateBookingResponse { booking: None, booking_failure: Some(refused) });
            }
            let service = company.service(&current.service_id).ok_or_else(|| {
                ApiError::field(ErrorCode::NotFound, "booking_id", "This booking's service is no longer offered.")
            })?;
            let length = current.end - current.start;
            if request.updates("slot.duration_sec") && slot.duration_sec.0 != length {
                let refused = BookingFailure::new(Cause::SLOT_UNAVAILABLE, "A visit keeps its length when it moves.");
                return Ok(UpdateBookingResponse { booking: None, booking_failure: Some(refused) });
            }
            let schedule = schedule_for(&company, location, service, None)?;
            Change::Reschedule {
                schedule,
                start: slot.start_sec.0,
                notice_minutes: location.policy.cancellation_notice_minutes,
            }
        }
        _ => {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "update_mask",
                "status (to CANCELED), or slot.start_sec with slot.duration_sec",
            )
            .into())
        }
    };
    let stored = match as_user(env, &company, location, &id, change).await {
        Ok(stored) => stored,
        Err(AppError::Api(error)) => match failure(&error) {
            Some(failure) => return Ok(UpdateBookingResponse { booking: None, booking_failure: Some(failure) }),
            None => return Err(error.into()),
        },
        Err(other) => return Err(other),
    };
    if let Err(error) = store::location::deliver_outbox(env, &location.id, &stored.refunds).await {
        worker::console_error!("refund left to the outbox: {error:?}");
    }
    let booking = as_google(&company, location, &stored);
    if let (true, Some(user)) =
        (reschedule, request.booking.user_information.as_ref().filter(|u| !u.user_id.is_empty()))
    {
        let made = Made { booking_id: booking.booking_id.clone(), start_s: stored.start };
        google_user::remember(env, &user.user_id, &made).await?;
    }
    Ok(UpdateBookingResponse { booking: Some(booking), booking_failure: None })
}

/// The user's bookings made on Google still to come and not cancelled, soonest first.
async fn list_bookings(env: &Env, request: &ListBookingsRequest) -> AppResult<ListBookingsResponse> {
    if request.user_id.trim().is_empty() {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "user_id", "Google's id of the user").into());
    }
    let now = crate::clock::now();
    let mut bookings = Vec::new();
    for made in google_user::upcoming(env, &request.user_id).await? {
        let Ok((company, location_id, id)) = google_place(env, &made.booking_id).await else { continue };
        let Some(location) = company.location(&location_id) else { continue };
        let stored = match as_user(env, &company, location, &id, Change::View).await {
            Ok(stored) => stored,
            // Gone with its business or erased: nothing to list.
            Err(AppError::Api(e)) if e.code == ErrorCode::NotFound => continue,
            Err(other) => return Err(other),
        };
        if stored.status == "confirmed" && stored.start > now {
            let mut booking = as_google(&company, location, &stored);
            booking.user_information =
                Some(UserInformation { user_id: request.user_id.clone(), ..UserInformation::default() });
            bookings.push(booking);
        }
    }
    bookings.sort_by_key(|b| b.slot.as_ref().map(|s| s.start_sec));
    Ok(ListBookingsResponse { bookings })
}
