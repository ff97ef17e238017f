//! The company object: one per company, holding its catalog (locations, services, specialists,
//! working hours) as a validated JSON document with a version, and the company's admin tokens
//! (only their SHA-256 is stored; a token is shown once, when created).
//!
//! Every request needs the catalog, so the Worker keeps the parsed catalog of each company in its
//! isolate ([`load`]) and asks the object again at most once a [`CATALOG_FRESH_MS`]: the object
//! answers with only the version when nothing changed. Edits made through this isolate are seen at
//! once; edits made through another isolate within that time.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, SqlStorage, State};

use homeslot_core::catalog::edit::{Edit, Outcome};
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::{AppError, AppResult};
use crate::store::{answer, call, migrations::Schema, phones, random_hex, sha256_hex, transaction_sync};
use crate::{clock, http};

/// Applied in order, each once; append only.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE catalog (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        document TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
    )",
    "CREATE TABLE admin_tokens (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    )",
    // One row per person across every location of the chain (see `identify_client`).
    "CREATE TABLE clients (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        phone TEXT UNIQUE,
        email TEXT,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
    )",
    "CREATE INDEX clients_by_email ON clients (email)",
    // Bumped by every save, so the Worker can revalidate its copy cheaply.
    "ALTER TABLE catalog ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    // Every location the catalog ever had: a deleted location's bookings still hold clients'
    // details, which export and erasure must reach.
    "CREATE TABLE known_locations (id TEXT PRIMARY KEY)",
    "INSERT OR IGNORE INTO known_locations (id)
     SELECT json_extract(value, '$.id') FROM catalog, json_each(catalog.document, '$.locations')",
    // When the client's first booking with the chain was confirmed (or is being confirmed): set
    // once, by the identification that prices a booking (see `identify_client`). Clients known
    // before this column existed have booked (a client row is written only when confirming).
    "ALTER TABLE clients ADD COLUMN first_booked_at_ms INTEGER",
    "UPDATE clients SET first_booked_at_ms = created_at_ms",
    // Keys the business's own app sends (`Homeslot-App-Key`), so the edge can tell an app booking
    // from a web one. Like admin tokens, only their SHA-256 is stored.
    "CREATE TABLE app_keys (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    )",
    // The chain's memberships (see `store::memberships`).
    crate::store::memberships::TABLE,
    crate::store::memberships::DEBITS_TABLE,
    crate::store::memberships::PAYMENTS_MIGRATIONS[0],
    crate::store::memberships::PAYMENTS_MIGRATIONS[1],
    crate::store::memberships::PAYMENTS_MIGRATIONS[2],
    crate::store::memberships::PAYMENTS_MIGRATIONS[3],
    crate::store::memberships::PAYMENTS_MIGRATIONS[4],
    // Every stored phone in its one form, and the merges that follow (see `store::phones`).
    crate::store::phones::MIGRATIONS[0],
    crate::store::phones::MIGRATIONS[1],
    crate::store::phones::MIGRATIONS[2],
    // The business's staff and their invites (see `store::staff`).
    crate::store::staff::MIGRATIONS[0],
    crate::store::staff::MIGRATIONS[1],
    // Visits of each short link (`/s/{company}/{name}`), counted as they happen.
    "CREATE TABLE link_visits (name TEXT PRIMARY KEY, visits INTEGER NOT NULL)",
    // The business-wide audit trail (see `store::audit`).
    crate::store::audit::TABLE,
    // What the staff keep about a client (the client card's note; erased with the client).
    "ALTER TABLE clients ADD COLUMN note TEXT",
    // Staff calendar feeds (see `store::feeds`).
    crate::store::feeds::TABLE,
    // How the business sends e-mail (see `store::mail`).
    crate::store::mail::TABLE,
    // Its webhooks: endpoints, messages, deliveries, attempts (see `store::webhooks`).
    crate::store::webhooks::MIGRATIONS[0],
    crate::store::webhooks::MIGRATIONS[1],
    crate::store::webhooks::MIGRATIONS[2],
    crate::store::webhooks::MIGRATIONS[3],
    crate::store::webhooks::MIGRATIONS[4],
    // The days whose morning agenda each location was asked to send (see `store::morning_agenda`).
    crate::store::morning_agenda::TABLE,
    // When the locations on Google last made their availability snapshots (see
    // `store::google_feeds`).
    crate::store::google_feeds::TABLE,
    // Real-time updates to Google on the webhook queue (see `store::google_updates`).
    crate::store::google_updates::TABLE,
];

/// How long the Worker uses its copy of a catalog before asking the object whether it changed.
pub const CATALOG_FRESH_MS: f64 = 1000.0;

struct Cached {
    version: i64,
    company: Rc<Company>,
    checked_at_ms: f64,
}

