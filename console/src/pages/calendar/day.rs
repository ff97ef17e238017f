//! The day view: an hour scale and a column per specialist, with their working time behind the
//! day's bookings (a visit of several services as one block), the holds of clients still
//! choosing, and class sessions with their seats (which the business may cancel: every client in
//! one is told). A booking opens with a click, or moves by drag
//! and drop onto another time or specialist (the move dialog does the same by keyboard); a drop
//! the rules refuse offers an owner or a manager to move it there outside the rules.

use leptos::prelude::*;

use homeslot_core::agenda::{CalendarDay, CancelSession, DayBooking, DayColumn, DaySpan, MoveBooking};

use super::outside_rules::ConfirmOutsideRules;
use super::{instant_after, use_place};
use crate::api::{self, Problem};
use crate::components::fields::TextField;
use crate::pages::FormProblem;

/// Pixels per minute of the day.
const SCALE: f64 = 1.5;

/// A block on a column: one booking, or the parts of a visit with one specialist back to back.
#[derive(Clone)]
struct Block {
    /// The booking opened by a click (a visit's first part).
    booking_id: String,
    from: i64,
    to: i64,
    label: String,
    client: String,
    attendance: Option<String>,
    test: bool,
    /// Booked or moved outside the rules.
    r#override: bool,
}

/// What the person is doing on the day view: kept by the calendar, for the view is made again
/// each time the day changes (every few seconds while clients book), and a dialog or a problem
/// must not vanish with it.
#[derive(Clone, Copy)]
pub struct DayState {
    /// Why the last move was refused.
    problem: RwSignal<Option<Problem>>,
    /// A move the rules refused, which an owner or a manager may confirm outside them.
    refused: RwSignal<Option<(String, MoveBooking)>>,
    /// The class session being cancelled: its service, start and name.
    cancelling: RwSignal<Option<(String, String, String)>>,
}

impl DayState {
    pub fn new() -> Self {
        Self { problem: RwSignal::new(None), refused: RwSignal::new(None), cancelling: RwSignal::new(None) }
    }

    /// Closes what was open: the person went to another day or location.
    pub fn clear(&self) {
        self.problem.set(None);
        self.refused.set(None);
        self.cancelling.set(None);
    }
}

/// The day's dialogs: a move to confirm outside the rules, a class session to cancel. Shown by the
/// calendar above the day, so they outlive each new answer for the day.
#[component]
pub fn DayDialogs(state: DayState) -> impl IntoView {
    let place = use_place();
    let DayState { problem, refused, cancelling } = state;
    view! {
        <FormProblem problem=problem.read_only()/>
        {move || refused.get().map(|(id, to)| {
            let what = format!(
                "Move this booking to {} with {} outside the rules? It will be marked as an override.",
                crate::dates::when(&to.start),
                place.name_of(to.specialist_id.as_deref().unwrap_or_default()),
            );
            let confirm = Callback::new(move |()| move_booking(place, state, id.clone(), to.clone()));
            let back = Callback::new(move |()| { refused.set(None); problem.set(None); });
            view! { <ConfirmOutsideRules what confirm back/> }
        })}
        {move || cancelling.get().map(|(service_id, start, label)| {
            let done = Callback::new(move |()| cancelling.set(None));
            view! { <CancelSessionPanel service_id start label done/> }
        })}
    }
}

