//! The one checkout. Every booking, whoever asks (the widget and the hosted page, the business's
//! own app, and next the console's front desk and Google), is placed by [`place`], one sequence
//! for a single booking, a visit of several services and a class seat:
//!
//! 1. check what can be checked without writing (a members-only service has a membership, the
//!    membership is the client's and could pay);
//! 2. identify the client across the chain (claiming their first booking, for its discount);
//! 3. price every part on this occasion (channel, first booking, today at the location);
//! 4. pay with the membership, if one pays ([`payment`]: a pending payment, once per key);
//! 5. place it in the location object, which re-checks the time and writes the booking and the
//!    answer for its idempotency key in one transaction;
//! 6. settle: the payment keeps what the booking used, and a failed placement gives back the
//!    payment and the first-booking claim.
//!
//! Handlers only read their request into an [`Order`] and shape the [`Receipt`] into their answer.

pub mod client;
pub mod faults;
pub mod payment;
pub mod pricing;

use homeslot_core::availability::{ClassSchedule, Instant, ServiceSchedule};
use homeslot_core::catalog::{Company, Location, Service};
use homeslot_core::language::negotiate;
use homeslot_core::pricing::{Channel, Occasion};
use homeslot_core::wire::{Attribution, ClientDetails, MembershipRef, MembershipView};
use worker::Env;

use crate::error::AppResult;
use crate::store::company::Identity;
use crate::store::location::{
    self, Idempotency, NewBooking, NewClassBooking, NewVisit, Note, Order as Placing, Placed, Placement,
};

pub use client::ClientInput;
pub use faults::Faults;
use payment::Part;

/// What is being booked, resolved against the catalog by the handler.
pub enum Item<'a> {
    /// One service with a specialist, or any (`specialist_id: None`), maybe on a hold.
    Booking { service: &'a Service, schedule: ServiceSchedule, specialist_id: Option<String>, hold_id: Option<String> },
    /// Several services back to back, each with a specialist or any.
    Visit { services: Vec<&'a Service>, parts: Vec<ServiceSchedule>, wanted: Vec<Option<String>> },
    /// A seat in a class session, or a waitlist place when it is full and the client wants one.
    Seat { service: &'a Service, class: ClassSchedule, join_waitlist: bool },
}

impl Item<'_> {
    fn services(&self) -> Vec<&Service> {
        match self {
            Item::Booking { service, .. } | Item::Seat { service, .. } => vec![service],
            Item::Visit { services, .. } => services.clone(),
        }
    }
}

/// A validated request to book.
pub struct Order<'a> {
    pub company: &'a Company,
    pub location: &'a Location,
    pub item: Item<'a>,
    pub start: Instant,
    pub client: ClientInput,
    /// The membership that pays, if any.
    pub membership: Option<MembershipRef>,
    /// Where the booking is made (online, the business's own app, the front desk).
    pub channel: Channel,
    /// The member of staff booking for the client (their person id), at the front desk.
    pub made_by: Option<String>,
    /// Placed outside the rules (an owner's or a manager's override, checked by the handler).
    pub r#override: bool,
    /// The request's `Idempotency-Key`.
    pub key: Option<String>,
    pub faults: Faults,
}

/// What a booking, a visit and a seat request share: the client, where they came from and the
/// membership that pays.
pub struct Asked<'r> {
    pub client: &'r ClientDetails,
    pub attribution: Option<&'r Attribution>,
    pub membership: Option<MembershipRef>,
}

