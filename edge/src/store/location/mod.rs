//! The location object: one per location, holding its bookings and class seats. It lists free
//! time and confirms bookings with the same core functions, so a shown slot fails only if someone
//! took it in between. One module per concept; this one holds the object, its schema and the
//! command dispatch.

mod admin;
mod availability;
mod bookings;
mod busy;
mod classes;
mod desk;
mod events;
pub mod google;
mod history;
mod holds;
mod idempotency;
mod manage;
mod notices;
mod outbox;
mod placement;

pub use admin::{
    bookings_between, clear_tests, day, erase_client, export, holds as stored_holds, merge_client, of_client,
    AdminBooking, AdminClassBooking, LocationExport,
};
pub use availability::{dates, slots, soonest_slots, starts, DaySlotsAnswer};
pub use bookings::{visit_starts, NewBooking, NewVisit};
pub use classes::{cancel_session, class_sessions, CancelSession, NewClassBooking};
pub use desk::{change as staff_change, StaffAnswer, StaffChange};
pub use holds::{place_hold, NewHold};
pub use idempotency::{Idempotency, KEEP_MS as IDEMPOTENCY_KEEP_MS};
pub use manage::{manage, Change, Proof, StoredBooking};
pub use notices::{agenda_at, claim_at, done_at, give_up_at, AgendaDay, Claim, Claimed, Outcome, Queued};
pub use outbox::deliver as deliver_outbox;
pub use placement::{place, resolve_payment, Order, Placed, Placement};

/// What the client added to a booking beyond their name and phone: a comment for the business
/// and their consents, as the owner's contact step asked, and where they came from (checked by
/// the edge before).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Note {
    pub comment: Option<String>,
    pub privacy_accepted: bool,
    pub marketing_consent: bool,
    /// The UTM parameters and click ids, as the JSON text of `wire::Attribution`.
    #[serde(default)]
    pub attribution: Option<String>,
    /// Made while the owner tried the form: a test, kept out of exports and cleared in one go.
    #[serde(default)]
    pub test: bool,
    /// Where the booking was made (`online`, `app`, `front_desk`: `pricing::Channel`).
    #[serde(default = "online")]
    pub channel: String,
    /// The member of staff who booked it for the client, if one did (their person id).
    #[serde(default)]
    pub made_by: Option<String>,
    /// Placed outside the rules by an owner or a manager (an override).
    #[serde(default)]
    pub r#override: bool,
    /// The client's e-mail address, for their messages (none: they get none).
    #[serde(default)]
    pub email: Option<String>,
    /// The language the client booked in (a tag the widget speaks), for their messages.
    #[serde(default)]
    pub language: Option<String>,
    /// The edge's public address, for the manage link in the client's confirmation.
    #[serde(default)]
    pub origin: Option<String>,
}

/// Where bookings from before channels were stored were made.
pub(super) fn online() -> String {
    "online".into()
}

/// What the client pays for a service with one specialist, as the edge priced it before booking
/// (the object only picks the chosen specialist's and stores it with the booking).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Charge {
    pub specialist_id: String,
    /// The final price, in minor units.
    pub price_minor: i64,
    /// The price before the discount (equal to `price_minor` without one).
    pub original_minor: i64,
    /// The automatic discount that applied, by id.
    pub discount_id: Option<String>,
}

/// A membership paying for a booking: the edge debited it before; the object keeps, with each
/// booking it writes, what that booking took (a visit from a visits balance, its price from a
/// money one), so a cancellation gives exactly that back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct MembershipPay {
    pub number: String,
    /// The company object's payment (see `placement`): every row it pays for names it.
    pub payment_id: String,
    /// Whether its balance is in visits (one per booking) or money (the booking's price).
    pub visits: bool,
    pub money: bool,
}

impl MembershipPay {
    /// What one booking charged `charge` takes.
    pub fn debit(&self, charge: Option<&Charge>) -> homeslot_core::membership::Debit {
        homeslot_core::membership::Debit {
            visits: u32::from(self.visits),
            minor: if self.money { charge.map_or(0, |c| c.price_minor) } else { 0 },
        }
    }
}

impl Charge {
    /// The charge for `specialist_id` among `charges`.
    pub fn of<'a>(charges: &'a [Charge], specialist_id: &str) -> Option<&'a Charge> {
        charges.iter().find(|c| c.specialist_id == specialist_id)
    }
}

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, State};

use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::store::{answer, migrations::Schema};
use crate::{clock, http};

