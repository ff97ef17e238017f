//! E-mail: the consumer of the message queue. A location object queues each notice as it falls
//! due (`store::location::notices`); here each of its recipients' deliveries is claimed there (at
//! most once), written in the reader's language (`homeslot_core::messages`, the words in
//! `words/`), built as MIME with the visit's `.ics`, and submitted to the business's own SMTP
//! server (`smtp`), whose reply goes back to the booking's log.
//!
//! A delivery that failed before the server took it is tried again by the queue (its retries,
//! then the dead-letter queue, whose consumer marks it failed); one the server refused for good,
//! or whose outcome is unknown, is never sent again.

mod smtp;

use std::collections::BTreeMap;

use futures_util::future::join_all;
use mail_builder::headers::address::Address;
use mail_builder::MessageBuilder;
use serde_json::Value;
use worker::{Env, MessageBatch, MessageExt};

use homeslot_core::availability::zone;
use homeslot_core::calendar;
use homeslot_core::catalog::Company;
use homeslot_core::mail::MailSettings;
use homeslot_core::messages::{compose, compose_agenda, is_on, words_for, AgendaLine, Event, Facts, Recipient};

use crate::error::AppResult;
use crate::store::location::{claim_at, done_at, give_up_at, Claim, Claimed, Outcome, Queued};
use crate::{clock, store};

/// The queue's consumer: every notice of the batch at once (each company's catalog and settings
/// read once per batch), each retried alone if one of its deliveries should be tried again.
pub async fn consume(batch: MessageBatch<Value>, env: &Env) -> worker::Result<()> {
    let mut messages = Vec::new();
    for message in batch.messages()? {
        match serde_json::from_value::<Queued>(message.body().clone()) {
            Ok(queued) => messages.push((message, queued)),
            Err(_) => {
                worker::console_error!("a queued message that does not parse was dropped");
                message.ack();
            }
        }
    }
    if batch.queue().ends_with("-dead") {
        let given_up = messages.iter().map(|(message, queued)| async move {
            match give_up_at(env, &queued.company_id, &queued.location_id, &queued.notice_id).await {
                Ok(()) => message.ack(),
                Err(error) => {
                    worker::console_error!("recording a given-up message: {error:?}");
                    message.retry();
                }
            }
        });
        join_all(given_up).await;
        return Ok(());
    }
    let mut businesses: BTreeMap<String, Option<Business>> = BTreeMap::new();
    for (_, queued) in &messages {
        let id = &queued.company_id;
        if !businesses.contains_key(id) {
            businesses.insert(id.clone(), Business::read(env, id).await);
        }
    }
    let delivered = messages.iter().map(|(message, queued)| {
        let business = businesses.get(&queued.company_id).and_then(Option::as_ref);
        async move {
            // A business that could not be read: the queue tries again later.
            let Some(business) = business else { return message.retry() };
            match deliver(env, business, queued).await {
                Ok(false) => message.ack(),
                Ok(true) => message.retry(),
                Err(error) => {
                    // Nothing about the client in the log: the notice's id is the booking's.
                    worker::console_error!("delivering notice {}: {error:?}", queued.notice_id);
                    message.retry();
                }
            }
        }
    });
    join_all(delivered).await;
    Ok(())
}

/// What every message of a business needs: its catalog and its mail settings.
struct Business {
    company: std::rc::Rc<Company>,
    settings: Option<store::mail::Stored>,
}

impl Business {
    async fn read(env: &Env, company_id: &str) -> Option<Business> {
        let read = async {
            let company = store::company::load(env, company_id).await?;
            let settings = store::mail::get(env, company_id).await?;
            AppResult::Ok(Business { company, settings })
        };
        read.await.inspect_err(|error| worker::console_error!("reading {company_id} for its e-mail: {error:?}")).ok()
    }
}

