//! Every route of the API in one table. Unknown paths and wrong methods get the same JSON error
//! shape as everything else. Routes under `/v1/companies/{company}` load the company once, answer
//! CORS preflights, and carry CORS headers for the company's registered sites.

use worker::{Env, Method, Request, Response};

use crate::error::{AppError, AppResult};
use crate::handlers::{
    admin, admin_catalog, admin_memberships, audit, bookings, calendar, catalog, classes, clients, dates, desk, feeds,
    google_feeds, holds, hosted, links, mail, manage, memberships, reports, reserve, slots, soonest, strings, theme,
    visits, webhooks,
};
use crate::store::company::Secret;
use crate::{console, cors, http, limits, store};
use homeslot_core::catalog::edit::Kind;
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};

/// Answers one `/v1/…` request; errors become JSON error responses here.
pub async fn route(req: Request, env: &Env) -> worker::Result<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    // The console's page, the same shell for every address under /console.
    if method == Method::Get && segments.first() == Some(&"console") {
        return console::page::shell(env).await;
    }
    // The hosted booking page and its QR code: pages for people, not the JSON API.
    if method == Method::Get
        && matches!(segments.as_slice(), ["b" | "qr", _] | ["b" | "qr", _, _] | ["s", _, _] | ["qr", "s", _, _])
    {
        return hosted_route(&req, env, &segments).await;
    }
    // Reserve with Google's booking server, under the operator's base path (when it is on).
    if let Some(rest) = reserve::below(env, &path) {
        let rest = rest.to_string();
        return reserve::route(req, env, &rest).await.or_else(AppError::into_response);
    }
    let answer = match (method.clone(), segments.as_slice()) {
        (Method::Get, ["v1", "health"]) => {
            http::json(&serde_json::json!({"status": "ok"}), 200).map_err(AppError::from)
        }
        (Method::Put, ["v1", "admin", "companies", company]) => admin_catalog::put_company(req, env, company).await,
        (Method::Get, ["v1", "admin", "companies", company]) => admin_catalog::get_company(&req, env, company).await,
        (Method::Patch, ["v1", "admin", "companies", company]) => admin_catalog::patch_company(req, env, company).await,
        (Method::Put, ["v1", "admin", "companies", company, "locations", id]) => {
            admin_catalog::put_item(req, env, company, Kind::Locations, id).await
        }
        (Method::Put, ["v1", "admin", "companies", company, "services", id]) => {
            admin_catalog::put_item(req, env, company, Kind::Services, id).await
        }
        (Method::Put, ["v1", "admin", "companies", company, "specialists", id]) => {
            admin_catalog::put_item(req, env, company, Kind::Specialists, id).await
        }
        (Method::Put, ["v1", "admin", "companies", company, "categories", id]) => {
            admin_catalog::put_item(req, env, company, Kind::Categories, id).await
        }
        (Method::Delete, ["v1", "admin", "companies", company, "locations", id]) => {
            admin_catalog::delete_item(&req, env, company, Kind::Locations, id).await
        }
        (Method::Delete, ["v1", "admin", "companies", company, "services", id]) => {
            admin_catalog::delete_item(&req, env, company, Kind::Services, id).await
        }
        (Method::Delete, ["v1", "admin", "companies", company, "specialists", id]) => {
            admin_catalog::delete_item(&req, env, company, Kind::Specialists, id).await
        }
        (Method::Delete, ["v1", "admin", "companies", company, "categories", id]) => {
            admin_catalog::delete_item(&req, env, company, Kind::Categories, id).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "tokens"]) => {
            admin::create_token(req, env, company, Secret::AdminToken).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "tokens"]) => {
            admin::list_tokens(&req, env, company, Secret::AdminToken).await
        }
        (Method::Delete, ["v1", "admin", "companies", company, "tokens", id]) => {
            admin::revoke_token(&req, env, company, Secret::AdminToken, id).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "app-keys"]) => {
            admin::create_token(req, env, company, Secret::AppKey).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "app-keys"]) => {
            admin::list_tokens(&req, env, company, Secret::AppKey).await
        }
        (Method::Delete, ["v1", "admin", "companies", company, "app-keys", id]) => {
            admin::revoke_token(&req, env, company, Secret::AppKey, id).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "memberships"]) => {
            admin_memberships::list(&req, env, company).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "memberships", "import"]) => {
            admin_memberships::import(req, env, company).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "memberships", number]) => {
            admin_memberships::get(&req, env, company, number).await
        }
        (Method::Put, ["v1", "admin", "companies", company, "memberships", number]) => {
            admin_memberships::put(req, env, company, number).await
        }
        (Method::Patch, ["v1", "admin", "companies", company, "memberships", number]) => {
            admin_memberships::adjust(req, env, company, number).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "locations", location, "bookings"]) => {
            admin::bookings(&req, env, company, location).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "locations", location, "bookings"]) => {
            desk::book(req, env, company, location).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "locations", location, "visits"]) => {
            desk::book_visit(req, env, company, location).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "locations", location, "class-bookings"]) => {
            desk::book_seat(req, env, company, location).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "locations", location, "class-sessions", "cancel"]) => {
            desk::cancel_session(req, env, company, location).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "locations", location, "day"]) => {
            calendar::day(&req, env, company, location).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "locations", location, "report"]) => {
            reports::report(&req, env, company, location).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "locations", location, "bookings", booking]) => {
            desk::open(&req, env, company, location, booking).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "locations", location, "bookings", booking, "move"]) => {
            desk::move_to(req, env, company, location, booking).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "locations", location, "bookings", booking, "cancel"]) => {
            desk::cancel(req, env, company, location, booking).await
        }
        (
            Method::Post,
            ["v1", "admin", "companies", company, "locations", location, "bookings", booking, "attendance"],
        ) => desk::attendance(req, env, company, location, booking).await,
        (Method::Get, ["v1", "admin", "companies", company, "locations", location, "holds"]) => {
            admin::holds(&req, env, company, location).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "export"]) => admin::export(&req, env, company).await,
        (Method::Get, ["v1", "admin", "companies", company, "audit"]) => audit::trail(&req, env, company).await,
        (Method::Get, ["v1", "admin", "companies", company, "webhooks"]) => webhooks::list(&req, env, company).await,
        (Method::Post, ["v1", "admin", "companies", company, "webhooks"]) => webhooks::create(req, env, company).await,
        (Method::Get, ["v1", "admin", "companies", company, "webhooks", endpoint]) => {
            webhooks::get(&req, env, company, endpoint).await
        }
        (Method::Patch, ["v1", "admin", "companies", company, "webhooks", endpoint]) => {
            webhooks::edit(req, env, company, endpoint).await
        }
        (Method::Delete, ["v1", "admin", "companies", company, "webhooks", endpoint]) => {
            webhooks::delete(&req, env, company, endpoint).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "webhooks", endpoint, "secret"]) => {
            webhooks::rotate(&req, env, company, endpoint).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "webhooks", endpoint, "test"]) => {
            webhooks::test(&req, env, company, endpoint).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "webhooks", endpoint, "deliveries"]) => {
            webhooks::deliveries(&req, env, company, endpoint).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "webhooks", endpoint, "replay"]) => {
            webhooks::replay(req, env, company, endpoint).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "mail"]) => mail::get(&req, env, company).await,
        (Method::Put, ["v1", "admin", "companies", company, "mail"]) => mail::put(req, env, company).await,
        (Method::Delete, ["v1", "admin", "companies", company, "mail"]) => mail::delete(&req, env, company).await,
        (Method::Get, ["v1", "admin", "companies", company, "feeds"]) => feeds::list(&req, env, company).await,
        (Method::Post, ["v1", "admin", "companies", company, "feeds"]) => feeds::create(req, env, company).await,
        (Method::Post, ["v1", "admin", "companies", company, "feeds", feed, "rotate"]) => {
            feeds::rotate(&req, env, company, feed).await
        }
        (Method::Delete, ["v1", "admin", "companies", company, "feeds", feed]) => {
            feeds::delete(&req, env, company, feed).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "google-feeds"]) => {
            google_feeds::generate(&req, env, company).await
        }
        (Method::Get, ["v1", "feeds", company, feed, secret]) => feeds::read(&req, env, company, feed, secret).await,
        (Method::Get, ["v1", "admin", "companies", company, "clients"]) => clients::search(&req, env, company).await,
        (Method::Post, ["v1", "admin", "companies", company, "clients", "merge"]) => {
            clients::merge(req, env, company).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "clients", client]) => {
            clients::card(&req, env, company, client).await
        }
        (Method::Put, ["v1", "admin", "companies", company, "clients", client, "note"]) => {
            clients::note(req, env, company, client).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "clients", client, "export"]) => {
            clients::export(&req, env, company, client).await
        }
        (Method::Post, ["v1", "admin", "companies", company, "clients", "erase"]) => {
            admin::erase_client(req, env, company).await
        }
        (Method::Get, ["v1", "admin", "companies", company, "short-links"]) => links::list(&req, env, company).await,
        (Method::Post, ["v1", "admin", "companies", company, "test-bookings", "clear"]) => {
            admin::clear_test_bookings(&req, env, company).await
        }
        (Method::Post, ["v1", "console", "sign-in"]) => console::accounts::sign_in(req, env).await,
        (Method::Post, ["v1", "console", "sign-out"]) => console::accounts::sign_out(&req, env, false).await,
        (Method::Post, ["v1", "console", "sign-out-everywhere"]) => console::accounts::sign_out(&req, env, true).await,
        (Method::Get, ["v1", "console", "me"]) => console::accounts::get_me(&req, env).await,
        (Method::Get, ["v1", "console", "passkeys"]) => console::passkeys::list(&req, env).await,
        (Method::Post, ["v1", "console", "passkeys"]) => console::passkeys::add(req, env).await,
        (Method::Delete, ["v1", "console", "passkeys", id]) => console::passkeys::remove(&req, env, id).await,
        (Method::Post, ["v1", "console", "passkeys", "options"]) => console::passkeys::options(&req, env).await,
        (Method::Post, ["v1", "console", "passkeys", "sign-in-options"]) => {
            console::passkeys::sign_in_options(&req, env).await
        }
        (Method::Post, ["v1", "console", "passkeys", "sign-in"]) => console::passkeys::sign_in(req, env).await,
        (Method::Post, ["v1", "console", "invites", "offer"]) => console::accounts::offer(req, env).await,
        (Method::Post, ["v1", "console", "invites", "accept"]) => console::accounts::accept(req, env).await,
        (Method::Get, ["v1", "console", "companies", company, "staff"]) => {
            console::staff::list(&req, env, company).await
        }
        (Method::Delete, ["v1", "console", "companies", company, "staff", person]) => {
            console::staff::remove(&req, env, company, person).await
        }
        (Method::Post, ["v1", "console", "companies", company, "invites"]) => {
            console::staff::invite(req, env, company).await
        }
        (Method::Delete, ["v1", "console", "companies", company, "invites", id]) => {
            console::staff::revoke_invite(&req, env, company, id).await
        }
        (_, ["v1", "companies", company, rest @ ..]) if is_company_route(rest) => {
            return company_route(req, env, company, rest).await;
        }
        (_, ["v1", "manage", token, rest @ ..])
            if matches!(
                rest,
                [] | ["cancel"] | ["reschedule"] | ["reminders"] | ["calendar.ics"] | ["google-calendar"]
            ) =>
        {
            return manage_route(req, env, token, rest).await;
        }
        (_, segments) if allowed(segments).is_some() => not_allowed(&method, &path, segments),
        _ => Err(AppError::Api(ApiError::new(ErrorCode::NotFound, format!("No API endpoint at {path}.")))),
    };
    answer.or_else(AppError::into_response)
}