/// Applied in order, each once; append only (an applied step is never edited or moved).
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE bookings (
        id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL,
        specialist_id TEXT NOT NULL,
        start_s INTEGER NOT NULL,
        end_s INTEGER NOT NULL,
        client_name TEXT NOT NULL,
        client_phone TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'cancelled')),
        created_at_ms INTEGER NOT NULL
    )",
    "CREATE INDEX bookings_by_start ON bookings (start_s)",
    // A second line of defence behind the availability check: one confirmed start per specialist.
    "CREATE UNIQUE INDEX one_confirmed_start_per_specialist ON bookings (specialist_id, start_s) WHERE status = 'confirmed'",
    // Buffers and resources: a booking keeps its specialist and resources busy from `busy_from_s`
    // to `busy_until_s` (the visit with its buffers) and uses the resources listed.
    "ALTER TABLE bookings ADD COLUMN busy_from_s INTEGER",
    "ALTER TABLE bookings ADD COLUMN busy_until_s INTEGER",
    "ALTER TABLE bookings ADD COLUMN resource_ids TEXT NOT NULL DEFAULT ''",
    "UPDATE bookings SET busy_from_s = start_s, busy_until_s = end_s WHERE busy_from_s IS NULL",
    "CREATE INDEX bookings_by_busy_from ON bookings (busy_from_s)",
    // The parts of a visit of several services share a visit id.
    "ALTER TABLE bookings ADD COLUMN visit_id TEXT",
    // Seats in class sessions (and waitlist places), apart from `bookings`: many clients share
    // one session and its instructor.
    "CREATE TABLE class_bookings (
        id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL,
        session_start_s INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('booked', 'waitlisted', 'cancelled')),
        client_name TEXT NOT NULL,
        client_phone TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    )",
    "CREATE INDEX class_bookings_by_session ON class_bookings (service_id, session_start_s)",
    // Times kept for a client for a few minutes; busy until `expires_at_s` (see `holds`).
    "CREATE TABLE holds (
        id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL,
        specialist_id TEXT NOT NULL,
        start_s INTEGER NOT NULL,
        end_s INTEGER NOT NULL,
        busy_from_s INTEGER NOT NULL,
        busy_until_s INTEGER NOT NULL,
        resource_ids TEXT NOT NULL DEFAULT '',
        expires_at_s INTEGER NOT NULL
    )",
    "CREATE INDEX holds_by_busy_from ON holds (busy_from_s)",
    // Answers to confirmations by Idempotency-Key (see `idempotency`).
    "CREATE TABLE idempotency (
        key TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    )",
    // Only the hash of a manage link's secret is kept (see `manage`).
    "ALTER TABLE bookings ADD COLUMN manage_hash TEXT",
    // The client's one identity across the chain (kept by the company object).
    "ALTER TABLE bookings ADD COLUMN client_id TEXT",
    "ALTER TABLE class_bookings ADD COLUMN client_id TEXT",
    // Class seats get manage links too (see `manage`); the session's end and instructor are kept
    // with the seat so the link can show them whatever the catalog says later.
    "ALTER TABLE class_bookings ADD COLUMN manage_hash TEXT",
    "ALTER TABLE class_bookings ADD COLUMN session_end_s INTEGER",
    "ALTER TABLE class_bookings ADD COLUMN specialist_id TEXT",
    // The contact step's comment and consents (privacy policy accepted, marketing agreed).
    "ALTER TABLE bookings ADD COLUMN comment TEXT",
    "ALTER TABLE bookings ADD COLUMN privacy_accepted INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE bookings ADD COLUMN marketing_consent INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE class_bookings ADD COLUMN comment TEXT",
    "ALTER TABLE class_bookings ADD COLUMN privacy_accepted INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE class_bookings ADD COLUMN marketing_consent INTEGER NOT NULL DEFAULT 0",
    // What the client pays, decided at confirmation (see `Charge`); empty on older bookings,
    // whose price is the catalog's.
    "ALTER TABLE bookings ADD COLUMN price_minor INTEGER",
    "ALTER TABLE bookings ADD COLUMN original_price_minor INTEGER",
    "ALTER TABLE bookings ADD COLUMN discount_id TEXT",
    "ALTER TABLE class_bookings ADD COLUMN price_minor INTEGER",
    "ALTER TABLE class_bookings ADD COLUMN original_price_minor INTEGER",
    "ALTER TABLE class_bookings ADD COLUMN discount_id TEXT",
    // The membership that paid, and what it took (given back when the booking is cancelled).
    "ALTER TABLE bookings ADD COLUMN membership_number TEXT",
    "ALTER TABLE bookings ADD COLUMN membership_visits INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE bookings ADD COLUMN membership_minor INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE class_bookings ADD COLUMN membership_number TEXT",
    "ALTER TABLE class_bookings ADD COLUMN membership_visits INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE class_bookings ADD COLUMN membership_minor INTEGER NOT NULL DEFAULT 0",
    // Where the client came from (UTM parameters, click ids), as JSON text.
    "ALTER TABLE bookings ADD COLUMN attribution TEXT",
    "ALTER TABLE class_bookings ADD COLUMN attribution TEXT",
    // The membership payment each row used, so a payment can be reconciled with what it bought;
    // and payments the checkout gave up on, which no placement may use any more (`placement`).
    "ALTER TABLE bookings ADD COLUMN payment_id TEXT",
    "ALTER TABLE class_bookings ADD COLUMN payment_id TEXT",
    "CREATE INDEX bookings_by_payment ON bookings (payment_id) WHERE payment_id IS NOT NULL",
    "CREATE INDEX class_bookings_by_payment ON class_bookings (payment_id) WHERE payment_id IS NOT NULL",
    "CREATE TABLE void_payments (id TEXT PRIMARY KEY, voided_at_ms INTEGER NOT NULL)",
    // What a change owes another object, written with the change (see `outbox`).
    "CREATE TABLE outbox (id TEXT PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL, created_at_ms INTEGER NOT NULL)",
    // Bookings made while the owner tried the form (`Company::test_bookings`).
    "ALTER TABLE bookings ADD COLUMN test INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE class_bookings ADD COLUMN test INTEGER NOT NULL DEFAULT 0",
    // Where a booking was made, and by which member of staff; bookings from before say `online`.
    "ALTER TABLE bookings ADD COLUMN channel TEXT NOT NULL DEFAULT 'online'",
    "ALTER TABLE bookings ADD COLUMN made_by TEXT",
    "ALTER TABLE class_bookings ADD COLUMN channel TEXT NOT NULL DEFAULT 'online'",
    "ALTER TABLE class_bookings ADD COLUMN made_by TEXT",
    // The front desk's marks (`arrived`, `no_show`; none while expected) and why a booking was
    // cancelled by the business.
    "ALTER TABLE bookings ADD COLUMN attendance TEXT",
    "ALTER TABLE bookings ADD COLUMN cancel_reason TEXT",
    // Every change to a booking after it was made: who (a person id, `client`, `token`), when and
    // what (see `history`).
    "CREATE TABLE booking_changes (
        booking_id TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        change TEXT NOT NULL,
        detail TEXT
    )",
    "CREATE INDEX booking_changes_by_booking ON booking_changes (booking_id, at_ms)",
    // Placed or moved outside the rules by an owner or a manager (an override).
    "ALTER TABLE bookings ADD COLUMN is_override INTEGER NOT NULL DEFAULT 0",
    // The client's e-mail and language, for their messages (see `notices`).
    "ALTER TABLE bookings ADD COLUMN client_email TEXT",
    "ALTER TABLE bookings ADD COLUMN language TEXT",
    // The messages each booking owes (`notices`: scheduled, then queued) and what became of each
    // recipient's (`deliveries`): the booking's message log.
    "CREATE TABLE notices (
        id TEXT PRIMARY KEY,
        booking_id TEXT NOT NULL,
        event TEXT NOT NULL,
        due_at_ms INTEGER NOT NULL,
        for_start_s INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('scheduled', 'queued')),
        links TEXT,
        created_at_ms INTEGER NOT NULL,
        queued_at_ms INTEGER
    )",
    "CREATE INDEX notices_due ON notices (state, due_at_ms)",
    "CREATE INDEX notices_by_booking ON notices (booking_id)",
    "CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        notice_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'skipped', 'retry', 'failed')),
        detail TEXT,
        at_ms INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
    )",
    "CREATE INDEX deliveries_by_notice ON deliveries (notice_id)",
    // The client turned the visit's e-mail reminders off (their manage link).
    "ALTER TABLE bookings ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0",
    // The object's own name (`{company}/{location}`): an object woken by its alarm after a
    // restart is not told it, and it needs it to queue its messages.
    "CREATE TABLE place (id INTEGER PRIMARY KEY CHECK (id = 1), name TEXT NOT NULL)",
    // Webhook events waiting to be handed to the company object (see `events`).
    events::TABLE,
    // A seat's client's e-mail and language, for their messages (see `notices`).
    "ALTER TABLE class_bookings ADD COLUMN client_email TEXT",
    "ALTER TABLE class_bookings ADD COLUMN language TEXT",
    "ALTER TABLE class_bookings ADD COLUMN reminders_off INTEGER NOT NULL DEFAULT 0",
    // Class sessions the business cancelled (see `classes::cancel_session_now`).
    "CREATE TABLE cancelled_sessions (
        service_id TEXT NOT NULL,
        start_s INTEGER NOT NULL,
        reason TEXT NOT NULL,
        by_actor TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        PRIMARY KEY (service_id, start_s)
    )",
    // The end of the day a morning agenda lists (see `notices::agenda`).
    "ALTER TABLE notices ADD COLUMN for_end_s INTEGER",
    // The last availability snapshot for Google (see `google`).
    google::TABLE,
];

