//! The edge's endpoints as the console uses them: same-origin `fetch` (the session cookie goes
//! with it, and the browser says `Sec-Fetch-Site: same-origin`), JSON in and out with the core's
//! types, and the API's one error shape.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use homeslot_core::accounts::{AcceptInvite, InviteOffer, InviteRequest, Me, NewInvite, SignIn, Staff};
use homeslot_core::agenda::{
    Attendance, BookingDetail, CalendarDay, CancelBooking, DeskBooking, DeskSeat, DeskVisit, FoundClient, FoundClients,
    MarkAttendance, MoveBooking,
};
use homeslot_core::audit::AuditTrail;
use homeslot_core::clients::{ClientCard, ClientNote, MergeClients};
use homeslot_core::membership::{ImportPreview, Imported, Membership, RowProblem};
use homeslot_core::wire::{
    BookingConfirmation, ClassBookingConfirmation, ClassSessionView, ClassSessionsResponse, SlotView, SlotsResponse,
    VisitConfirmation, VisitSlotView, VisitSlotsResponse,
};

/// The edge's origin: the console is served by the edge it talks to, so it is the page's own.
pub fn edge_origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

/// An answer that is not a success: the API's error (code, message, the field at fault), or a
/// network failure said in the same words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Problem {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub field: Option<String>,
}

impl Problem {
    /// The catalog's rules say the field first (`services[0].price_minor must be …`), for
    /// integrations; shown at the field itself, a person reads the rest (`Must be …`).
    fn for_people(mut self) -> Problem {
        if let Some(rest) = self.field.as_deref().and_then(|f| self.message.strip_prefix(f)).map(str::trim_start) {
            let mut chars = rest.chars();
            if let Some(first) = chars.next() {
                self.message = first.to_uppercase().chain(chars).collect();
            }
        }
        self
    }

    /// Whether the problem is about `field` or something inside it (`services[2]` for
    /// `services[2].price_minor`).
    pub fn is_about(&self, field: &str) -> bool {
        self.field.as_deref().is_some_and(|f| {
            f.strip_prefix(field).is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
        })
    }

    /// A problem with what was typed in `field`, found before anything was sent.
    pub fn at(field: &str, message: &str) -> Problem {
        Problem { code: "validation_failed".into(), message: message.into(), field: Some(field.into()) }
    }

    fn network() -> Problem {
        Problem {
            code: "network".into(),
            message: "We could not reach Homeslot. Check your connection and try again.".into(),
            field: None,
        }
    }

    /// Nobody is signed in (what the edge answers then).
    pub fn signed_out() -> Problem {
        Problem { code: "unauthorized".into(), message: "Please sign in.".into(), field: None }
    }

