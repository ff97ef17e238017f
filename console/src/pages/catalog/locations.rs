//! Locations: address and contacts, time zone, booking policy (slot step, minimum notice,
//! horizon, hold, cancellation notice, which starts are offered), opening hours, holidays and
//! resources (rooms, bays, devices).

use leptos::prelude::*;

use homeslot_core::access::Action;
use homeslot_core::catalog::edit::Item;
use homeslot_core::catalog::{BookingPolicy, Company, Geo, Location, Resource, SlotMode};
use homeslot_core::onboarding::{countries, id_from_name, usual_hours};
use homeslot_core::time::CivilDate;

use super::{delete_item, may, save_item, use_catalog, Editing, ItemList, Row};
use crate::api::Problem;
use crate::components::fields::{optional, NumberField, SelectField, TextField};
use crate::components::week::WeekEditor;
use crate::pages::{problem_at, FormProblem, WithCatalog};

#[component]
pub fn LocationsPage() -> impl IntoView {
    view! { <WithCatalog let:catalog><LocationList catalog/></WithCatalog> }
}

#[component]
fn LocationList(catalog: Company) -> impl IntoView {
    // A new location is the owner's (a manager's grant names the locations it covers).
    let may_add = may(Action::EditCompany, None);
    let rows = catalog
        .locations
        .iter()
        .map(|l| Row {
            id: l.id.clone(),
            name: l.name.clone(),
            summary: format!("{} · {}", l.address, l.time_zone),
            may_edit: may(Action::EditLocation, Some(&l.id)),
        })
        .collect();
    let form = Callback::new(move |(id, editing): (Option<String>, Editing)| {
        view! { <LocationForm catalog=catalog.clone() id editing/> }.into_any()
    });
    view! { <ItemList title="Locations" add="Add a location" fresh="New location" empty="No locations." rows may_add form/> }
}

