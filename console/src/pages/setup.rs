//! Setting a new business up, in six steps: the business (name, country, trade), its first
//! location (address, time zone, opening hours), its services (from the trade's template), its
//! team (each with weekly hours), its website, and then its live form and the code to paste.
//!
//! The draft is checked by the same rules as the edge (`Company::validate`) before it is saved in
//! one request (the whole catalog, `PUT /v1/admin/companies/{company}`); a problem takes the owner
//! back to the step and the field it is about.

use leptos::prelude::*;

use homeslot_core::catalog::{is_valid_origin, Company, Specialist, WeeklyHours};
use homeslot_core::currency::{decimal, exponent, parse_decimal};
use homeslot_core::embed::{snippet, Mode, Preselect};
use homeslot_core::onboarding::{countries, currency_of, id_from_name, new_service, usual_hours, Trade};

use crate::api::{self, edge_origin, Problem};
use crate::components::fields::CopyButton;
use crate::components::preview::WidgetPreview;
use crate::components::week::WeekEditor;
use crate::pages::business::use_company;
use crate::pages::{problem_at, FormProblem};
use crate::session::use_session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Business,
    Location,
    Services,
    Team,
    Website,
    Done,
}

impl Step {
    const ALL: [Step; 6] = [Step::Business, Step::Location, Step::Services, Step::Team, Step::Website, Step::Done];

    fn title(self) -> &'static str {
        match self {
            Step::Business => "Your business",
            Step::Location => "Where clients come",
            Step::Services => "What clients book",
            Step::Team => "Who does the work",
            Step::Website => "Your website",
            Step::Done => "Your booking form",
        }
    }

    fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    fn next(self) -> Step {
        Step::ALL.get(self.number()).copied().unwrap_or(Step::Done)
    }

    fn back(self) -> Step {
        Step::ALL.get(self.number().saturating_sub(2)).copied().unwrap_or(Step::Business)
    }

    /// The step where a problem with catalog field `field` is fixed.
    fn of_field(field: &str) -> Step {
        if field.starts_with("services") {
            Step::Services
        } else if field.starts_with("specialists") {
            Step::Team
        } else if field.starts_with("locations") {
            Step::Location
        } else if field.starts_with("site_origins") {
            Step::Website
        } else {
            Step::Business
        }
    }
}

/// A service as the owner types it: the price in the currency's units, as text.
#[derive(Clone)]
struct ServiceRow {
    key: usize,
    /// The catalog's service this row edits (a business set up before keeps what the wizard does
    /// not ask: descriptions, variants, categories).
    id: Option<String>,
    name: RwSignal<String>,
    minutes: RwSignal<String>,
    price: RwSignal<String>,
    buffer_after: u32,
}

/// A person of the team and their weekly hours.
#[derive(Clone)]
struct PersonRow {
    key: usize,
    /// The catalog's specialist this row edits.
    id: Option<String>,
    name: RwSignal<String>,
    position: RwSignal<String>,
    hours: RwSignal<WeeklyHours>,
}

/// Everything the wizard asks, as the owner types it.
#[derive(Clone, Copy)]
struct Draft {
    name: RwSignal<String>,
    country: RwSignal<String>,
    trade: RwSignal<Trade>,
    location_name: RwSignal<String>,
    address: RwSignal<String>,
    time_zone: RwSignal<String>,
    opening_hours: RwSignal<WeeklyHours>,
    services: RwSignal<Vec<ServiceRow>>,
    /// The trade the services were last filled from (a new trade fills them again).
    filled_for: RwSignal<Option<Trade>>,
    /// The business had services already: the wizard shows them, and no trade replaces them.
    own_services: bool,
    team: RwSignal<Vec<PersonRow>>,
    /// Whether the owner has been to the team's step (until then, everyone's hours follow the
    /// opening hours).
    team_seen: RwSignal<bool>,
    site: RwSignal<String>,
    next_key: StoredValue<usize>,
}

