//! The team: each specialist's photo, position, location, weekly hours (on the week editor),
//! dates with other hours, and time off.

use leptos::prelude::*;

use homeslot_core::access::Action;
use homeslot_core::catalog::edit::Item;
use homeslot_core::catalog::{Company, DateOverride, Specialist, TimeOff};
use homeslot_core::onboarding::id_from_name;
use homeslot_core::time::{CivilDate, MinuteOfDay, TimeRange};

use super::{delete_item, may, save_item, use_catalog, Editing, ItemList, Row};
use crate::api::Problem;
use crate::components::fields::{optional, SelectField, TextField};
use crate::components::week::WeekEditor;
use crate::pages::{problem_at, FormProblem, WithCatalog};

#[component]
pub fn TeamPage() -> impl IntoView {
    view! { <WithCatalog let:catalog><TeamList catalog/></WithCatalog> }
}

#[component]
fn TeamList(catalog: Company) -> impl IntoView {
    let may_add = catalog.locations.iter().any(|l| may(Action::EditLocation, Some(&l.id)));
    let rows = catalog
        .specialists
        .iter()
        .map(|s| {
            let location = catalog.location(&s.location_id).map(|l| l.name.clone()).unwrap_or_default();
            let mut summary = format!("{} · {location}", s.position);
            let away = s.time_off.len() + s.date_overrides.len();
            if away > 0 {
                summary.push_str(&format!(" · {away} dates with other hours"));
            }
            Row {
                id: s.id.clone(),
                name: s.name.clone(),
                summary,
                may_edit: may(Action::EditLocation, Some(&s.location_id)),
            }
        })
        .collect();
    let form = Callback::new(move |(id, editing): (Option<String>, Editing)| {
        view! { <SpecialistForm catalog=catalog.clone() id editing/> }.into_any()
    });
    view! { <ItemList title="Team" add="Add a person" fresh="New person" empty="Nobody yet." rows may_add form/> }
}

#[component]
fn SpecialistForm(catalog: Company, id: Option<String>, editing: Editing) -> impl IntoView {
    let data = use_catalog();
    let original = id.as_ref().and_then(|id| catalog.specialist(id).cloned());
    let is_new = original.is_none();
    let locations: Vec<(String, String)> = catalog
        .locations
        .iter()
        .filter(|l| may(Action::EditLocation, Some(&l.id)))
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let start = original.unwrap_or_else(|| {
        let location = catalog.locations.iter().find(|l| locations.iter().any(|(id, _)| id == &l.id));
        Specialist {
            id: String::new(),
            name: String::new(),
            position: String::new(),
            photo_url: None,
            location_id: location.map(|l| l.id.clone()).unwrap_or_default(),
            working_hours: location.and_then(|l| l.opening_hours.clone()).unwrap_or_default(),
            date_overrides: Vec::new(),
            time_off: Vec::new(),
        }
    });
    let person = RwSignal::new(start.clone());
    let hours = RwSignal::new(start.working_hours.clone());
    let (problem, set_problem) = signal(None::<Problem>);
    let key = StoredValue::new(id.clone().unwrap_or_else(|| "new".into()));
    let field = move |name: &str| key.with_value(|key| format!("person-{key}-{name}"));
    let catalog = StoredValue::new(catalog);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut s = person.get_untracked();
        s.working_hours = hours.get_untracked();
        if s.id.is_empty() {
            let taken: Vec<String> = catalog.with_value(|c| c.specialists.iter().map(|x| x.id.clone()).collect());
            s.id = id_from_name(&s.name, &taken);
        }
        catalog.with_value(|c| {
            save_item(data, c, Item::Specialists(s), set_problem, Callback::new(move |()| editing.set(None)))
        });
    };
    let delete = move |_| {
        let s = person.get_untracked();
        catalog.with_value(|c| delete_item(data, c.id.clone(), "specialists", s.id.clone(), &s.name, set_problem));
    };
    let text = move |get: fn(&Specialist) -> String, put: fn(&mut Specialist, String)| {
        (Signal::derive(move || person.with(get)), Callback::new(move |v: String| person.update(|s| put(s, v))))
    };
    let (name, set_name) = text(|s| s.name.clone(), |s, v| s.name = v);
    let (position, set_position) = text(|s| s.position.clone(), |s, v| s.position = v);
    let (photo, set_photo) = text(|s| s.photo_url.clone().unwrap_or_default(), |s, v| s.photo_url = optional(v));
    let (location, set_location) = text(|s| s.location_id.clone(), |s, v| s.location_id = v);

    view! {
        <form class="edit" on:submit=submit>
            <div class="pair">
                <div><TextField id=field("name") label="Name" value=name set=set_name problem=problem_at(problem, "name") required=true/></div>
                <div><TextField id=field("position") label="Position" value=position set=set_position problem=problem_at(problem, "position")/></div>
            </div>
            <TextField id=field("photo") label="Photo (an https:// address, optional)" kind="url" value=photo set=set_photo
                problem=problem_at(problem, "photo_url")/>
            <SelectField id=field("location") label="Works at" options=locations value=location set=set_location/>
            <h3>"Weekly hours"</h3>
            <p class="field-problem">{move || problem_at(problem, "working_hours").get()}</p>
            <WeekEditor hours name=field("hours")/>
            <DatesWithOtherHours person problem key=field("override")/>
            <TimeAway person problem key=field("off")/>
            <FormProblem problem/>
            <div class="actions">
                <button type="submit">{if is_new { "Add the person" } else { "Save" }}</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
                {(!is_new).then(|| view! { <button type="button" class="secondary danger" on:click=delete>"Delete"</button> })}
            </div>
        </form>
    }
}

