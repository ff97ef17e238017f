//! Console sessions: the cookie that carries one, who is signed in, and the check that a request
//! changing something comes from the console's own pages.
//!
//! The cookie is `__Host-homeslot_session={person_id}.{secret}`: `HttpOnly` (no script reads it),
//! `Secure`, `SameSite=Strict` (no other site's page sends it), `Path=/` and no `Domain` (the
//! `__Host-` prefix makes the browser enforce both). Every state-changing request signed in by the
//! cookie must also say it comes from this origin (`Sec-Fetch-Site: same-origin`, or an `Origin`
//! whose host is this host): a second defence should `SameSite` ever be weakened.

use worker::{Env, Headers, Method, Request};

use homeslot_core::access::{Action, Grant};
use homeslot_core::error::{ApiError, ErrorCode};

use crate::error::AppResult;
use crate::store::person::{self, NewSession, Person, LIFETIME_MS};
use crate::store::staff;

/// The session cookie's name.
pub const COOKIE: &str = "__Host-homeslot_session";

/// Who is asking for something in a business.
#[derive(Debug, Clone)]
pub enum Caller {
    /// The deployment's operator (the platform token).
    Platform,
    /// A company admin token (`hst_…`): an integration, with the owner's rights.
    Token,
    /// A signed-in person with their grant in the business.
    Person { person: Person, grant: Grant },
}

impl Caller {
    /// `Ok` if the caller may do `action` (at `location`), else `403 forbidden`.
    pub fn require(&self, action: Action, location: Option<&str>) -> Result<(), ApiError> {
        match self {
            Caller::Platform | Caller::Token => Ok(()),
            Caller::Person { grant, .. } => grant.require(action, location),
        }
    }

    /// The one specialist whose bookings the caller is narrowed to (a specialist's own id), or
    /// `None` to see every specialist of the locations they may see.
    pub fn own_specialist(&self) -> Option<&str> {
        match self {
            Caller::Platform | Caller::Token => None,
            Caller::Person { grant, .. } => grant.own_specialist(),
        }
    }

    /// Who did something, for the record: `platform`, `token`, or the person's id.
    pub fn actor(&self) -> &str {
        match self {
            Caller::Platform => "platform",
            Caller::Token => "token",
            Caller::Person { person, .. } => &person.person_id,
        }
    }

    /// Who did something, as people read it: a person's name as it is now, "An integration
    /// (admin token)" or "Homeslot" (the operator).
    pub fn display_name(&self) -> String {
        match self {
            Caller::Platform => "Homeslot".into(),
            Caller::Token => "An integration (admin token)".into(),
            Caller::Person { person, .. } => person.name.clone(),
        }
    }
}

/// The `{person_id}.{secret}` of the request's session cookie, if it has one of that shape.
pub fn current(req: &Request) -> Option<(String, String)> {
    let header = req.headers().get("cookie").ok().flatten()?;
    let value = header.split(';').find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))?;
    let (person_id, secret) = value.split_once('.')?;
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex(person_id, 64) && hex(secret, 64)).then(|| (person_id.to_owned(), secret.to_owned()))
}

/// Whether the request carries a session cookie at all (a request with neither a bearer token nor
/// a cookie is simply not signed in).
pub fn has_cookie(req: &Request) -> bool {
    current(req).is_some()
}

fn signed_out() -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, "Please sign in.")
}

/// The signed-in person, or `unauthorized`. A request that changes something must come from this
/// origin (`cross_site_request` otherwise).
pub async fn signed_in(req: &Request, env: &Env) -> AppResult<Person> {
    let (person_id, secret) = current(req).ok_or_else(signed_out)?;
    if !matches!(req.method(), Method::Get | Method::Head) {
        same_origin(req)?;
    }
    person::session(env, &person_id, &secret).await
}

/// The signed-in person with their grant in `company_id`, or `unauthorized` / `forbidden`.
pub async fn member(req: &Request, env: &Env, company_id: &str) -> AppResult<Caller> {
    let person = signed_in(req, env).await?;
    match staff::grant_of(env, company_id, &person.person_id).await? {
        Some(grant) => Ok(Caller::Person { person, grant }),
        None => Err(ApiError::new(ErrorCode::Forbidden, "You are not on this business's staff.").into()),
    }
}

/// `cross_site_request` unless the browser says the request comes from this origin.
pub fn same_origin(req: &Request) -> Result<(), ApiError> {
    let headers = req.headers();
    let get = |name: &str| headers.get(name).ok().flatten();
    let ok = match (get("sec-fetch-site"), get("origin"), get("host")) {
        (Some(site), _, _) => site == "same-origin",
        (None, Some(origin), Some(host)) => origin.split_once("://").is_some_and(|(_, rest)| rest == host),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::CrossSiteRequest,
            "This request did not come from the console's own pages, so nothing was changed.",
        ))
    }
}

/// The session cookie for a new session.
pub fn set_cookie(headers: &Headers, session: &NewSession) -> worker::Result<()> {
    headers.append(
        "set-cookie",
        &format!(
            "{COOKIE}={}.{}; Path=/; Max-Age={}; HttpOnly; Secure; SameSite=Strict",
            session.person_id,
            session.secret,
            LIFETIME_MS / 1000
        ),
    )
}

/// Clears the session cookie.
pub fn clear_cookie(headers: &Headers) -> worker::Result<()> {
    headers.append("set-cookie", &format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"))
}
