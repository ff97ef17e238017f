//! Reserve with Google's real-time updates: what a partner tells Google's Maps Booking API
//! (`v1alpha`) between feeds. A booking made through Google and changed elsewhere (the front desk,
//! the client's manage link) is a booking notification — `PATCH
//! notification/partners/{partner}/bookings/{booking}` with an update mask — and a day whose free
//! slots changed is an availability replace — `POST
//! inventory/partners/{partner}/availability:replace` — holding the day's slots of every service of
//! the merchant, each service's list replacing what Google had for that day.
//!
//! These are Google's REST messages, so their JSON is Google's API JSON: lowerCamelCase names,
//! timestamps as RFC 3339 text, durations as seconds with an `s`, int64 as strings. Nothing here
//! reads the clock or the stores.

use serde::{Deserialize, Serialize};

use crate::availability::{format_instant, Instant};
use crate::google_feeds::Availability;
use crate::reserve::Int64;

/// What a booking notification says changed: the query's `updateMask`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// Cancelled, or marked a no-show.
    Status,
    /// Moved: a new start (and the same length).
    Time,
}

impl Changed {
    pub fn mask(self) -> &'static str {
        match self {
            Changed::Status => "status",
            Changed::Time => "startTime,duration",
        }
    }
}

/// A booking as the notification API's `Booking` resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookingResource {
    /// `partners/{partner}/bookings/{booking}`.
    pub name: String,
    pub merchant_id: String,
    pub service_id: String,
    pub start_time: String,
    pub duration: String,
    /// `CONFIRMED`, `CANCELED` or `NO_SHOW`.
    pub status: String,
}

impl BookingResource {
    /// Booking `booking_id` (Google's id of it) as it is now.
    pub fn new(
        partner_id: &str,
        booking_id: &str,
        (merchant_id, service_id): (&str, &str),
        (start, end): (Instant, Instant),
        status: &str,
    ) -> Self {
        BookingResource {
            name: format!("partners/{partner_id}/bookings/{booking_id}"),
            merchant_id: merchant_id.to_string(),
            service_id: service_id.to_string(),
            start_time: format_instant(start),
            duration: duration(end - start),
            status: status.to_string(),
        }
    }

    /// The notification's path below the API's address, with its update mask.
    pub fn path(&self, changed: Changed) -> String {
        format!("v1alpha/notification/{}?updateMask={}", self.name, changed.mask())
    }
}

/// A duration in Google's API JSON: whole seconds with an `s`.
pub fn duration(seconds: i64) -> String {
    format!("{seconds}s")
}

/// The body of `availability:replace`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplaceAvailability {
    pub extended_service_availability: Vec<ExtendedServiceAvailability>,
}

/// One service's slots in `[startTimeRestrict, endTimeRestrict)`: what Google had there goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtendedServiceAvailability {
    pub merchant_id: String,
    pub service_id: String,
    pub start_time_restrict: String,
    pub end_time_restrict: String,
    pub availability: Vec<SlotResource>,
}

/// `Availability` in the API's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotResource {
    pub start_time: String,
    pub duration: String,
    pub spots_total: Int64,
    pub spots_open: Int64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourcesResource>,
}

/// `Resources` in the API's JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcesResource {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub staff_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub staff_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub room_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub room_name: String,
}

/// The path of `availability:replace` below the API's address.
pub fn replace_path(partner_id: &str) -> String {
    format!("v1alpha/inventory/partners/{partner_id}/availability:replace")
}

/// Replaces the merchant's slots of `[from, until)` (a local day) for each of `service_ids` (every
/// service the merchant lists on Google, so one without a free slot left is emptied too) with
/// `slots`, the feed's slots of that day.
pub fn replace(
    merchant_id: &str,
    service_ids: &[String],
    (from, until): (Instant, Instant),
    slots: &[Availability],
) -> ReplaceAvailability {
    let extended = service_ids
        .iter()
        .map(|service_id| ExtendedServiceAvailability {
            merchant_id: merchant_id.to_string(),
            service_id: service_id.clone(),
            start_time_restrict: format_instant(from),
            end_time_restrict: format_instant(until),
            availability: slots
                .iter()
                .filter(|slot| &slot.service_id == service_id && (from..until).contains(&slot.start_sec.0))
                .map(|slot| SlotResource {
                    start_time: format_instant(slot.start_sec.0),
                    duration: duration(slot.duration_sec.0),
                    spots_total: slot.spots_total,
                    spots_open: slot.spots_open,
                    resources: (slot.resources != Default::default()).then(|| ResourcesResource {
                        staff_id: slot.resources.staff_id.clone(),
                        staff_name: slot.resources.staff_name.clone(),
                        room_id: slot.resources.room_id.clone(),
                        room_name: slot.resources.room_name.clone(),
                    }),
                })
                .collect(),
        })
        .collect();
    ReplaceAvailability { extended_service_availability: extended }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::google_feeds::Resources;

    #[test]
    fn a_notification_names_the_booking_and_what_changed() {
        let booking = BookingResource::new(
            "p1",
            "demo.soho.bk_1",
            ("demo.soho", "cut"),
            (1_800_000_000, 1_800_001_800),
            "CANCELED",
        );
        assert_eq!(
            booking.path(Changed::Status),
            "v1alpha/notification/partners/p1/bookings/demo.soho.bk_1?updateMask=status"
        );
        let json = serde_json::to_value(&booking).unwrap();
        assert_eq!(json["startTime"], "2027-01-15T08:00:00Z");
        assert_eq!(json["duration"], "1800s");
        assert_eq!(json["merchantId"], "demo.soho");
    }

    #[test]
    fn a_replace_holds_each_service_of_the_day_even_without_slots() {
        let slot = |service: &str, start: i64| Availability {
            merchant_id: "m".into(),
            service_id: service.into(),
            start_sec: Int64(start),
            duration_sec: Int64(3600),
            spots_total: Int64(1),
            spots_open: Int64(1),
            resources: Resources { staff_id: "kim".into(), staff_name: "Kim".into(), ..Resources::default() },
        };
        let slots = [slot("cut", 100), slot("cut", 99_999), slot("colour", 200)];
        let services = ["cut".to_string(), "colour".to_string(), "yoga".to_string()];
        let body = replace("m", &services, (0, 86_400), &slots);
        let counts: Vec<usize> = body.extended_service_availability.iter().map(|s| s.availability.len()).collect();
        assert_eq!(counts, [1, 1, 0], "a slot of another day stays out; a service without slots is emptied");
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["extendedServiceAvailability"][0]["availability"][0]["spotsOpen"], "1");
        assert_eq!(json["extendedServiceAvailability"][0]["availability"][0]["resources"]["staffName"], "Kim");
    }
}
