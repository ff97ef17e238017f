//! The week view: one specialist's seven days side by side (Monday first) — their working time,
//! their bookings (a click opens one, as on the day view), their class sessions and the times
//! clients are choosing right now. It asks each day as the day view does, with each day's
//! `ETag`, and follows changes by itself the same way.

use leptos::prelude::*;

use homeslot_core::agenda::CalendarDay;

use super::{poll_while_shown, use_place};
use crate::api;
use crate::dates::{add_days, monday_of, short_date};

#[component]
pub fn WeekView(#[prop(into)] specialist: Signal<String>, opened: RwSignal<Option<String>>) -> impl IntoView {
    let place = use_place();
    let monday = Memo::new(move |_| monday_of(&place.date.get()));
    let days = move || (0..7).map(|i| add_days(&monday.get(), i)).collect::<Vec<_>>();
    let sheets = RwSignal::new(vec![None::<CalendarDay>; 7]);
    let tags = StoredValue::new(vec![None::<String>; 7]);
    let load = move || {
        let (company, location, week) =
            (place.company.get_untracked(), place.location.get_untracked(), monday.get_untracked());
        for (i, date) in (0..7).map(|i| (i, add_days(&week, i as i64))) {
            let tag = tags.with_value(|t| t[i].clone());
            let (company, location, week) = (company.clone(), location.clone(), week.clone());
            leptos::task::spawn_local(async move {
                let answer = api::day(company, location.clone(), date, tag).await;
                // An answer for a week or location since left is dropped, and one that comes
                // after the view is gone (its signals with it).
                let now = (place.location.try_get_untracked(), monday.try_get_untracked());
                if now != (Some(location), Some(week)) {
                    return;
                }
                if let Ok(Some((day, tag))) = answer {
                    tags.try_update_value(|t| t[i] = Some(tag));
                    sheets.try_update(|s| s[i] = Some(day));
                }
            });
        }
    };
    Effect::new(move |_| {
        place.location.track();
        monday.track();
        tags.set_value(vec![None; 7]);
        sheets.set(vec![None; 7]);
        load();
    });
    poll_while_shown(load);
    let day = move |i: usize, date: String| {
        let who = specialist.get();
        let heading = format!("week-{date}");
        let sheet = sheets.with(|s| s[i].clone());
        let body = match sheet {
            None => view! { <p class="hint">"Loading…"</p> }.into_any(),
            Some(day) => {
                let column = day.specialists.iter().find(|c| c.specialist_id == who);
                let hours = match column {
                    Some(c) if !c.working.is_empty() => c
                        .working
                        .iter()
                        .map(|w| format!("{}–{}", w.local_start, w.local_end))
                        .collect::<Vec<_>>()
                        .join(", "),
                    _ if day.open.as_ref().is_some_and(Vec::is_empty) => "Closed".into(),
                    _ => "Day off".into(),
                };
                let bookings: Vec<_> = day
                    .bookings
                    .iter()
                    .filter(|b| b.specialist_id == who && b.status == "confirmed")
                    .cloned()
                    .collect();
                let sessions: Vec<_> = day.classes.iter().filter(|c| c.specialist_id == who).cloned().collect();
                let holds = day.holds.iter().filter(|h| h.specialist_id == who).count();
                view! {
                    <p class="hint">{hours}</p>
                    <ul class="week-items">
                        {bookings.into_iter().map(|b| {
                            let id = b.booking_id.clone();
                            let mark = match b.attendance.as_deref() {
                                Some("arrived") => " · arrived",
                                Some("no_show") => " · no-show",
                                _ => "",
                            };
                            view! {
                                <li><button type="button" class="booking-line" on:click=move |_| opened.set(Some(id.clone()))>
                                    {format!("{}–{} {} — {}{mark}", b.span.local_start, b.span.local_end, b.service_name, b.client_name)}
                                </button></li>
                            }
                        }).collect_view()}
                        {sessions.into_iter().map(|s| view! {
                            <li class="session-line">{format!("{} {} · {} of {} seats", s.span.local_start, s.service_name, s.booked, s.capacity)}</li>
                        }).collect_view()}
                        {(holds > 0).then(|| view! { <li class="hint">{format!("{holds} being booked online")}</li> })}
                    </ul>
                }
                .into_any()
            }
        };
        view! {
            <section class="week-day" aria-labelledby=heading.clone()>
                <h2 id=heading.clone()>{short_date(&date)}</h2>
                {body}
            </section>
        }
    };
    view! {
        <div class="week">
            {move || days().into_iter().enumerate().map(|(i, date)| day(i, date)).collect_view()}
        </div>
    }
}
