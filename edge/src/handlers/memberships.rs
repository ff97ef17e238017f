//! `POST /v1/companies/{company}/memberships/check` lets the widget show a client their membership
//! (name, balance, expiry) before they commit. Paying with one is the checkout's
//! (`checkout::payment`).

use serde::Deserialize;
use worker::{Env, Request, Response};

use homeslot_core::availability::{civil_date, local_date, zone};
use homeslot_core::catalog::{Company, Location};
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::membership::{Membership, MembershipStatus, Use};
use homeslot_core::time::CivilDate;
use homeslot_core::validation;
use homeslot_core::wire::{MembershipView, Money};

use crate::error::AppResult;
use crate::store::memberships;
use crate::{clock, http};

#[derive(Deserialize)]
struct CheckRequest {
    number: String,
    phone: String,
    /// With services (and optionally the visit's date), also whether it pays for them.
    #[serde(default)]
    service_ids: Vec<String>,
    #[serde(default)]
    date: Option<String>,
}

/// `POST …/memberships/check` with `{"number", "phone"[, "service_ids", "date"]}`: the membership
/// if it is this phone's (else `membership_not_found`, the same for a wrong number and a wrong
/// phone), and with services, the reason it could not pay for them if it could not.
pub async fn check(mut req: Request, env: &Env, company: &Company) -> AppResult<Response> {
    let request: CheckRequest = http::read_json(&mut req, http::MAX_BOOKING_BODY).await?;
    let phone = validation::phone(&request.phone, company.widget.phone_country.as_deref())
        .map_err(|e| ApiError { field: Some("phone".into()), ..e })?;
    let membership = memberships::holder(env, &company.id, &request.number, &phone).await?;
    if !request.service_ids.is_empty() {
        let date = match &request.date {
            Some(text) => CivilDate::parse(text)
                .ok_or_else(|| ApiError::field(ErrorCode::ValidationFailed, "date", "date must be YYYY-MM-DD."))?,
            None => today(company.locations.first())?,
        };
        let services = request
            .service_ids
            .iter()
            .map(|id| {
                company
                    .service(id)
                    .ok_or_else(|| ApiError::field(ErrorCode::ServiceUnavailable, "service_ids", "No such service."))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let uses: Vec<Use> =
            services.iter().map(|service| Use { service, date, price_minor: service.price_minor }).collect();
        membership.pays_for(&uses)?;
    }
    Ok(http::json(&view(company, &membership), 200)?)
}

/// What the holder sees of a membership.
pub fn view(company: &Company, membership: &Membership) -> MembershipView {
    MembershipView {
        number: membership.number.clone(),
        name: membership.name.clone(),
        status: match membership.status {
            MembershipStatus::Active => "active",
            MembershipStatus::Issued => "issued",
            MembershipStatus::Frozen => "frozen",
            MembershipStatus::Expired => "expired",
            MembershipStatus::Cancelled => "cancelled",
        }
        .into(),
        visits_left: membership.visits_left,
        balance: membership.balance_minor.map(|amount_minor| Money::of(amount_minor, &company.currency)),
        valid_until: membership.valid_until.map(|d| d.to_string()),
    }
}

fn today(location: Option<&Location>) -> Result<CivilDate, ApiError> {
    let zone = zone(location.map_or("UTC", |l| l.time_zone.as_str()), "time_zone")?;
    Ok(civil_date(local_date(&zone, clock::now())))
}