thread_local! {
    /// Parsed catalogs by company id, in this isolate.
    static CATALOGS: RefCell<HashMap<String, Cached>> = RefCell::new(HashMap::new());
}

fn remember(company: Company, version: i64) -> Rc<Company> {
    let company = Rc::new(company);
    let cached = Cached { version, company: company.clone(), checked_at_ms: worker::Date::now().as_millis() as f64 };
    CATALOGS.with(|c| {
        let mut catalogs = c.borrow_mut();
        // Answers to concurrent saves may arrive out of order: never go back to an older version.
        if catalogs.get(&company.id).is_none_or(|known| known.version <= version) {
            catalogs.insert(company.id.clone(), cached);
        }
    });
    company
}

/// What `/load` answers: the version, and the document unless the caller has that version.
#[derive(Deserialize)]
struct Loaded {
    version: i64,
    company: Option<Company>,
}

/// What `/save` and `/edit` answer.
#[derive(Serialize, Deserialize)]
pub struct Saved {
    pub version: i64,
    pub outcome: Outcome,
}

/// A client of the chain, as admins see them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientRecord {
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_at_ms: i64,
}

/// A client's record with what the staff keep about them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientFile {
    pub id: String,
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub created_at_ms: i64,
    pub note: Option<String>,
}

/// A company admin token as listed (never the token itself).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenInfo {
    pub token_id: String,
    pub label: String,
    pub created_at_ms: i64,
}

/// A newly created token: the only time it is shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewToken {
    pub token_id: String,
    pub label: String,
    pub token: String,
}

fn stub(env: &worker::Env, company_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("COMPANY")?.id_from_name(company_id)?.get_stub()?)
}

/// The version of the company's catalog this isolate holds (after [`load`]): it changes with
/// every edit, so an answer computed from the catalog can be recognised as unchanged.
pub fn loaded_version(company_id: &str) -> Option<i64> {
    CATALOGS.with(|c| c.borrow().get(company_id).map(|entry| entry.version))
}

/// The company's catalog, or `not_found` if the company was never created: this isolate's copy
/// while fresh, else revalidated with the object (see the module's note).
pub async fn load(env: &Env, company_id: &str) -> AppResult<Rc<Company>> {
    if !homeslot_core::catalog::is_valid_id(company_id) {
        return Err(ApiError::new(ErrorCode::NotFound, "No such company.").into());
    }
    let now = worker::Date::now().as_millis() as f64;
    let cached = CATALOGS.with(|c| {
        c.borrow().get(company_id).map(|entry| (entry.version, entry.company.clone(), now - entry.checked_at_ms))
    });
    if let Some((_, company, age)) = &cached {
        if *age < CATALOG_FRESH_MS {
            return Ok(company.clone());
        }
    }
    let known = cached.as_ref().map(|(version, _, _)| *version);
    let loaded: Loaded = call(&stub(env, company_id)?, "/load", &serde_json::json!({ "known_version": known })).await?;
    match (loaded.company, cached) {
        (Some(company), _) => Ok(remember(company, loaded.version)),
        (None, Some((_, company, _))) => {
            CATALOGS.with(|c| {
                if let Some(entry) = c.borrow_mut().get_mut(company_id) {
                    entry.checked_at_ms = now;
                }
            });
            Ok(company)
        }
        (None, None) => Err(AppError::Platform(worker::Error::RustError("catalog answer without a document".into()))),
    }
}

/// Stores a validated catalog, replacing the previous one.
pub async fn save(env: &Env, company: &Company) -> AppResult<Saved> {
    let saved: Saved = call(&stub(env, &company.id)?, "/save", company).await?;
    remember(company.clone(), saved.version);
    Ok(saved)
}

/// Applies one edit to the stored catalog, atomically in the object (two admins editing at once
/// cannot lose each other's change), and answers the new catalog with what the edit did.
pub async fn edit(env: &Env, company_id: &str, edit: &Edit) -> AppResult<(Rc<Company>, Outcome)> {
    #[derive(Deserialize)]
    struct Edited {
        version: i64,
        outcome: Outcome,
        company: Company,
    }
    let edited: Edited = call(&stub(env, company_id)?, "/edit", edit).await?;
    Ok((remember(edited.company, edited.version), edited.outcome))
}

/// The company's two kinds of secret: admin tokens (for the admin API) and app keys (sent by the
/// business's own app, so its bookings get app-only discounts). Kept apart: an app key never
/// opens the admin API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    AdminToken,
    AppKey,
}