/// Delivers `queued` to each of its recipients; answers whether any should be tried again.
async fn deliver(env: &Env, business: &Business, queued: &Queued) -> AppResult<bool> {
    let (company_id, location_id) = (queued.company_id.as_str(), queued.location_id.as_str());
    let mut again = false;
    for &recipient in queued.event.recipients() {
        let claim = Claim { notice_id: queued.notice_id.clone(), recipient };
        let Some(claimed) = claim_at(env, company_id, location_id, &claim).await? else { continue };
        let sent = send(env, &business.company, business.settings.as_ref(), queued, recipient, &claimed).await;
        let (state, detail) = match sent {
            Ok(Sent::Sent(reply)) => ("sent", reply),
            Ok(Sent::Skipped(why)) => ("skipped", why.to_string()),
            Err(smtp::Failure::Temporary(why)) => {
                again = true;
                ("retry", why)
            }
            Err(smtp::Failure::Permanent(why)) => ("failed", why),
            Err(smtp::Failure::Unknown(why)) => ("failed", format!("outcome unknown, not sent again: {why}")),
        };
        let outcome =
            Outcome { notice_id: queued.notice_id.clone(), recipient, state: state.into(), detail: short(&detail) };
        done_at(env, company_id, location_id, &outcome).await?;
    }
    Ok(again)
}