/// Moves a booking; a time refused only by the rules is offered to an owner or a manager to
/// confirm outside them.
fn move_booking(place: super::Place, state: DayState, id: String, to: MoveBooking) {
    let (company, location) = (place.company.get_untracked(), place.location.get_untracked());
    state.refused.set(None);
    leptos::task::spawn_local(async move {
        match api::move_booking(company, location, id.clone(), to.clone()).await {
            Ok(_) => {
                state.problem.try_set(None);
                place.reload.run(());
            }
            // A time the rules do not offer (not a taken one: the specialist's other visits
            // stop an override too, and the edge says so).
            Err(error) if !to.r#override && outside_rules(&error) && place.may_override.get_untracked() => {
                state.problem.try_set(Some(error));
                state.refused.try_set(Some((id, MoveBooking { r#override: true, ..to })));
            }
            Err(error) => {
                state.problem.try_set(Some(error));
            }
        }
    });
}

#[component]
pub fn DayView(day: CalendarDay, may_move: bool, opened: RwSignal<Option<String>>, state: DayState) -> impl IntoView {
    let place = use_place();
    let (from, to) = shown_range(&day);
    let height = ((to - from) as f64 * SCALE).round();
    // Placed through the CSSOM (`style:top`), which the console's CSP allows, unlike inline
    // style attributes.
    let at = move |minute: i64| format!("{}px", ((minute - from) as f64 * SCALE).round());
    let top = move |span: &DaySpan| at(span.from_minute.max(from));
    let tall = move |span: &DaySpan| {
        format!("{}px", (((span.to_minute.min(to) - span.from_minute.max(from)) as f64 * SCALE).round()).max(18.0))
    };
    let closed = day.open.as_ref().is_some_and(Vec::is_empty);
    let step = i64::from(day.slot_step_minutes.max(1));
    let midnight = StoredValue::new(day.day_start_at.clone());
    let cancelled: Vec<DayBooking> = day.bookings.iter().filter(|b| b.status != "confirmed").cloned().collect();

    // Moves the dragged booking to where it was dropped: the start under the pointer, on the
    // location's slot grid, with the column's specialist. The edge checks it as a new booking.
    let drop_on = move |specialist: String, ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        let Some(id) = ev.data_transfer().and_then(|d| d.get_data("text/plain").ok()).filter(|id| !id.is_empty())
        else {
            return;
        };
        // The column's track, wherever in it the drop landed (events are delegated: the target,
        // not the current target, is where it happened).
        let track = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|t| t.closest(".track").ok().flatten());
        let Some(track) = track else { return };
        let offset = f64::from(ev.client_y()) - track.get_bounding_client_rect().top();
        let minute = from + (offset / SCALE) as i64;
        let minute = (minute as f64 / step as f64).round() as i64 * step;
        let start = midnight.with_value(|midnight| instant_after(midnight, minute));
        move_booking(place, state, id, MoveBooking { start, specialist_id: Some(specialist), r#override: false });
    };

    let columns = day.specialists.clone();
    let whole = day.clone();
    let column = move |column: DayColumn| {
        let day = &whole;
        let specialist = column.specialist_id.clone();
        let blocks = blocks(day, &specialist);
        let holds: Vec<_> = day.holds.iter().filter(|h| h.specialist_id == specialist).cloned().collect();
        let sessions: Vec<_> = day.classes.iter().filter(|c| c.specialist_id == specialist).cloned().collect();
        let hours = column.working.iter().map(|w| format!("{}–{}", w.local_start, w.local_end)).collect::<Vec<_>>();
        let hours = if hours.is_empty() { "Day off".to_string() } else { hours.join(", ") };
        let (heading, labelled) = (format!("col-{specialist}"), format!("col-{specialist}"));
        let dropped = specialist.clone();
        view! {
            <div class="column" role="group" aria-labelledby=labelled>
                <h2 id=heading class="column-name">{column.name.clone()}</h2>
                <p class="hint column-hours">{hours}</p>
                <div class="track" style:height=format!("{height}px")
                    on:dragover=move |ev: leptos::ev::DragEvent| if may_move {
                        ev.prevent_default();
                        if let Some(data) = ev.data_transfer() {
                            data.set_drop_effect("move");
                        }
                    }
                    on:drop=move |ev| if may_move { drop_on(dropped.clone(), ev) }>
                    {column.working.iter().map(|w| view! { <div class="working" aria-hidden="true" style:top=top(w) style:height=tall(w)></div> }).collect_view()}
                    {holds.into_iter().map(|h| view! {
                        <div class="hold" style:top=top(&h.span) style:height=tall(&h.span)>
                            {format!("{} {} — being booked online", h.span.local_start, h.service_name)}
                        </div>
                    }).collect_view()}
                    {sessions.into_iter().map(|s| {
                        let label = format!("{} {}", s.span.local_start, s.service_name);
                        let target = (s.service_id.clone(), s.span.start_at.clone(), label.clone());
                        view! {
                            <div class=if s.cancelled { "session cancelled" } else { "session" }
                                style:top=top(&s.span) style:height=tall(&s.span)>
                                {if s.cancelled {
                                    format!("{label} · cancelled")
                                } else {
                                    format!("{label} · {} of {} seats", s.booked, s.capacity)
                                }}
                                {(s.waitlisted > 0 && !s.cancelled).then(|| format!(" · {} waiting", s.waitlisted))}
                                {(may_move && !s.cancelled).then(|| view! {
                                    " "
                                    <button type="button" class="link" aria-label=format!("Cancel the {label} session")
                                        on:click=move |_| state.cancelling.set(Some(target.clone()))>"Cancel…"</button>
                                })}
                            </div>
                        }
                    }).collect_view()}
                    {blocks.into_iter().map(|b| {
                        let id = b.booking_id.clone();
                        let dragged = b.booking_id.clone();
                        let span = DaySpan { from_minute: b.from, to_minute: b.to, ..Default::default() };
                        let class = match b.attendance.as_deref() {
                            Some("arrived") => "booking arrived",
                            Some("no_show") => "booking no-show",
                            _ => "booking",
                        };
                        let class = if b.r#override { format!("{class} override") } else { class.to_string() };
                        let mark = match b.attendance.as_deref() {
                            Some("arrived") => " · arrived",
                            Some("no_show") => " · no-show",
                            _ => "",
                        };
                        view! {
                            <button type="button" class=class style:top=top(&span) style:height=tall(&span) draggable=if may_move { "true" } else { "false" }
                                aria-pressed=move || (opened.get().as_deref() == Some(id.as_str())).to_string()
                                on:click={ let id = b.booking_id.clone(); move |_| opened.set(Some(id.clone())) }
                                on:dragstart=move |ev: leptos::ev::DragEvent| {
                                    if let Some(data) = ev.data_transfer() {
                                        let _ = data.set_data("text/plain", &dragged);
                                        data.set_effect_allowed("move");
                                    }
                                }>
                                <span class="booking-time">{b.label.clone()}</span>
                                <span class="booking-client">{b.client.clone()}{mark}{b.test.then_some(" · test")}{b.r#override.then_some(" · override")}</span>
                            </button>
                        }
                    }).collect_view()}
                </div>
            </div>
        }
    };

    view! {
        {closed.then(|| view! { <p class="closed">"The location is closed this day."</p> })}
        <div class="calendar">
            <div class="scale" aria-hidden="true" style:height=format!("{height}px")>
                {day.hours.iter().filter(|h| h.minute >= from && h.minute < to).map(|h| view! {
                    <span style:top=at(h.minute)>{h.label.clone()}</span>
                }).collect_view()}
            </div>
            <div class="columns">{columns.into_iter().map(column).collect_view()}</div>
        </div>
        {(!cancelled.is_empty()).then(|| view! {
            <h2>"Cancelled"</h2>
            <ul class="items">
                {cancelled.into_iter().map(|b| {
                    let id = b.booking_id.clone();
                    view! {
                        <li class="item">
                            <button type="button" class="link" on:click=move |_| opened.set(Some(id.clone()))>
                                {format!("{} {} — {}", b.span.local_start, b.service_name, b.client_name)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The confirmed bookings of `specialist`'s column as blocks: the parts of a visit that follow
/// each other with this specialist are one block.
fn blocks(day: &CalendarDay, specialist: &str) -> Vec<Block> {
    let mut out: Vec<(Option<String>, Block)> = Vec::new();
    for b in day.bookings.iter().filter(|b| b.specialist_id == specialist && b.status == "confirmed") {
        if let Some((Some(visit), block)) = out.last_mut() {
            if b.visit_id.as_deref() == Some(visit.as_str()) && block.to == b.span.from_minute {
                block.to = b.span.to_minute;
                block.label = format!("{}, {}", block.label, b.service_name);
                continue;
            }
        }
        out.push((
            b.visit_id.clone(),
            Block {
                booking_id: b.booking_id.clone(),
                from: b.span.from_minute,
                to: b.span.to_minute,
                label: format!("{}–{} {}", b.span.local_start, b.span.local_end, b.service_name),
                client: b.client_name.clone(),
                attendance: b.attendance.clone(),
                test: b.test,
                r#override: b.r#override,
            },
        ));
    }
    out.into_iter().map(|(_, block)| block).collect()
}

/// The part of the day to draw: whole hours around everything on it, at least 08:00–18:00.
fn shown_range(day: &CalendarDay) -> (i64, i64) {
    let spans = day
        .specialists
        .iter()
        .flat_map(|c| c.working.iter())
        .chain(day.bookings.iter().map(|b| &b.span))
        .chain(day.holds.iter().map(|h| &h.span))
        .chain(day.classes.iter().map(|c| &c.span));
    let (mut from, mut to) = (8 * 60, 18 * 60);
    for span in spans {
        from = from.min(span.from_minute);
        to = to.max(span.to_minute);
    }
    (from.div_euclid(60) * 60, (to + 59).div_euclid(60).min(day.minutes / 60 + 1) * 60)
}

/// Whether the edge refused a time only by the rules (taken by nobody, but outside working hours,
/// over a buffer, too soon): what an override can move past.
pub(super) fn outside_rules(problem: &Problem) -> bool {
    problem.code == "slot_unavailable" || problem.code == "start_in_past"
}

/// Cancelling a class session: why (kept in each seat's history), and a confirmation that says
/// what follows, for the business cannot undo it.
#[component]
fn CancelSessionPanel(service_id: String, start: String, label: String, done: Callback<()>) -> impl IntoView {
    let place = use_place();
    let reason = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let cancel = Action::new_local(move |request: &CancelSession| {
        let (company, location) = (place.company.get_untracked(), place.location.get_untracked());
        api::cancel_session(company, location, request.clone())
    });
    let (said, set_said) = signal(String::new());
    Effect::new(move |_| match cancel.value().get() {
        Some(Ok(cancelled)) => {
            set_problem.set(None);
            set_said.set(format!(
                "Cancelled: {} seat(s) and {} waiting place(s). Each client is told by e-mail.",
                cancelled.seats_cancelled, cancelled.waitlist_cancelled
            ));
            place.reload.run(());
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let request = StoredValue::new((service_id, start));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (service_id, start) = request.get_value();
        cancel.dispatch(CancelSession { service_id, start, reason: reason.get_untracked() });
    };
    view! {
        <section class="card edit" aria-labelledby="cancel-session-title">
            <h2 id="cancel-session-title">{format!("Cancel the {label} session")}</h2>
            <p class="hint">"Every client with a seat or on its waitlist is told by e-mail in their language, and \
                memberships get back what they paid. The session takes no more bookings. This cannot be undone."</p>
            <form class="stack" on:submit=submit>
                <TextField id="cancel-session-reason" label="Why (kept in each booking's history)" required=true
                    value=Signal::derive(move || reason.get()) set=Callback::new(move |text| reason.set(text))
                    problem=crate::pages::problem_at(problem, "reason")/>
                <div class="actions">
                    // Once: a cancelled session stays cancelled.
                    <button type="submit" class="secondary danger"
                        disabled=move || cancel.pending().get() || !said.get().is_empty()>"Cancel the session"</button>
                    <button type="button" class="secondary" on:click=move |_| done.run(())>"Close"</button>
                </div>
            </form>
            <p role="status">{move || said.get()}</p>
            <FormProblem problem/>
        </section>
    }
}
