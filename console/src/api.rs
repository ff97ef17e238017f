//! The edge's endpoints as the console uses them: same-origin `fetch` (the session cookie goes
//! with it, and the browser says `Sec-Fetch-Site: same-origin`), JSON in and out with the core's
//! types, and the API's one error shape.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use homeslot_core::accounts::{AcceptInvite, InviteOffer, InviteRequest, Me, NewInvite, SignIn, Staff};

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
