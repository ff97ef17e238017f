//! The person object: one per console account, named by the account's [`person_id`] (the SHA-256
//! of its e-mail), holding the password's Argon2id hash, the person's sessions and the businesses
//! they belong to. Which role they have in a business is the business's to say (`store::staff`);
//! this object only knows who they are.
//!
//! A session is a random secret in an `HttpOnly` cookie; only its SHA-256 is stored. Sessions end
//! after [`IDLE_MS`] unused or [`LIFETIME_MS`] after sign-in, whichever comes first.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use worker::{durable_object, DurableObject, Env, Request, Response, SqlStorage, State};

use homeslot_core::error::{ApiError, ErrorCode};

use crate::console::webauthn;
use crate::error::AppResult;
use crate::store::{answer, call, migrations::Schema, random_hex, sha256_hex};
use crate::{clock, http};

/// Applied in order, each once; append only.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE account (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        person_id TEXT NOT NULL,
        email TEXT NOT NULL,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL
    )",
    "CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        created_at_ms INTEGER NOT NULL,
        last_seen_ms INTEGER NOT NULL
    )",
    "CREATE TABLE sign_in_failures (at_ms INTEGER NOT NULL)",
    "CREATE TABLE businesses (
        company_id TEXT PRIMARY KEY,
        added_at_ms INTEGER NOT NULL
    )",
    // The person's passkeys: the credential's id (base64url) and its P-256 public key (the
    // uncompressed point, base64url), with the authenticator's signature counter.
    "CREATE TABLE passkeys (
        id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        sign_count INTEGER NOT NULL,
        name TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        last_used_at_ms INTEGER
    )",
    // Registration challenges given out, and sign-in challenges used (each works once), until
    // they expire.
    "CREATE TABLE challenges (
        hash TEXT PRIMARY KEY,
        purpose TEXT NOT NULL,
        expires_at_ms INTEGER NOT NULL
    )",
];

/// A session unused this long has ended (14 days).
pub const IDLE_MS: i64 = 14 * 24 * 3600 * 1000;
/// A session ends this long after its sign-in, used or not (30 days).
pub const LIFETIME_MS: i64 = 30 * 24 * 3600 * 1000;
/// Failed sign-ins an account takes within [`LOCKOUT_WINDOW_MS`] before it refuses to try more.
pub const MAX_FAILURES: i64 = 5;
/// The window of [`MAX_FAILURES`] (15 minutes): an account locked by guessing opens again when
/// its oldest failure in the window is older than this.
pub const LOCKOUT_WINDOW_MS: i64 = 15 * 60 * 1000;
/// How often a session's last use is written: reading a session is then (nearly) write-free.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// The id of the account for this (normalized) e-mail, which also names its object.
pub fn person_id(email: &str) -> String {
    sha256_hex(email)
}

/// Argon2id as OWASP's password storage cheat sheet recommends: 19 MiB of memory, 2 passes, one
/// lane. (PBKDF2 through WebCrypto is capped at 100,000 iterations on workerd, below the 600,000
/// OWASP asks of it.) Its CPU time per sign-in is in docs/console.md.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("constant Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of `password` with a fresh random salt.
fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::encode_b64(random_hex()?.as_bytes()).map_err(|e| worker::Error::RustError(e.to_string()))?;
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| worker::Error::RustError(e.to_string()))?
        .to_string())
}

/// Whether `password` matches the stored PHC string (its own parameters are read from it, so
/// hashes made with older parameters still verify).
fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of nothing, verified when no account exists, so a sign-in for an unknown e-mail takes
/// as long as one with a wrong password.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$ZGVjb3lzYWx0ZGVjb3lzYWx0$1vbtf+D4sfpdQw9M8ts3TAulA1wDZU7C3tWUTzcr1Ns";

/// Who a session belongs to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Person {
    pub person_id: String,
    pub email: String,
    pub name: String,
    /// The businesses the person has joined (their role in each is the business's to say).
    pub businesses: Vec<String>,
}

/// A new session's secret: the only time it exists outside the cookie.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewSession {
    pub person_id: String,
    pub secret: String,
}

fn stub(env: &Env, person_id: &str) -> AppResult<worker::Stub> {
    Ok(env.durable_object("PERSON")?.id_from_name(person_id)?.get_stub()?)
}