/// The browser's region (`en-GB` → `GB`), the best guess of the owner's country.
fn browser_country() -> Option<String> {
    let language = web_sys::window()?.navigator().language()?;
    let region = language.split(['-', '_']).nth(1)?.to_uppercase();
    (region.len() == 2 && currency_of(&region).is_some()).then_some(region)
}

/// The browser's time zone (`Europe/Berlin`): where the owner most likely is.
fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into()).ok()?.as_string()
}

impl Draft {
    fn from(company: &Company) -> Draft {
        let location = company.locations.first();
        let country = company.widget.phone_country.clone().or_else(browser_country).unwrap_or_else(|| "GB".into());
        let zone = location
            .map(|l| l.time_zone.clone())
            .filter(|z| z != "Europe/London" || country == "GB")
            .or_else(browser_time_zone)
            .unwrap_or_else(|| "Europe/London".into());
        let draft = Draft {
            name: RwSignal::new(company.name.clone()),
            country: RwSignal::new(country),
            trade: RwSignal::new(Trade::HairSalon),
            location_name: RwSignal::new(location.map(|l| l.name.clone()).unwrap_or_else(|| "Main".into())),
            address: RwSignal::new(location.map(|l| l.address.clone()).unwrap_or_default()),
            time_zone: RwSignal::new(zone),
            opening_hours: RwSignal::new(location.and_then(|l| l.opening_hours.clone()).unwrap_or_else(usual_hours)),
            services: RwSignal::new(Vec::new()),
            filled_for: RwSignal::new(None),
            own_services: !company.services.is_empty(),
            team: RwSignal::new(Vec::new()),
            // Hours the business set before stay as they are.
            team_seen: RwSignal::new(!company.specialists.is_empty()),
            site: RwSignal::new(company.site_origins.first().cloned().unwrap_or_default()),
            next_key: StoredValue::new(0),
        };
        // A business opening the wizard again sees what it has, not a template over it.
        let exponent = draft.exponent();
        let rows = company
            .services
            .iter()
            .map(|s| ServiceRow {
                key: draft.key(),
                id: Some(s.id.clone()),
                name: RwSignal::new(s.name.clone()),
                minutes: RwSignal::new(s.duration_minutes.to_string()),
                price: RwSignal::new(decimal(s.price_minor, exponent)),
                buffer_after: s.buffer_after_minutes,
            })
            .collect();
        draft.services.set(rows);
        let people: Vec<PersonRow> = company
            .specialists
            .iter()
            .map(|s| PersonRow {
                key: draft.key(),
                id: Some(s.id.clone()),
                name: RwSignal::new(s.name.clone()),
                position: RwSignal::new(s.position.clone()),
                hours: RwSignal::new(s.working_hours.clone()),
            })
            .collect();
        if people.is_empty() {
            draft.add_person(String::new());
        } else {
            draft.team.set(people);
        }
        draft
    }

    fn key(&self) -> usize {
        self.next_key.update_value(|k| *k += 1);
        self.next_key.get_value()
    }

    fn exponent(&self) -> u8 {
        currency_of(&self.country.get_untracked()).and_then(exponent).unwrap_or(2)
    }

    /// The trade's services, unless they were filled for this trade already (the owner's edits stay).
    fn fill_services(&self) {
        let trade = self.trade.get_untracked();
        if self.own_services || self.filled_for.get_untracked() == Some(trade) {
            return;
        }
        let exponent = self.exponent();
        let rows = trade
            .services(exponent, &[])
            .into_iter()
            .map(|s| ServiceRow {
                key: self.key(),
                id: None,
                name: RwSignal::new(s.name),
                minutes: RwSignal::new(s.duration_minutes.to_string()),
                price: RwSignal::new(decimal(s.price_minor, exponent)),
                buffer_after: s.buffer_after_minutes,
            })
            .collect();
        self.services.set(rows);
        self.filled_for.set(Some(trade));
    }