    /// Whether the problem is that nobody is signed in (any page then goes to sign-in).
    pub fn is_signed_out(&self) -> bool {
        self.code == "unauthorized"
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Problem {}

/// A rule of the core refused the input before it was sent: the same words the edge would answer.
impl From<homeslot_core::error::ApiError> for Problem {
    fn from(error: homeslot_core::error::ApiError) -> Problem {
        Problem { code: error.code.as_str().into(), message: error.message, field: error.field }.for_people()
    }
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Problem,
}

async fn read<T: DeserializeOwned>(response: Result<Response, gloo_net::Error>) -> Result<T, Problem> {
    let response = response.map_err(|_| Problem::network())?;
    if response.ok() {
        response.json::<T>().await.map_err(|_| Problem::network())
    } else {
        Err(response
            .json::<ErrorBody>()
            .await
            .map(|body| body.error.for_people())
            .unwrap_or_else(|_| Problem::network()))
    }
}

async fn send<B: Serialize, T: DeserializeOwned>(request: RequestBuilder, body: &B) -> Result<T, Problem> {
    let request = request.json(body).map_err(|_| Problem::network())?;
    read(request.send().await).await
}

/// The signed-in person and their businesses (`unauthorized` when nobody is).
pub async fn me() -> Result<Me, Problem> {
    read(Request::get("/v1/console/me").send().await).await
}

pub async fn sign_in(email: String, password: String) -> Result<Me, Problem> {
    send(Request::post("/v1/console/sign-in"), &SignIn { email, password }).await
}

/// Ends this session (`everywhere`: every session of the person).
pub async fn sign_out(everywhere: bool) -> Result<(), Problem> {
    let path = if everywhere { "/v1/console/sign-out-everywhere" } else { "/v1/console/sign-out" };
    read::<serde_json::Value>(Request::post(path).send().await).await.map(|_| ())
}

pub async fn invite_offer(invite: String) -> Result<InviteOffer, Problem> {
    send(Request::post("/v1/console/invites/offer"), &serde_json::json!({ "invite": invite })).await
}

pub async fn accept_invite(accept: AcceptInvite) -> Result<Me, Problem> {
    send(Request::post("/v1/console/invites/accept"), &accept).await
}

pub async fn staff(company: String) -> Result<Staff, Problem> {
    read(Request::get(&format!("/v1/console/companies/{company}/staff")).send().await).await
}

pub async fn invite(company: String, request: InviteRequest) -> Result<NewInvite, Problem> {
    send(Request::post(&format!("/v1/console/companies/{company}/invites")), &request).await
}

pub async fn withdraw_invite(company: String, invite_id: String) -> Result<(), Problem> {
    let path = format!("/v1/console/companies/{company}/invites/{invite_id}");
    read::<serde_json::Value>(Request::delete(&path).send().await).await.map(|_| ())
}

pub async fn remove_person(company: String, person_id: String) -> Result<(), Problem> {
    let path = format!("/v1/console/companies/{company}/staff/{person_id}");
    read::<serde_json::Value>(Request::delete(&path).send().await).await.map(|_| ())
}

/// The business's catalog, as the admin API shows it.
pub async fn catalog(company: String) -> Result<homeslot_core::catalog::Company, Problem> {
    read(Request::get(&format!("/v1/admin/companies/{company}")).send().await).await
}

/// Replaces the business's whole catalog (`PUT /v1/admin/companies/{company}`, the owner's).
pub async fn put_catalog(catalog: &homeslot_core::catalog::Company) -> Result<(), Problem> {
    let request = Request::put(&format!("/v1/admin/companies/{}", catalog.id));
    send::<_, serde_json::Value>(request, catalog).await.map(|_| ())
}

/// Creates or replaces one item of the catalog (`PUT …/{kind}/{id}`: `kind` is `services`,
/// `specialists`, `locations` or `categories`).
pub async fn put_item<T: Serialize>(company: String, kind: &str, id: &str, item: &T) -> Result<(), Problem> {
    let request = Request::put(&format!("/v1/admin/companies/{company}/{kind}/{id}"));
    send::<_, serde_json::Value>(request, item).await.map(|_| ())
}

/// Deletes one item of the catalog; `in_use` says what still needs it.
pub async fn delete_item(company: String, kind: &'static str, id: String) -> Result<(), Problem> {
    let path = format!("/v1/admin/companies/{company}/{kind}/{id}");
    read::<serde_json::Value>(Request::delete(&path).send().await).await.map(|_| ())
}

/// Deletes every test booking; how many bookings and class seats went.
pub async fn clear_test_bookings(company: String) -> Result<(u32, u32), Problem> {
    #[derive(Deserialize)]
    struct Cleared {
        cleared_bookings: u32,
        cleared_seats: u32,
    }
    let request = Request::post(&format!("/v1/admin/companies/{company}/test-bookings/clear"));
    read::<Cleared>(request.send().await).await.map(|c| (c.cleared_bookings, c.cleared_seats))
}

/// Has every location listed on Google make its availability snapshot now.
pub async fn make_google_feeds(company: String) -> Result<homeslot_core::google_feeds::SnapshotsMade, Problem> {
    read(Request::post(&format!("/v1/admin/companies/{company}/google-feeds")).send().await).await
}

/// A short link as the edge lists it: the link, its address, where it leads and its visits.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ListedLink {
    #[serde(flatten)]
    pub link: homeslot_core::links::ShortLink,
    pub url: String,
    pub target: String,
    pub visits: i64,
}

pub async fn short_links(company: String) -> Result<Vec<ListedLink>, Problem> {
    #[derive(Deserialize)]
    struct Links {
        links: Vec<ListedLink>,
    }
    let request = Request::get(&format!("/v1/admin/companies/{company}/short-links"));
    read::<Links>(request.send().await).await.map(|l| l.links)
}

/// One of the signed-in person's passkeys.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Passkey {
    pub id: String,
    pub name: String,
    pub created_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
}

pub async fn passkeys() -> Result<Vec<Passkey>, Problem> {
    read(Request::get("/v1/console/passkeys").send().await).await
}

