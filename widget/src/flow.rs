//! The booking flow as plain data: which step the client is on and what they chose. Components
//! render it and call its transitions; it holds no browser types, so it is tested natively.

use homeslot_core::time::CivilDate;
use homeslot_core::wire::{BookingConfirmation, BookingRequest, CatalogResponse, ClientDetails, SlotView};

/// What the page preselected through the element's attributes (`location`, `service`, `date`).
/// Unknown ids and past or malformed dates are ignored: the client then chooses as usual.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preset {
    pub location: Option<String>,
    pub service: Option<String>,
    pub date: Option<String>,
}

impl Preset {
    /// The date the calendar opens on: the preselected one if it is a real date from `today` on.
    pub fn first_date(&self, today: &str) -> String {
        self.date.as_deref().filter(|d| CivilDate::parse(d).is_some() && *d >= today).unwrap_or(today).to_string()
    }
}

/// Where the client is in the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Service,
    Time,
    Details,
    Done,
}

/// What the client has chosen so far. The step follows from it, so it can never disagree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flow {
    pub service_id: Option<String>,
    pub date: Option<String>,
    pub slot: Option<SlotView>,
    pub confirmation: Option<BookingConfirmation>,
    /// Said once when a chosen time was taken by someone else before confirming.
    pub notice: Option<String>,
    /// The date strip's dates that have a free time, from the latest answer; empty until known.
    pub open_dates: Vec<String>,
}

impl Flow {
    /// The flow a client starts in: on the times of the preselected service, if the page chose
    /// one the business offers.
    pub fn preset(preset: &Preset, catalog: &CatalogResponse, today: &str) -> Flow {
        let mut flow = Flow::default();
        if let Some(service) = preset.service.as_deref().filter(|id| catalog.services.iter().any(|s| s.id == *id)) {
            flow.choose_service(service, &preset.first_date(today));
        }
        flow
    }

    /// The step to show.
    pub fn step(&self) -> Step {
        match (&self.service_id, &self.slot, &self.confirmation) {
            (_, _, Some(_)) => Step::Done,
            (None, _, _) => Step::Service,
            (Some(_), None, _) => Step::Time,
            (Some(_), Some(_), None) => Step::Details,
        }
    }

    /// A service was picked: times are chosen afresh for it.
    pub fn choose_service(&mut self, service_id: &str, first_date: &str) {
        self.service_id = Some(service_id.to_string());
        self.date = Some(first_date.to_string());
        self.slot = None;
        self.notice = None;
        self.open_dates.clear();
    }

    /// Whether `date` may be chosen: it has a free time, or that is not known yet.
    pub fn is_open(&self, date: &str) -> bool {
        self.open_dates.is_empty() || self.open_dates.iter().any(|d| d == date)
    }

    /// Another date was picked.
    pub fn choose_date(&mut self, date: &str) {
        self.date = Some(date.to_string());
        self.slot = None;
    }

    /// A time was picked.
    pub fn choose_slot(&mut self, slot: SlotView) {
        self.slot = Some(slot);
        self.notice = None;
    }

    /// One step back (from times to services, from details to times).
    pub fn back(&mut self) {
        match self.step() {
            Step::Details => self.slot = None,
            Step::Time => {
                self.service_id = None;
                self.date = None;
            }
            Step::Service | Step::Done => {}
        }
        self.notice = None;
    }

    /// The chosen time was taken by someone else: go back to the times of the same date and say so.
    pub fn slot_lost(&mut self, message: &str) {
        self.slot = None;
        self.notice = Some(message.to_string());
    }

    /// The booking went through.
    pub fn confirmed(&mut self, confirmation: BookingConfirmation) {
        self.confirmation = Some(confirmation);
        self.notice = None;
    }

    /// Starts over for another booking.
    pub fn restart(&mut self) {
        *self = Flow::default();
    }

    /// The request for the chosen slot with the client's details, if a slot is chosen.
    /// "Any specialist" (no specialist sent) lets the edge choose by its documented rule.
    pub fn booking_request(&self, name: &str, phone: &str) -> Option<BookingRequest> {
        Some(BookingRequest {
            service_id: self.service_id.clone()?,
            start: self.slot.as_ref()?.start.clone(),
            specialist_id: None,
            client: ClientDetails { name: name.trim().to_string(), phone: phone.trim().to_string(), email: None },
            hold_id: None,
        })
    }
}