/// The longest range the calendar answers at once.
pub const MAX_CALENDAR_DAYS: u32 = 62;

pub(super) fn stub(env: &Env, company_id: &str, location_id: &str) -> AppResult<worker::Stub> {
    let name = format!("{company_id}/{location_id}");
    Ok(env.durable_object("LOCATION")?.id_from_name(&name)?.get_stub()?)
}

#[durable_object]
pub struct LocationStore {
    state: State,
    env: Env,
    schema: Schema,
    /// This instance of the object, for the calendar's version (see `admin::day_now`).
    instance: String,
    /// Whether this instance has kept its name (see `queue_notices`).
    named: std::cell::Cell<bool>,
}

impl DurableObject for LocationStore {
    fn new(state: State, env: Env) -> Self {
        // Time-based when randomness fails: an instance only needs to differ from the last one.
        let instance = crate::store::random_hex().unwrap_or_else(|_| clock::now_millis().to_string());
        LocationStore {
            state,
            env,
            schema: Schema::default(),
            instance: instance[..12.min(instance.len())].to_string(),
            named: std::cell::Cell::new(false),
        }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        answer(self.handle(req)).await
    }

    /// Delivers what the outbox still holds, queues the messages due, clears expired holds, old
    /// idempotency records and old void payments, then wakes again for whichever of the rest is
    /// due first.
    async fn alarm(&self) -> worker::Result<Response> {
        let sql = self.state.storage().sql();
        self.schema.ready(&sql, MIGRATIONS)?;
        let after_ms = crate::recovery::after_ms(&self.env);
        if let Err(error) = outbox::deliver_due(&self.env, &sql, after_ms).await {
            worker::console_error!("delivering the outbox: {error:?}");
        }
        // An entry that could not be delivered is tried again at the next alarm.
        let next_outbox_ms = outbox::next_due(&sql, after_ms)?.map(|at| at.max(clock::now_millis() + 5_000));
        let next_hold_ms = holds::clear_expired(&sql, clock::now())?.map(|at| at * 1000);
        let next_key_ms = idempotency::clear_old(&sql, clock::now_millis())?;
        let next_void_ms = placement::clear_old_voids(&sql, clock::now_millis())?;
        let next_notice_ms = self.queue_notices(&sql).await;
        let next_event_ms = self.hand_over_events(&sql).await;
        let next = next_hold_ms
            .into_iter()
            .chain(next_key_ms)
            .chain(next_void_ms)
            .chain(next_outbox_ms)
            .chain(next_notice_ms)
            .chain(next_event_ms)
            .min();
        // Not `set_alarm`: a change made while this ran (its awaits let bookings in) may have set
        // the alarm sooner for what it scheduled (`send_notices_soon`), and that must stand. (A
        // mail storm's last confirmations waited for the next reminder's time.)
        if let Some(next) = next {
            self.wake_at_ms(next).await?;
        }
        Response::empty()
    }
}

