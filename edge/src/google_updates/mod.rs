//! Real-time updates to Google: the webhook queue's consumer hands it the deliveries of endpoint
//! `google` (`store::google_updates`). Each is claimed in the company object, made (an
//! availability update now, from the location's free slots of its date), sent to Google's Maps
//! Booking API at `GOOGLE_API_URL` with the service account's token (`oauth`), and reported;
//! the company object says whether and when to try again (the webhooks' schedule).

pub mod oauth;

use std::time::Duration;

use futures_util::future::{join_all, select, Either};
use serde_json::Value;
use worker::{Env, Headers, Message, MessageExt, Method, QueueRetryOptionsBuilder, RequestInit, RequestRedirect};

use homeslot_core::availability::{day_bounds, parse_date, zone};
use homeslot_core::google_feeds;
use homeslot_core::google_updates::{replace, replace_path};
use homeslot_core::reserve;

use crate::error::AppResult;
use crate::store;
use crate::store::google_updates::{self as log, Claim, Settings, Tried, Update, Verdict};
use crate::store::location::google::{self as location_google, DayOf};
use crate::store::webhooks::Queued;

/// How long Google has to answer.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The API's address: Google's unless the operator names another (its sandbox, a test receiver).
fn api_url(env: &Env) -> String {
    let url = env
        .var("GOOGLE_API_URL")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "https://mapsbooking.googleapis.com".into());
    url.trim_end_matches('/').to_string()
}

/// One company's updates of a batch: claimed, sent at once, reported, then each acked or put back
/// on the queue for its next attempt.
pub async fn deliver(env: &Env, company_id: &str, items: &[(Message<Value>, Queued)]) {
    let Some(settings) = log::settings(env) else {
        // Turned off since they were queued: nothing to send them to.
        return items.iter().for_each(|(message, _)| message.ack());
    };
    let queued: Vec<Queued> = items.iter().map(|(_, q)| q.clone()).collect();
    let claims = match log::claim(env, company_id, &queued).await {
        Ok(claims) if claims.len() == items.len() => claims,
        other => {
            worker::console_error!("claiming Google updates of {company_id}: {:?}", other.err());
            return items.iter().for_each(|(message, _)| message.retry());
        }
    };
    let attempts = queued.iter().zip(claims).map(|(queued, claim)| {
        let settings = &settings;
        async move {
            match claim {
                Claim::Granted(update) => match attempt(env, settings, company_id, &update).await {
                    Ok((status, error)) => Some(Tried { queued: queued.clone(), status, error }),
                    Err(error) => {
                        Some(Tried { queued: queued.clone(), status: None, error: Some(format!("{error:?}")) })
                    }
                },
                Claim::Wait | Claim::Void => None,
            }
        }
    });
    let tried: Vec<Option<Tried>> = join_all(attempts).await;
    let reported: Vec<Tried> = tried.iter().flatten().cloned().collect();
    let mut verdicts = if reported.is_empty() {
        Vec::new().into_iter()
    } else {
        match log::tried(env, company_id, &reported).await {
            Ok(verdicts) if verdicts.len() == reported.len() => verdicts.into_iter(),
            other => {
                worker::console_error!("recording Google updates of {company_id}: {:?}", other.err());
                return items.iter().for_each(|(message, _)| message.retry());
            }
        }
    };
    for ((message, _), attempt) in items.iter().zip(tried) {
        match attempt.and_then(|_| verdicts.next()) {
            Some(Verdict::Retry { after_s }) => {
                let after_s = crate::webhooks::retry_seconds(env).unwrap_or(after_s);
                message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(after_s).build());
            }
            _ => message.ack(),
        }
    }
}

/// Makes and sends one update: Google's status, or why no answer came.
async fn attempt(
    env: &Env,
    settings: &Settings,
    company_id: &str,
    update: &Update,
) -> AppResult<(Option<u16>, Option<String>)> {
    // The token first: without it nothing is made in vain.
    let token = match oauth::token(env).await {
        Ok(token) => token,
        Err(why) => return Ok((None, Some(format!("no access token: {why}")))),
    };
    let (method, path, body) = match update {
        Update::Booking { path, body } => (Method::Patch, path.clone(), body.clone()),
        Update::Availability { location_id, date } => {
            let company = store::company::load(env, company_id).await?;
            let Some(location) = company.location(location_id).filter(|l| google_feeds::listed(&company, l)) else {
                // No longer on Google: the next feed leaves it out.
                return Ok((Some(204), None));
            };
            let plan = store::google_feeds::plan(&company, location);
            let clock = zone(&location.time_zone, "time_zone")?;
            let bounds = day_bounds(&clock, parse_date(date, "date")?);
            let day = DayOf { plan: plan.clone(), date: date.clone() };
            let slots = location_google::day(env, company_id, location_id, &day).await?;
            let services: Vec<String> = plan
                .services
                .iter()
                .map(|s| s.service_id.clone())
                .chain(plan.classes.iter().map(|c| c.class.service_id.clone()))
                .collect();
            let merchant_id = reserve::merchant_id(company_id, location_id);
            let body = serde_json::to_string(&replace(&merchant_id, &services, bounds, &slots))
                .map_err(|e| worker::Error::RustError(e.to_string()))?;
            (Method::Post, replace_path(&settings.partner_id), body)
        }
    };
    match send(&format!("{}/{path}", api_url(env)), method, &token, &body).await {
        Ok(status) => Ok((Some(status), None)),
        Err(why) => Ok((None, Some(why))),
    }
}

/// Sends an update: Google's status, or why none came. Redirects are not followed.
async fn send(url: &str, method: Method, token: &str, body: &str) -> Result<u16, String> {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| e.to_string());
    set("content-type", "application/json")?;
    set("authorization", &format!("Bearer {token}"))?;
    set("user-agent", "Homeslot-Reserve/1")?;
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers).with_body(Some(body.into())).with_redirect(RequestRedirect::Manual);
    let request = worker::Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
    let fetch = Box::pin(async move {
        let response = worker::Fetch::Request(request).send().await.map_err(|e| e.to_string())?;
        Ok::<_, String>(response.status_code())
    });
    match select(fetch, Box::pin(worker::Delay::from(TIMEOUT))).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
    }
}

/// The dead-letter queue's Google updates: they failed.
pub async fn give_up(env: &Env, items: &[(Message<Value>, Queued)]) {
    let given_up = items.iter().map(|(message, queued)| async move {
        match log::give_up(env, queued).await {
            Ok(()) => message.ack(),
            Err(_) => message.retry(),
        }
    });
    join_all(given_up).await;
}