/// The dates the date strip offers: `count` days from the location's `today`, capped by the
/// booking horizon.
pub fn date_strip(today: &str, horizon_days: u32, count: u32) -> Vec<String> {
    let Some(first) = CivilDate::parse(today) else {
        return Vec::new();
    };
    (0..count.min(horizon_days)).map(|i| first.add_days(i as i32).to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(start: &str) -> SlotView {
        SlotView { start: start.into(), local_time: "10:00".into(), specialist_ids: vec!["anna".into()] }
    }

    fn confirmation() -> BookingConfirmation {
        BookingConfirmation {
            booking_id: "bk_1".into(),
            location_id: "soho".into(),
            service_id: "mens-cut".into(),
            service_name: "Men's cut".into(),
            specialist_id: "marco".into(),
            specialist_name: "Marco".into(),
            start: "2026-11-25T10:00:00Z".into(),
            end: "2026-11-25T10:30:00Z".into(),
            local_date: "2026-11-25".into(),
            local_time: "10:00".into(),
            time_zone: "Europe/London".into(),
            price: homeslot_core::wire::Money { amount_minor: 3000, currency: "GBP".into() },
            manage_token: None,
        }
    }

    #[test]
    fn a_client_walks_service_time_details_done() {
        let mut flow = Flow::default();
        assert_eq!(flow.step(), Step::Service);
        assert!(flow.booking_request("Ana", "+447700900123").is_none());
        flow.choose_service("mens-cut", "2026-11-23");
        assert_eq!((flow.step(), flow.date.as_deref()), (Step::Time, Some("2026-11-23")));
        flow.choose_date("2026-11-25");
        flow.choose_slot(slot("2026-11-25T10:00:00Z"));
        assert_eq!(flow.step(), Step::Details);
        let request = flow.booking_request(" Ana ", " +44 7700 900123 ").unwrap();
        assert_eq!(request.service_id, "mens-cut");
        assert_eq!(request.start, "2026-11-25T10:00:00Z");
        assert_eq!(request.client.name, "Ana");
        assert_eq!(request.specialist_id, None);
        flow.confirmed(confirmation());
        assert_eq!(flow.step(), Step::Done);
        flow.restart();
        assert_eq!(flow, Flow::default());
    }

    #[test]
    fn a_lost_slot_returns_to_the_same_date_with_a_notice() {
        let mut flow = Flow::default();
        flow.choose_service("mens-cut", "2026-11-23");
        flow.choose_date("2026-11-25");
        flow.choose_slot(slot("2026-11-25T10:00:00Z"));
        flow.slot_lost("Sorry, this time has just been taken.");
        assert_eq!(flow.step(), Step::Time);
        assert_eq!(flow.date.as_deref(), Some("2026-11-25"));
        assert!(flow.notice.is_some());
        flow.choose_slot(slot("2026-11-25T11:00:00Z"));
        assert!(flow.notice.is_none());
    }

    #[test]
    fn back_goes_one_step_at_a_time() {
        let mut flow = Flow::default();
        flow.choose_service("mens-cut", "2026-11-23");
        flow.choose_slot(slot("2026-11-23T10:00:00Z"));
        flow.back();
        assert_eq!(flow.step(), Step::Time);
        flow.back();
        assert_eq!(flow.step(), Step::Service);
    }

    #[test]
    fn only_dates_with_a_free_time_are_open_once_known() {
        let mut flow = Flow::default();
        flow.choose_service("mens-cut", "2026-11-25");
        assert!(flow.is_open("2026-11-26"), "unknown yet: every date may be chosen");
        flow.open_dates = vec!["2026-11-27".into()];
        assert!(!flow.is_open("2026-11-26") && flow.is_open("2026-11-27"));
        flow.choose_service("womens-cut", "2026-11-25");
        assert!(flow.is_open("2026-11-26"), "another service: known no more");
    }

    #[test]
    fn a_preselected_service_and_date_open_the_times_and_bad_ones_are_ignored() {
        let catalog: CatalogResponse = CatalogResponse {
            company: homeslot_core::wire::CompanyView {
                id: "demo".into(),
                name: "Demo".into(),
                currency: "GBP".into(),
                logo_url: None,
            },
            locations: Vec::new(),
            services: vec![homeslot_core::wire::ServiceView {
                id: "mens-cut".into(),
                name: "Men's cut".into(),
                duration_minutes: 30,
                price: homeslot_core::wire::Money { amount_minor: 3000, currency: "GBP".into() },
                description: String::new(),
                category_id: None,
            }],
            classes: Vec::new(),
            specialists: Vec::new(),
        };
        let preset = |service: &str, date: &str| Preset {
            location: None,
            service: Some(service.into()),
            date: (!date.is_empty()).then(|| date.into()),
        };
        let flow = Flow::preset(&preset("mens-cut", "2026-11-30"), &catalog, "2026-11-23");
        assert_eq!((flow.step(), flow.date.as_deref()), (Step::Time, Some("2026-11-30")));
        let past = Flow::preset(&preset("mens-cut", "2026-11-01"), &catalog, "2026-11-23");
        assert_eq!(past.date.as_deref(), Some("2026-11-23"));
        assert_eq!(
            Flow::preset(&preset("mens-cut", "soon"), &catalog, "2026-11-23").date.as_deref(),
            Some("2026-11-23")
        );
        assert_eq!(Flow::preset(&preset("massage", ""), &catalog, "2026-11-23"), Flow::default());
    }

    #[test]
    fn date_strip_starts_today_and_respects_the_horizon() {
        assert_eq!(date_strip("2026-12-30", 60, 3), ["2026-12-30", "2026-12-31", "2027-01-01"]);
        assert_eq!(date_strip("2026-12-30", 2, 14).len(), 2);
        assert!(date_strip("garbage", 60, 14).is_empty());
    }
}
