//! Webhooks: the consumer of the webhook queue. The company object makes each event's message and
//! queues a delivery per subscribed endpoint (`store::webhooks`); here each delivery is claimed
//! there, signed as Standard Webhooks prescribes (`sign`) with a fresh `webhook-timestamp` and
//! the message's one `webhook-id`, and posted; what the receiver answered goes back to the log,
//! which says whether and when to try again (Standard Webhooks' schedule over about three days).
//!
//! Deliveries are at least once, as the convention has them: a receiver that answered but whose
//! answer was lost gets the message again, with the same `webhook-id` to recognise it by.

pub mod sign;

use std::time::Duration;

use futures_util::future::{join_all, select, Either};
use serde_json::Value;
use worker::{Env, Headers, MessageBatch, MessageExt, Method, QueueRetryOptionsBuilder, RequestInit, RequestRedirect};

use crate::error::AppResult;
use crate::store::webhooks::{self, Claim, Queued, Tried, Verdict};
use crate::{clock, seal, store};

/// How long a receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The queue's consumer: every delivery of the batch at once.
pub async fn consume(batch: MessageBatch<Value>, env: &Env) -> worker::Result<()> {
    let messages = batch.messages()?;
    let dead = batch.queue().ends_with("-dead");
    let work = messages.iter().map(|message| async move {
        let Ok(queued) = serde_json::from_value::<Queued>(message.body().clone()) else {
            worker::console_error!("a webhook delivery that does not parse was dropped");
            return message.ack();
        };
        if dead {
            // The consumer kept failing on it: it failed.
            return match webhooks::give_up(env, &queued).await {
                Ok(()) => message.ack(),
                Err(_) => message.retry(),
            };
        }
        match deliver(env, &queued).await {
            Ok(None) => message.ack(),
            Ok(Some(after_s)) => {
                message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(after_s).build())
            }
            Err(error) => {
                worker::console_error!("delivering webhook message {}: {error:?}", queued.message_id);
                message.retry();
            }
        }
    });
    join_all(work).await;
    Ok(())
}

/// One attempt, if the log grants it; answers after how many seconds to try again, if at all.
async fn deliver(env: &Env, queued: &Queued) -> AppResult<Option<u32>> {
    let claimed = match webhooks::claim(env, queued).await? {
        Claim::Granted(claimed) => claimed,
        // Another consumer is making this attempt (or died making it): look again later.
        Claim::Wait => return Ok(Some(60)),
        Claim::Void => return Ok(None),
    };
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
    let tried =
        Tried { queued: queued.clone(), status, latency_ms, response, error, disable_after_ms: disable_after_ms(env) };
    match webhooks::tried(env, &tried).await? {
        Verdict::Delivered | Verdict::Failed => Ok(None),
        Verdict::Retry { after_s } => Ok(Some(retry_seconds(env).unwrap_or(after_s))),
        Verdict::Disabled { endpoint_id, url, reason } => {
            disabled(env, &queued.company_id, &endpoint_id, &url, &reason).await;
            Ok(None)
        }
    }
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
fn retry_seconds(env: &Env) -> Option<u32> {
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
