//! Reserve with Google's feeds ([`homeslot_core::google_feeds`]), served for the operator's upload
//! job under the booking server's path and credentials:
//!
//! - `GET {RESERVE_PATH}/feeds/{company}`: the business's files, with what each holds.
//! - `GET {RESERVE_PATH}/feeds/{company}/merchants.json` and `…/services.json`: read from the
//!   catalog as it is now.
//! - `GET {RESERVE_PATH}/feeds/{company}/availability/{location}.json`: the location's last
//!   availability snapshot (made daily by the company object's alarm, or on demand).
//!
//! Each file is one shard of a complete snapshot. Google replaces everything a partner sent with
//! each complete snapshot, so a deployment of several businesses uploads all their files as the
//! shards of one: the job names each file's `shard_number`, the `total_shards` and one `nonce`
//! in the query. Without them a merchants or services file is shard 0 of 1, and a location's
//! availability is its place among the business's listed locations; the nonce is the UTC date
//! (`YYYYMMDD`).
//!
//! The owner (or the operator) asks for fresh snapshots with
//! `POST /v1/admin/companies/{company}/google-feeds`.

use serde::Serialize;
use worker::{Env, Request, Response};

use homeslot_core::access::Action;
use homeslot_core::availability::{format_instant, local_date, zone};
use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::google_feeds::{self, listed_locations, FeedMetadata, MerchantFeed, ServiceFeed, SnapshotsMade};
use homeslot_core::reserve;

use crate::error::AppResult;
use crate::handlers::admin::authorise;
use crate::handlers::Query;
use crate::store::google_feeds::make_all;
use crate::store::location::google::{self, ShardOf};
use crate::{clock, http, store};

/// Answers `rest`, the path below `{RESERVE_PATH}/feeds/` (the caller checked the credentials).
pub async fn serve(req: &Request, env: &Env, rest: &str) -> AppResult<Response> {
    let parts: Vec<&str> = rest.trim_end_matches('/').split('/').collect();
    let company = match parts.first() {
        Some(id) if !id.is_empty() => store::company::load(env, id).await?,
        _ => return Err(no_such_file()),
    };
    let query = Query::of(req)?;
    let origin = http::origin(req)?;
    match parts[1..] {
        [] => Ok(http::json(&files(&company, &reserve_base(req, rest)), 200)?),
        ["merchants.json"] => {
            let merchant = google_feeds::merchants(&company, &origin);
            Ok(http::json(&MerchantFeed { metadata: metadata(&query, 0, 1)?, merchant }, 200)?)
        }
        ["services.json"] => {
            let service = google_feeds::services(&company, &origin);
            Ok(http::json(&ServiceFeed { metadata: metadata(&query, 0, 1)?, service }, 200)?)
        }
        ["availability", file] => {
            let location_id = file.strip_suffix(".json").ok_or_else(no_such_file)?;
            let listed: Vec<&str> = listed_locations(&company).map(|l| l.id.as_str()).collect();
            let index = listed.iter().position(|id| *id == location_id).ok_or_else(no_such_file)?;
            let shard = metadata(&query, index as i32, listed.len() as i32)?;
            let of =
                ShardOf { shard_number: shard.shard_number, total_shards: shard.total_shards, nonce: shard.nonce.0 };
            match google::read(env, &company.id, location_id, &of).await? {
                Some(feed) => Ok(http::json_text(feed.get().to_string(), 200)?),
                None => Err(ApiError::new(
                    ErrorCode::NotFound,
                    "This location has no availability snapshot yet: ask for one with POST …/google-feeds.",
                )
                .into()),
            }
        }
        _ => Err(no_such_file()),
    }
}

fn no_such_file() -> crate::error::AppError {
    ApiError::new(ErrorCode::NotFound, "No such feed file.").into()
}

/// The file's metadata from the query (`shard_number`, `total_shards`, `nonce`), or the defaults.
fn metadata(query: &Query, shard_number: i32, total_shards: i32) -> Result<FeedMetadata, ApiError> {
    let total = query.number("total_shards", 1..=100_000, total_shards as u32)?;
    let shard = query.number("shard_number", 0..=total.saturating_sub(1), shard_number.min(total as i32 - 1) as u32)?;
    let nonce = match query.get("nonce") {
        Some(text) => text.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ApiError::field(ErrorCode::ValidationFailed, "nonce", "nonce must be a positive whole number.")
        })?,
        None => utc_day(clock::now()),
    };
    Ok(FeedMetadata::complete(shard as i32, total as i32, nonce, clock::now()))
}

/// The UTC date of `at` as a number, `YYYYMMDD`: the default nonce of a day's snapshot.
fn utc_day(at: i64) -> i64 {
    let utc = zone("UTC", "time_zone").expect("UTC is always known");
    local_date(&utc, at).to_string().replace('-', "").parse().unwrap_or(at)
}

/// `{RESERVE_PATH}/feeds/` as the request reached it.
fn reserve_base(req: &Request, rest: &str) -> String {
    let path = req.path();
    let base = path.strip_suffix(rest).unwrap_or(&path);
    format!("{}{base}", http::origin(req).unwrap_or_default())
}

/// A business's feed files.
#[derive(Serialize)]
struct Files {
    company_id: String,
    /// Why a location is not listed, when it is not.
    unlisted: Vec<Unlisted>,
    files: Vec<File>,
}

#[derive(Serialize)]
struct File {
    feed: &'static str,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    merchant_id: Option<String>,
}

#[derive(Serialize)]
struct Unlisted {
    location_id: String,
    missing: Vec<&'static str>,
}

fn files(company: &Company, base: &str) -> Files {
    let at = |file: String| format!("{base}{}/{file}", company.id);
    let mut files = vec![
        File { feed: "merchants", url: at("merchants.json".into()), merchant_id: None },
        File { feed: "services", url: at("services.json".into()), merchant_id: None },
    ];
    for location in listed_locations(company) {
        files.push(File {
            feed: "availability",
            url: at(format!("availability/{}.json", location.id)),
            merchant_id: Some(reserve::merchant_id(&company.id, &location.id)),
        });
    }
    let unlisted = company
        .locations
        .iter()
        .filter(|location| !google_feeds::listed(company, location))
        .map(|location| {
            let missing = google_feeds::missing(company, location);
            Unlisted { location_id: location.id.clone(), missing }
        })
        .collect();
    Files { company_id: company.id.clone(), unlisted, files }
}

/// `POST /v1/admin/companies/{company}/google-feeds`: every listed location makes its
/// availability snapshot now (the owner after changing hours, the operator before an upload).
pub async fn generate(req: &Request, env: &Env, company_id: &str) -> AppResult<Response> {
    authorise(req, env, company_id, Action::EditCompany, None).await?;
    let company = store::company::load(env, company_id).await?;
    if !crate::store::google_feeds::wanted(&company) {
        // An answer about the business's data, not the request's shape.
        return Err(ApiError::field(
            ErrorCode::NotChangeable,
            "business_category",
            "No location is listed on Google: set the business category and each location's full address.",
        )
        .into());
    }
    let started = clock::now_millis();
    let locations = make_all(env, &company).await?;
    let generated_at = format_instant(clock::now());
    Ok(http::json(&SnapshotsMade { generated_at, elapsed_ms: clock::now_millis() - started, locations }, 200)?)
}