/// The methods each path of the API answers, for a `405`'s `Allow` (RFC 9110): the same paths
/// as the match tables of [`route`], `company_route` and `manage_route`, which
/// `e2e/openapi.test.mjs` checks against the OpenAPI document, and this against both. The public
/// paths answer CORS preflights too.
fn allowed(segments: &[&str]) -> Option<&'static str> {
    Some(match segments {
        ["v1", "health"] => "GET",
        ["v1", "admin", "companies", _] => "GET, PUT, PATCH",
        ["v1", "admin", "companies", _, "mail"] => "GET, PUT, DELETE",
        ["v1", "admin", "companies", _, "webhooks"] => "GET, POST",
        ["v1", "admin", "companies", _, "webhooks", _] => "GET, PATCH, DELETE",
        ["v1", "admin", "companies", _, "webhooks", _, "secret" | "test" | "replay"] => "POST",
        ["v1", "admin", "companies", _, "webhooks", _, "deliveries"] => "GET",
        ["v1", "admin", "companies", _, "feeds"] => "GET, POST",
        ["v1", "admin", "companies", _, "google-feeds"] => "POST",
        ["v1", "admin", "companies", _, "feeds", _] => "DELETE",
        ["v1", "admin", "companies", _, "feeds", _, "rotate"] => "POST",
        ["v1", "feeds", _, _, _] => "GET",
        ["v1", "admin", "companies", _, "tokens" | "app-keys"] => "GET, POST",
        ["v1", "admin", "companies", _, "tokens" | "app-keys", _] => "DELETE",
        ["v1", "admin", "companies", _, "export" | "memberships" | "audit"] => "GET",
        // `import` is also a membership's number.
        ["v1", "admin", "companies", _, "memberships", "import"] => "GET, POST, PUT, PATCH",
        ["v1", "admin", "companies", _, "memberships", _] => "GET, PUT, PATCH",
        ["v1", "admin", "companies", _, "locations" | "services" | "specialists" | "categories", _] => "PUT, DELETE",
        ["v1", "admin", "companies", _, "locations", _, "bookings"] => "GET, POST",
        ["v1", "admin", "companies", _, "locations", _, "visits" | "class-bookings"] => "POST",
        ["v1", "admin", "companies", _, "locations", _, "class-sessions", "cancel"] => "POST",
        ["v1", "admin", "companies", _, "locations", _, "holds" | "day" | "report"] => "GET",
        ["v1", "admin", "companies", _, "locations", _, "bookings", _] => "GET",
        ["v1", "admin", "companies", _, "locations", _, "bookings", _, "move" | "cancel" | "attendance"] => "POST",
        ["v1", "admin", "companies", _, "clients"] => "GET",
        // `erase` and `merge` are also a client's id (which none is: 404).
        ["v1", "admin", "companies", _, "clients", "erase" | "merge"] => "GET, POST",
        ["v1", "admin", "companies", _, "clients", _] => "GET",
        ["v1", "admin", "companies", _, "clients", _, "note"] => "PUT",
        ["v1", "admin", "companies", _, "clients", _, "export"] => "GET",
        ["v1", "admin", "companies", _, "test-bookings", "clear"] => "POST",
        ["v1", "admin", "companies", _, "short-links"] => "GET",
        ["v1", "console", "sign-in" | "sign-out" | "sign-out-everywhere"] => "POST",
        ["v1", "console", "me"] => "GET",
        ["v1", "console", "passkeys"] => "GET, POST",
        // `options`, `sign-in-options` and `sign-in` are also a passkey's id.
        ["v1", "console", "passkeys", "options" | "sign-in-options" | "sign-in"] => "POST, DELETE",
        ["v1", "console", "passkeys", _] => "DELETE",
        ["v1", "console", "invites", "offer" | "accept"] => "POST",
        ["v1", "console", "companies", _, "staff"] => "GET",
        ["v1", "console", "companies", _, "staff" | "invites", _] => "DELETE",
        ["v1", "console", "companies", _, "invites"] => "POST",
        ["v1", "companies", _] | ["v1", "companies", _, "theme.css" | "strings"] => "GET, OPTIONS",
        ["v1", "companies", _, "memberships", "check"] => "POST, OPTIONS",
        ["v1", "companies", _, "locations", _, "slots" | "dates" | "soonest" | "visit-slots" | "classes"] => {
            "GET, OPTIONS"
        }
        ["v1", "companies", _, "locations", _, "bookings" | "holds" | "visits" | "class-bookings"] => "POST, OPTIONS",
        ["v1", "manage", _] | ["v1", "manage", _, "calendar.ics" | "google-calendar"] => "GET, OPTIONS",
        ["v1", "manage", _, "cancel" | "reschedule" | "reminders"] => "POST, OPTIONS",
        _ => return None,
    })
}