impl Secret {
    /// The object's command prefix for this kind.
    fn path(self) -> &'static str {
        match self {
            Secret::AdminToken => "/tokens",
            Secret::AppKey => "/app-keys",
        }
    }

    fn of_path(path: &str) -> Option<(Secret, &str)> {
        [Secret::AdminToken, Secret::AppKey]
            .into_iter()
            .find_map(|kind| Some((kind, path.strip_prefix(kind.path())?.strip_prefix('/')?)))
    }

    /// The table its hashes are kept in (a constant: never built from input).
    fn table(self) -> &'static str {
        match self {
            Secret::AdminToken => "admin_tokens",
            Secret::AppKey => "app_keys",
        }
    }

    /// What every secret of the kind starts with, so a leaked one is recognisable.
    fn prefix(self) -> &'static str {
        match self {
            Secret::AdminToken => "hst_",
            Secret::AppKey => "hsapp_",
        }
    }
}

/// Creates a secret of this kind for the company (which must exist).
pub async fn create_token(env: &Env, company_id: &str, kind: Secret, label: &str) -> AppResult<NewToken> {
    call(&stub(env, company_id)?, &format!("{}/create", kind.path()), &serde_json::json!({ "label": label })).await
}

/// Whether `token` is one of the company's secrets of this kind.
pub async fn token_is_valid(env: &Env, company_id: &str, kind: Secret, token: &str) -> AppResult<bool> {
    let command = serde_json::json!({ "hash": sha256_hex(token) });
    call(&stub(env, company_id)?, &format!("{}/check", kind.path()), &command).await
}

/// The company's secrets of this kind (ids and labels).
pub async fn list_tokens(env: &Env, company_id: &str, kind: Secret) -> AppResult<Vec<TokenInfo>> {
    call(&stub(env, company_id)?, &format!("{}/list", kind.path()), &()).await
}

/// Revokes one secret; whether it existed.
pub async fn revoke_token(env: &Env, company_id: &str, kind: Secret, token_id: &str) -> AppResult<bool> {
    call(&stub(env, company_id)?, &format!("{}/revoke", kind.path()), &serde_json::json!({ "token_id": token_id }))
        .await
}

/// The client's one identity in the chain: the client with this (E.164) phone, else with this
/// e-mail, else a new one. The name (and a first e-mail, or a new phone) is kept up to date.
///
/// It also answers whether this is the client's first booking with the chain, and if so claims
/// it in the same step: of two bookings racing for one new client, only one is a first booking.
/// A booking that then fails gives the claim back ([`release_first_booking`]).
pub async fn identify_client(
    env: &Env,
    company_id: &str,
    name: &str,
    phone: &str,
    email: Option<&str>,
) -> AppResult<Identity> {
    let command = serde_json::json!({ "name": name, "phone": phone, "email": email });
    call(&stub(env, company_id)?, "/clients/identify", &command).await
}

/// Tells the company object its stored phones are written by the old rules (test builds: a
/// booking with `Homeslot-Fault: legacy-phone` stored one so), so its alarm rewrites them.
#[cfg(feature = "faults")]
pub async fn mark_phones_outdated(env: &Env, company_id: &str) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/phones/outdated", &()).await
}

/// Gives back a first-booking claim whose booking failed, so the client's next try is still a
/// first booking. A claim already used by a booking is never given back (the claim's time tells).
pub async fn release_first_booking(env: &Env, company_id: &str, identity: &Identity) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/clients/release-first", identity).await
}

/// Who is booking, as the company knows them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Identity {
    pub client_id: String,
    /// Set when this is the client's first booking with the chain: the claim's time.
    pub first_booking: Option<i64>,
}

/// Every location the company's catalog has ever had, deleted ones included.
pub async fn known_locations(env: &Env, company_id: &str) -> AppResult<Vec<String>> {
    call(&stub(env, company_id)?, "/locations/known", &()).await
}

/// How often a short link was followed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkVisits {
    pub name: String,
    pub visits: i64,
}

/// Counts one visit of short link `name`.
pub async fn count_link_visit(env: &Env, company_id: &str, name: &str) -> AppResult<()> {
    call(&stub(env, company_id)?, "/links/visit", &name).await
}

/// The visits of every short link that was ever followed (a renamed link starts again at 0).
pub async fn link_visits(env: &Env, company_id: &str) -> AppResult<Vec<LinkVisits>> {
    call(&stub(env, company_id)?, "/links/visits", &()).await
}

/// Every client of the chain.
pub async fn list_clients(env: &Env, company_id: &str) -> AppResult<Vec<ClientRecord>> {
    call(&stub(env, company_id)?, "/clients/list", &()).await
}

/// The most clients a search answers.
pub const MAX_FOUND: u32 = 20;