impl LocationStore {
    async fn handle(&self, mut req: Request) -> AppResult<Response> {
        let sql = self.state.storage().sql();
        self.schema.ready(&sql, MIGRATIONS)?;
        if !self.named.get() {
            // Reached through a stub: the runtime knows the name; keep it for the alarm.
            if let Some(name) = self.state.id().name() {
                sql.exec("INSERT OR REPLACE INTO place (id, name) VALUES (1, ?)", vec![name.into()])?;
            }
            self.named.set(true);
        }
        match req.path().as_str() {
            "/slots" => reply(availability::day_slots(&sql, read(&mut req).await?)?),
            "/day" => reply(admin::day_now(&sql, &self.instance, read(&mut req).await?)?),
            "/dates" => reply(availability::dates_with_slots(&sql, read(&mut req).await?)?),
            "/starts" => reply(availability::starts_now(&sql, read(&mut req).await?)?),
            "/soonest" => reply(availability::soonest_starts(&sql, read(&mut req).await?)?),
            "/place" => {
                let placement: Placement = read(&mut req).await?;
                let keyed = placement.idempotency.is_some();
                let placed = placement::place_now(&self.state.storage(), &sql, placement)?;
                self.forget_keys_later(keyed).await?;
                self.send_notices_soon(&sql).await?;
                reply(placed)
            }
            "/payments/resolve" => {
                let payment_id: String = read(&mut req).await?;
                let resolved = placement::resolve_now(&sql, &payment_id)?;
                self.forget_keys_later(resolved.is_none()).await?;
                reply(resolved)
            }
            "/visit-slots" => reply(bookings::visit_starts_now(&sql, read(&mut req).await?)?),
            "/class-sessions" => reply(classes::sessions_now(&sql, read(&mut req).await?)?),
            "/class-sessions/cancel" => {
                let command: classes::CancelSession = read(&mut req).await?;
                let storage = self.state.storage();
                let sql_in = sql.clone();
                let cancelled =
                    crate::store::transaction_sync(&storage, move || classes::cancel_session_now(&sql_in, &command))?;
                self.send_notices_soon(&sql).await?;
                if !cancelled.refunds.is_empty() {
                    // Should the caller not deliver them, the alarm will.
                    let after_ms = crate::recovery::after_ms(&self.env);
                    self.wake_at((clock::now_millis() + after_ms) / 1000 + 1).await?;
                }
                reply(cancelled)
            }
            "/manage" => {
                let command: manage::ManageCommand = read(&mut req).await?;
                let keyed = command.remembers_key();
                let stored = manage::act(&self.state.storage(), &sql, command)?;
                self.forget_keys_later(keyed).await?;
                self.send_notices_soon(&sql).await?;
                if !stored.refunds.is_empty() {
                    // Should the caller not deliver them, the alarm will.
                    let after_ms = crate::recovery::after_ms(&self.env);
                    self.wake_at((clock::now_millis() + after_ms) / 1000 + 1).await?;
                }
                reply(stored)
            }
            "/desk" => {
                let command: desk::StaffCommand = read(&mut req).await?;
                let keyed = command.remembers_key();
                let answer = desk::act(&self.state.storage(), &sql, command)?;
                self.forget_keys_later(keyed).await?;
                self.send_notices_soon(&sql).await?;
                if !answer.refunds.is_empty() {
                    let after_ms = crate::recovery::after_ms(&self.env);
                    self.wake_at((clock::now_millis() + after_ms) / 1000 + 1).await?;
                }
                reply(answer)
            }
            "/google/make" => reply(google::make_now(&sql, &read(&mut req).await?)?),
            "/google/read" => reply(google::read_now(&sql, &read(&mut req).await?)?),
            "/google/day" => reply(google::day_now(&sql, &read(&mut req).await?)?),
            "/agenda" => {
                let recorded = notices::agenda(&sql, &read(&mut req).await?)?;
                self.send_notices_soon(&sql).await?;
                reply(recorded)
            }
            "/notices/claim" => reply(notices::claim(&sql, &read(&mut req).await?)?),
            "/notices/done" => reply(notices::done(&sql, &read(&mut req).await?)?),
            "/notices/give-up" => {
                let notice_id: String = read(&mut req).await?;
                reply(notices::give_up(&sql, &notice_id)?)
            }
            "/outbox/done" => {
                let ids: Vec<String> = read(&mut req).await?;
                reply(outbox::done(&sql, &ids)?)
            }
            "/admin" => {
                let answer = admin::act(&self.state.storage(), &sql, read(&mut req).await?)?;
                // Cleared test bookings may owe memberships: should the caller not deliver it,
                // the alarm will.
                if answer.get("refunds").and_then(|r| r.as_array()).is_some_and(|r| !r.is_empty()) {
                    let after_ms = crate::recovery::after_ms(&self.env);
                    self.wake_at((clock::now_millis() + after_ms) / 1000 + 1).await?;
                }
                reply(answer)
            }
            "/hold" => {
                let held = holds::place(&sql, &read(&mut req).await?)?;
                // After the write, so the check and the write stay in one synchronous step.
                self.wake_at(held.expires_at).await?;
                reply(held)
            }
            _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
        }
    }