fn is_company_route(rest: &[&str]) -> bool {
    matches!(
        rest,
        [] | ["theme.css"]
            | ["strings"]
            | ["memberships", "check"]
            | [
                "locations",
                _,
                "slots"
                    | "dates"
                    | "soonest"
                    | "bookings"
                    | "holds"
                    | "visit-slots"
                    | "visits"
                    | "classes"
                    | "class-bookings"
            ]
    )
}

/// The hosted booking page and its QR code: for people, so a refusal is a small page too.
async fn hosted_route(req: &Request, env: &Env, segments: &[&str]) -> worker::Result<Response> {
    // A short link's QR code is `qr/s/{company}/{name}`: the same as `s/…`, drawn.
    let (kind, rest) = match segments {
        ["qr", "s", rest @ ..] => ("qr-s", rest),
        [kind, rest @ ..] => (*kind, rest),
        [] => return hosted::missing(req),
    };
    let (company_id, location) = (rest[0], rest.get(1).copied());
    if let Err(limited) = limits::check(req, env).await {
        return AppError::Api(limited).into_response();
    }
    let company = match store::company::load(env, company_id).await {
        Ok(company) => company,
        Err(AppError::Api(e)) if e.code == ErrorCode::NotFound => return hosted::missing(req),
        Err(e) => return e.into_response(),
    };
    match (kind, location) {
        ("s", Some(name)) => links::follow(req, env, &company, name).await,
        ("qr-s", Some(name)) => links::qr(req, &company, name),
        ("qr", _) => hosted::qr(req, &company, location),
        _ => hosted::page(req, &company, location),
    }
}

