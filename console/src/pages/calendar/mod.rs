//! The calendar (`/console/b/{company}/calendar`): a location's day, a column per specialist, for
//! the front desk and everyone who works there. It follows what happens online by itself: the day
//! is asked again every few seconds with the last answer's `ETag`, which costs no body while
//! nothing changed (and nothing while the tab is hidden). Opening a booking shows everything about
//! it and what can be done with it; a booking for a client on the phone is made beside the day.

mod booking;
mod day;
mod desk;
mod outside_rules;
mod week;

use std::time::Duration;

use leptos::prelude::*;

use homeslot_core::access::Action;
use homeslot_core::agenda::CalendarDay;
use homeslot_core::catalog::Company;

use crate::api::{self, Problem};
use crate::dates::{add_days, long_date, today};
use crate::pages::business::use_company;
use crate::pages::WithCatalog;
use crate::session::use_session;

/// How often the day is asked again.
const POLL: Duration = Duration::from_secs(5);

/// Where the calendar is looking, shared by its parts.
#[derive(Clone, Copy)]
pub(crate) struct Place {
    pub company: Memo<String>,
    pub location: RwSignal<String>,
    pub date: RwSignal<String>,
    /// Ask the day again now (after a change made here).
    pub reload: Callback<()>,
    /// Every specialist's name, by id.
    pub names: StoredValue<Vec<(String, String)>>,
    /// The location's IANA time zone, in which the desk types times.
    pub zone: Memo<String>,
    /// Whether the person may book and move outside the rules at the location (owners and
    /// managers).
    pub may_override: Memo<bool>,
}

impl Place {
    /// The specialist's name (their id if the catalog no longer has them).
    pub fn name_of(&self, id: &str) -> String {
        self.names
            .with_value(|names| names.iter().find(|(i, _)| i == id).map_or_else(|| id.to_string(), |(_, n)| n.clone()))
    }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    view! { <WithCatalog let:catalog><Calendar catalog/></WithCatalog> }
}