/// Clients of the chain whose name or e-mail contains `text` (Latin letters in any case), or whose phone
/// contains `text`'s digits (three or more), the most recently seen first; at most [`MAX_FOUND`].
/// Erased clients are never found.
pub async fn search_clients(env: &Env, company_id: &str, text: &str) -> AppResult<Vec<ClientRecord>> {
    call(&stub(env, company_id)?, "/clients/search", &serde_json::json!({ "text": text })).await
}

/// A client of the chain with the staff's note, unless unknown or erased.
pub async fn client(env: &Env, company_id: &str, id: &str) -> AppResult<Option<ClientFile>> {
    call(&stub(env, company_id)?, "/clients/get", &serde_json::json!({ "id": id })).await
}

/// Keeps `note` (none: no note) about client `id`; false if there is no such client.
pub async fn set_client_note(env: &Env, company_id: &str, id: &str, note: Option<&str>) -> AppResult<bool> {
    call(&stub(env, company_id)?, "/clients/note", &serde_json::json!({ "id": id, "note": note })).await
}

/// Merges client `merge` into `keep`, one person (see `phones::merge_clients`), and carries it to
/// every location.
pub async fn merge_clients(
    env: &Env,
    company_id: &str,
    merge: &homeslot_core::clients::MergeClients,
) -> AppResult<phones::Merge> {
    call(&stub(env, company_id)?, "/clients/merge", merge).await
}

/// Erases the personal data of the client with this phone (the id stays, anonymous).
pub async fn erase_client(env: &Env, company_id: &str, phone: &str) -> AppResult<u32> {
    call(&stub(env, company_id)?, "/clients/erase", &serde_json::json!({ "phone": phone })).await
}

#[derive(Deserialize)]
struct IdentifyCommand {
    name: String,
    phone: String,
    email: Option<String>,
}

#[derive(Deserialize)]
struct IdCommand {
    id: String,
}

#[derive(Deserialize)]
struct PhoneCommand {
    phone: String,
}

#[derive(Deserialize)]
struct Claim {
    at: i64,
}

#[derive(Deserialize)]
struct ClientMatch {
    id: String,
    email: Option<String>,
}

#[derive(Deserialize)]
struct LabelCommand {
    label: String,
}

#[derive(Deserialize)]
struct HashCommand {
    hash: String,
}

#[derive(Deserialize)]
struct TokenIdCommand {
    token_id: String,
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

#[durable_object]
pub struct CompanyStore {
    state: State,
    env: Env,
    schema: Schema,
    /// Whether this instance has looked at its stored phones' plan (see `store::phones`).
    phones_checked: std::cell::Cell<bool>,
}

#[derive(Deserialize)]
struct CatalogRow {
    document: String,
    version: i64,
}

fn stored(sql: &worker::SqlStorage) -> AppResult<CatalogRow> {
    let rows: Vec<CatalogRow> = sql.exec("SELECT document, version FROM catalog WHERE id = 1", None)?.to_array()?;
    Ok(rows.into_iter().next().ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No such company."))?)
}

/// Stores `company` as the catalog and answers its new version.
fn write(sql: &worker::SqlStorage, company: &Company) -> AppResult<i64> {
    let document = serde_json::to_string(company).map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "INSERT INTO catalog (id, document, updated_at_ms, version) VALUES (1, ?, ?, 1)
         ON CONFLICT (id) DO UPDATE SET document = excluded.document, updated_at_ms = excluded.updated_at_ms,
                                        version = catalog.version + 1",
        vec![document.into(), clock::now_millis().into()],
    )?;
    #[derive(Deserialize)]
    struct Version {
        version: i64,
    }
    for location in &company.locations {
        sql.exec("INSERT OR IGNORE INTO known_locations (id) VALUES (?)", vec![location.id.as_str().into()])?;
    }
    Ok(sql.exec("SELECT version FROM catalog WHERE id = 1", None)?.one::<Version>()?.version)
}

impl DurableObject for CompanyStore {
    fn new(state: State, env: Env) -> Self {
        CompanyStore { state, env, schema: Schema::default(), phones_checked: std::cell::Cell::new(false) }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        answer(self.handle(req)).await
    }