    fn add_service(&self) {
        let row = ServiceRow {
            key: self.key(),
            id: None,
            name: RwSignal::new(String::new()),
            minutes: RwSignal::new("30".into()),
            price: RwSignal::new(String::new()),
            buffer_after: 0,
        };
        self.services.update(|rows| rows.push(row));
    }

    /// Everyone works the opening hours, until the owner has seen the team's step.
    fn team_opening_hours(&self) {
        if !self.team_seen.get_untracked() {
            let hours = self.opening_hours.get_untracked();
            self.team.with_untracked(|team| team.iter().for_each(|person| person.hours.set(hours.clone())));
            self.team_seen.set(true);
        }
    }

    fn add_person(&self, name: String) {
        let row = PersonRow {
            key: self.key(),
            id: None,
            name: RwSignal::new(name),
            position: RwSignal::new(String::new()),
            hours: RwSignal::new(self.opening_hours.get_untracked()),
        };
        self.team.update(|rows| rows.push(row));
    }

    /// The catalog the answers make, from `base` (the business as the operator created it):
    /// its first location is this one, every specialist performs every service. A problem the
    /// rules find names its field as the edge would.
    fn catalog(&self, base: &Company) -> Result<Company, Problem> {
        let problem = |field: String, message: &str| Problem::at(&field, message);
        let country = self.country.get_untracked();
        let currency = currency_of(&country).ok_or_else(|| problem("currency".into(), "Choose your country."))?;
        let exponent = exponent(currency).unwrap_or(2);
        let mut company = base.clone();
        company.name = self.name.get_untracked().trim().to_string();
        company.currency = currency.to_string();
        company.widget.phone_country = Some(country);
        if company.locations.is_empty() {
            company.locations.push(
                serde_json::from_value(serde_json::json!({ "id": "main", "name": "Main",
                "time_zone": "Europe/London" }))
                .map_err(|_| problem("locations".into(), "A location is missing."))?,
            );
        }
        let location = &mut company.locations[0];
        location.name = self.location_name.get_untracked().trim().to_string();
        location.address = self.address.get_untracked().trim().to_string();
        location.time_zone = self.time_zone.get_untracked().trim().to_string();
        location.opening_hours = Some(self.opening_hours.get_untracked());
        let location_id = location.id.clone();

        // Rows of the catalog's items keep their ids (and what the wizard does not ask); new
        // rows get ids of their names that no kept item has.
        let team = self.team.get_untracked();
        let mut taken: Vec<String> = team.iter().filter_map(|p| p.id.clone()).collect();
        let before = std::mem::take(&mut company.specialists);
        for person in team {
            let name = person.name.get_untracked().trim().to_string();
            let kept = person.id.as_ref().and_then(|id| before.iter().find(|s| &s.id == id)).cloned();
            let mut specialist = kept.unwrap_or_else(|| {
                let id = id_from_name(&name, &taken);
                taken.push(id.clone());
                Specialist {
                    id,
                    name: String::new(),
                    position: String::new(),
                    photo_url: None,
                    location_id: location_id.clone(),
                    working_hours: WeeklyHours::default(),
                    date_overrides: Vec::new(),
                    time_off: Vec::new(),
                }
            });
            specialist.name = name;
            specialist.position = person.position.get_untracked().trim().to_string();
            specialist.working_hours = person.hours.get_untracked();
            company.specialists.push(specialist);
        }
        let everyone: Vec<String> = company.specialists.iter().map(|s| s.id.clone()).collect();
        let rows = self.services.get_untracked();
        let mut taken: Vec<String> = rows.iter().filter_map(|r| r.id.clone()).collect();
        let before = std::mem::take(&mut company.services);
        let mut services = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let name = row.name.get_untracked().trim().to_string();
            let minutes = row.minutes.get_untracked().trim().parse::<u32>().map_err(|_| {
                problem(format!("services[{i}].duration_minutes"), "How long it takes, in minutes (e.g. 45).")
            })?;
            let price = parse_decimal(&row.price.get_untracked(), exponent).ok_or_else(|| {
                problem(
                    format!("services[{i}].price_minor"),
                    &format!(
                        "A price in {currency}, like {}.",
                        decimal(4500 * 10_i64.pow(u32::from(exponent)) / 100, exponent)
                    ),
                )
            })?;
            let kept = row.id.as_ref().and_then(|id| before.iter().find(|s| &s.id == id)).cloned();
            let mut service = match kept {
                Some(mut service) => {
                    // Whoever left the team in the wizard no longer performs it.
                    service.specialist_ids.retain(|id| everyone.contains(id));
                    service.variants.retain(|v| everyone.contains(&v.specialist_id));
                    service
                }
                None => {
                    let id = id_from_name(&name, &taken);
                    taken.push(id.clone());
                    let mut service = new_service(id, &name, minutes, price, &everyone);
                    service.buffer_after_minutes = row.buffer_after;
                    service
                }
            };
            service.name = name;
            service.duration_minutes = minutes;
            service.price_minor = price;
            services.push(service);
        }
        company.services = services;
        // The team's step comes after the services': its problems are said after theirs.
        if let Some(i) = company.specialists.iter().position(|s| s.name.is_empty()) {
            return Err(problem(format!("specialists[{i}].name"), "Each person needs a name."));
        }
        let site = self.site.get_untracked().trim().trim_end_matches('/').to_lowercase();
        if !site.is_empty() {
            if !is_valid_origin(&site) {
                return Err(problem(
                    "site_origins[0]".into(),
                    "Your site's address, like https://salon.example (no path).",
                ));
            }
            if !company.site_origins.contains(&site) {
                company.site_origins.push(site);
            }
        }
        company.validate()?;
        Ok(company)
    }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let company = use_company();
    let catalog = LocalResource::new(move || api::catalog(company.get()));
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || catalog.get().map(|answer| match answer {
                Ok(catalog) => view! { <Wizard base=catalog/> }.into_any(),
                Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Wizard(base: Company) -> impl IntoView {
    let draft = Draft::from(&base);
    let step = RwSignal::new(Step::Business);
    let (problem, set_problem) = signal(None::<Problem>);
    let saved = RwSignal::new(None::<Company>);
    let session = use_session();
    let base = StoredValue::new(base);
    let save = Action::new_local(move |company: &Company| {
        let company = company.clone();
        async move { api::put_catalog(&company).await.map(|()| company) }
    });
    Effect::new(move |_| match save.value().get() {
        Some(Ok(company)) => {
            set_problem.set(None);
            saved.set(Some(company));
            step.set(Step::Done);
            session.me.refetch();
        }
        Some(Err(error)) => {
            if let Some(field) = &error.field {
                step.set(Step::of_field(field));
            }
            set_problem.set(Some(error));
        }
        None => {}
    });
    let next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let current = step.get_untracked();
        // Each step's own fields are checked when it is left; the whole catalog before saving.
        let checked = base.with_value(|base| draft.catalog(base));
        match checked {
            Err(error)
                if error.field.as_deref().map(Step::of_field).is_some_and(|s| s.number() <= current.number()) =>
            {
                set_problem.set(Some(error));
                return;
            }
            _ => set_problem.set(None),
        }
        match current {
            Step::Business => draft.fill_services(),
            Step::Location => draft.team_opening_hours(),
            _ => {}
        }
        match (current, checked) {
            (Step::Website, Ok(company)) => {
                save.dispatch(company);
            }
            (Step::Website, Err(error)) => {
                if let Some(field) = &error.field {
                    step.set(Step::of_field(field));
                }
                set_problem.set(Some(error));
            }
            _ => step.set(current.next()),
        }
    };
    view! {
        <section class="card setup" aria-labelledby="setup-title">
            <p class="hint">{move || format!("Step {} of {}", step.get().number(), Step::ALL.len())}</p>
            <h1 id="setup-title">{move || step.get().title()}</h1>
            <ol class="steps" aria-label="Steps">
                {Step::ALL.into_iter().map(|s| view! {
                    <li aria-current=move || (step.get() == s).then_some("step")>{s.title()}</li>
                }).collect_view()}
            </ol>
            <Show when=move || step.get() != Step::Done fallback=move || view! { <Finished saved/> }>
                <form on:submit=next>
                    {move || match step.get() {
                        Step::Business => view! { <BusinessStep draft problem/> }.into_any(),
                        Step::Location => view! { <LocationStep draft problem/> }.into_any(),
                        Step::Services => view! { <ServicesStep draft problem/> }.into_any(),
                        Step::Team => view! { <TeamStep draft problem/> }.into_any(),
                        _ => view! { <WebsiteStep draft problem/> }.into_any(),
                    }}
                    <FormProblem problem/>
                    <div class="actions">
                        <Show when=move || step.get() != Step::Business>
                            <button type="button" class="secondary" on:click=move |_| {
                                set_problem.set(None);
                                step.update(|s| *s = s.back());
                            }>"Back"</button>
                        </Show>
                        <button type="submit" disabled=save.pending()>
                            {move || if step.get() == Step::Website { "Save and show my form" } else { "Next" }}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// A labelled text field bound to `value`, with the problem about `field` under it.
#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    problem: ReadSignal<Option<Problem>>,
    field: &'static str,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let described = format!("{id}-problem");
    view! {
        <label for=id>{label}</label>
        {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
        <input id=id prop:value=value required=required aria-describedby=described.clone()
            on:input=move |ev| value.set(event_target_value(&ev))/>
        <p class="field-problem" id=described>{problem_at(problem, field.to_string())}</p>
    }
}

#[component]
fn BusinessStep(draft: Draft, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    let currency = move || currency_of(&draft.country.get()).unwrap_or("—");
    view! {
        <Field id="business-name" label="The business's name" value=draft.name problem field="name" required=true/>
        <label for="country">"Country"</label>
        <select id="country" on:change=move |ev| draft.country.set(event_target_value(&ev))>
            {countries().into_iter().filter(|(code, _)| currency_of(code).is_some()).map(|(code, name)| view! {
                <option value=code selected=move || draft.country.get() == code>{name}</option>
            }).collect_view()}
        </select>
        <p class="hint">{move || format!("Prices in {}; clients' phone numbers start with this country's code.", currency())}</p>
        <fieldset>
            <legend>"What kind of business?"</legend>
            {Trade::ALL.into_iter().map(|trade| view! {
                <label class="check">
                    <input type="radio" name="trade" value=trade.as_str() prop:checked=move || draft.trade.get() == trade
                        on:change=move |_| draft.trade.set(trade)/>
                    {trade.label()}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn LocationStep(draft: Draft, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    view! {
        <Field id="location-name" label="The location's name" value=draft.location_name problem field="locations[0].name" required=true/>
        <Field id="address" label="Address" value=draft.address problem field="locations[0].address"
            hint="Shown to clients when they book."/>
        <Field id="time-zone" label="Time zone" value=draft.time_zone problem field="locations[0].time_zone"
            hint="Set from this computer; change it if the location is elsewhere (e.g. Europe/Berlin)." required=true/>
        <h2>"Opening hours"</h2>
        <p class="field-problem">{problem_at(problem, "locations[0].opening_hours")}</p>
        <WeekEditor hours=draft.opening_hours name="open"/>
    }
}

#[component]
fn ServicesStep(draft: Draft, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    let currency = move || currency_of(&draft.country.get()).unwrap_or("");
    view! {
        <p class="hint">"From the usual services of your trade: change names, times and prices, remove or add."</p>
        <p class="field-problem">{problem_at(problem, "services")}</p>
        <ul class="rows">
            <For each=move || draft.services.get().into_iter().enumerate() key=|(i, row)| (*i, row.key) let:((i, row))>
                <li class="row">
                    <label for=format!("service-{i}-name")>{format!("Service {}", i + 1)}</label>
                    <input id=format!("service-{i}-name") prop:value=row.name required
                        on:input=move |ev| row.name.set(event_target_value(&ev))/>
                    <div class="pair">
                        <label for=format!("service-{i}-minutes")>"Minutes"
                            <input id=format!("service-{i}-minutes") inputmode="numeric" prop:value=row.minutes
                                on:input=move |ev| row.minutes.set(event_target_value(&ev))/>
                        </label>
                        <label for=format!("service-{i}-price")>{move || format!("Price ({})", currency())}
                            <input id=format!("service-{i}-price") inputmode="decimal" prop:value=row.price
                                on:input=move |ev| row.price.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <p class="field-problem">{problem_at(problem, format!("services[{i}]"))}</p>
                    <button type="button" class="link" on:click=move |_| draft.services.update(|rows| { rows.remove(i); })>
                        {format!("Remove service {}", i + 1)}
                    </button>
                </li>
            </For>
        </ul>
        <button type="button" class="secondary" on:click=move |_| draft.add_service()>"Add a service"</button>
    }
}

#[component]
fn TeamStep(draft: Draft, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    view! {
        <p class="hint">"Everyone clients can book, with the hours they work (they start as the opening hours)."</p>
        <p class="field-problem">{problem_at(problem, "specialists")}</p>
        <ul class="rows">
            <For each=move || draft.team.get().into_iter().enumerate() key=|(i, row)| (*i, row.key) let:((i, row))>
                <li class="row">
                    <div class="pair">
                        <label for=format!("person-{i}-name")>"Name"
                            <input id=format!("person-{i}-name") prop:value=row.name required autocomplete="off"
                                on:input=move |ev| row.name.set(event_target_value(&ev))/>
                        </label>
                        <label for=format!("person-{i}-position")>"Position (optional)"
                            <input id=format!("person-{i}-position") prop:value=row.position
                                on:input=move |ev| row.position.set(event_target_value(&ev))/>
                        </label>
                    </div>
                    <p class="field-problem">{problem_at(problem, format!("specialists[{i}]"))}</p>
                    <h3>{move || format!("{}'s hours", row.name.get())}</h3>
                    <WeekEditor hours=row.hours name=format!("person-{i}")/>
                    <Show when=move || { draft.team.with(|t| t.len() > 1) }>
                        <button type="button" class="link" on:click=move |_| draft.team.update(|rows| { rows.remove(i); })>
                            {move || format!("Remove {}", row.name.get())}
                        </button>
                    </Show>
                </li>
            </For>
        </ul>
        <button type="button" class="secondary" on:click=move |_| draft.add_person(String::new())>"Add a person"</button>
    }
}

#[component]
fn WebsiteStep(draft: Draft, problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    view! {
        <Field id="website" label="Your website's address (optional)" value=draft.site problem field="site_origins"
            hint="Where the form will be, like https://salon.example. No website? You get a booking page of your own."/>
    }
}

/// The end: the form live, and the code to paste.
#[component]
fn Finished(saved: RwSignal<Option<Company>>) -> impl IntoView {
    let company = use_company();
    let settings = Signal::derive(move || saved.get().map(|c| c.widget).unwrap_or_default());
    let code = Signal::derive(move || {
        snippet(&edge_origin(), &company.get(), Mode::Inline, &Preselect::default()).unwrap_or_default()
    });
    view! {
        <p role="status">"Saved. Your booking form is live: try it here."</p>
        <WidgetPreview company settings/>
        <label for="setup-snippet">"Paste this code into your site where the form should be"</label>
        <textarea id="setup-snippet" readonly rows="3" prop:value=code></textarea>
        <CopyButton text=code label="Copy the code"/>
        <p>
            <a href=move || format!("/console/b/{}/embed", company.get())>"More ways to add it to your site"</a>
            " · "
            <a href=move || format!("/console/b/{}/look", company.get())>"Change how it looks"</a>
        </p>
    }
}