/// Creates the account for `email` with `password`, or, if it exists, checks the password is its
/// own (accepting an invite with an existing e-mail needs its password, never sets a new one).
pub async fn register(env: &Env, email: &str, name: &str, password: &str) -> AppResult<String> {
    let command = serde_json::json!({ "email": email, "name": name, "password": password });
    call(&stub(env, &person_id(email))?, "/register", &command).await
}

/// Signs in with e-mail and password: a new session, or `invalid_credentials` (the same for an
/// unknown e-mail), or `rate_limited` once the account has taken [`MAX_FAILURES`] wrong passwords.
pub async fn sign_in(env: &Env, email: &str, password: &str) -> AppResult<NewSession> {
    call(&stub(env, &person_id(email))?, "/sign-in", &serde_json::json!({ "password": password })).await
}

/// A new session for a person who has just proved who they are (by accepting an invite).
pub async fn open_session(env: &Env, person_id: &str) -> AppResult<NewSession> {
    call(&stub(env, person_id)?, "/sessions/open", &()).await
}

/// The person whose session this is, or `unauthorized`.
pub async fn session(env: &Env, person_id: &str, secret: &str) -> AppResult<Person> {
    call(&stub(env, person_id)?, "/sessions/check", &serde_json::json!({ "hash": sha256_hex(secret) })).await
}

/// Ends one session (`everywhere`: every session of the person, if this one is valid).
pub async fn sign_out(env: &Env, person_id: &str, secret: &str, everywhere: bool) -> AppResult<bool> {
    let command = serde_json::json!({ "hash": sha256_hex(secret), "everywhere": everywhere });
    call(&stub(env, person_id)?, "/sessions/close", &command).await
}

/// Records that the person joined (`joined`) or left a business, for their list of businesses.
pub async fn set_business(env: &Env, person_id: &str, company_id: &str, joined: bool) -> AppResult<bool> {
    let command = serde_json::json!({ "company_id": company_id, "joined": joined });
    call(&stub(env, person_id)?, "/businesses", &command).await
}

/// A passkey as its owner sees it listed (never its key).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PasskeyInfo {
    pub id: String,
    pub name: String,
    pub created_at_ms: i64,
    pub last_used_at_ms: Option<i64>,
}

/// What registering a passkey needs from the person's object: a fresh challenge, and the
/// passkeys they have (so the browser does not make a second one on the same authenticator).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Enrolment {
    pub challenge: String,
    pub existing: Vec<String>,
}

/// A new registration challenge for the person.
pub async fn passkey_challenge(env: &Env, person_id: &str) -> AppResult<Enrolment> {
    call(&stub(env, person_id)?, "/passkeys/challenge", &()).await
}

/// Stores a new passkey whose registration answered `challenge` (which must be the person's,
/// unexpired and unused).
pub async fn add_passkey(env: &Env, person_id: &str, passkey: &serde_json::Value) -> AppResult<PasskeyInfo> {
    call(&stub(env, person_id)?, "/passkeys/add", passkey).await
}

/// The person's passkeys.
pub async fn passkeys(env: &Env, person_id: &str) -> AppResult<Vec<PasskeyInfo>> {
    call(&stub(env, person_id)?, "/passkeys/list", &()).await
}

/// Removes one of the person's passkeys; whether it was theirs.
pub async fn remove_passkey(env: &Env, person_id: &str, id: &str) -> AppResult<bool> {
    call(&stub(env, person_id)?, "/passkeys/remove", &serde_json::json!({ "id": id })).await
}

/// Signs in with a passkey's assertion: the object checks the signature with the key it holds,
/// the counter and that the challenge was not used before, then opens a session.
pub async fn passkey_sign_in(env: &Env, person_id: &str, assertion: &serde_json::Value) -> AppResult<NewSession> {
    call(&stub(env, person_id)?, "/passkeys/sign-in", assertion).await
}

#[derive(Deserialize)]
struct AddPasskey {
    challenge: String,
    id: String,
    public_key: String,
    sign_count: u32,
    name: String,
}

#[derive(Deserialize)]
struct Assertion {
    id: String,
    /// The challenge's hash and its expiry (checked by the Worker: ours, not expired).
    challenge_hash: String,
    challenge_expires_at_ms: i64,
    /// `authenticatorData ‖ SHA-256(clientDataJSON)`, base64url: what the authenticator signed.
    signed: String,
    signature: String,
    sign_count: u32,
}