    /// Rewrites stored phones written by older rules and carries the merges to the locations
    /// (see `store::phones`); settles the membership payments a checkout left pending (see
    /// `store::memberships`); hands the locations their morning agenda and has them make Google's
    /// availability snapshots when due; then wakes again for what is left.
    async fn alarm(&self) -> worker::Result<Response> {
        let sql = self.state.storage().sql();
        self.schema.ready(&sql, MIGRATIONS)?;
        let storage = self.state.storage();
        let settle_after = crate::recovery::after_ms(&self.env);
        let mut again = None;
        let mut agenda = None;
        let mut google = None;
        if let Ok(row) = stored(&sql) {
            match crate::store::morning_agenda::run(&self.env, &sql, &row.document).await {
                Ok(next) => agenda = next,
                Err(error) => {
                    worker::console_error!("the morning agenda: {error:?}");
                    agenda = Some(clock::now_millis() + RETRY_ALARM_MS);
                }
            }
            match crate::store::google_feeds::run(&self.env, &sql, &row.document).await {
                Ok(next) => google = next,
                Err(error) => {
                    worker::console_error!("Google's availability snapshots: {error:?}");
                    google = Some(clock::now_millis() + RETRY_ALARM_MS);
                }
            }
            let company: Catalogued = serde_json::from_str(&row.document)
                .map_err(|e| worker::Error::RustError(format!("stored catalog does not parse: {e}")))?;
            if phones::outdated(&sql).unwrap_or(false) {
                let country = company.widget.phone_country.clone();
                let sql = sql.clone();
                let now = clock::now_millis();
                transaction_sync(&storage, move || phones::normalize(&sql, country.as_deref(), now))
                    .map_err(|e| worker::Error::RustError(format!("rewriting stored phones: {e:?}")))?;
            }
            if phones::pending(&sql).unwrap_or(false) {
                let locations = known(&sql)?;
                match phones::propagate(&self.env, &sql, &company.id, &locations).await {
                    Ok(false) => {}
                    Ok(true) => again = Some(clock::now_millis() + RETRY_ALARM_MS),
                    Err(error) => {
                        worker::console_error!("carrying client merges to the locations: {error:?}");
                        again = Some(clock::now_millis() + RETRY_ALARM_MS);
                    }
                }
            }
            let recovered =
                crate::store::memberships::recover(&self.env, &sql, &storage, &company.id, settle_after).await;
            if let Err(error) = recovered {
                worker::console_error!("settling pending payments: {error:?}");
            }
        }
        // A location that could not be reached keeps its payments pending: ask again soon.
        let payments = crate::store::memberships::next_due(&sql, settle_after)?
            .map(|next| next.max(clock::now_millis() + RETRY_ALARM_MS));
        if let Some(next) = again.into_iter().chain(payments).chain(agenda).chain(google).min() {
            storage.set_alarm((next - clock::now_millis()).max(0)).await?;
        }
        Response::empty()
    }
}

/// What the alarm reads of the stored catalog: the company's id (the object is named by it) and
/// the owner's phone country.
#[derive(Deserialize)]
struct Catalogued {
    id: String,
    #[serde(default)]
    widget: homeslot_core::settings::WidgetSettings,
}

/// Every location the catalog ever had.
fn known(sql: &SqlStorage) -> worker::Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Id {
        id: String,
    }
    let ids: Vec<Id> = sql.exec("SELECT id FROM known_locations ORDER BY id", None)?.to_array()?;
    Ok(ids.into_iter().map(|row| row.id).collect())
}

/// How soon the alarm tries again when a payment it should settle is still pending.
const RETRY_ALARM_MS: i64 = 5_000;