enum Sent {
    Sent(String),
    Skipped(&'static str),
}

async fn send(
    env: &Env,
    company: &Company,
    stored: Option<&store::mail::Stored>,
    queued: &Queued,
    to: Recipient,
    claimed: &Claimed,
) -> Result<Sent, smtp::Failure> {
    let Some(stored) = stored else {
        return Ok(Sent::Skipped("e-mail is not set up for this business"));
    };
    let settings = &stored.settings;
    if !settings.enabled {
        return Ok(Sent::Skipped("e-mail is turned off for this business"));
    }
    if !is_on(&settings.messages, queued.event, to) {
        return Ok(Sent::Skipped("this message is turned off by the business"));
    }
    let Some(location) = company.location(&queued.location_id) else {
        return Ok(Sent::Skipped("the location is no longer in the catalog"));
    };
    let owner_language = company.widget.language.clone().unwrap_or_else(|| "en".into());
    let (addresses, language) = match to {
        Recipient::Client => (
            claimed.client_email.iter().cloned().collect::<Vec<_>>(),
            claimed.language.clone().unwrap_or(owner_language),
        ),
        Recipient::Business => (
            business_addresses(settings, location.email.as_deref(), &queued.location_id, &claimed.specialist_id),
            owner_language,
        ),
        Recipient::Specialist => {
            (settings.specialist_addresses.get(&claimed.specialist_id).cloned().into_iter().collect(), owner_language)
        }
    };
    if addresses.is_empty() {
        return Ok(Sent::Skipped(match to {
            Recipient::Client => "the client gave no e-mail address",
            Recipient::Business => "no address for the business's notices",
            Recipient::Specialist => "no address for the specialist",
        }));
    }
    let password = match &stored.sealed_password {
        Some(sealed) => Some(crate::seal::open(env, sealed).map_err(|e| smtp::Failure::Permanent(format!("{e:?}")))?),
        None => None,
    };
    // Words in the reader's language, dates and times for their region (`pt-BR`).
    let language = homeslot_core::language::negotiate(Some(&language), None, None);
    let message = letter(company, location, queued, to, claimed, settings, &language, &addresses)
        .map_err(|e| smtp::Failure::Permanent(format!("the message could not be written: {e}")))?;
    let server = smtp::Server {
        host: &settings.host,
        port: settings.port,
        security: settings.security,
        login: settings.username.as_deref().zip(password.as_deref()),
    };
    smtp::send(&server, &settings.from_address, &addresses, &message).await.map(Sent::Sent)
}

/// Where the business hears of a booking: the specialist's address and the location's (the
/// owner's setting, else the location's public address), once each.
fn business_addresses(
    settings: &MailSettings,
    location_email: Option<&str>,
    location_id: &str,
    specialist_id: &str,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let location = settings.location_addresses.get(location_id).map(String::as_str).or(location_email);
    for address in
        [settings.specialist_addresses.get(specialist_id).map(String::as_str), location].into_iter().flatten()
    {
        if !out.iter().any(|a| a == address) {
            out.push(address.to_string());
        }
    }
    out
}

/// The whole message, as RFC 5322 bytes.
#[allow(clippy::too_many_arguments)]
fn letter(
    company: &Company,
    location: &homeslot_core::catalog::Location,
    queued: &Queued,
    to: Recipient,
    claimed: &Claimed,
    settings: &MailSettings,
    language: &homeslot_core::language::Choice,
    addresses: &[String],
) -> Result<Vec<u8>, String> {
    let (words_language, language) = (language.language, language.locale.as_str());
    let zone_rules = zone(&location.time_zone, "time_zone").map_err(|e| e.message)?;
    let (date, time) = local_words(claimed.start_s, &location.time_zone, language);
    let facts = Facts {
        business: company.name.clone(),
        client: claimed.client_name.clone(),
        service: company.service(&claimed.service_id).map(|s| s.name.clone()).unwrap_or_default(),
        specialist: company.specialist(&claimed.specialist_id).map(|s| s.name.clone()).unwrap_or_default(),
        location: location.name.clone(),
        address: [location.address.as_str(), location.city.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", "),
        date,
        time,
        reference: claimed.booking_id.clone(),
        manage_url: claimed.links.as_ref().and_then(|links| {
            let origin = links.origin.as_deref()?;
            let token = crate::handlers::manage::token(
                &company.id,
                &location.id,
                &claimed.booking_id,
                links.secret.as_deref()?,
            );
            Some(format!("{origin}/b/{}#homeslot-manage={token}", company.id))
        }),
        phone: (to == Recipient::Business).then(|| claimed.client_phone.clone()),
        email: if to == Recipient::Business { claimed.client_email.clone() } else { None },
        comment: if to == Recipient::Business { claimed.comment.clone() } else { None },
    };
    let words = words_for(&settings.messages, queued.event, to, words_language);
    let written = if queued.event == Event::Agenda {
        let lines: Vec<AgendaLine> = claimed
            .day
            .iter()
            .map(|line| AgendaLine {
                time: format!(
                    "{}–{}",
                    local_words(line.start_s, &location.time_zone, language).1,
                    local_words(line.end_s, &location.time_zone, language).1
                ),
                service: company.service(&line.service_id).map(|s| s.name.clone()).unwrap_or_default(),
                client: line.client_name.clone(),
                phone: line.client_phone.clone(),
                comment: line.comment.clone(),
                seats: line.seats,
            })
            .collect();
        compose_agenda(language, &words, &facts, &lines)
    } else {
        compose(queued.event, to, language, &words, &facts)
    };
    let from_name = settings.from_name.clone().unwrap_or_else(|| company.name.clone());
    let domain = settings.from_address.rsplit('@').next().unwrap_or("homeslot.invalid");
    let mut builder = MessageBuilder::new()
        .from(Address::new_address(Some(from_name), settings.from_address.clone()))
        .to(addresses.iter().map(|a| Address::new_address(None::<String>, a.clone())).collect::<Vec<_>>())
        .subject(written.subject)
        .message_id(format!("{}.{}@{domain}", queued.notice_id.replace(':', "."), to.name()))
        .date(clock::now_millis() / 1000)
        .header("Auto-Submitted", mail_builder::headers::raw::Raw::new("auto-generated"))
        .header("Content-Language", mail_builder::headers::raw::Raw::new(language.to_string()))
        .text_body(written.text)
        .html_body(written.html);
    if let Some(reply_to) = &settings.reply_to {
        builder = builder.reply_to(Address::new_address(None::<String>, reply_to.clone()));
    }
    if to == Recipient::Client && matches!(queued.event, Event::Booked | Event::Moved | Event::SeatGranted) {
        let ids = (claimed.booking_id.as_str(), claimed.service_id.as_str(), claimed.specialist_id.as_str());
        if let Some(event) = crate::handlers::manage::visit_event(
            company,
            location,
            ids,
            (claimed.start_s, claimed.end_s),
            (false, words_language),
        ) {
            let ics = calendar::ics(&event, &location.time_zone, &zone_rules, clock::now());
            builder = builder.attachment("text/calendar; method=PUBLISH; charset=utf-8", "visit.ics", ics.into_bytes());
        }
    }
    builder.write_to_vec().map_err(|e| e.to_string())
}

/// The visit's date and time for a reader of `language`, at the location's clock (the runtime's
/// `Intl`, which knows every language's way of writing them).
fn local_words(start_s: i64, time_zone: &str, language: &str) -> (String, String) {
    let format = |options: &[(&str, &str)]| -> Option<String> {
        let object = js_sys::Object::new();
        js_sys::Reflect::set(&object, &"timeZone".into(), &time_zone.into()).ok()?;
        for (key, value) in options {
            js_sys::Reflect::set(&object, &(*key).into(), &(*value).into()).ok()?;
        }
        let locales = js_sys::Array::of1(&language.into());
        let formatter = js_sys::Intl::DateTimeFormat::new(&locales, &object);
        let date = js_sys::Date::new(&((start_s * 1000) as f64).into());
        formatter.format().call1(&formatter, &date).ok()?.as_string()
    };
    (format(&[("dateStyle", "full")]).unwrap_or_default(), format(&[("timeStyle", "short")]).unwrap_or_default())
}

/// Tells the business's owners something the edge did on its own (a webhook endpoint turned off):
/// a plain-text e-mail to each owner's account address, through the business's own provider.
/// Answers the server's reply, or why nothing was sent.
pub async fn tell_owners(env: &Env, company_id: &str, subject: &str, text: &str) -> Result<String, String> {
    let stored = store::mail::get(env, company_id).await.map_err(|e| format!("{e:?}"))?;
    let Some(stored) = stored.filter(|s| s.settings.enabled) else {
        return Err("e-mail is not set up for this business".into());
    };
    let staff = store::staff::list(env, company_id).await.map_err(|e| format!("{e:?}"))?;
    let owners: Vec<String> = staff
        .people
        .into_iter()
        .filter(|person| person.grant.role == homeslot_core::access::Role::Owner)
        .map(|person| person.email)
        .collect();
    if owners.is_empty() {
        return Err("the business has no owner with an account".into());
    }
    let settings = &stored.settings;
    let password = match &stored.sealed_password {
        Some(sealed) => Some(crate::seal::open(env, sealed).map_err(|e| format!("{e:?}"))?),
        None => None,
    };
    let domain = settings.from_address.rsplit('@').next().unwrap_or("homeslot.invalid");
    let id = crate::store::random_hex().map_err(|e| e.to_string())?;
    let message = MessageBuilder::new()
        .from(Address::new_address(Some("Homeslot"), settings.from_address.clone()))
        .to(owners.iter().map(|a| Address::new_address(None::<String>, a.clone())).collect::<Vec<_>>())
        .subject(subject)
        .message_id(format!("{id}@{domain}"))
        .date(clock::now_millis() / 1000)
        .header("Auto-Submitted", mail_builder::headers::raw::Raw::new("auto-generated"))
        .text_body(text)
        .write_to_vec()
        .map_err(|e| e.to_string())?;
    let server = smtp::Server {
        host: &settings.host,
        port: settings.port,
        security: settings.security,
        login: settings.username.as_deref().zip(password.as_deref()),
    };
    smtp::send(&server, &settings.from_address, &owners, &message).await.map_err(|failure| match failure {
        smtp::Failure::Temporary(why) | smtp::Failure::Permanent(why) | smtp::Failure::Unknown(why) => why,
    })
}

/// A log line's detail: the first 300 characters.
fn short(text: &str) -> String {
    text.chars().take(300).collect()
}

/// The settings' addresses per location and specialist, for tests of the addresses' choice.
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_business_hears_once_at_each_address() {
        let settings = MailSettings {
            location_addresses: BTreeMap::from([("main".to_string(), "desk@salon.example".to_string())]),
            specialist_addresses: BTreeMap::from([("kim".to_string(), "desk@salon.example".to_string())]),
            ..MailSettings::default()
        };
        assert_eq!(
            business_addresses(&settings, Some("public@salon.example"), "main", "kim"),
            vec!["desk@salon.example"]
        );
        assert_eq!(
            business_addresses(&settings, Some("public@salon.example"), "other", "ann"),
            vec!["public@salon.example"]
        );
    }
}