#[derive(Deserialize)]
struct PasskeyRow {
    public_key: String,
    sign_count: i64,
}

#[derive(Deserialize)]
struct RegisterCommand {
    email: String,
    name: String,
    password: String,
}

#[derive(Deserialize)]
struct PasswordCommand {
    password: String,
}

#[derive(Deserialize)]
struct CloseCommand {
    hash: String,
    everywhere: bool,
}

#[derive(Deserialize)]
struct BusinessCommand {
    company_id: String,
    joined: bool,
}

#[derive(Deserialize)]
struct HashCommand {
    hash: String,
}

#[derive(Deserialize)]
struct Account {
    person_id: String,
    email: String,
    name: String,
    password_hash: String,
}

#[derive(Deserialize)]
struct SessionRow {
    created_at_ms: i64,
    last_seen_ms: i64,
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

fn account(sql: &SqlStorage) -> worker::Result<Option<Account>> {
    let rows: Vec<Account> =
        sql.exec("SELECT person_id, email, name, password_hash FROM account WHERE id = 1", None)?.to_array()?;
    Ok(rows.into_iter().next())
}

fn businesses(sql: &SqlStorage) -> worker::Result<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        company_id: String,
    }
    let rows: Vec<Row> =
        sql.exec("SELECT company_id FROM businesses ORDER BY added_at_ms, company_id", None)?.to_array()?;
    Ok(rows.into_iter().map(|row| row.company_id).collect())
}

/// A new session of this account: 256 random bits, only their hash kept.
fn new_session(sql: &SqlStorage, person_id: &str, now: i64) -> AppResult<NewSession> {
    let secret = format!("{}{}", random_hex()?, random_hex()?);
    sql.exec(
        "INSERT INTO sessions (hash, created_at_ms, last_seen_ms) VALUES (?, ?, ?)",
        vec![sha256_hex(&secret).into(), now.into(), now.into()],
    )?;
    Ok(NewSession { person_id: person_id.to_owned(), secret })
}

fn unauthorized() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "Your session has ended. Please sign in again.")
}

/// The one answer to a wrong e-mail or password, whichever it was.
pub fn wrong_credentials() -> ApiError {
    ApiError::new(ErrorCode::InvalidCredentials, "That e-mail and password do not match an account.")
}

#[durable_object]
pub struct PersonStore {
    state: State,
    schema: Schema,
}

impl DurableObject for PersonStore {
    fn new(state: State, _env: Env) -> Self {
        PersonStore { state, schema: Schema::default() }
    }

    async fn fetch(&self, req: Request) -> worker::Result<Response> {
        answer(self.handle(req)).await
    }
}