async fn company_route(req: Request, env: &Env, company_id: &str, rest: &[&str]) -> worker::Result<Response> {
    let company = match store::company::load(env, company_id).await {
        Ok(company) => company,
        Err(e) => return e.into_response(),
    };
    let origin = match gate(&req, env, &company).await {
        Ok(origin) => origin,
        Err(answered) => return answered,
    };
    // The widget's words carry nothing private: any page may read them, so a site the owner has
    // not registered still gets a widget that can say, in its language, that booking is refused.
    let origin = if rest == ["strings"] { Some("*".to_string()) } else { origin };
    let method = req.method();
    let answer = match (method.clone(), rest) {
        (Method::Get, []) => catalog::get(&req, env, &company).await,
        (Method::Get, ["theme.css"]) => theme::stylesheet(&req, &company),
        (Method::Get, ["strings"]) => strings::get(&req, &company),
        (Method::Get, ["locations", location, "slots"]) => slots::list(&req, env, &company, location).await,
        (Method::Get, ["locations", location, "dates"]) => dates::list(&req, env, &company, location).await,
        (Method::Get, ["locations", location, "soonest"]) => soonest::list(&req, env, &company, location).await,
        (Method::Post, ["locations", location, "bookings"]) => bookings::create(req, env, &company, location).await,
        (Method::Post, ["locations", location, "holds"]) => holds::create(req, env, &company, location).await,
        (Method::Get, ["locations", location, "visit-slots"]) => visits::slots(&req, env, &company, location).await,
        (Method::Post, ["locations", location, "visits"]) => visits::create(req, env, &company, location).await,
        (Method::Get, ["locations", location, "classes"]) => classes::sessions(&req, env, &company, location).await,
        (Method::Post, ["locations", location, "class-bookings"]) => classes::book(req, env, &company, location).await,
        (Method::Post, ["memberships", "check"]) => memberships::check(req, env, &company).await,
        _ => {
            let path = req.path();
            let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
            not_allowed(&method, &path, &segments)
        }
    };
    cors::apply(answer.or_else(AppError::into_response)?, origin.as_deref())
}