/// Dates on which the person works other hours than the weekly ones, or not at all.
#[component]
fn DatesWithOtherHours(
    person: RwSignal<Specialist>,
    problem: ReadSignal<Option<Problem>>,
    key: String,
) -> impl IntoView {
    let (date, set_date) = signal(String::new());
    let (from, set_from) = signal("10:00".to_string());
    let (until, set_until) = signal("14:00".to_string());
    let (day_off, set_day_off) = signal(false);
    let id = move |name: &str| format!("{key}-{name}");
    let add = move |_| {
        let Some(on) = CivilDate::parse(&date.get_untracked()) else { return };
        let hours = match (MinuteOfDay::parse(&from.get_untracked()), MinuteOfDay::parse(&until.get_untracked())) {
            _ if day_off.get_untracked() => Vec::new(),
            (Some(start), Some(end)) => vec![TimeRange { start, end }],
            _ => return,
        };
        person.update(|p| {
            p.date_overrides.retain(|o| o.date != on);
            p.date_overrides.push(DateOverride { date: on, hours });
            p.date_overrides.sort_by_key(|o| o.date);
        });
    };
    let listed = move || {
        person.with(|p| {
            p.date_overrides
                .iter()
                .map(|o| {
                    let on = o.date;
                    let hours = if o.hours.is_empty() {
                        "day off".to_string()
                    } else {
                        o.hours.iter().map(|r| format!("{}–{}", r.start, r.end)).collect::<Vec<_>>().join(", ")
                    };
                    view! {
                        <li>{format!("{on}: {hours}")} " "
                            <button type="button" class="link" on:click=move |_| person.update(|p| p.date_overrides.retain(|o| o.date != on))>
                                {format!("Remove {on}")}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <fieldset>
            <legend>"Dates with other hours"</legend>
            <p class="field-problem">{move || problem_at(problem, "date_overrides").get()}</p>
            <ul>{listed}</ul>
            <div class="pair">
                <div><TextField id=id("date") label="Date" kind="date" value=date set=Callback::new(move |v| set_date.set(v))/></div>
                <div><TextField id=id("from") label="From" kind="time" value=from set=Callback::new(move |v| set_from.set(v))/></div>
                <div><TextField id=id("until") label="Until" kind="time" value=until set=Callback::new(move |v| set_until.set(v))/></div>
            </div>
            <label class="check"><input type="checkbox" prop:checked=day_off
                on:change=move |ev| set_day_off.set(event_target_checked(&ev))/>"Not working that day"</label>
            <button type="button" class="secondary" on:click=add>"Add the date"</button>
        </fieldset>
    }
}

/// Whole days away: holidays, sick leave.
#[component]
fn TimeAway(person: RwSignal<Specialist>, problem: ReadSignal<Option<Problem>>, key: String) -> impl IntoView {
    let (from, set_from) = signal(String::new());
    let (until, set_until) = signal(String::new());
    let id = move |name: &str| format!("{key}-{name}");
    let add = move |_| {
        let (Some(from), Some(until)) =
            (CivilDate::parse(&from.get_untracked()), CivilDate::parse(&until.get_untracked()))
        else {
            return;
        };
        person.update(|p| {
            p.time_off.push(TimeOff { from, until });
            p.time_off.sort_by_key(|t| t.from);
        });
    };
    let listed = move || {
        person.with(|p| {
            p.time_off
                .iter()
                .copied()
                .map(|t| {
                    view! {
                        <li>{format!("{} to {}", t.from, t.until)} " "
                            <button type="button" class="link" on:click=move |_| person.update(|p| p.time_off.retain(|x| *x != t))>
                                {format!("Remove {} to {}", t.from, t.until)}
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <fieldset>
            <legend>"Time off"</legend>
            <p class="field-problem">{move || problem_at(problem, "time_off").get()}</p>
            <ul>{listed}</ul>
            <div class="pair">
                <div><TextField id=id("from") label="First day away" kind="date" value=from set=Callback::new(move |v| set_from.set(v))/></div>
                <div><TextField id=id("until") label="Last day away" kind="date" value=until set=Callback::new(move |v| set_until.set(v))/></div>
            </div>
            <button type="button" class="secondary" on:click=add>"Add the time off"</button>
        </fieldset>
    }
}