#[component]
fn LocationForm(catalog: Company, id: Option<String>, editing: Editing) -> impl IntoView {
    let data = use_catalog();
    let original = id.as_ref().and_then(|id| catalog.location(id).cloned());
    let is_new = original.is_none();
    let start = original.unwrap_or_else(|| Location {
        id: String::new(),
        name: String::new(),
        address: String::new(),
        city: String::new(),
        postal_code: String::new(),
        region: String::new(),
        country: catalog.locations.first().map(|l| l.country.clone()).unwrap_or_default(),
        geo: None,
        phone: None,
        email: None,
        time_zone: catalog.locations.first().map(|l| l.time_zone.clone()).unwrap_or_default(),
        policy: BookingPolicy::default(),
        opening_hours: Some(usual_hours()),
        holidays: Vec::new(),
        resources: Vec::new(),
    });
    let location = RwSignal::new(start.clone());
    // Typed as "latitude, longitude"; read when the form is saved.
    let (map_point, set_map_point) =
        signal(start.geo.map(|g| format!("{}, {}", g.latitude, g.longitude)).unwrap_or_default());
    let has_hours = RwSignal::new(start.opening_hours.is_some());
    let hours = RwSignal::new(start.opening_hours.clone().unwrap_or_else(usual_hours));
    let (problem, set_problem) = signal(None::<Problem>);
    let key = StoredValue::new(id.clone().unwrap_or_else(|| "new".into()));
    let field = move |name: &str| key.with_value(|key| format!("location-{key}-{name}"));
    let catalog = StoredValue::new(catalog);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut l = location.get_untracked();
        match read_map_point(&map_point.get_untracked()) {
            Ok(geo) => l.geo = geo,
            Err(problem) => return set_problem.set(Some(problem)),
        }
        l.opening_hours = has_hours.get_untracked().then(|| hours.get_untracked());
        if l.id.is_empty() {
            let taken: Vec<String> = catalog.with_value(|c| c.locations.iter().map(|x| x.id.clone()).collect());
            l.id = id_from_name(&l.name, &taken);
        }
        catalog.with_value(|c| {
            save_item(data, c, Item::Locations(l), set_problem, Callback::new(move |()| editing.set(None)))
        });
    };
    let delete = move |_| {
        let l = location.get_untracked();
        catalog.with_value(|c| delete_item(data, c.id.clone(), "locations", l.id.clone(), &l.name, set_problem));
    };
    let text = move |get: fn(&Location) -> String, put: fn(&mut Location, String)| {
        (Signal::derive(move || location.with(get)), Callback::new(move |v: String| location.update(|l| put(l, v))))
    };
    let policy = move |get: fn(&BookingPolicy) -> u32, put: fn(&mut BookingPolicy, u32)| {
        (
            Signal::derive(move || location.with(|l| get(&l.policy))),
            Callback::new(move |v: u32| location.update(|l| put(&mut l.policy, v))),
        )
    };
    let (name, set_name) = text(|l| l.name.clone(), |l, v| l.name = v);
    let (address, set_address) = text(|l| l.address.clone(), |l, v| l.address = v);
    let (city, set_city) = text(|l| l.city.clone(), |l, v| l.city = v);
    let (postal_code, set_postal_code) = text(|l| l.postal_code.clone(), |l, v| l.postal_code = v);
    let (region, set_region) = text(|l| l.region.clone(), |l, v| l.region = v);
    let (country, set_country) = text(|l| l.country.clone(), |l, v| l.country = v);
    let countries: Vec<(String, String)> = std::iter::once((String::new(), "—".to_string()))
        .chain(countries().into_iter().map(|(code, name)| (code.to_string(), name.to_string())))
        .collect();
    let (phone, set_phone) = text(|l| l.phone.clone().unwrap_or_default(), |l, v| l.phone = optional(v));
    let (email, set_email) = text(|l| l.email.clone().unwrap_or_default(), |l, v| l.email = optional(v));
    let (zone, set_zone) = text(|l| l.time_zone.clone(), |l, v| l.time_zone = v.trim().to_string());
    let (step, set_step) = policy(|p| p.slot_step_minutes, |p, v| p.slot_step_minutes = v);
    let (notice, set_notice) = policy(|p| p.minimum_notice_minutes, |p, v| p.minimum_notice_minutes = v);
    let (horizon, set_horizon) = policy(|p| p.horizon_days, |p, v| p.horizon_days = v);
    let (hold, set_hold) = policy(|p| p.hold_minutes, |p, v| p.hold_minutes = v);
    let (cancel, set_cancel) = policy(|p| p.cancellation_notice_minutes, |p, v| p.cancellation_notice_minutes = v);
    let modes = vec![
        ("fixed".to_string(), "Every slot step".to_string()),
        ("optimal".to_string(), "Only starts that leave no unsellable gaps".to_string()),
    ];

    view! {
        <form class="edit" on:submit=submit>
            <TextField id=field("name") label="Name" value=name set=set_name problem=problem_at(problem, "name") required=true/>
            <div class="pair">
                <div><TextField id=field("address") label="Address" value=address set=set_address problem=problem_at(problem, "address")/></div>
                <div><TextField id=field("city") label="City" value=city set=set_city problem=problem_at(problem, "city")/></div>
            </div>
            <div class="pair">
                <div><TextField id=field("postal-code") label="Postal code" value=postal_code set=set_postal_code problem=problem_at(problem, "postal_code")/></div>
                <div><TextField id=field("region") label="Region (state, county)" value=region set=set_region problem=problem_at(problem, "region")/></div>
            </div>
            <div class="pair">
                <div>
                    <SelectField id=field("country") label="Country" options=countries value=country set=set_country/>
                    <p class="field-problem">{move || problem_at(problem, "country").get()}</p>
                </div>
                <div><TextField id=field("map") label="On the map (latitude, longitude)" value=map_point
                    set=Callback::new(move |v| set_map_point.set(v)) problem=problem_at(problem, "geo")/></div>
            </div>
            <p class="hint">"With the street, city, postal code and country, and the business's category on the overview, \
                the location is listed on Google and its \"Book\" button opens your booking page."</p>
            <div class="pair">
                <div><TextField id=field("phone") label="Phone" kind="tel" value=phone set=set_phone problem=problem_at(problem, "phone")/></div>
                <div><TextField id=field("email") label="E-mail" kind="email" value=email set=set_email problem=problem_at(problem, "email")/></div>
            </div>
            <TextField id=field("zone") label="Time zone (e.g. Europe/Berlin)" value=zone set=set_zone
                problem=problem_at(problem, "time_zone") required=true/>
            <fieldset>
                <legend>"When clients may book"</legend>
                <div class="pair">
                    <div><NumberField id=field("step") label="Slot step (minutes)" value=step set=set_step problem=problem_at(problem, "policy.slot_step_minutes")/></div>
                    <div><NumberField id=field("notice") label="Minimum notice (minutes)" value=notice set=set_notice problem=problem_at(problem, "policy.minimum_notice_minutes")/></div>
                    <div><NumberField id=field("horizon") label="Horizon (days ahead)" value=horizon set=set_horizon problem=problem_at(problem, "policy.horizon_days")/></div>
                </div>
                <div class="pair">
                    <div><NumberField id=field("hold") label="Hold a picked time for (minutes)" value=hold set=set_hold problem=problem_at(problem, "policy.hold_minutes")/></div>
                    <div><NumberField id=field("cancel") label="Cancel or move online until (minutes before)" value=cancel set=set_cancel problem=problem_at(problem, "policy.cancellation_notice_minutes")/></div>
                </div>
                <SelectField id=field("mode") label="Which starts are offered" options=modes
                    value=Signal::derive(move || location.with(|l| if l.policy.slot_mode == SlotMode::Optimal { "optimal" } else { "fixed" }.to_string()))
                    set=Callback::new(move |v: String| location.update(|l| l.policy.slot_mode = if v == "optimal" { SlotMode::Optimal } else { SlotMode::Fixed }))/>
            </fieldset>
            <h3>"Opening hours"</h3>
            <label class="check"><input type="checkbox" prop:checked=has_hours on:change=move |ev| has_hours.set(event_target_checked(&ev))/>
                "Specialists work only inside the opening hours"</label>
            <p class="field-problem">{move || problem_at(problem, "opening_hours").get()}</p>
            <Show when=move || has_hours.get()>
                <WeekEditor hours name=field("open")/>
            </Show>
            <Holidays location problem key=field("holiday")/>
            <Resources location problem key=field("resource")/>
            <FormProblem problem/>
            <div class="actions">
                <button type="submit">{if is_new { "Add the location" } else { "Save" }}</button>
                <button type="button" class="secondary" on:click=move |_| editing.set(None)>"Cancel"</button>
                {(!is_new).then(|| view! { <button type="button" class="secondary danger" on:click=delete>"Delete"</button> })}
            </div>
        </form>
    }
}