#[component]
fn Calendar(catalog: Company) -> impl IntoView {
    let company = use_company();
    let session = use_session();
    let grant = session.business(&company.get_untracked()).map(|b| b.grant);
    // The locations the person's role covers, in catalog order.
    let locations: Vec<(String, String)> = catalog
        .locations
        .iter()
        .filter(|l| grant.as_ref().is_some_and(|g| g.allows(Action::SeeCalendar, Some(&l.id))))
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let may_book = grant.as_ref().is_some_and(|g| g.allows(Action::ManageBookings, None));
    // Searching the chain's clients is for those who see whole locations, not a specialist.
    let may_search = grant.as_ref().is_some_and(|g| g.allows(Action::SeeBookings, None));
    let own = grant.as_ref().and_then(|g| g.own_specialist().map(str::to_string));
    let own_is_none = own.is_none();
    let location = RwSignal::new(locations.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let date = RwSignal::new(today());
    let (sheet, set_sheet) = signal(None::<Result<CalendarDay, Problem>>);
    let etag = StoredValue::new(None::<String>);
    let opened = RwSignal::new(None::<String>);
    let doing = day::DayState::new();
    // The day at a location, or one specialist's week (a specialist's own).
    let week = RwSignal::new(false);
    let column_of = {
        let first =
            catalog.specialists.iter().find(|s| s.location_id == location.get_untracked()).map(|s| s.id.clone());
        RwSignal::new(own.clone().or(first).unwrap_or_default())
    };

    // Asks for the day; an answer for a place the person has since left is dropped.
    let load = move || {
        let (c, l, d) = (company.get_untracked(), location.get_untracked(), date.get_untracked());
        // The week view asks its own days.
        if l.is_empty() || week.get_untracked() {
            return;
        }
        let tag = etag.get_value();
        leptos::task::spawn_local(async move {
            let answer = api::day(c.clone(), l.clone(), d.clone(), tag).await;
            // Dropped if the place changed meanwhile, or the calendar is gone (its signals with it).
            if (location.try_get_untracked(), date.try_get_untracked()) != (Some(l), Some(d)) {
                return;
            }
            match answer {
                Ok(Some((day, tag))) => {
                    etag.try_set_value(Some(tag));
                    set_sheet.try_set(Some(Ok(day)));
                }
                Ok(None) => {}
                Err(problem) => {
                    set_sheet.try_set(Some(Err(problem)));
                }
            }
        });
    };
    let reload = Callback::new(move |()| {
        etag.set_value(None);
        load();
    });
    Effect::new(move |_| {
        location.track();
        date.track();
        week.track();
        etag.set_value(None);
        set_sheet.set(None);
        load();
    });
    // An open booking belongs to the location it is at.
    Effect::new(move |previous: Option<String>| {
        let now = location.get();
        if previous.is_some_and(|p| p != now) {
            opened.set(None);
        }
        now
    });
    // A dialog on the day belongs to the day.
    Effect::new(move |previous: Option<(String, String)>| {
        let now = (location.get(), date.get());
        if previous.is_some_and(|p| p != now) {
            doing.clear();
        }
        now
    });
    poll_while_shown(load);
    let names = StoredValue::new(catalog.specialists.iter().map(|s| (s.id.clone(), s.name.clone())).collect());
    let zones: Vec<(String, String)> = catalog.locations.iter().map(|l| (l.id.clone(), l.time_zone.clone())).collect();
    let zone = Memo::new(move |_| {
        let here = location.get();
        zones.iter().find(|(id, _)| *id == here).map(|(_, zone)| zone.clone()).unwrap_or_default()
    });
    let may_override =
        Memo::new(move |_| grant.as_ref().is_some_and(|g| g.allows(Action::BookOutsideRules, Some(&location.get()))));
    let place = Place { company, location, date, reload, names, zone, may_override };
    provide_context(place);
    let catalog = StoredValue::new(catalog);

    let shift = move |days: i64| date.update(|d| *d = add_days(d, if week.get_untracked() { days * 7 } else { days }));
    let unit = move || if week.get() { "week" } else { "day" };
    // The specialists of the location, for the week's choice (a specialist sees only their own).
    let people = StoredValue::new(catalog.with_value(|c| {
        c.specialists.iter().map(|s| (s.id.clone(), s.name.clone(), s.location_id.clone())).collect::<Vec<_>>()
    }));
    Effect::new(move |previous: Option<String>| {
        let now = location.get();
        if previous.is_some_and(|p| p != now) && own_is_none {
            let first = people.with_value(|p| p.iter().find(|(_, _, at)| *at == now).map(|(id, _, _)| id.clone()));
            column_of.set(first.unwrap_or_default());
        }
        now
    });
    view! {
        <section class="card calendar-card" aria-labelledby="calendar-title">
            <h1 id="calendar-title">"Calendar"</h1>
            <div class="calendar-bar">
                {(locations.len() > 1).then(|| {
                    let choices = locations.clone();
                    view! {
                        <label for="calendar-location">"Location"</label>
                        <select id="calendar-location" on:change=move |ev| location.set(event_target_value(&ev))>
                            {choices.into_iter().map(|(id, name)| {
                                let chosen = id.clone();
                                view! { <option value=id selected=move || location.get() == chosen>{name}</option> }
                            }).collect_view()}
                        </select>
                    }
                })}
                <div class="view-switch" role="group" aria-label="Show">
                    <button type="button" class="secondary" aria-pressed=move || (!week.get()).to_string() on:click=move |_| week.set(false)>"Day"</button>
                    <button type="button" class="secondary" aria-pressed=move || week.get().to_string() on:click=move |_| week.set(true)>"Week"</button>
                </div>
                {move || (week.get() && own_is_none).then(|| view! {
                    <label for="calendar-specialist">"Whose week"</label>
                    <select id="calendar-specialist" on:change=move |ev| column_of.set(event_target_value(&ev))>
                        {people.get_value().into_iter().filter(|(_, _, at)| *at == location.get()).map(|(id, name, _)| {
                            let chosen = id.clone();
                            view! { <option value=id selected=move || column_of.get() == chosen>{name}</option> }
                        }).collect_view()}
                    </select>
                })}
                <button type="button" class="secondary" on:click=move |_| shift(-1)>{move || format!("Previous {}", unit())}</button>
                <button type="button" class="secondary" on:click=move |_| date.set(today())>"Today"</button>
                <button type="button" class="secondary" on:click=move |_| shift(1)>{move || format!("Next {}", unit())}</button>
                <label for="calendar-date" class="visually-hidden">"Go to date"</label>
                <input id="calendar-date" type="date" prop:value=date
                    on:change=move |ev| { let d = event_target_value(&ev); if d.len() == 10 { date.set(d) } }/>
            </div>
            <p class="hint" aria-live="polite">{move || long_date(&date.get())}</p>
            {move || (!week.get()).then(|| view! { <day::DayDialogs state=doing/> })}
            // The week reads its own days: its branch does not read the day's sheet, so it is not
            // made again each time the day is.
            {move || if week.get() {
                view! { <week::WeekView specialist=column_of opened/> }.into_any()
            } else { match sheet.get() {
                None => view! { <p>"Loading…"</p> }.into_any(),
                Some(Err(problem)) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
                Some(Ok(day)) => view! { <day::DayView day may_move=may_book opened state=doing/> }.into_any(),
            }}}
        </section>
        {move || opened.get().map(|id| view! { <booking::BookingPanel id opened may_change=may_book/> })}
        {may_book.then(|| view! { <desk::DeskBooking catalog=catalog.get_value() own=own.clone() may_search/> })}
    }
}

/// The calendar's place, for its parts.
pub(crate) fn use_place() -> Place {
    expect_context::<Place>()
}

/// Runs `load` every [`POLL`] while the console's tab is shown, until the view that asked is gone.
pub(crate) fn poll_while_shown(load: impl Fn() + 'static) {
    let poll = set_interval_with_handle(
        move || {
            if !hidden() {
                load()
            }
        },
        POLL,
    )
    .ok();
    on_cleanup(move || {
        if let Some(poll) = poll {
            poll.clear();
        }
    });
}

/// Whether the console's tab is hidden (then it does not poll).
fn hidden() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"document".into()).ok())
        .and_then(|d| js_sys::Reflect::get(&d, &"hidden".into()).ok())
        .and_then(|h| h.as_bool())
        .unwrap_or(false)
}

/// The instant `minutes` after the instant `from` (both RFC 3339), as the API writes instants.
pub(crate) fn instant_after(from: &str, minutes: i64) -> String {
    let ms = js_sys::Date::parse(from) + minutes as f64 * 60_000.0;
    let iso: String = js_sys::Date::new(&ms.into()).to_iso_string().into();
    iso.replace(".000Z", "Z")
}