impl<'a> Order<'a> {
    /// The order a request makes for `item` at `start`: the client's details checked against the
    /// owner's contact step, and what the request's headers say (its `Idempotency-Key`, the
    /// business's app key, a test build's fault).
    ///
    /// # Errors
    /// The first field at fault; an unknown app key is `unauthorized`.
    pub async fn read(
        req: &worker::Request,
        env: &Env,
        (company, location): (&'a Company, &'a Location),
        item: Item<'a>,
        start: Instant,
        asked: Asked<'_>,
    ) -> AppResult<Order<'a>> {
        let key = crate::handlers::idempotency_key(req)?;
        let faults = Faults::of(req);
        let accept = req.headers().get("Accept-Language").ok().flatten();
        let language =
            negotiate(asked.client.language.as_deref(), company.widget.language.as_deref(), accept.as_deref());
        let client = ClientInput::new(asked.client, asked.attribution, company, &faults)?
            .heard_at(Some(language.locale), crate::http::origin(req)?);
        let channel = pricing::channel(req, env, company).await?;
        let membership = asked.membership;
        let (made_by, r#override) = (None, false);
        Ok(Order { company, location, item, start, client, membership, channel, made_by, r#override, key, faults })
    }

    /// The order a member of staff (`made_by`, a person id or `token`) makes at the front desk for
    /// a client on the phone or at the desk: the client's details as the desk takes them
    /// ([`ClientInput::at_desk`]), no attribution, priced on the `front_desk` channel.
    ///
    /// # Errors
    /// The first field at fault.
    pub fn at_desk(
        req: &worker::Request,
        (company, location): (&'a Company, &'a Location),
        item: Item<'a>,
        start: Instant,
        (client, membership): (&ClientDetails, Option<MembershipRef>),
        made_by: &str,
    ) -> AppResult<Order<'a>> {
        let key = crate::handlers::idempotency_key(req)?;
        let faults = Faults::of(req);
        let language = negotiate(client.language.as_deref(), company.widget.language.as_deref(), None);
        let client = ClientInput::at_desk(client, company)?.heard_at(Some(language.locale), crate::http::origin(req)?);
        let channel = Channel::FrontDesk;
        let made_by = Some(made_by.to_string());
        let r#override = false;
        Ok(Order { company, location, item, start, client, membership, channel, made_by, r#override, key, faults })
    }

    /// The order Google's booking server makes for a user (`CreateBooking`): the user's details
    /// as Google gives them ([`ClientInput::from_google`]), in their language, on the `google`
    /// channel, once per Google's `idempotency_token` (the key).
    ///
    /// # Errors
    /// The first field at fault.
    pub fn from_google(
        req: &worker::Request,
        (company, location): (&'a Company, &'a Location),
        item: Item<'a>,
        start: Instant,
        client: &ClientDetails,
        token: &str,
    ) -> AppResult<Order<'a>> {
        let language = negotiate(client.language.as_deref(), company.widget.language.as_deref(), None);
        let client =
            ClientInput::from_google(client, company)?.heard_at(Some(language.locale), crate::http::origin(req)?);
        Ok(Order {
            company,
            location,
            item,
            start,
            client,
            membership: None,
            channel: Channel::Google,
            made_by: None,
            r#override: false,
            key: Some(format!("google:{token}")),
            faults: Faults::of(req),
        })
    }
}

/// What the checkout placed, and the paying membership as it is afterwards.
pub struct Receipt {
    pub placed: Placed,
    pub membership: Option<MembershipView>,
}

/// A placement answered with another kind than the order's: never, unless the objects drifted.
pub fn unexpected() -> crate::error::AppError {
    worker::Error::RustError("the location object answered another kind of placement".into()).into()
}

/// Places `order` (see the module's steps).
///
/// # Errors
/// The first check that fails, with nothing written; or the location object's refusal
/// (`slot_unavailable`, `class_full`, …), after which the payment and the first-booking claim are
/// given back.
pub async fn place(env: &Env, order: Order<'_>) -> AppResult<Receipt> {
    let Order { company, location, start, .. } = order;
    let services = order.item.services();
    payment::required(&services, order.membership.as_ref())?;
    if let Some(reference) = &order.membership {
        let parts: Vec<Part> = services.iter().map(|service| Part { service, start, charges: &[] }).collect();
        let keyed = order.key.is_some();
        payment::precheck(env, company, location, reference, &order.client.phone, &parts, keyed).await?;
    }
    let identity = client::identify(env, company, &order.client).await?;
    #[cfg(feature = "faults")]
    if order.faults.legacy_phone() {
        crate::store::company::mark_phones_outdated(env, &company.id).await?;
    }
    let outcome = pay_and_place(env, &order, &identity).await;
    match outcome {
        Ok(receipt) => Ok(receipt),
        // A fault stops the checkout where it is, as a Worker that dies there would.
        Err(Stopped::Fault(error)) => Err(error),
        Err(Stopped::Failed(error)) => {
            client::give_back_claim(env, company, &identity).await;
            Err(error)
        }
    }
}

/// How the steps after identification ended early.
enum Stopped {
    /// A refusal or a failure: the first-booking claim is given back.
    Failed(crate::error::AppError),
    /// A test build's injected fault: nothing more runs.
    Fault(crate::error::AppError),
}

impl From<crate::error::AppError> for Stopped {
    fn from(error: crate::error::AppError) -> Self {
        Stopped::Failed(error)
    }
}

impl From<homeslot_core::error::ApiError> for Stopped {
    fn from(error: homeslot_core::error::ApiError) -> Self {
        Stopped::Failed(error.into())
    }
}

async fn pay_and_place(env: &Env, order: &Order<'_>, identity: &Identity) -> Result<Receipt, Stopped> {
    let Order { company, location, start, .. } = *order;
    let mut placing = placing(order, identity);
    // The key's hash covers the validated request, so the same request sent again is recognised;
    // not its prices, which a retry finds changed (its first booking is already claimed) while the
    // stored answer keeps the first one's, nor its payment (a retry's is the first one's).
    let idempotency = order.key.clone().map(|key| match &placing {
        Placing::Booking { booking, .. } => Idempotency::new(key, booking),
        Placing::Visit { visit, .. } => Idempotency::new(key, visit),
        Placing::Seat { seat, .. } => Idempotency::new(key, seat),
    });
    let occasion = pricing::occasion(location, order.channel, identity.first_booking.is_some())?;
    price(order, &mut placing, &occasion);
    let payment = match &order.membership {
        Some(reference) => {
            let services = order.item.services();
            let charges = charges_of(&placing);
            let parts: Vec<Part> =
                services.iter().zip(&charges).map(|(service, charges)| Part { service, start, charges }).collect();
            let key = order.key.as_deref();
            Some(payment::pay(env, company, location, reference, &order.client.phone, &parts, key).await?)
        }
        None => None,
    };
    if let Some(payment) = &payment {
        let pay = Some(payment::membership_pay(payment));
        match &mut placing {
            Placing::Booking { booking, .. } => booking.membership = pay,
            Placing::Visit { visit, .. } => visit.membership = pay,
            Placing::Seat { seat, .. } => seat.membership = pay,
        }
    }
    order.faults.at("after-payment").map_err(Stopped::Fault)?;
    let placement = Placement { order: placing, idempotency };
    let placed = match order.faults.overloaded() {
        Ok(()) => location::place(env, &company.id, &location.id, &placement).await,
        Err(refused) => Err(refused),
    };
    order.faults.at("after-placement").map_err(Stopped::Fault)?;
    let membership = match &payment {
        Some(payment) => payment::settle(env, company, location, payment, &placed).await?,
        None => None,
    };
    Ok(Receipt { placed: placed?, membership })
}

/// The order as the location object takes it, for this client, before it is priced.
fn placing(order: &Order<'_>, identity: &Identity) -> Placing {
    let client = &order.client;
    let note = Note {
        channel: order.channel.as_str().into(),
        made_by: order.made_by.clone(),
        r#override: order.r#override,
        ..client.note.clone()
    };
    match &order.item {
        Item::Booking { service, schedule, specialist_id, hold_id } => Placing::Booking {
            schedule: schedule.clone(),
            booking: NewBooking {
                service_id: service.id.clone(),
                start: order.start,
                specialist_id: specialist_id.clone(),
                client_id: identity.client_id.clone(),
                hold_id: hold_id.clone(),
                client_name: client.name.clone(),
                client_phone: client.phone.clone(),
                note: note.clone(),
                charges: Vec::new(),
                membership: None,
            },
        },
        Item::Visit { services, parts, wanted } => Placing::Visit {
            parts: parts.clone(),
            visit: NewVisit {
                service_ids: services.iter().map(|s| s.id.clone()).collect(),
                start: order.start,
                wanted: wanted.clone(),
                client_id: identity.client_id.clone(),
                client_name: client.name.clone(),
                client_phone: client.phone.clone(),
                note: note.clone(),
                charges: Vec::new(),
                membership: None,
            },
        },
        Item::Seat { class, join_waitlist, .. } => Placing::Seat {
            class: class.clone(),
            seat: NewClassBooking {
                start: order.start,
                join_waitlist: *join_waitlist,
                client_id: identity.client_id.clone(),
                client_name: client.name.clone(),
                client_phone: client.phone.clone(),
                note: note.clone(),
                charges: Vec::new(),
                membership: None,
            },
        },
    }
}

/// Prices every part with each specialist who could take it (the location object keeps the
/// chosen one's). Every part of a visit is priced on the same occasion: a first booking discounts
/// each part.
fn price(order: &Order<'_>, placing: &mut Placing, occasion: &Occasion) {
    let company = order.company;
    match (&order.item, placing) {
        (Item::Booking { service, schedule, .. }, Placing::Booking { booking, .. }) => {
            booking.charges =
                pricing::charges(company, service, schedule.specialists.iter().map(|s| s.id.as_str()), occasion);
        }
        (Item::Visit { services, parts, .. }, Placing::Visit { visit, .. }) => {
            visit.charges = services
                .iter()
                .zip(parts)
                .map(|(service, part)| {
                    pricing::charges(company, service, part.specialists.iter().map(|s| s.id.as_str()), occasion)
                })
                .collect();
        }
        (Item::Seat { service, class, .. }, Placing::Seat { seat, .. }) => {
            // With each instructor of the class here (the session decides which).
            let instructors = class.sessions.iter().map(|s| s.specialist_id.as_str());
            seat.charges = pricing::charges(company, service, instructors, occasion);
        }
        // `placing` is built from the item, so the kinds always agree.
        _ => {}
    }
}

/// Each part's charges, in the order of [`Item::services`].
fn charges_of(placing: &Placing) -> Vec<Vec<location::Charge>> {
    match placing {
        Placing::Booking { booking, .. } => vec![booking.charges.clone()],
        Placing::Visit { visit, .. } => visit.charges.clone(),
        Placing::Seat { seat, .. } => vec![seat.charges.clone()],
    }
}
