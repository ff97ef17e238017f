//! The schedule of Google's availability snapshots, kept by the company object: once a day, each
//! location listed on Google ([`homeslot_core::google_feeds::listed`]) makes a fresh snapshot of
//! its free slots (`store::location::google`), and the owner or the operator may ask for one at
//! any time. The merchants and services feeds need no snapshot: they are read from the catalog
//! when fetched.

use std::collections::BTreeMap;

use serde::Deserialize;
use worker::{Env, SqlStorage};

use homeslot_core::availability::{ClassSchedule, ServiceSchedule};
use homeslot_core::catalog::{Company, Location};
use homeslot_core::google_feeds::{listed_locations, on_google, SnapshotMade, FEED_DAYS};
use homeslot_core::reserve;

use crate::clock;
use crate::error::AppResult;
use crate::store::location::google::{self, FeedClassPlan, FeedPlan, FeedServicePlan, Snapshot};

/// The company object's record of each location's last scheduled snapshot (appended to its
/// migrations).
pub const TABLE: &str = "CREATE TABLE google_snapshots (
    location_id TEXT PRIMARY KEY,
    made_at_ms INTEGER NOT NULL
)";

/// How often the snapshots are made: Google asks for the feeds every day.
pub const EVERY_MS: i64 = 86_400_000;
/// How soon a location that could not be reached is asked again.
const RETRY_MS: i64 = 60_000;

/// What `location` offers on Google, for its object to list the free slots of.
pub fn plan(company: &Company, location: &Location) -> FeedPlan {
    let room = |ids: &[String]| match ids {
        [only] => location.resources.iter().find(|r| &r.id == only).map(|r| (r.id.clone(), r.name.clone())),
        _ => None,
    };
    let offered = company.services.iter().filter(|service| on_google(company, service, location));
    let (classes, services): (Vec<_>, Vec<_>) = offered.partition(|service| service.class.is_some());
    FeedPlan {
        merchant_id: reserve::merchant_id(&company.id, &location.id),
        time_zone: location.time_zone.clone(),
        days: FEED_DAYS,
        services: services
            .into_iter()
            .map(|service| FeedServicePlan {
                schedule: ServiceSchedule::new(company, location, service),
                service_id: service.id.clone(),
                room: room(&service.resource_ids),
            })
            .collect(),
        classes: classes
            .into_iter()
            .filter_map(|service| {
                Some(FeedClassPlan { class: ClassSchedule::new(location, service)?, room: room(&service.resource_ids) })
            })
            .collect(),
        staff: company
            .specialists
            .iter()
            .filter(|s| s.location_id == location.id)
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// Makes every listed location's snapshot now, one location after another (each is its own
/// object's work).
pub async fn make_all(env: &Env, company: &Company) -> AppResult<Vec<SnapshotMade>> {
    let mut made = Vec::new();
    for location in listed_locations(company) {
        let plan = plan(company, location);
        let Snapshot { generated_s, slots, bytes } = google::make(env, &company.id, &location.id, &plan).await?;
        let location_id = location.id.clone();
        made.push(SnapshotMade { location_id, merchant_id: plan.merchant_id, generated_s, slots, bytes });
    }
    Ok(made)
}

/// Whether the business is on Google (the alarm must then come back for its snapshots).
pub fn wanted(company: &Company) -> bool {
    listed_locations(company).next().is_some()
}

/// Makes each listed location's snapshot when a day has passed since its last (at once for a
/// location just listed; `document`: the stored catalog); answers when the alarm should come back
/// (Unix ms), or `None` for a business not on Google.
pub async fn run(env: &Env, sql: &SqlStorage, document: &str) -> AppResult<Option<i64>> {
    let company: Company =
        serde_json::from_str(document).map_err(|e| worker::Error::RustError(format!("stored catalog: {e}")))?;
    let now_ms = clock::now_millis();
    let mut next: Option<i64> = None;
    for location in listed_locations(&company) {
        let due_ms = last_made(sql, &location.id)?.map_or(now_ms, |made| made + EVERY_MS);
        let again_ms = if due_ms > now_ms {
            due_ms
        } else {
            match google::make(env, &company.id, &location.id, &plan(&company, location)).await {
                Ok(_) => {
                    sql.exec(
                        "INSERT OR REPLACE INTO google_snapshots (location_id, made_at_ms) VALUES (?, ?)",
                        vec![location.id.as_str().into(), now_ms.into()],
                    )?;
                    now_ms + EVERY_MS
                }
                Err(error) => {
                    worker::console_error!("Google's availability snapshot of {}: {error:?}", location.id);
                    now_ms + RETRY_MS
                }
            }
        };
        next = Some(next.map_or(again_ms, |n| n.min(again_ms)));
    }
    Ok(next)
}

fn last_made(sql: &SqlStorage, location_id: &str) -> AppResult<Option<i64>> {
    #[derive(Deserialize)]
    struct Row {
        made_at_ms: i64,
    }
    let rows: Vec<Row> = sql
        .exec("SELECT made_at_ms FROM google_snapshots WHERE location_id = ?", vec![location_id.into()])?
        .to_array()?;
    Ok(rows.first().map(|row| row.made_at_ms))
}
