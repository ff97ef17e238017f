//! One business: the frame around its screens (its name, the person's role, the screens the role
//! may use) and its overview.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_params_map;

use homeslot_core::access::{Action, Grant};
use homeslot_core::google_feeds;

use crate::api::{self, Problem};
use crate::components::fields::SelectField;
use crate::pages::home::SignOut;
use crate::pages::{role_name, FormProblem};
use crate::session::use_session;

/// The business named in the address (`/console/b/{company}`).
pub fn use_company() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("company").unwrap_or_default())
}

/// What the frame shows: it changes only when the person's access does, so a screen below it is
/// not rebuilt (losing what was typed) when the session is read again after an edit.
#[derive(Debug, Clone, PartialEq)]
enum Frame {
    Loading,
    SignedOut,
    Failed(String),
    NotYours,
    Yours(Grant),
}

#[component]
pub fn Business() -> impl IntoView {
    let session = use_session();
    let company = use_company();
    let frame = Memo::new(move |previous: Option<&Frame>| match session.me.get() {
        // Read again: what was known stays until the answer comes.
        None => previous.cloned().unwrap_or(Frame::Loading),
        Some(Err(problem)) if problem.is_signed_out() => Frame::SignedOut,
        Some(Err(problem)) => Frame::Failed(problem.message),
        Some(Ok(_)) => session.business(&company.get()).map_or(Frame::NotYours, |b| Frame::Yours(b.grant)),
    });
    let name = move || session.business(&company.get()).map(|b| b.name).unwrap_or_default();
    move || match frame.get() {
        Frame::Loading => view! { <p>"Loading…"</p> }.into_any(),
        Frame::SignedOut => view! { <Redirect path="/sign-in"/> }.into_any(),
        Frame::Failed(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Frame::NotYours => view! {
            <section class="card">
                <h1>"Not one of your businesses"</h1>
                <p><a href="/console/">"Back to your businesses"</a></p>
            </section>
        }
        .into_any(),
        Frame::Yours(grant) => {
            // `<A>` takes an absolute path as it is (navigate() is the one that adds the router's base).
            let base = format!("/console/b/{}", company.get_untracked());
            let staff = grant.allows(Action::ManageStaff, None);
            let owner = grant.allows(Action::EditCompany, None);
            // Anyone who may change some of it; the front desk and specialists read it elsewhere.
            let catalog = grant.allows(Action::EditServices, None) || grant.allows(Action::EditLocation, None);
            view! {
                <header class="bar">
                    <a class="home" href="/console/">"Homeslot"</a>
                    <span class="business">{name}</span>
                    <span class="role">{role_name(grant.role)}</span>
                </header>
                <nav aria-label="Business">
                    <A href=base.clone() exact=true>"Overview"</A>
                    {grant.allows(Action::SeeCalendar, None).then(|| view! {
                        <A href=format!("{base}/calendar")>"Calendar"</A>
                        <A href=format!("{base}/feeds")>"Calendar feeds"</A>
                    })}
                    {grant.allows(Action::SeeBookings, None).then(|| view! { <A href=format!("{base}/clients")>"Clients"</A> })}
                    {grant.allows(Action::ManageMemberships, None).then(|| view! { <A href=format!("{base}/memberships")>"Memberships"</A> })}
                    {grant.allows(Action::SeeReports, None).then(|| view! { <A href=format!("{base}/reports")>"Reports"</A> })}
                    {owner.then(|| view! {
                        <A href=format!("{base}/setup")>"Set up"</A>
                        <A href=format!("{base}/look")>"Booking form"</A>
                        <A href=format!("{base}/promos")>"Promos and discounts"</A>
                        <A href=format!("{base}/email")>"E-mail"</A>
                        <A href=format!("{base}/webhooks")>"Webhooks"</A>
                    })}
                    {catalog.then(|| view! { <A href=format!("{base}/catalog")>"Catalog"</A> })}
                    <A href=format!("{base}/embed")>"On your site"</A>
                    {staff.then(|| view! { <A href=format!("{base}/staff")>"Staff"</A> })}
                    {grant.allows(Action::SeeAuditTrail, None).then(|| view! { <A href=format!("{base}/audit")>"Audit trail"</A> })}
                </nav>
                <Outlet/>
            }
            .into_any()
        }
    }
}

/// What the person's role may use here.
#[component]
pub fn Overview() -> impl IntoView {
    let session = use_session();
    let company = use_company();
    move || {
        session.business(&company.get()).map(|business| {
            let may = |action| business.grant.allows(action, None);
            let rights = [
                (Action::EditCompany, "change the business's settings and its booking form"),
                (Action::EditServices, "change services and categories"),
                (Action::EditLocation, "change locations and their specialists"),
                (Action::SeeBookings, "see bookings"),
                (Action::SeeCalendar, "see the calendar"),
                (Action::ManageBookings, "book for clients, move and cancel bookings, mark arrivals and no-shows"),
                (Action::BookOutsideRules, "book outside the rules (outside hours, over a buffer), marked as an override"),
                (Action::ManageMemberships, "sell and change memberships"),
                (Action::ManageStaff, "invite and remove staff"),
                (Action::ClientData, "export clients' data or erase a client"),
                (Action::SeeReports, "read the reports"),
                (Action::SeeAuditTrail, "read the audit trail: who changed what, and when"),
            ];
            view! {
                <section class="card">
                    <h1>{business.name.clone()}</h1>
                    <p>"As " {role_name(business.grant.role)} ", you can:"</p>
                    <ul>
                        {rights.into_iter().filter(|(action, _)| may(*action)).map(|(_, what)| view! { <li>{what}</li> }).collect_view()}
                    </ul>
                    {may(Action::EditCompany).then(|| view! {
                        <p><a href=format!("/console/b/{}/setup", business.company_id)>"Set up your business, step by step"</a></p>
                    })}
                    <SignOut/>
                </section>
                {may(Action::EditCompany).then(|| view! { <TestBookings/> <OnGoogle/> })}
            }
        })
    }
}

/// The test booking switch (owner): while it is on, bookings are marked as tests (no analytics
/// events, not in exports), and clearing them frees their times.
#[component]
fn TestBookings() -> impl IntoView {
    let company = use_company();
    let catalog = LocalResource::new(move || api::catalog(company.get()));
    let (problem, set_problem) = signal(None::<Problem>);
    let (status, set_status) = signal(String::new());
    let switch = leptos::prelude::Action::new_local(move |on: &bool| {
        let patch = serde_json::json!({ "test_bookings": on });
        async move { api::patch_company(company.get_untracked(), patch).await }
    });
    let clear = leptos::prelude::Action::new_local(move |_: &()| api::clear_test_bookings(company.get_untracked()));
    Effect::new(move |_| match switch.value().get() {
        Some(Ok(())) => catalog.refetch(),
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| match clear.value().get() {
        Some(Ok((bookings, seats))) => {
            set_status.set(format!("Cleared {bookings} test bookings and {seats} class seats."));
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let on = move || catalog.get().and_then(|c| c.ok()).is_some_and(|c| c.test_bookings);
    view! {
        <section class="card" aria-labelledby="tests-title">
            <h2 id="tests-title">"Test bookings"</h2>
            <p class="hint">"Try your form on your own site: while this is on, every booking is a test. Tests send no \
                analytics events and stay out of exports; clear them when you are done (their times are free again)."</p>
            <label class="check">
                <input type="checkbox" prop:checked=on disabled=switch.pending()
                    on:change=move |ev| { switch.dispatch(event_target_checked(&ev)); }/>
                "Bookings are tests"
            </label>
            <button type="button" class="secondary" disabled=clear.pending() on:click=move |_| { clear.dispatch(()); }>
                "Clear the test bookings"
            </button>
            <p role="status">{status}</p>
            <FormProblem problem/>
        </section>
    }
}

/// A field a location still needs for Google, as the owner knows it.
fn field_name(field: &'static str) -> &'static str {
    match field {
        "business_category" => "the kind of business",
        "address" => "the street address",
        "postal_code" => "the postal code",
        other => other,
    }
}

/// Kinds of business as Google's merchant feed names them, for the owner to pick from.
const BUSINESS_CATEGORIES: [(&str, &str); 18] = [
    ("hair_salon", "Hair salon"),
    ("barber_shop", "Barber shop"),
    ("beauty_salon", "Beauty salon"),
    ("nail_salon", "Nail salon"),
    ("spa", "Spa"),
    ("massage_therapist", "Massage"),
    ("tattoo_studio", "Tattoo studio"),
    ("dentist", "Dentist"),
    ("medical_clinic", "Medical clinic"),
    ("physiotherapist", "Physiotherapist"),
    ("veterinarian", "Veterinarian"),
    ("pet_groomer", "Pet grooming"),
    ("gym", "Gym"),
    ("yoga_studio", "Yoga studio"),
    ("dance_school", "Dance school"),
    ("driving_school", "Driving school"),
    ("car_repair", "Car repair"),
    ("car_wash", "Car wash"),
];

/// The business on Google (owner): the kind of business that lists its locations, which locations
/// are listed (or what each still needs), and fresh availability on demand.
#[component]
fn OnGoogle() -> impl IntoView {
    let company = use_company();
    let catalog = LocalResource::new(move || api::catalog(company.get()));
    let (problem, set_problem) = signal(None::<Problem>);
    let (status, set_status) = signal(String::new());
    let choose = leptos::prelude::Action::new_local(move |category: &String| {
        let value = (!category.is_empty()).then(|| category.clone());
        let patch = serde_json::json!({ "business_category": value });
        async move { api::patch_company(company.get_untracked(), patch).await }
    });
    let refresh = leptos::prelude::Action::new_local(move |_: &()| api::make_google_feeds(company.get_untracked()));
    Effect::new(move |_| match choose.value().get() {
        Some(Ok(())) => catalog.refetch(),
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    Effect::new(move |_| match refresh.value().get() {
        Some(Ok(made)) => {
            let slots: u64 = made.locations.iter().map(|l| l.slots).sum();
            set_status.set(format!(
                "Refreshed for Google's next upload: {slots} free times at {} location(s), in {} ms.",
                made.locations.len(),
                made.elapsed_ms
            ));
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    move || {
        catalog.get().and_then(|c| c.ok()).map(|company_now| {
            let current = company_now.business_category.clone().unwrap_or_default();
            let mut options: Vec<(String, String)> = vec![(String::new(), "Not on Google".into())];
            options.extend(BUSINESS_CATEGORIES.iter().map(|(id, name)| (id.to_string(), name.to_string())));
            if !current.is_empty() && !BUSINESS_CATEGORIES.iter().any(|(id, _)| *id == current) {
                options.push((current.clone(), current.clone()));
            }
            let listed = company_now.locations.iter().filter(|l| google_feeds::listed(&company_now, l)).count();
            let locations = company_now
                .locations
                .iter()
                .map(|location| {
                    let missing = google_feeds::missing(&company_now, location);
                    let state = if missing.is_empty() {
                        "listed".to_string()
                    } else {
                        format!("needs {}", missing.iter().map(|f| field_name(f)).collect::<Vec<_>>().join(", "))
                    };
                    view! { <li>{location.name.clone()} ": " {state}</li> }
                })
                .collect_view();
            view! {
                <section class="card" aria-labelledby="google-title">
                    <h2 id="google-title">"On Google"</h2>
                    <p class="hint">"Google Maps shows a \"Book\" button on each listed location: clients book on Google, or \
                        on your booking page, and the bookings come here with the source Google."</p>
                    <SelectField id="google-category" label="Kind of business" options
                        value=Signal::derive(move || current.clone())
                        set=Callback::new(move |v: String| { choose.dispatch(v); })/>
                    <ul>{locations}</ul>
                    {(listed > 0).then(|| view! {
                        <button type="button" class="secondary" disabled=refresh.pending() on:click=move |_| { refresh.dispatch(()); }>
                            "Refresh the free times for Google now"
                        </button>
                    })}
                    <p role="status">{status}</p>
                    <FormProblem problem/>
                </section>
            }
        })
    }
}