impl CompanyStore {
    async fn handle(&self, mut req: Request) -> AppResult<Response> {
        let sql = self.state.storage().sql();
        self.schema.ready(&sql, MIGRATIONS)?;
        if !self.phones_checked.get() {
            // Stored phones written by older rules are rewritten by the alarm, at once.
            if phones::outdated(&sql)? {
                self.wake_by(clock::now_millis()).await?;
            }
            self.phones_checked.set(true);
        }
        match req.path().as_str() {
            "/load" => {
                #[derive(Deserialize)]
                struct Known {
                    known_version: Option<i64>,
                }
                let known: Known = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let row = stored(&sql)?;
                // The stored document is already valid JSON of a `Company`: pass it on as it is.
                let body = if known.known_version == Some(row.version) {
                    format!("{{\"version\":{}}}", row.version)
                } else {
                    format!("{{\"version\":{},\"company\":{}}}", row.version, row.document)
                };
                Ok(http::json_text(body, 200)?)
            }
            "/save" => {
                let company: Company = http::read_command(&mut req, http::MAX_CATALOG_BODY).await?;
                let existed = sql.exec("SELECT count(*) AS n FROM catalog", None)?.one::<Count>()?.n > 0;
                let version = write(&sql, &company)?;
                self.plan_alarm(&sql, Some(&company)).await?;
                let outcome = if existed { Outcome::Replaced } else { Outcome::Created };
                Ok(http::json(&Saved { version, outcome }, 200)?)
            }
            "/edit" => {
                let edit: Edit = http::read_command(&mut req, http::MAX_CATALOG_BODY).await?;
                let row = stored(&sql)?;
                let current: Company = serde_json::from_str(&row.document)
                    .map_err(|e| worker::Error::RustError(format!("stored catalog does not parse: {e}")))?;
                // Read, change and write with no `.await` in between: edits apply one at a time.
                let (company, outcome) = current.edited(&edit)?;
                let version = write(&sql, &company)?;
                self.plan_alarm(&sql, Some(&company)).await?;
                Ok(http::json(&serde_json::json!({ "version": version, "outcome": outcome, "company": company }), 200)?)
            }
            "/clients/identify" => {
                let command: IdentifyCommand = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let now = clock::now_millis();
                let by = |column: &str, value: &str| -> worker::Result<Option<ClientMatch>> {
                    let rows: Vec<ClientMatch> = sql
                        .exec(&format!("SELECT id, email FROM clients WHERE {column} = ?"), vec![value.into()])?
                        .to_array()?;
                    Ok(rows.into_iter().next())
                };
                let found = match by("phone", &command.phone)? {
                    Some(found) => Some(found),
                    None => match &command.email {
                        Some(email) => by("email", email)?,
                        None => None,
                    },
                };
                let id = match found {
                    Some(client) => {
                        let email = client.email.or(command.email);
                        sql.exec(
                            "UPDATE clients SET name = ?, phone = ?, email = ?, updated_at_ms = ? WHERE id = ?",
                            vec![
                                command.name.as_str().into(),
                                command.phone.as_str().into(),
                                email.as_deref().into(),
                                now.into(),
                                client.id.as_str().into(),
                            ],
                        )?;
                        client.id
                    }
                    None => {
                        let id = format!("cl_{}", random_hex()?);
                        sql.exec(
                            "INSERT INTO clients (id, name, phone, email, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                            vec![
                                id.as_str().into(),
                                command.name.as_str().into(),
                                command.phone.as_str().into(),
                                command.email.as_deref().into(),
                                now.into(),
                                now.into(),
                            ],
                        )?;
                        id
                    }
                };
                // The claim and the read in one statement: no other request runs in between.
                let claimed: Vec<Claim> = sql
                    .exec(
                        "UPDATE clients SET first_booked_at_ms = ? WHERE id = ? AND first_booked_at_ms IS NULL
                         RETURNING first_booked_at_ms AS at",
                        vec![now.into(), id.as_str().into()],
                    )?
                    .to_array()?;
                let identity = Identity { client_id: id, first_booking: claimed.first().map(|c| c.at) };
                Ok(http::json(&identity, 200)?)
            }
            "/clients/release-first" => {
                let identity: Identity = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let released: Vec<Claim> = sql
                    .exec(
                        "UPDATE clients SET first_booked_at_ms = NULL WHERE id = ? AND first_booked_at_ms = ?
                         RETURNING 0 AS at",
                        vec![identity.client_id.as_str().into(), identity.first_booking.unwrap_or(-1).into()],
                    )?
                    .to_array()?;
                Ok(http::json(&!released.is_empty(), 200)?)
            }
            "/locations/known" => Ok(http::json(&known(&sql)?, 200)?),
            "/links/visit" => {
                let name: String = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                sql.exec(
                    "INSERT INTO link_visits (name, visits) VALUES (?, 1)
                     ON CONFLICT (name) DO UPDATE SET visits = visits + 1",
                    vec![name.into()],
                )?;
                Ok(http::json(&(), 200)?)
            }
            "/links/visits" => {
                let rows: Vec<LinkVisits> = sql.exec("SELECT name, visits FROM link_visits", None)?.to_array()?;
                Ok(http::json(&rows, 200)?)
            }
            #[cfg(feature = "faults")]
            "/phones/outdated" => {
                phones::mark_outdated(&sql)?;
                // Later than the test's legacy bookings, as a deploy comes after the data.
                self.wake_by(clock::now_millis() + crate::recovery::after_ms(&self.env)).await?;
                Ok(http::json(&true, 200)?)
            }
            "/clients/list" => {
                let clients: Vec<ClientRecord> = sql
                    .exec("SELECT id, name, phone, email, created_at_ms FROM clients ORDER BY created_at_ms, id", None)?
                    .to_array()?;
                Ok(http::json(&clients, 200)?)
            }
            "/clients/search" => {
                #[derive(Deserialize)]
                struct Search {
                    text: String,
                }
                let Search { text } = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                // LIKE's own characters in the text are meant literally (LIKE ignores the case of
                // Latin letters only).
                let literal: String = text
                    .chars()
                    .flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] })
                    .collect();
                let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                let phone = if digits.len() >= 3 { format!("%{digits}%") } else { String::new() };
                let clients: Vec<ClientRecord> = sql
                    .exec(
                        "SELECT id, name, phone, email, created_at_ms FROM clients
                         WHERE phone IS NOT NULL AND (name LIKE ?1 ESCAPE '\\'
                            OR coalesce(email, '') LIKE ?1 ESCAPE '\\' OR (?2 != '' AND phone LIKE ?2))
                         ORDER BY updated_at_ms DESC, id LIMIT ?3",
                        vec![format!("%{literal}%").into(), phone.into(), i64::from(MAX_FOUND).into()],
                    )?
                    .to_array()?;
                Ok(http::json(&clients, 200)?)
            }
            "/clients/get" => {
                let IdCommand { id } = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let found: Vec<ClientFile> = sql
                    .exec(
                        "SELECT id, name, phone, email, created_at_ms, note FROM clients WHERE id = ? AND phone IS NOT NULL",
                        vec![id.into()],
                    )?
                    .to_array()?;
                Ok(http::json(&found.into_iter().next(), 200)?)
            }
            "/clients/note" => {
                #[derive(Deserialize)]
                struct NoteCommand {
                    id: String,
                    note: Option<String>,
                }
                let NoteCommand { id, note } = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                sql.exec(
                    "UPDATE clients SET note = ? WHERE id = ? AND phone IS NOT NULL",
                    vec![note.into(), id.as_str().into()],
                )?;
                let found = sql
                    .exec("SELECT count(*) AS n FROM clients WHERE id = ? AND phone IS NOT NULL", vec![id.into()])?
                    .one::<Count>()?
                    .n;
                Ok(http::json(&(found > 0), 200)?)
            }
            "/clients/merge" => {
                let command: homeslot_core::clients::MergeClients =
                    http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let storage = self.state.storage();
                let (inner, now) = (sql.clone(), clock::now_millis());
                let merge = transaction_sync(&storage, move || {
                    phones::merge_clients(&inner, &command.keep, &command.merge, now)
                })?;
                // Carried to every location now; whatever cannot be reached, by the alarm.
                let company_id: Catalogued = serde_json::from_str(&stored(&sql)?.document)
                    .map_err(|e| worker::Error::RustError(format!("stored catalog does not parse: {e}")))?;
                let left = phones::propagate(&self.env, &sql, &company_id.id, &known(&sql)?).await.unwrap_or(true);
                if left {
                    self.wake_by(clock::now_millis() + RETRY_ALARM_MS).await?;
                }
                Ok(http::json(&merge, 200)?)
            }
            "/clients/erase" => {
                let command: PhoneCommand = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let n = sql
                    .exec("SELECT count(*) AS n FROM clients WHERE phone = ?", vec![command.phone.as_str().into()])?
                    .one::<Count>()?
                    .n;
                #[derive(Deserialize)]
                struct Id {
                    id: String,
                }
                let ids: Vec<Id> = sql
                    .exec("SELECT id FROM clients WHERE phone = ?", vec![command.phone.as_str().into()])?
                    .to_array()?;
                sql.exec(
                    "UPDATE clients SET name = '(erased)', phone = NULL, email = NULL, note = NULL WHERE phone = ?",
                    vec![command.phone.into()],
                )?;
                // What webhooks carried about them goes; their systems hear of the erasure (by
                // the client's id, nothing else).
                let company_id = self.name(&sql)?;
                let mut queued = Vec::new();
                for Id { id } in ids {
                    crate::store::webhooks::erase(&sql, &id)?;
                    let event = crate::store::webhooks::Emitted {
                        source: format!("client:{id}:erased"),
                        r#type: homeslot_core::webhooks::EventType::ClientErased.name().into(),
                        data: serde_json::json!({ "client_id": id }),
                        at_ms: clock::now_millis(),
                    };
                    queued.extend(crate::store::webhooks::made_here(&sql, &company_id, &event)?);
                }
                if let Err(error) = crate::store::webhooks::send(&self.env, &queued).await {
                    worker::console_error!("queueing client.erased: {error:?}");
                }
                Ok(http::json(&(n as u32), 200)?)
            }
            path if path.starts_with("/feeds/") => {
                crate::store::feeds::command(&sql, &path["/feeds/".len()..], &mut req).await
            }
            path if path.starts_with("/webhooks/") => {
                let company_id = self.name(&sql)?;
                crate::store::webhooks::command(&self.env, &sql, &company_id, &path["/webhooks/".len()..], &mut req)
                    .await
            }
            path if path.starts_with("/google-updates/") => {
                crate::store::google_updates::command(&sql, &path["/google-updates/".len()..], &mut req).await
            }
            path if path.starts_with("/mail/") => {
                let answer = crate::store::mail::command(&sql, &path["/mail/".len()..], &mut req).await?;
                if path == "/mail/put" {
                    self.plan_alarm(&sql, None).await?;
                }
                Ok(answer)
            }
            path if path.starts_with("/audit/") => {
                crate::store::audit::command(&sql, &path["/audit/".len()..], &mut req).await
            }
            path if path.starts_with("/staff/") => {
                let exists = sql.exec("SELECT count(*) AS n FROM catalog", None)?.one::<Count>()?.n > 0;
                crate::store::staff::command(&sql, exists, &path["/staff/".len()..], &mut req).await
            }
            path => match (Secret::of_path(path), path.strip_prefix("/memberships/")) {
                (Some((kind, action)), _) => secrets(&sql, kind, action, &mut req).await,
                (None, Some(action)) => {
                    let storage = self.state.storage();
                    let company_id = self.name(&sql)?;
                    let here = crate::store::memberships::Here { env: &self.env, company_id: &company_id };
                    let answer =
                        crate::store::memberships::command(&sql, &storage, here, action, &mut req, clock::now_millis())
                            .await?;
                    if action == "pay" {
                        // After the write, so the check and the debit stay one synchronous step.
                        self.wake_by(clock::now_millis() + crate::recovery::after_ms(&self.env)).await?;
                    }
                    Ok(answer)
                }
                _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
            },
        }
    }
}