/// The map position typed as `latitude, longitude` (blank: none).
fn read_map_point(text: &str) -> Result<Option<Geo>, Problem> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let numbers: Vec<f64> = text.split(',').filter_map(|part| part.trim().parse().ok()).collect();
    match numbers[..] {
        [latitude, longitude] if text.split(',').count() == 2 => Ok(Some(Geo { latitude, longitude })),
        _ => Err(Problem {
            code: "validation_failed".into(),
            message: "Two numbers, latitude then longitude, such as 51.5139, -0.1318.".into(),
            field: Some("geo".into()),
        }),
    }
}

/// Dates the location is closed.
#[component]
fn Holidays(location: RwSignal<Location>, problem: ReadSignal<Option<Problem>>, key: String) -> impl IntoView {
    let (date, set_date) = signal(String::new());
    let add = move |_| {
        if let Some(day) = CivilDate::parse(&date.get_untracked()) {
            location.update(|l| {
                if !l.holidays.contains(&day) {
                    l.holidays.push(day);
                    l.holidays.sort();
                }
            });
        }
    };
    view! {
        <fieldset>
            <legend>"Holidays (closed all day)"</legend>
            <p class="field-problem">{move || problem_at(problem, "holidays").get()}</p>
            <ul>
                {move || location.with(|l| l.holidays.iter().copied().map(|day| view! {
                    <li>{day.to_string()} " "
                        <button type="button" class="link" on:click=move |_| location.update(|l| l.holidays.retain(|d| *d != day))>
                            {format!("Remove {day}")}
                        </button>
                    </li>
                }).collect_view())}
            </ul>
            <TextField id=format!("{key}-date") label="Date" kind="date" value=date set=Callback::new(move |v| set_date.set(v))/>
            <button type="button" class="secondary" on:click=add>"Add the holiday"</button>
        </fieldset>
    }
}

/// Rooms, bays and devices, each with how many can be in use at once.
#[component]
fn Resources(location: RwSignal<Location>, problem: ReadSignal<Option<Problem>>, key: String) -> impl IntoView {
    let count = move || location.with(|l| l.resources.len());
    let edit = move |i: usize, f: &dyn Fn(&mut Resource)| {
        location.update(|l| {
            if let Some(r) = l.resources.get_mut(i) {
                f(r)
            }
        })
    };
    view! {
        <fieldset>
            <legend>"Resources (rooms, bays, devices)"</legend>
            <p class="field-problem">{move || problem_at(problem, "resources").get()}</p>
            <ul class="rows">
                {
                    let key = key.clone();
                    move || (0..count()).map(|i| view! {
                        <li class="row pair">
                            <div><TextField id=format!("{key}-{i}-name") label=format!("Resource {}", i + 1)
                                value=Signal::derive(move || location.with(|l| l.resources.get(i).map(|r| r.name.clone()).unwrap_or_default()))
                                set=Callback::new(move |v: String| edit(i, &|r| r.name = v.clone()))/></div>
                            <div><NumberField id=format!("{key}-{i}-capacity") label="How many at once"
                                value=Signal::derive(move || location.with(|l| l.resources.get(i).map_or(1, |r| r.capacity)))
                                set=Callback::new(move |n| edit(i, &|r| r.capacity = n))/></div>
                        </li>
                    }).collect_view()
                }
            </ul>
            <button type="button" class="secondary" on:click=move |_| location.update(|l| {
                let taken: Vec<String> = l.resources.iter().map(|r| r.id.clone()).collect();
                l.resources.push(Resource { id: id_from_name("room", &taken), name: String::new(), capacity: 1 });
            })>"Add a resource"</button>
        </fieldset>
    }
}