    /// After a confirmation stored an idempotency record (or a payment was made void): make sure
    /// the alarm comes back to forget it (after the write, like holds, so the check and the write
    /// stay one synchronous step).
    async fn forget_keys_later(&self, stored: bool) -> worker::Result<()> {
        if stored {
            self.wake_at((clock::now_millis() + idempotency::KEEP_MS) / 1000 + 1).await?;
        }
        Ok(())
    }

    /// After a change that may have scheduled messages: the alarm queues them at once (after the
    /// write, so the change's answer never waits for the queue).
    async fn send_notices_soon(&self, sql: &worker::SqlStorage) -> worker::Result<()> {
        let now_ms = clock::now_millis();
        match notices::next_due(sql) {
            Ok(Some(due_ms)) if due_ms <= now_ms => self.wake_at_ms(due_ms).await,
            _ if events::pending(sql).unwrap_or(false) => self.wake_at_ms(now_ms).await,
            _ => Ok(()),
        }
    }

    /// Hands the webhook events waiting to the company object (see `events`); answers when to
    /// come back: at once while more wait, in 5 s if the company object could not be reached.
    async fn hand_over_events(&self, sql: &worker::SqlStorage) -> Option<i64> {
        let (company_id, location_id) = self.place(sql)?;
        match events::hand_over(&self.env, sql, &company_id, &location_id).await {
            Ok(true) => Some(clock::now_millis()),
            Ok(false) => None,
            Err(error) => {
                worker::console_error!("handing over webhook events: {error:?}");
                Some(clock::now_millis() + 5_000)
            }
        }
    }

