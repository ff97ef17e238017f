//! Webhooks: the consumer of the webhook queue. The company object makes each event's message and
//! queues a delivery per subscribed endpoint (`store::webhooks`); here each delivery is claimed
//! there, signed as Standard Webhooks prescribes (`sign`) with a fresh `webhook-timestamp` and
//! the message's one `webhook-id`, and posted; what the receiver answered goes back to the log,
//! which says whether and when to try again (Standard Webhooks' schedule over about three days).
//!
//! Deliveries are at least once, as the convention has them: a receiver that answered but whose
//! answer was lost gets the message again, with the same `webhook-id` to recognise it by.

pub mod sign;

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::future::{join_all, select, Either};
use serde_json::Value;
use worker::{
    Env, Headers, Message, MessageBatch, MessageExt, Method, QueueRetryOptionsBuilder, RequestInit, RequestRedirect,
};

use crate::error::AppResult;
use crate::store::webhooks::{self, Claim, Claimed, Queued, Tried, Verdict};
use crate::{clock, seal, store};

/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The queue's consumer: every delivery of the batch at once, each company's claimed together and
/// reported together (two calls to its object per batch, not two per delivery).
pub async fn consume(batch: MessageBatch<Value>, env: &Env) -> worker::Result<()> {
    let mut by_company: BTreeMap<String, Vec<(Message<Value>, Queued)>> = BTreeMap::new();
    for message in batch.messages()? {
        match serde_json::from_value::<Queued>(message.body().clone()) {
            Ok(queued) => by_company.entry(queued.company_id.clone()).or_default().push((message, queued)),
            Err(_) => {
                worker::console_error!("a webhook delivery that does not parse was dropped");
                message.ack();
            }
        }
    }
    // Google's real-time updates share the queue (endpoint `google`): theirs is another consumer.
    let mut google: BTreeMap<String, Vec<(Message<Value>, Queued)>> = BTreeMap::new();
    for (company_id, items) in &mut by_company {
        let (theirs, ours): (Vec<_>, Vec<_>) =
            std::mem::take(items).into_iter().partition(|(_, q)| q.endpoint_id == store::google_updates::ENDPOINT);
        *items = ours;
        if !theirs.is_empty() {
            google.insert(company_id.clone(), theirs);
        }
    }
    if batch.queue().ends_with("-dead") {
        // The consumer kept failing on these: they failed.
        join_all(google.values().map(|items| crate::google_updates::give_up(env, items))).await;
        let given_up = by_company.values().flatten().map(|(message, queued)| async move {
            match webhooks::give_up(env, queued).await {
                Ok(()) => message.ack(),
                Err(_) => message.retry(),
            }
        });
        join_all(given_up).await;
        return Ok(());
    }
    let webhooks = join_all(
        by_company
            .iter()
            .filter(|(_, items)| !items.is_empty())
            .map(|(company_id, items)| deliver(env, company_id, items)),
    );
    let google =
        join_all(google.iter().map(|(company_id, items)| crate::google_updates::deliver(env, company_id, items)));
    futures_util::future::join(webhooks, google).await;
    Ok(())
}

/// What became of one delivery of the batch before its report.
enum Step {
    Tried(Box<Tried>),
    /// Look again after this many seconds.
    Later(u32),
    Done,
    /// Something failed on our side: the queue tries again.
    Again,
}

/// One company's deliveries of a batch: claimed, attempted at once, reported, then each acked or
/// put back on the queue for its next attempt.
async fn deliver(env: &Env, company_id: &str, items: &[(Message<Value>, Queued)]) {
    let queued: Vec<Queued> = items.iter().map(|(_, q)| q.clone()).collect();
    let claims = match webhooks::claim(env, company_id, &queued).await {
        Ok(claims) if claims.len() == items.len() => claims,
        other => {
            worker::console_error!("claiming webhook deliveries of {company_id}: {:?}", other.err());
            return items.iter().for_each(|(message, _)| message.retry());
        }
    };
    let attempts = queued.iter().zip(claims).map(|(queued, claim)| async move {
        match claim {
            Claim::Granted(claimed) => match attempt(env, queued, &claimed).await {
                Ok(tried) => Step::Tried(Box::new(tried)),
                Err(error) => {
                    worker::console_error!("delivering webhook message {}: {error:?}", queued.message_id);
                    Step::Again
                }
            },
            // Another consumer is making this attempt (or died making it).
            Claim::Wait => Step::Later(60),
            Claim::Void => Step::Done,
        }
    });
    let mut steps = join_all(attempts).await;
    let tried: Vec<Tried> = steps
        .iter()
        .filter_map(|step| if let Step::Tried(t) = step { Some(t.as_ref().clone()) } else { None })
        .collect();
    if !tried.is_empty() {
        let verdicts = match webhooks::tried(env, company_id, &tried).await {
            Ok(verdicts) if verdicts.len() == tried.len() => verdicts,
            other => {
                worker::console_error!("recording webhook attempts of {company_id}: {:?}", other.err());
                return items.iter().for_each(|(message, _)| message.retry());
            }
        };
        let mut verdicts = verdicts.into_iter();
        for step in &mut steps {
            if matches!(step, Step::Tried(_)) {
                *step = match verdicts.next() {
                    Some(Verdict::Retry { after_s }) => Step::Later(retry_seconds(env).unwrap_or(after_s)),
                    Some(Verdict::Disabled { endpoint_id, url, reason }) => {
                        disabled(env, company_id, &endpoint_id, &url, &reason).await;
                        Step::Done
                    }
                    _ => Step::Done,
                };
            }
        }
    }
    for ((message, _), step) in items.iter().zip(steps) {
        match step {
            Step::Done | Step::Tried(_) => message.ack(),
            Step::Later(after_s) => {
                message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(after_s).build())
            }
            Step::Again => message.retry(),
        }
    }
}

