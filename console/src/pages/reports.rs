//! Reports (`/console/b/{company}/reports`, owners and managers): a location's bookings over a
//! range of dates — by channel and by source, new and returning clients, cancellations and
//! no-shows, each specialist's utilisation — with two charts where bars read better than
//! figures. Every table is the core's ([`Report::tables`]) and downloads as the same rows in CSV,
//! so the screen, the file and the API cannot disagree.

use leptos::prelude::*;

use homeslot_core::access::Action;
use homeslot_core::catalog::Company;
use homeslot_core::report::{channel_name, Report, Table};

use crate::api;
use crate::dates::{add_days, today};
use crate::pages::business::use_company;
use crate::pages::{money_text, WithCatalog};
use crate::session::use_session;

#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <WithCatalog let:catalog><Reports catalog/></WithCatalog> }
}

#[component]
fn Reports(catalog: Company) -> impl IntoView {
    let company = use_company();
    let grant = use_session().business(&company.get_untracked()).map(|b| b.grant);
    let locations: Vec<(String, String)> = catalog
        .locations
        .iter()
        .filter(|l| grant.as_ref().is_some_and(|g| g.allows(Action::SeeReports, Some(&l.id))))
        .map(|l| (l.id.clone(), l.name.clone()))
        .collect();
    let location = RwSignal::new(locations.first().map(|(id, _)| id.clone()).unwrap_or_default());
    // The last 30 days, today included.
    let to = RwSignal::new(today());
    let from = RwSignal::new(add_days(&today(), -29));
    let report = LocalResource::new(move || api::report(company.get(), location.get(), from.get(), to.get()));
    // One end moved past the other takes it along: the range is never upside down.
    let set_from = move |d: String| {
        if d > to.get_untracked() {
            to.set(d.clone());
        }
        from.set(d);
    };
    let set_to = move |d: String| {
        if d < from.get_untracked() {
            from.set(d.clone());
        }
        to.set(d);
    };
    let date_input = |id: &'static str, label: &'static str, value: RwSignal<String>, set: Callback<String>| {
        view! {
            <div>
                <label for=id>{label}</label>
                <input id=id type="date" prop:value=value
                    on:change=move |ev| { let d = event_target_value(&ev); if d.len() == 10 { set.run(d) } }/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="reports-title">
            <h1 id="reports-title">"Reports"</h1>
            <div class="report-bar">
                <div>
                    <label for="report-location">"Location"</label>
                    <select id="report-location" on:change=move |ev| location.set(event_target_value(&ev))>
                        {locations.into_iter().map(|(id, name)| {
                            let chosen = id.clone();
                            view! { <option value=id selected=move || location.get() == chosen>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {date_input("report-from", "From", from, Callback::new(set_from))}
                {date_input("report-to", "To", to, Callback::new(set_to))}
            </div>
            <p class="hint">
                "Bookings that start on these dates at the location. Test bookings are left out; each service of a \
                 visit, and each class seat, is one booking. Revenue is what the bookings that were neither \
                 cancelled nor no-shows are worth at their confirmed prices."
            </p>
        </section>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || report.get().map(|answer| match answer {
                Ok(report) => view! { <ReportView report file=format!("{}-{}", company.get_untracked(), location.get_untracked())/> }.into_any(),
                Err(problem) => view! { <p class="problem card" role="alert">{problem.message}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// One report: the totals, the charts, and every table with its CSV.
#[component]
fn ReportView(report: Report, file: String) -> impl IntoView {
    let total = report.total.clone();
    let channels: Vec<Bar> = report
        .channels
        .iter()
        .map(|c| Bar {
            name: channel_name(&c.channel).to_string(),
            value: f64::from(c.tally.bookings),
            shown: format!("{} · {}", c.tally.bookings, money_text(&c.tally.revenue)),
        })
        .collect();
    let utilisation: Vec<Bar> = report
        .utilisation
        .iter()
        .map(|u| Bar {
            name: u.name.clone(),
            value: u.percent.unwrap_or(0.0),
            shown: u.percent.map_or_else(|| "not working".to_string(), |p| format!("{p:.1} %")),
        })
        .collect();
    let tables = report.tables();
    let file = format!("{file}-{}-{}", report.from, report.to);
    view! {
        <section class="card" aria-labelledby="report-summary">
            <h2 id="report-summary">{format!("{} to {}", report.from, report.to)}</h2>
            <dl class="totals">
                <div><dt>"Bookings"</dt><dd>{total.bookings}</dd></div>
                <div><dt>"Revenue"</dt><dd>{money_text(&total.revenue)}</dd></div>
                <div><dt>"Cancelled"</dt><dd>{total.cancelled}</dd></div>
                <div><dt>"No-shows"</dt><dd>{total.no_shows}</dd></div>
            </dl>
            <div class="charts">
                <Chart title="Bookings by channel" bars=channels scale=None/>
                <Chart title="Utilisation" bars=utilisation scale=Some(100.0)/>
            </div>
        </section>
        {tables.into_iter().map(|table| view! { <ReportTable table file=file.clone()/> }).collect_view()}
    }
}

/// One bar of a chart: what it is, its length, and the figure written beside it.
struct Bar {
    name: String,
    value: f64,
    shown: String,
}

/// A horizontal bar chart in SVG (no charting script: the figures are also in the tables below).
/// `scale` is the value of a full bar (the largest value when none).
#[component]
fn Chart(title: &'static str, bars: Vec<Bar>, scale: Option<f64>) -> impl IntoView {
    const ROW: f64 = 30.0;
    const LABEL: f64 = 150.0;
    const LENGTH: f64 = 150.0;
    let full = scale.unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max)).max(1.0);
    let height = ROW * bars.len().max(1) as f64;
    let summary = bars.iter().map(|b| format!("{}: {}", b.name, b.shown)).collect::<Vec<_>>().join("; ");
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 460 {height}") role="img" aria-label=format!("{title}. {summary}")>
                {bars.into_iter().enumerate().map(|(i, bar)| {
                    let y = i as f64 * ROW;
                    let length = (bar.value / full).clamp(0.0, 1.0) * LENGTH;
                    view! {
                        <text x="0" y=y + 19.0 class="chart-name">{bar.name}</text>
                        <rect x=LABEL y=y + 6.0 width=length.max(1.0) height="18" class="chart-bar"/>
                        <text x=LABEL + length + 6.0 y=y + 19.0 class="chart-figure">{bar.shown}</text>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// A table of the report with its CSV download.
#[component]
fn ReportTable(table: Table, file: String) -> impl IntoView {
    let heading = format!("report-{}", table.id);
    let href = format!("data:text/csv;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&csv(&table))));
    view! {
        <section class="card" aria-labelledby=heading.clone()>
            <div class="report-head">
                <h2 id=heading.clone()>{table.title}</h2>
                <a href=href download=format!("{file}-{}.csv", table.id)>
                    "Download CSV" <span class="visually-hidden">{format!(" of {}", table.title.to_lowercase())}</span>
                </a>
            </div>
            <table>
                <thead><tr>{table.header.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {table.rows.into_iter().map(|row| view! {
                        <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The table as a CSV file: its header, then its rows.
fn csv(table: &Table) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = writer
        .write_record(&table.header)
        .and_then(|()| table.rows.iter().try_for_each(|row| writer.write_record(row)));
    // Writing into memory fails only for want of it.
    match (written, writer.into_inner()) {
        (Ok(()), Ok(bytes)) => String::from_utf8(bytes).unwrap_or_default(),
        _ => String::new(),
    }
}