pub async fn passkey_options() -> Result<serde_json::Value, Problem> {
    read(Request::post("/v1/console/passkeys/options").send().await).await
}

pub async fn add_passkey(answer: serde_json::Value) -> Result<Passkey, Problem> {
    send(Request::post("/v1/console/passkeys"), &answer).await
}

pub async fn remove_passkey(id: String) -> Result<(), Problem> {
    read::<serde_json::Value>(Request::delete(&format!("/v1/console/passkeys/{id}")).send().await).await.map(|_| ())
}

pub async fn passkey_sign_in_options() -> Result<serde_json::Value, Problem> {
    read(Request::post("/v1/console/passkeys/sign-in-options").send().await).await
}

pub async fn passkey_sign_in(answer: serde_json::Value) -> Result<Me, Problem> {
    send(Request::post("/v1/console/passkeys/sign-in"), &answer).await
}

/// Changes the company-wide fields in `patch` (`PATCH /v1/admin/companies/{company}`).
pub async fn patch_company(company: String, patch: serde_json::Value) -> Result<(), Problem> {
    let request = Request::patch(&format!("/v1/admin/companies/{company}"));
    send::<_, serde_json::Value>(request, &patch).await.map(|_| ())
}

thread_local! {
    /// Changes whose outcome is unknown (the answer was lost, or was the edge's own failure), by
    /// what they sent, with the key they were sent with.
    static UNANSWERED: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Sends a booking or a change to one with an `Idempotency-Key`, made when the request is first
/// sent and reused when the same request is sent again before it was answered: a person who
/// clicks again after a lost answer gets the first booking, never a second one.
async fn once<B: Serialize, T: DeserializeOwned>(url: String, body: &B) -> Result<T, Problem> {
    let sent = format!("{url} {}", serde_json::to_string(body).unwrap_or_default());
    let earlier = UNANSWERED.with_borrow(|all| all.iter().find(|(s, _)| *s == sent).map(|(_, key)| key.clone()));
    let key = earlier.unwrap_or_else(|| {
        web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
    });
    UNANSWERED.with_borrow_mut(|all| {
        all.retain(|(s, _)| *s != sent);
        all.push((sent.clone(), key.clone()));
    });
    let answer = send(Request::post(&url).header("Idempotency-Key", &key), body).await;
    let unknown = matches!(&answer, Err(p) if matches!(p.code.as_str(), "network" | "overloaded" | "internal"));
    if !unknown {
        UNANSWERED.with_borrow_mut(|all| all.retain(|(s, _)| *s != sent));
    }
    answer
}

/// Where a location's bookings are, for the admin API.
fn at_location(company: &str, location: &str) -> String {
    format!("/v1/admin/companies/{company}/locations/{location}")
}

/// The calendar's day, or `None` when it is the same as the answer tagged `etag` (a poll that
/// found nothing new); with the answer's own tag.
pub async fn day(
    company: String,
    location: String,
    date: String,
    etag: Option<String>,
) -> Result<Option<(CalendarDay, String)>, Problem> {
    let mut request = Request::get(&format!("{}/day?date={date}", at_location(&company, &location)));
    if let Some(etag) = &etag {
        request = request.header("If-None-Match", etag);
    }
    let response = request.send().await.map_err(|_| Problem::network())?;
    if response.status() == 304 {
        return Ok(None);
    }
    let tag = response.headers().get("etag").unwrap_or_default();
    read::<CalendarDay>(Ok(response)).await.map(|day| Some((day, tag)))
}

/// One booking with everything the business may see, and its history.
pub async fn booking(company: String, location: String, id: String) -> Result<BookingDetail, Problem> {
    read(Request::get(&format!("{}/bookings/{id}", at_location(&company, &location))).send().await).await
}

/// Books for a client at the desk, through the one checkout.
pub async fn book_at_desk(
    company: String,
    location: String,
    booking: DeskBooking,
) -> Result<BookingConfirmation, Problem> {
    once(format!("{}/bookings", at_location(&company, &location)), &booking).await
}

/// Books a visit of several services for a client (the front desk).
pub async fn book_visit_at_desk(
    company: String,
    location: String,
    visit: DeskVisit,
) -> Result<VisitConfirmation, Problem> {
    once(format!("{}/visits", at_location(&company, &location)), &visit).await
}

/// Books a class seat, or a waitlist place, for a client (the front desk).
pub async fn book_seat_at_desk(
    company: String,
    location: String,
    seat: DeskSeat,
) -> Result<ClassBookingConfirmation, Problem> {
    once(format!("{}/class-bookings", at_location(&company, &location)), &seat).await
}

/// Moves a booking to `start`, with another specialist or the same.
/// Cancels a class session (every seat and waitlist place in it; each client is told). Safe to
/// send again: a cancelled session cancels nothing more.
pub async fn cancel_session(
    company: String,
    location: String,
    cancel: homeslot_core::agenda::CancelSession,
) -> Result<homeslot_core::agenda::SessionCancelled, Problem> {
    send(Request::post(&format!("{}/class-sessions/cancel", at_location(&company, &location))), &cancel).await
}

pub async fn move_booking(
    company: String,
    location: String,
    id: String,
    to: MoveBooking,
) -> Result<BookingDetail, Problem> {
    once(format!("{}/bookings/{id}/move", at_location(&company, &location)), &to).await
}

/// Cancels a booking for the business, saying why.
pub async fn cancel_booking(
    company: String,
    location: String,
    id: String,
    reason: String,
) -> Result<BookingDetail, Problem> {
    once(format!("{}/bookings/{id}/cancel", at_location(&company, &location)), &CancelBooking { reason }).await
}

/// Marks the client arrived or a no-show, or (`None`) expected again.
pub async fn mark(
    company: String,
    location: String,
    id: String,
    attendance: Option<Attendance>,
) -> Result<BookingDetail, Problem> {
    once(format!("{}/bookings/{id}/attendance", at_location(&company, &location)), &MarkAttendance { attendance }).await
}

/// The free starts of `service` on `date` (with `specialist`, or anyone): the very answer the
/// widget gets.
pub async fn free_starts(
    company: String,
    location: String,
    service: String,
    specialist: Option<String>,
    date: String,
) -> Result<Vec<SlotView>, Problem> {
    let mut url = format!("/v1/companies/{company}/locations/{location}/slots?service={service}&date={date}");
    if let Some(specialist) = specialist {
        url.push_str(&format!("&specialist={specialist}"));
    }
    read::<SlotsResponse>(Request::get(&url).send().await).await.map(|answer| answer.slots)
}

/// The free starts of a visit of `services` on `date`, each part with its specialist (`""`: any),
/// as the widget sees them.
pub async fn visit_starts(
    company: String,
    location: String,
    parts: Vec<(String, String)>,
    date: String,
) -> Result<Vec<VisitSlotView>, Problem> {
    let services = parts.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>().join(",");
    let specialists = parts.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>().join(",");
    let url = format!(
        "/v1/companies/{company}/locations/{location}/visit-slots?services={services}&specialists={specialists}&date={date}"
    );
    read::<VisitSlotsResponse>(Request::get(&url).send().await).await.map(|answer| answer.slots)
}

/// The sessions of the class `service` on `date`, with the seats left.
pub async fn class_sessions(
    company: String,
    location: String,
    service: String,
    date: String,
) -> Result<Vec<ClassSessionView>, Problem> {
    let url = format!("/v1/companies/{company}/locations/{location}/classes?service={service}&from={date}&days=1");
    read::<ClassSessionsResponse>(Request::get(&url).send().await).await.map(|answer| answer.sessions)
}

/// Clients of the chain whose name, phone or e-mail contains `text`.
pub async fn find_clients(company: String, text: String) -> Result<Vec<FoundClient>, Problem> {
    let query: String = js_sys::encode_uri_component(&text).into();
    read::<FoundClients>(Request::get(&format!("/v1/admin/companies/{company}/clients?q={query}")).send().await)
        .await
        .map(|found| found.clients)
}

/// A location's report over the local dates `from` to `to` (`GET …/locations/{l}/report`).
pub async fn report(
    company: String,
    location: String,
    from: String,
    to: String,
) -> Result<homeslot_core::report::Report, Problem> {
    read(Request::get(&format!("{}/report?from={from}&to={to}", at_location(&company, &location))).send().await).await
}

/// The chain's memberships (`GET …/memberships`).
pub async fn memberships(company: String) -> Result<Vec<Membership>, Problem> {
    #[derive(Deserialize)]
    struct List {
        memberships: Vec<Membership>,
    }
    read::<List>(Request::get(&format!("/v1/admin/companies/{company}/memberships")).send().await)
        .await
        .map(|l| l.memberships)
}

/// What importing the CSV file `csv` would do, row by row; or each row's problem. Nothing is
/// written either way.
pub async fn preview_import(company: String, csv: String) -> Result<Result<ImportPreview, Vec<RowProblem>>, Problem> {
    import_csv(format!("/v1/admin/companies/{company}/memberships/import?preview=true"), csv).await
}

/// Imports every row of `csv`, or none: then each row's problem.
pub async fn import_memberships(company: String, csv: String) -> Result<Result<Imported, Vec<RowProblem>>, Problem> {
    import_csv(format!("/v1/admin/companies/{company}/memberships/import"), csv).await
}

async fn import_csv<T: DeserializeOwned>(url: String, csv: String) -> Result<Result<T, Vec<RowProblem>>, Problem> {
    #[derive(Deserialize)]
    struct Refused {
        error: Problem,
        #[serde(default)]
        rows: Vec<RowProblem>,
    }
    let request = Request::post(&url).header("content-type", "text/csv").body(csv).map_err(|_| Problem::network())?;
    let response = request.send().await.map_err(|_| Problem::network())?;
    if response.ok() {
        return response.json::<T>().await.map(Ok).map_err(|_| Problem::network());
    }
    let refused = response.json::<Refused>().await.map_err(|_| Problem::network())?;
    if refused.rows.is_empty() {
        Err(refused.error.for_people())
    } else {
        Ok(Err(refused.rows))
    }
}

/// Changes the fields of membership `number` that `patch` names, saying why (`PATCH`).
pub async fn adjust_membership(
    company: String,
    number: String,
    patch: serde_json::Value,
) -> Result<Membership, Problem> {
    send(Request::patch(&format!("/v1/admin/companies/{company}/memberships/{number}")), &patch).await
}

/// A page of the business's audit trail, latest first: entries older than `before` (none: the
/// latest).
pub async fn audit_trail(company: String, before: Option<i64>) -> Result<AuditTrail, Problem> {
    let after = before.map(|b| format!("?before={b}")).unwrap_or_default();
    read(Request::get(&format!("/v1/admin/companies/{company}/audit{after}")).send().await).await
}

/// A client's card (`GET …/clients/{client}`).
pub async fn client_card(company: String, id: String) -> Result<ClientCard, Problem> {
    read(Request::get(&format!("/v1/admin/companies/{company}/clients/{id}")).send().await).await
}

/// Keeps the staff's note about a client (empty: none).
pub async fn save_client_note(company: String, id: String, note: String) -> Result<ClientNote, Problem> {
    let request = Request::put(&format!("/v1/admin/companies/{company}/clients/{id}/note"));
    send(request, &ClientNote { note }).await
}

/// Makes `merge` part of `keep`, one person; answers `keep`'s card.
pub async fn merge_clients(company: String, keep: String, merge: String) -> Result<ClientCard, Problem> {
    send(Request::post(&format!("/v1/admin/companies/{company}/clients/merge")), &MergeClients { keep, merge }).await
}

/// The address that downloads everything stored about one client.
pub fn client_export_link(company: &str, id: &str) -> String {
    format!("/v1/admin/companies/{company}/clients/{id}/export")
}

/// Erases the personal data of the client with `phone` from every location; the bookings stay,
/// anonymous.
pub async fn erase_client(company: String, phone: String) -> Result<(), Problem> {
    let request = Request::post(&format!("/v1/admin/companies/{company}/clients/erase"));
    send::<_, serde_json::Value>(request, &serde_json::json!({ "phone": phone })).await.map(|_| ())
}

/// How the business sends e-mail, if the owner set it (`GET …/mail`; `404` before).
pub async fn mail_settings(company: String) -> Result<Option<homeslot_core::mail::MailSettingsView>, Problem> {
    match read(Request::get(&format!("/v1/admin/companies/{company}/mail")).send().await).await {
        Ok(view) => Ok(Some(view)),
        Err(problem) if problem.code == "not_found" => Ok(None),
        Err(problem) => Err(problem),
    }
}

/// Saves how the business sends e-mail (the password only when typed: none keeps the stored one).
pub async fn save_mail_settings(
    company: String,
    settings: homeslot_core::mail::MailSettings,
) -> Result<homeslot_core::mail::MailSettingsView, Problem> {
    send(Request::put(&format!("/v1/admin/companies/{company}/mail")), &settings).await
}

/// The staff calendar feeds the person may manage (without their addresses).
pub async fn feeds(company: String) -> Result<Vec<homeslot_core::feeds::FeedView>, Problem> {
    let answer: homeslot_core::feeds::Feeds =
        read(Request::get(&format!("/v1/admin/companies/{company}/feeds")).send().await).await?;
    Ok(answer.feeds)
}

/// A new feed, with its address (shown this once).
pub async fn create_feed(
    company: String,
    feed: homeslot_core::feeds::NewFeed,
) -> Result<homeslot_core::feeds::FeedView, Problem> {
    send(Request::post(&format!("/v1/admin/companies/{company}/feeds")), &feed).await
}

/// A new address for feed `id`; the old one stops at once.
pub async fn rotate_feed(company: String, id: String) -> Result<homeslot_core::feeds::FeedView, Problem> {
    read(Request::post(&format!("/v1/admin/companies/{company}/feeds/{id}/rotate")).send().await).await
}

/// Ends feed `id`.
pub async fn delete_feed(company: String, id: String) -> Result<(), Problem> {
    delete(&format!("/v1/admin/companies/{company}/feeds/{id}")).await
}

/// A `DELETE` whose success has no body (`204`).
async fn delete(url: &str) -> Result<(), Problem> {
    match Request::delete(url).send().await {
        Ok(answer) if answer.ok() => Ok(()),
        other => read::<serde_json::Value>(other).await.map(|_| ()),
    }
}

/// The business's webhook endpoints (owners).
pub async fn webhooks(company: String) -> Result<Vec<homeslot_core::webhooks::Endpoint>, Problem> {
    let answer: homeslot_core::webhooks::Endpoints =
        read(Request::get(&format!("/v1/admin/companies/{company}/webhooks")).send().await).await?;
    Ok(answer.endpoints)
}

/// A new endpoint, with its signing secret (shown this once).
pub async fn create_webhook(
    company: String,
    endpoint: homeslot_core::webhooks::NewEndpoint,
) -> Result<homeslot_core::webhooks::EndpointSecret, Problem> {
    send(Request::post(&format!("/v1/admin/companies/{company}/webhooks")), &endpoint).await
}

/// Changes endpoint `id` (turns it off or on again).
pub async fn edit_webhook(
    company: String,
    id: String,
    edit: homeslot_core::webhooks::EndpointEdit,
) -> Result<homeslot_core::webhooks::Endpoint, Problem> {
    send(Request::patch(&format!("/v1/admin/companies/{company}/webhooks/{id}")), &edit).await
}

/// Deletes endpoint `id` and its log.
pub async fn delete_webhook(company: String, id: String) -> Result<(), Problem> {
    delete(&format!("/v1/admin/companies/{company}/webhooks/{id}")).await
}

/// A new signing secret for endpoint `id` (shown this once); the old one signs for a day more.
pub async fn rotate_webhook(company: String, id: String) -> Result<homeslot_core::webhooks::EndpointSecret, Problem> {
    read(Request::post(&format!("/v1/admin/companies/{company}/webhooks/{id}/secret")).send().await).await
}

/// Sends the test event to endpoint `id`.
pub async fn test_webhook(company: String, id: String) -> Result<(), Problem> {
    read::<serde_json::Value>(Request::post(&format!("/v1/admin/companies/{company}/webhooks/{id}/test")).send().await)
        .await
        .map(|_| ())
}

/// Endpoint `id`'s last messages and every attempt at each.
pub async fn webhook_deliveries(
    company: String,
    id: String,
) -> Result<Vec<homeslot_core::webhooks::DeliveryLog>, Problem> {
    let answer: homeslot_core::webhooks::Deliveries =
        read(Request::get(&format!("/v1/admin/companies/{company}/webhooks/{id}/deliveries")).send().await).await?;
    Ok(answer.deliveries)
}

/// Sends messages to endpoint `id` again; answers how many.
pub async fn replay_webhook(
    company: String,
    id: String,
    replay: homeslot_core::webhooks::Replay,
) -> Result<u32, Problem> {
    let answer: homeslot_core::webhooks::Replayed =
        send(Request::post(&format!("/v1/admin/companies/{company}/webhooks/{id}/replay")), &replay).await?;
    Ok(answer.replayed)
}