/// One attempt at a granted delivery: signed with a fresh timestamp, posted, timed.
async fn attempt(env: &Env, queued: &Queued, claimed: &Claimed) -> AppResult<Tried> {
    let secrets = claimed.sealed_secrets.iter().map(|sealed| seal::open(env, sealed)).collect::<AppResult<Vec<_>>>()?;
    let timestamp = clock::now_millis() / 1000;
    let signature = sign::header(&secrets, &queued.message_id, timestamp, &claimed.body);
    let started = clock::now_millis();
    let answer = post(&claimed.url, &queued.message_id, timestamp, &signature, &claimed.body).await;
    let latency_ms = clock::now_millis() - started;
    let (status, response, error) = match answer {
        Ok((status, response)) => (Some(status), response, None),
        Err(error) => (None, String::new(), Some(error)),
    };
    Ok(Tried { queued: queued.clone(), status, latency_ms, response, error, disable_after_ms: disable_after_ms(env) })
}

/// Posts the message: the receiver's status and the start of its answer, or why none came.
/// Redirects are not followed (an endpoint's address is the one the owner registered).
async fn post(url: &str, id: &str, timestamp: i64, signature: &str, body: &str) -> Result<(u16, String), String> {
    let headers = Headers::new();
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|e| e.to_string());
    set("content-type", "application/json")?;
    set("user-agent", "Homeslot-Webhooks/1")?;
    set("webhook-id", id)?;
    set("webhook-timestamp", &timestamp.to_string())?;
    set("webhook-signature", signature)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()))
        .with_redirect(RequestRedirect::Manual);
    let request = worker::Request::new_with_init(url, &init).map_err(|e| e.to_string())?;
    let fetch = Box::pin(async move {
        let mut response = worker::Fetch::Request(request).send().await.map_err(|e| e.to_string())?;
        let status = response.status_code();
        let text = response.text().await.unwrap_or_default();
        Ok::<_, String>((status, homeslot_core::webhooks::excerpt(&text)))
    });
    let timeout = Box::pin(worker::Delay::from(TIMEOUT));
    match select(fetch, timeout).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
    }
}

/// An endpoint the edge turned off: the audit trail says so, and the owners are told by e-mail.
async fn disabled(env: &Env, company_id: &str, endpoint_id: &str, url: &str, reason: &str) {
    let record = store::audit::Record {
        key: None,
        actor: "platform".into(),
        actor_name: "Homeslot".into(),
        action: homeslot_core::audit::AuditAction::WebhookDisabled,
        subject: format!("webhook {endpoint_id}"),
        detail: Some(format!("{url}: {reason}")),
    };
    store::audit::record(env, company_id, record).await;
    let text = format!(
        "Homeslot turned off your webhook endpoint {url} ({endpoint_id}): {reason}.\r\n\r\n\
         Nothing more is sent to it. Once it works again, turn it on in the console (Webhooks) and send \
         again what it missed (replay a time range)."
    );
    if let Err(why) = crate::mail::tell_owners(env, company_id, "A webhook endpoint was turned off", &text).await {
        worker::console_log!("the owners of {company_id} were not told of webhook {endpoint_id}: {why}");
    }
}

/// Every retry after this many seconds instead of the schedule (`WEBHOOK_RETRY_SECONDS`, set by
/// the tests only).
pub(crate) fn retry_seconds(env: &Env) -> Option<u32> {
    env.var("WEBHOOK_RETRY_SECONDS").ok()?.to_string().parse().ok()
}

/// After how long an endpoint that keeps failing is turned off: a day, or
/// `WEBHOOK_DISABLE_AFTER_SECONDS` (set by the tests only).
fn disable_after_ms(env: &Env) -> i64 {
    env.var("WEBHOOK_DISABLE_AFTER_SECONDS")
        .ok()
        .and_then(|v| v.to_string().parse::<i64>().ok())
        .map_or(homeslot_core::webhooks::DISABLE_AFTER_FAILING_MS, |s| s * 1000)
}