    /// Whose this object is, `(company, location)`: its name is `{company}/{location}` (`stub`).
    /// The runtime gives it to an object reached through a stub, and the object keeps it (table
    /// `place`) for when its alarm wakes it after a restart, which the runtime does not tell it.
    fn place(&self, sql: &worker::SqlStorage) -> Option<(String, String)> {
        #[derive(Deserialize)]
        struct Place {
            name: String,
        }
        let name = self.state.id().name().or_else(|| {
            let rows: Vec<Place> = sql.exec("SELECT name FROM place", None).ok()?.to_array().ok()?;
            rows.into_iter().next().map(|place| place.name)
        });
        let place = name.and_then(|name| name.split_once('/').map(|(c, l)| (c.to_string(), l.to_string())));
        if place.is_none() {
            worker::console_error!("a location object without its name cannot send its messages");
        }
        place
    }

    /// Queues the messages due (see `notices`); answers when the next falls due. A queue that
    /// cannot be reached is tried again in 5 s.
    async fn queue_notices(&self, sql: &worker::SqlStorage) -> Option<i64> {
        let (company_id, location_id) = self.place(sql)?;
        match notices::queue_due(&self.env, sql, &company_id, &location_id).await {
            Ok(next) => next.map(|at| at.max(clock::now_millis())),
            Err(error) => {
                worker::console_error!("queueing messages: {error:?}");
                Some(clock::now_millis() + 5_000)
            }
        }
    }

    /// Makes sure the alarm goes off by `at` (Unix seconds), to clear what expires then.
    async fn wake_at(&self, at: i64) -> worker::Result<()> {
        self.wake_at_ms(at * 1000).await
    }

    async fn wake_at_ms(&self, at_ms: i64) -> worker::Result<()> {
        let storage = self.state.storage();
        match storage.get_alarm().await? {
            Some(set) if set <= at_ms => Ok(()),
            _ => storage.set_alarm((at_ms - clock::now_millis()).max(0)).await,
        }
    }
}

/// A command from the Worker (which built it from a validated request and the catalog).
async fn read<T: DeserializeOwned>(req: &mut Request) -> AppResult<T> {
    Ok(http::read_command(req, http::MAX_CATALOG_BODY).await?)
}

fn reply<T: Serialize>(answer: T) -> AppResult<Response> {
    Ok(http::json(&answer, 200)?)
}

/// An unguessable booking id: it will appear in the client's manage link.
pub(super) fn new_booking_id() -> worker::Result<String> {
    Ok(format!("bk_{}", crate::store::random_hex()?))
}
