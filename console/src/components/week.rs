//! The visual week editor: for each day, open or closed, its hours (with an optional break), and
//! a bar that shows the day at a glance. Used for a location's opening hours and a specialist's
//! working hours.

use leptos::prelude::*;

use homeslot_core::catalog::WeeklyHours;
use homeslot_core::time::{MinuteOfDay, TimeRange};

const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn at(minutes: u16) -> MinuteOfDay {
    MinuteOfDay::new(minutes.min(1440)).unwrap_or(MinuteOfDay::MIDNIGHT)
}

/// A day's hours as the bar draws them: where each range starts and how long it is, in % of 24 h.
fn spans(ranges: &[TimeRange]) -> Vec<(f64, f64)> {
    let percent = |m: MinuteOfDay| f64::from(m.minutes()) / 14.4;
    ranges.iter().map(|r| (percent(r.start), (percent(r.end) - percent(r.start)).max(0.0))).collect()
}

/// Edits `hours` in place. `name` tells the fields of two editors on one screen apart.
#[component]
pub fn WeekEditor(hours: RwSignal<WeeklyHours>, #[prop(into)] name: String) -> impl IntoView {
    let rows = (0..7usize)
        .map(|day| {
            let ranges = move || hours.with(|h| h.day(day as u8).to_vec());
            let open = move || !ranges().is_empty();
            let id = format!("{name}-{day}");
            let toggle = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                hours.update(|h| {
                    *h.day_mut(day as u8) =
                        if on { vec![TimeRange { start: at(9 * 60), end: at(18 * 60) }] } else { Vec::new() };
                });
            };
            // One time field of range `index`: `end` or start.
            let time = move |index: usize, end: bool| {
                let value = move || {
                    ranges().get(index).map(|r| if end { r.end } else { r.start }.to_string()).unwrap_or_default()
                };
                let set = move |ev: leptos::ev::Event| {
                    let Some(typed) = MinuteOfDay::parse(&event_target_value(&ev)) else { return };
                    hours.update(|h| {
                        if let Some(range) = h.day_mut(day as u8).get_mut(index) {
                            if end {
                                range.end = typed;
                            } else {
                                range.start = typed;
                            }
                        }
                    });
                };
                (value, set)
            };
            let split = move |_| {
                hours.update(|h| {
                    let ranges = h.day_mut(day as u8);
                    if let [only] = ranges.as_slice() {
                        // A break in the middle of the day, an hour long, for the owner to move.
                        let middle = (only.start.minutes() + only.end.minutes()) / 2 / 30 * 30;
                        let (first, second) = (
                            TimeRange { start: only.start, end: at(middle) },
                            TimeRange { start: at((middle + 60).min(only.end.minutes())), end: only.end },
                        );
                        *ranges = vec![first, second];
                    }
                });
            };
            let join = move |_| {
                hours.update(|h| {
                    let ranges = h.day_mut(day as u8);
                    if let (Some(first), Some(last)) = (ranges.first().copied(), ranges.last().copied()) {
                        *ranges = vec![TimeRange { start: first.start, end: last.end }];
                    }
                });
            };
            let stored_id = StoredValue::new(id.clone());
            let field = move |index: usize, end: bool, label: &'static str| {
                let (value, set) = time(index, end);
                let field_id = stored_id.with_value(|id| format!("{id}-{index}-{}", if end { "end" } else { "start" }));
                view! {
                    <label class="time">
                        <span class="visually-hidden">{DAYS[day]} " "</span>{label}
                        <input id=field_id type="time" step="900" prop:value=value on:change=set/>
                    </label>
                }
            };
            view! {
                <li class="day">
                    <label class="check" for=id.clone()>
                        <input id=id.clone() type="checkbox" prop:checked=open on:change=toggle/>
                        {DAYS[day]}
                    </label>
                    <div class="bar-track" aria-hidden="true">
                        {move || spans(&ranges()).into_iter().map(|(left, width)| view! {
                            <span class="bar-span" style:left=format!("{left:.2}%") style:width=format!("{width:.2}%")></span>
                        }).collect_view()}
                    </div>
                    <Show when=open fallback=|| view! { <span class="hint">"Closed"</span> }>
                        <div class="times">
                            {field(0, false, "from")}
                            {move || (ranges().len() < 2).then(|| field(0, true, "to"))}
                            {move || (ranges().len() >= 2).then(|| view! {
                                {field(0, true, "break from")}
                                {field(1, false, "to")}
                                {field(1, true, "closes")}
                            })}
                            {move || if ranges().len() < 2 {
                                view! { <button type="button" class="link" on:click=split>"Add a break"</button> }.into_any()
                            } else {
                                view! { <button type="button" class="link" on:click=join>"No break"</button> }.into_any()
                            }}
                        </div>
                    </Show>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="week">{rows}</ul> }
}