impl PersonStore {
    async fn handle(&self, mut req: Request) -> AppResult<Response> {
        let sql = self.state.storage().sql();
        self.schema.ready(&sql, MIGRATIONS)?;
        let now = clock::now_millis();
        match req.path().as_str() {
            "/register" => {
                let command: RegisterCommand = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                if let Some(existing) = account(&sql)? {
                    if !verify_password(&command.password, &existing.password_hash) {
                        return Err(ApiError::field(
                            ErrorCode::InvalidCredentials,
                            "password",
                            "This e-mail already has an account: give its password to accept the invite.",
                        )
                        .into());
                    }
                    return Ok(http::json(&existing.person_id, 200)?);
                }
                let id = person_id(&command.email);
                let hash = hash_password(&command.password)?;
                sql.exec(
                    "INSERT INTO account (id, person_id, email, name, password_hash, created_at_ms) VALUES (1, ?, ?, ?, ?, ?)",
                    vec![id.as_str().into(), command.email.into(), command.name.into(), hash.into(), now.into()],
                )?;
                Ok(http::json(&id, 200)?)
            }
            "/sign-in" => {
                let command: PasswordCommand = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                sql.exec("DELETE FROM sign_in_failures WHERE at_ms <= ?", vec![(now - LOCKOUT_WINDOW_MS).into()])?;
                let failures = sql.exec("SELECT count(*) AS n FROM sign_in_failures", None)?.one::<Count>()?.n;
                if failures >= MAX_FAILURES {
                    // Checked before any hashing: guessing at a locked account costs us nothing.
                    return Err(ApiError::new(
                        ErrorCode::RateLimited,
                        "Too many wrong passwords for this account. Please wait 15 minutes and try again.",
                    )
                    .into());
                }
                let Some(existing) = account(&sql)? else {
                    verify_password(&command.password, DECOY_HASH);
                    return Err(wrong_credentials().into());
                };
                if !verify_password(&command.password, &existing.password_hash) {
                    sql.exec("INSERT INTO sign_in_failures (at_ms) VALUES (?)", vec![now.into()])?;
                    return Err(wrong_credentials().into());
                }
                sql.exec("DELETE FROM sign_in_failures", None)?;
                Ok(http::json(&new_session(&sql, &existing.person_id, now)?, 200)?)
            }
            "/sessions/open" => {
                let existing = account(&sql)?.ok_or_else(unauthorized)?;
                Ok(http::json(&new_session(&sql, &existing.person_id, now)?, 200)?)
            }
            "/sessions/check" => {
                let command: HashCommand = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let rows: Vec<SessionRow> = sql
                    .exec(
                        "SELECT created_at_ms, last_seen_ms FROM sessions WHERE hash = ?",
                        vec![command.hash.as_str().into()],
                    )?
                    .to_array()?;
                let Some(session) = rows.into_iter().next() else { return Err(unauthorized().into()) };
                if now - session.last_seen_ms > IDLE_MS || now - session.created_at_ms > LIFETIME_MS {
                    sql.exec("DELETE FROM sessions WHERE hash = ?", vec![command.hash.into()])?;
                    return Err(unauthorized().into());
                }
                if now - session.last_seen_ms > TOUCH_EVERY_MS {
                    sql.exec(
                        "UPDATE sessions SET last_seen_ms = ? WHERE hash = ?",
                        vec![now.into(), command.hash.into()],
                    )?;
                }
                let existing = account(&sql)?.ok_or_else(unauthorized)?;
                let person = Person {
                    person_id: existing.person_id,
                    email: existing.email,
                    name: existing.name,
                    businesses: businesses(&sql)?,
                };
                Ok(http::json(&person, 200)?)
            }
            "/sessions/close" => {
                let command: CloseCommand = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let known = sql
                    .exec("SELECT count(*) AS n FROM sessions WHERE hash = ?", vec![command.hash.as_str().into()])?
                    .one::<Count>()?
                    .n
                    > 0;
                if command.everywhere && known {
                    sql.exec("DELETE FROM sessions", None)?;
                } else {
                    sql.exec("DELETE FROM sessions WHERE hash = ?", vec![command.hash.into()])?;
                }
                Ok(http::json(&known, 200)?)
            }
            "/businesses" => {
                let command: BusinessCommand = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                if command.joined {
                    sql.exec(
                        "INSERT OR IGNORE INTO businesses (company_id, added_at_ms) VALUES (?, ?)",
                        vec![command.company_id.into(), now.into()],
                    )?;
                } else {
                    sql.exec("DELETE FROM businesses WHERE company_id = ?", vec![command.company_id.into()])?;
                }
                Ok(http::json(&true, 200)?)
            }
            "/passkeys/challenge" => {
                account(&sql)?.ok_or_else(unauthorized)?;
                sql.exec("DELETE FROM challenges WHERE expires_at_ms < ?", vec![now.into()])?;
                let challenge = webauthn::encode(format!("{}{}", random_hex()?, random_hex()?).as_bytes());
                sql.exec(
                    "INSERT INTO challenges (hash, purpose, expires_at_ms) VALUES (?, 'register', ?)",
                    vec![sha256_hex(&challenge).into(), (now + webauthn::CHALLENGE_MS).into()],
                )?;
                #[derive(Deserialize)]
                struct Id {
                    id: String,
                }
                let ids: Vec<Id> = sql.exec("SELECT id FROM passkeys ORDER BY created_at_ms", None)?.to_array()?;
                Ok(http::json(&Enrolment { challenge, existing: ids.into_iter().map(|row| row.id).collect() }, 200)?)
            }
            "/passkeys/add" => {
                let command: AddPasskey = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let used: Vec<serde_json::Value> = sql
                    .exec(
                        "DELETE FROM challenges WHERE hash = ? AND purpose = 'register' AND expires_at_ms >= ? RETURNING hash",
                        vec![sha256_hex(&command.challenge).into(), now.into()],
                    )?
                    .to_array()?;
                if used.is_empty() {
                    return Err(ApiError::new(
                        ErrorCode::InvalidCredentials,
                        "This passkey could not be added: it answered no challenge of ours, or too late. Try again.",
                    )
                    .into());
                }
                let taken: Vec<serde_json::Value> =
                    sql.exec("SELECT id FROM passkeys WHERE id = ?", vec![command.id.as_str().into()])?.to_array()?;
                if !taken.is_empty() {
                    return Err(ApiError::new(ErrorCode::InUse, "This passkey is already added.").into());
                }
                sql.exec(
                    "INSERT INTO passkeys (id, public_key, sign_count, name, created_at_ms) VALUES (?, ?, ?, ?, ?)",
                    vec![
                        command.id.as_str().into(),
                        command.public_key.into(),
                        (command.sign_count as i64).into(),
                        command.name.as_str().into(),
                        now.into(),
                    ],
                )?;
                let info =
                    PasskeyInfo { id: command.id, name: command.name, created_at_ms: now, last_used_at_ms: None };
                Ok(http::json(&info, 200)?)
            }
            "/passkeys/list" => {
                let rows: Vec<PasskeyInfo> = sql
                    .exec("SELECT id, name, created_at_ms, last_used_at_ms FROM passkeys ORDER BY created_at_ms", None)?
                    .to_array()?;
                Ok(http::json(&rows, 200)?)
            }
            "/passkeys/remove" => {
                #[derive(Deserialize)]
                struct Remove {
                    id: String,
                }
                let command: Remove = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let removed: Vec<serde_json::Value> =
                    sql.exec("DELETE FROM passkeys WHERE id = ? RETURNING id", vec![command.id.into()])?.to_array()?;
                Ok(http::json(&!removed.is_empty(), 200)?)
            }
            "/passkeys/sign-in" => {
                let command: Assertion = http::read_command(&mut req, http::MAX_BOOKING_BODY).await?;
                let refused = || {
                    ApiError::new(
                        ErrorCode::InvalidCredentials,
                        "This passkey could not be used. Try again, or use your password.",
                    )
                };
                let existing = account(&sql)?.ok_or_else(refused)?;
                let rows: Vec<PasskeyRow> = sql
                    .exec("SELECT public_key, sign_count FROM passkeys WHERE id = ?", vec![command.id.as_str().into()])?
                    .to_array()?;
                let passkey = rows.into_iter().next().ok_or_else(refused)?;
                let point = webauthn::decode(&passkey.public_key, "the stored key")?;
                let signed = webauthn::decode(&command.signed, "the signed data")?;
                let signature = webauthn::decode(&command.signature, "the signature")?;
                if !webauthn::verify_es256(&point, &signed, &signature).await? {
                    return Err(refused().into());
                }
                // After the only `.await`: the checks and writes below run as one step.
                // A counter that does not move forward means a copied authenticator.
                let stored = passkey.sign_count;
                if (stored != 0 || command.sign_count != 0) && i64::from(command.sign_count) <= stored {
                    return Err(refused().into());
                }
                sql.exec("DELETE FROM challenges WHERE expires_at_ms < ?", vec![now.into()])?;
                let fresh: Vec<serde_json::Value> = sql
                    .exec(
                        "INSERT INTO challenges (hash, purpose, expires_at_ms) VALUES (?, 'signed-in', ?)
                         ON CONFLICT (hash) DO NOTHING RETURNING hash",
                        vec![command.challenge_hash.into(), command.challenge_expires_at_ms.into()],
                    )?
                    .to_array()?;
                if fresh.is_empty() {
                    return Err(refused().into());
                }
                sql.exec(
                    "UPDATE passkeys SET sign_count = ?, last_used_at_ms = ? WHERE id = ?",
                    vec![(command.sign_count as i64).into(), now.into(), command.id.into()],
                )?;
                Ok(http::json(&new_session(&sql, &existing.person_id, now)?, 200)?)
            }
            _ => Err(ApiError::new(ErrorCode::NotFound, "Unknown store command.").into()),
        }
    }
}