impl CompanyStore {
    /// The company's id: the object's name (the runtime gives it to an object reached through a
    /// stub), else the stored catalog's.
    fn name(&self, sql: &SqlStorage) -> AppResult<String> {
        if let Some(name) = self.state.id().name() {
            return Ok(name);
        }
        let row = stored(sql)?;
        let company: Catalogued = serde_json::from_str(&row.document)
            .map_err(|e| worker::Error::RustError(format!("stored catalog does not parse: {e}")))?;
        Ok(company.id)
    }

    /// After the catalog (`changed`) or the mail settings changed: the alarm works out the
    /// morning agenda's next time (a location's clock, the time, or the agenda itself may have
    /// changed), and when Google's availability snapshots are due (a location may just have been
    /// listed).
    async fn plan_alarm(&self, sql: &SqlStorage, changed: Option<&Company>) -> AppResult<()> {
        let google = changed.is_some_and(crate::store::google_feeds::wanted);
        if google || crate::store::morning_agenda::wanted(sql)? {
            self.wake_by(clock::now_millis()).await?;
        }
        Ok(())
    }

    /// Makes sure the alarm goes off by `at_ms` (to settle a pending payment, to rewrite phones).
    async fn wake_by(&self, at_ms: i64) -> worker::Result<()> {
        let storage = self.state.storage();
        match storage.get_alarm().await? {
            Some(set) if set <= at_ms => Ok(()),
            _ => storage.set_alarm((at_ms - clock::now_millis()).max(0)).await,
        }
    }
}