/// A client's own booking through their manage link. The company comes from the token; CORS
/// follows that company's registered sites like every company route.
async fn manage_route(req: Request, env: &Env, token: &str, rest: &[&str]) -> worker::Result<Response> {
    let token = match manage::parse(token) {
        Ok(token) => token,
        Err(e) => return AppError::Api(e).into_response(),
    };
    let company = match store::company::load(env, token.company_id).await {
        Ok(company) => company,
        // An unknown company reads like any other bad link.
        Err(AppError::Api(e)) if e.code == ErrorCode::NotFound => {
            return AppError::Api(ApiError::new(ErrorCode::NotFound, "No booking for this link.")).into_response();
        }
        Err(e) => return e.into_response(),
    };
    let origin = match gate(&req, env, &company).await {
        Ok(origin) => origin,
        Err(answered) => return answered,
    };
    let method = req.method();
    let answer = match (method.clone(), rest) {
        (Method::Get, []) => manage::view(env, &company, &token).await,
        (Method::Post, ["cancel"]) => manage::cancel(&req, env, &company, &token).await,
        (Method::Post, ["reschedule"]) => manage::reschedule(req, env, &company, &token).await,
        (Method::Post, ["reminders"]) => manage::reminders(req, env, &company, &token).await,
        (Method::Get, ["calendar.ics"]) => manage::calendar(&req, env, &company, &token, false).await,
        (Method::Get, ["google-calendar"]) => manage::calendar(&req, env, &company, &token, true).await,
        _ => {
            let path = req.path();
            let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
            not_allowed(&method, "this manage link", &segments)
        }
    };
    cors::apply(answer.or_else(AppError::into_response)?, origin.as_deref())
}

/// What every public route does before its handler: finds which of the company's registered
/// sites is asking (CORS), answers preflights, and applies the rate limit (a `429` keeps the CORS
/// headers, so the widget can read it). `Ok` is the origin to echo on the handler's answer; `Err`
/// is the finished answer.
async fn gate(req: &Request, env: &Env, company: &Company) -> Result<Option<String>, worker::Result<Response>> {
    let origin = cors::allowed_origin(req, company);
    let early = if req.method() == Method::Options {
        cors::preflight(origin.is_some())
    } else if let Err(limited) = limits::check(req, env).await {
        AppError::Api(limited).into_response()
    } else {
        return Ok(origin);
    };
    Err(early.and_then(|response| cors::apply(response, origin.as_deref())))
}

/// `405 method_not_allowed` for a path that exists, with `Allow` naming the methods it answers.
fn not_allowed(method: &Method, path: &str, segments: &[&str]) -> AppResult<Response> {
    let error = ApiError::new(ErrorCode::MethodNotAllowed, format!("{} is not allowed on {path}.", method.as_ref()));
    let response = AppError::Api(error).into_response()?;
    if let Some(methods) = allowed(segments) {
        response.headers().set("allow", methods)?;
    }
    Ok(response)
}
