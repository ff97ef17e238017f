//! Prices at the edge: which channel a request comes from, and what a booking costs with the
//! owner's automatic discounts (the rules themselves are `homeslot_core::pricing`). The widget
//! never decides a price: it shows what these answer.

use worker::{Env, Request};

use homeslot_core::availability::{civil_date, local_date, zone};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::pricing::{self, Channel, Occasion};
use homeslot_core::wire::{AppliedDiscount, Money};

use crate::clock;
use crate::error::AppResult;
use crate::store::company::Secret;
use crate::store::location::Charge;

/// The header the business's own app sends its key in (`hsapp_…`, issued by the admin API).
pub const APP_KEY_HEADER: &str = "Homeslot-App-Key";

/// `app` when the request carries one of the company's app keys, `hosted_page` when the widget
/// asks from the hosted booking page, else `online`. A key that is not one of them is
/// `unauthorized` rather than ignored, so an app sending a revoked key finds out instead of
/// quietly losing its discounts. Browsers cannot send it from another site: the header is not
/// among those CORS allows.
pub async fn channel(req: &Request, env: &Env, company: &Company) -> AppResult<Channel> {
    let Some(key) = req.headers().get(APP_KEY_HEADER).ok().flatten() else {
        return Ok(if from_hosted_page(req) { Channel::HostedPage } else { Channel::Online });
    };
    let valid = key.starts_with("hsapp_")
        && key.len() <= 100
        && crate::store::company::token_is_valid(env, &company.id, Secret::AppKey, &key).await?;
    if valid {
        Ok(Channel::App)
    } else {
        Err(ApiError::field(ErrorCode::Unauthorized, APP_KEY_HEADER, "This app key is not valid for this company.")
            .into())
    }
}

/// Whether the request comes from the hosted booking page: its `Referer` is a `/b/…` page of the
/// edge's own origin, not opened in a frame (`frame=1`: the widget's iframe mode, on the
/// business's own site). The page sends its full address to its own origin
/// (`strict-origin-when-cross-origin`), and a site embedding the widget can only send its own
/// origin. It only sorts the reports (both are online bookings to the prices), so a client that
/// forges the header gains nothing.
fn from_hosted_page(req: &Request) -> bool {
    let (Ok(url), Some(referer)) = (req.url(), req.headers().get("referer").ok().flatten()) else { return false };
    worker::Url::parse(&referer).is_ok_and(|from| {
        from.origin() == url.origin()
            && from.path().starts_with("/b/")
            && !from.query_pairs().any(|(name, value)| name == "frame" && value == "1")
    })
}

/// A booking at `location` made now, through `channel`, by a client who is (or is not) booking
/// with the chain for the first time.
pub fn occasion(location: &Location, channel: Channel, first_booking: bool) -> Result<Occasion, ApiError> {
    let zone = zone(&location.time_zone, "time_zone")?;
    let today = civil_date(local_date(&zone, clock::now()));
    Ok(Occasion { channel, first_booking, today })
}

/// What `service` costs with each of `specialists` on this occasion.
pub fn charges<'a>(
    company: &Company,
    service: &Service,
    specialists: impl IntoIterator<Item = &'a str>,
    occasion: &Occasion,
) -> Vec<Charge> {
    specialists
        .into_iter()
        .map(|specialist_id| {
            let priced = pricing::price(service, service.price_with(specialist_id), &company.discounts, occasion);
            Charge {
                specialist_id: specialist_id.to_string(),
                price_minor: priced.final_minor,
                original_minor: priced.original_minor,
                discount_id: priced.rule.map(|rule| rule.id.clone()),
            }
        })
        .collect()
}

/// The price a client sees for a booking: the charge confirmed with it, or for a booking older
/// than stored prices, the catalog's price with its specialist. Also the price before the
/// discount and the discount, when one applied.
pub fn shown(
    company: &Company,
    service: &Service,
    specialist_id: &str,
    charge: Option<&Charge>,
) -> (Money, Option<Money>, Option<AppliedDiscount>) {
    let money = |amount_minor| Money::of(amount_minor, &company.currency);
    let Some(charge) = charge else { return (money(service.price_with(specialist_id)), None, None) };
    let discount = charge.discount_id.as_ref().map(|id| AppliedDiscount {
        id: id.clone(),
        // A rule deleted since keeps its id in the booking; its name is gone with it.
        name: company.discounts.iter().find(|d| d.id == *id).map_or_else(|| id.clone(), |d| d.name.clone()),
    });
    let original = discount.as_ref().map(|_| money(charge.original_minor));
    (money(charge.price_minor), original, discount)
}