/// The object's commands on one kind of secret: create (shown once), check, list, revoke.
async fn secrets(sql: &SqlStorage, kind: Secret, action: &str, req: &mut Request) -> AppResult<Response> {
    let table = kind.table();
    match action {
        "create" => {
            let command: LabelCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let exists = sql.exec("SELECT count(*) AS n FROM catalog", None)?.one::<Count>()?.n > 0;
            if !exists {
                return Err(ApiError::new(ErrorCode::NotFound, "No such company.").into());
            }
            let token = format!("{}{}", kind.prefix(), random_hex()?);
            let hash = sha256_hex(&token);
            let token_id = hash[..12].to_owned();
            sql.exec(
                &format!("INSERT INTO {table} (id, hash, label, created_at_ms) VALUES (?, ?, ?, ?)"),
                vec![token_id.as_str().into(), hash.into(), command.label.as_str().into(), clock::now_millis().into()],
            )?;
            Ok(http::json(&NewToken { token_id, label: command.label, token }, 200)?)
        }
        "check" => {
            let command: HashCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let n = sql
                .exec(&format!("SELECT count(*) AS n FROM {table} WHERE hash = ?"), vec![command.hash.into()])?
                .one::<Count>()?
                .n;
            Ok(http::json(&(n > 0), 200)?)
        }
        "list" => {
            let tokens: Vec<TokenInfo> = sql
                .exec(
                    &format!("SELECT id AS token_id, label, created_at_ms FROM {table} ORDER BY created_at_ms"),
                    None,
                )?
                .to_array()?;
            Ok(http::json(&tokens, 200)?)
        }
        "revoke" => {
            let command: TokenIdCommand = http::read_command(req, http::MAX_BOOKING_BODY).await?;
            let id = command.token_id.as_str();
            let n = sql
                .exec(&format!("SELECT count(*) AS n FROM {table} WHERE id = ?"), vec![id.into()])?
                .one::<Count>()?
                .n;
            sql.exec(&format!("DELETE FROM {table} WHERE id = ?"), vec![id.into()])?;
            Ok(http::json(&(n > 0), 200)?)
        }
        _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
    }
}
