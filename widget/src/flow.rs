//! The booking flow as plain data: which step the client is on and what they chose. Components
//! render it and call its transitions; it holds no browser types, so it is tested natively.

use homeslot_core::time::CivilDate;
use homeslot_core::wire::{
    Attribution, BookingConfirmation, BookingRequest, CatalogResponse, ClassBookingRequest, ClientDetails,
    MembershipRef, SlotView, VisitConfirmation, VisitPartRequest, VisitRequest,
};

/// What the page preselected through the element's attributes (`location`, `service`,
/// `specialist` (an id, or `any`), `date`, `step-order`). Unknown ids and past or malformed dates
/// are ignored: the client then chooses as usual.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preset {
    pub location: Option<String>,
    pub service: Option<String>,
    pub specialist: Option<String>,
    pub date: Option<String>,
    /// The page's step order; else the owner's.
    pub order: Option<String>,
    /// A client's manage token (from the page's `#homeslot-manage=` link): open their booking
    /// instead of a new one.
    pub manage: Option<String>,
    /// The host page's address without its fragment, for the manage link.
    pub page: Option<String>,
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
    Specialist,
    Time,
    Details,
    Done,
}

/// The order of the choices before the details, as the owner (or the page) set it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Service, specialist, time.
    #[default]
    ServiceFirst,
    /// Specialist, service (only theirs), time.
    SpecialistFirst,
    /// Service, a time with anyone free, then who of those free then.
    DateFirst,
}

impl Order {
    /// The setting's wire name (`service_first`, …); anything else is the default.
    pub fn parse(name: &str) -> Order {
        match name {
            "specialist_first" => Order::SpecialistFirst,
            "date_first" => Order::DateFirst,
            _ => Order::ServiceFirst,
        }
    }

    /// The three choices in this order.
    fn sequence(self) -> [Step; 3] {
        match self {
            Order::ServiceFirst => [Step::Service, Step::Specialist, Step::Time],
            Order::SpecialistFirst => [Step::Specialist, Step::Service, Step::Time],
            Order::DateFirst => [Step::Service, Step::Time, Step::Specialist],
        }
    }
}

/// What the client has chosen so far. The step follows from it, so it can never disagree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flow {
    pub order: Order,
    pub service_id: Option<String>,
    /// The visit's further services, done one after another after the first (empty: one service).
    pub more_services: Vec<String>,
    /// The service is a group class: a seat in a session, whose instructor is fixed.
    pub class: bool,
    /// The chosen class session is full: the client joins its waiting list.
    pub waitlist: bool,
    /// After joining a waiting list: the client's place in it (1 is next).
    pub waitlisted: Option<u32>,
    /// `None` until chosen; `Some(None)` is "any specialist".
    pub specialist: Option<Option<String>>,
    pub date: Option<String>,
    pub slot: Option<SlotView>,
    pub confirmation: Option<BookingConfirmation>,
    /// Said once when a chosen time was taken by someone else before confirming.
    pub notice: Option<String>,
    /// The date strip's dates that have a free time, from the latest answer; empty until known.
    pub open_dates: Vec<String>,
    /// The hold on the chosen time while the client types: its id, and when it runs out.
    pub hold: Option<(String, String)>,
    /// The start of a time the client lost, to offer the free times nearest to it.
    pub lost: Option<String>,
    /// The number of the membership the client pays with (a members-only service needs one).
    pub membership: Option<String>,
    /// Where the client came from (the page's UTM parameters and click ids), sent with the booking.
    pub attribution: Option<Attribution>,
}

impl Flow {
    /// The flow a client starts in at `location`: in the page's order (else the owner's
    /// `owner_order`), with the preselected service and specialist already chosen if the
    /// business offers them there.
    pub fn preset(preset: &Preset, catalog: &CatalogResponse, location: &str, today: &str, owner_order: &str) -> Flow {
        let mut flow = Flow { order: Order::parse(preset.order.as_deref().unwrap_or(owner_order)), ..Flow::default() };
        let service = preset.service.as_deref().and_then(|id| catalog.services.iter().find(|s| s.id == id));
        if let Some(service) = service {
            flow.choose_service(&service.id, &preset.first_date(today));
        }
        // A class has no specialist to preselect: its sessions come next.
        if let Some(class) = preset.service.as_deref().and_then(|id| catalog.classes.iter().find(|c| c.id == id)) {
            flow.choose_class(&class.id, &preset.first_date(today));
            return flow;
        }
        match preset.specialist.as_deref() {
            Some("any") => flow.choose_specialist(None),
            Some(id) => {
                let here = catalog.specialists.iter().any(|s| s.id == id && s.location_id == location);
                let performs = service.is_none_or(|s| s.specialist_ids.iter().any(|p| p == id));
                if here && performs {
                    flow.choose_specialist(Some(id));
                }
            }
            None => {}
        }
        flow
    }

    /// Choosing a new time for a booking the client already has: the same service with the same
    /// specialist (the edge moves a booking only within those), from the booking's date.
    pub fn reschedule(service_id: &str, specialist_id: &str, date: &str) -> Flow {
        let mut flow = Flow::default();
        flow.choose_service(service_id, date);
        flow.choose_specialist(Some(specialist_id));
        flow
    }

    /// The step a "back" button returns to, if any (never a specialist the client did not choose).
    pub fn previous_step(&self) -> Option<Step> {
        let sequence = self.order.sequence();
        let now = self.step();
        let position = sequence.iter().position(|s| *s == now).unwrap_or(sequence.len());
        sequence[..position].iter().rev().find(|s| **s != Step::Specialist || !self.specialist_fixed()).copied()
    }

    /// Whether the specialist is not the client's to choose: in a class (each session has its
    /// instructor), or in a visit whose time comes first (the edge decides who does each part).
    fn specialist_fixed(&self) -> bool {
        self.class || (self.is_visit() && self.order == Order::DateFirst)
    }

    /// The step to show: the first choice of the order not made yet.
    pub fn step(&self) -> Step {
        if self.confirmation.is_some() {
            return Step::Done;
        }
        self.order.sequence().into_iter().find(|step| !self.has_chosen(*step)).unwrap_or(Step::Details)
    }

    fn has_chosen(&self, step: Step) -> bool {
        match step {
            Step::Service => self.service_id.is_some(),
            Step::Specialist => self.specialist.is_some(),
            Step::Time => self.slot.is_some(),
            Step::Details | Step::Done => false,
        }
    }

    /// The specialist whose times to show: the one chosen, unless the time comes first (then
    /// everyone's times are shown, and the specialist is chosen among those free then).
    pub fn times_for(&self) -> Option<&str> {
        match self.order {
            Order::DateFirst => None,
            _ => self.specialist.as_ref()?.as_deref(),
        }
    }

    /// A specialist (or "any", `None`) was picked. Before the time, it changes which dates are
    /// free, so the calendar is asked again.
    pub fn choose_specialist(&mut self, specialist: Option<&str>) {
        self.specialist = Some(specialist.map(str::to_string));
        if self.slot.is_none() {
            self.open_dates.clear();
        }
        self.notice = None;
    }

    /// A visit of several services (in this order) was picked. The specialist chosen (if any)
    /// does every part; with the time chosen first, "any specialist" is taken, since the edge
    /// then decides who does each part.
    pub fn choose_visit(&mut self, service_ids: &[String], first_date: &str) {
        let Some((first, more)) = service_ids.split_first() else {
            return;
        };
        self.choose_service(first, first_date);
        self.more_services = more.to_vec();
        if self.is_visit() && self.order == Order::DateFirst {
            self.specialist = Some(None);
        }
    }

    /// A group class was picked: its sessions come next (each with its instructor).
    pub fn choose_class(&mut self, class_id: &str, first_date: &str) {
        self.choose_service(class_id, first_date);
        self.class = true;
        self.specialist = Some(None);
    }

    /// Whether several services are booked together.
    pub fn is_visit(&self) -> bool {
        !self.more_services.is_empty()
    }

    /// Every chosen service, in the visit's order.
    pub fn service_ids(&self) -> Vec<String> {
        self.service_id.iter().chain(&self.more_services).cloned().collect()
    }

    /// A service was picked: times are chosen afresh for it.
    pub fn choose_service(&mut self, service_id: &str, first_date: &str) {
        self.service_id = Some(service_id.to_string());
        self.more_services.clear();
        self.class = false;
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
        self.waitlist = false;
        self.notice = None;
        self.hold = None;
        self.lost = None;
    }

    /// A full class session was picked: the client asks for a place on its waiting list.
    pub fn choose_waitlist(&mut self, slot: SlotView) {
        self.choose_slot(slot);
        self.waitlist = true;
    }

    /// The edge holds the chosen time for this client until `expires_at`.
    pub fn held(&mut self, hold_id: &str, expires_at: &str) {
        self.hold = Some((hold_id.to_string(), expires_at.to_string()));
    }

    /// One step back: the latest choice is undone (from the details, the last of the order).
    /// This flow as it was on `step`, an earlier step: its later choices undone, one by one (the
    /// tracker's view of the first screen, when the client chose before its code arrived).
    pub fn as_on(&self, step: Step) -> Flow {
        let mut earlier = self.clone();
        // At most one undo per step: a fixed choice cannot loop.
        for _ in 0..5 {
            if earlier.step() == step || earlier.step() == Step::Done {
                break;
            }
            earlier.back();
        }
        earlier
    }

    pub fn back(&mut self) {
        if self.step() != Step::Done {
            if let Some(previous) = self.previous_step() {
                self.undo(previous);
            }
        }
        self.notice = None;
    }

    fn undo(&mut self, step: Step) {
        match step {
            Step::Service => {
                if self.specialist_fixed() {
                    self.specialist = None;
                }
                self.service_id = None;
                self.more_services.clear();
                self.class = false;
                self.date = None;
                self.slot = None;
                self.open_dates.clear();
            }
            Step::Specialist => self.specialist = None,
            Step::Time => {
                self.slot = None;
                self.hold = None;
                self.waitlist = false;
            }
            Step::Details | Step::Done => {}
        }
    }

    /// The chosen time was taken by someone else: go back to the times of the same date, say so,
    /// and offer the free times nearest to it.
    pub fn slot_lost(&mut self, message: &str) {
        self.lost = self.slot.take().map(|s| s.start);
        self.hold = None;
        self.notice = Some(message.to_string());
    }

    /// The booking went through.
    pub fn confirmed(&mut self, confirmation: BookingConfirmation) {
        self.confirmation = Some(confirmation);
        self.notice = None;
    }

    /// The client joined a full session's waiting list, at `position` (1 is next).
    pub fn waiting(&mut self, confirmation: BookingConfirmation, position: u32) {
        self.confirmed(confirmation);
        self.waitlisted = Some(position);
    }

    /// Starts over for another booking, in the same order.
    pub fn restart(&mut self) {
        *self = Flow { order: self.order, ..Flow::default() };
    }

    /// The request for the chosen slot with the client's details, if a slot is chosen.
    /// "Any specialist" (no specialist sent) lets the edge choose by its documented rule.
    pub fn booking_request(&self, client: &ClientDetails) -> Option<BookingRequest> {
        Some(BookingRequest {
            service_id: self.service_id.clone()?,
            start: self.slot.as_ref()?.start.clone(),
            specialist_id: self.specialist.clone().flatten(),
            client: cleaned(client),
            hold_id: self.hold.as_ref().map(|(id, _)| id.clone()),
            membership: self.paying_with(),
            attribution: self.attribution.clone(),
        })
    }
}

impl Flow {
    /// The membership named in a request: the number typed, trimmed; none if left empty.
    fn paying_with(&self) -> Option<MembershipRef> {
        let number = self.membership.as_deref().map(str::trim).filter(|n| !n.is_empty())?;
        Some(MembershipRef { number: number.to_string() })
    }
}

/// Where the client came from, read from the address of the page the widget is on: its UTM
/// parameters and ad click ids (`gclid`, `fbclid`), percent-decoded; none if it has none.
pub fn attribution(page: &str) -> Option<Attribution> {
    let query = page.split_once('?')?.1;
    let mut found = Attribution::default();
    let mut any = false;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some((_, slot)) = found.fields_mut().into_iter().find(|(name, _)| *name == key) else {
            continue;
        };
        // The edge keeps at most 200 characters; a longer value is cut rather than refused.
        let value: String = decoded(value).chars().take(200).filter(|c| !c.is_control()).collect();
        if !value.trim().is_empty() {
            *slot = Some(value);
            any = true;
        }
    }
    any.then_some(found)
}

/// A query value with `+` as a space and `%XX` decoded (bytes that are not UTF-8 replaced).
fn decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && hex(bytes[i + 1]).is_some() && hex(bytes[i + 2]).is_some() => {
                out.push((hex(bytes[i + 1]).unwrap_or(0) * 16 + hex(bytes[i + 2]).unwrap_or(0)) as u8);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The client's details as sent: name and phone trimmed, an empty e-mail or comment left out.
fn cleaned(client: &ClientDetails) -> ClientDetails {
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
    ClientDetails {
        name: client.name.trim().to_string(),
        phone: client.phone.trim().to_string(),
        email: given(&client.email),
        comment: given(&client.comment),
        ..client.clone()
    }
}

/// The client's manage link for `token`: the host `page` again, with the token in the fragment
/// (never sent to a server, so it stays out of logs). The loader opens it.
pub fn manage_link(page: &str, token: &str) -> String {
    format!("{page}#homeslot-manage={token}")
}

impl Flow {
    /// The request for a seat in the chosen class session.
    pub fn class_request(&self, client: &ClientDetails) -> Option<ClassBookingRequest> {
        Some(ClassBookingRequest {
            service_id: self.service_id.clone()?,
            start: self.slot.as_ref()?.start.clone(),
            join_waitlist: self.waitlist,
            client: cleaned(client),
            membership: self.paying_with(),
            attribution: self.attribution.clone(),
        })
    }

    /// The request for a visit of the chosen services at the chosen start, each part by the
    /// chosen specialist (none: "any specialist", decided by the edge per part).
    pub fn visit_request(&self, client: &ClientDetails) -> Option<VisitRequest> {
        let specialist = self.specialist.clone().flatten();
        Some(VisitRequest {
            start: self.slot.as_ref()?.start.clone(),
            parts: self
                .service_ids()
                .into_iter()
                .map(|service_id| VisitPartRequest { service_id, specialist_id: specialist.clone() })
                .collect(),
            client: cleaned(client),
            membership: self.paying_with(),
            attribution: self.attribution.clone(),
        })
    }
}

/// A booked visit as one confirmation for the success screen: its services and specialists
/// named together, its start, its whole price, and the first part's manage link (cancelling a
/// visit cancels all its parts).
pub fn visit_confirmation(visit: VisitConfirmation) -> Option<BookingConfirmation> {
    let join = |names: Vec<&str>| names.join(" + ");
    let mut specialists: Vec<&str> = Vec::new();
    for part in &visit.parts {
        if !specialists.contains(&part.specialist_name.as_str()) {
            specialists.push(&part.specialist_name);
        }
    }
    let first = visit.parts.first()?;
    Some(BookingConfirmation {
        booking_id: visit.visit_id.clone(),
        service_name: join(visit.parts.iter().map(|p| p.service_name.as_str()).collect()),
        specialist_name: join(specialists),
        end: visit.end.clone(),
        price: visit.price.clone(),
        original_price: visit.original_price.clone(),
        discount: visit.parts.iter().find_map(|p| p.discount.clone()),
        membership: visit.membership.clone(),
        ..first.clone()
    })
}

/// Which part of the day a local `HH:MM` time is in: 0 morning (before noon), 1 afternoon
/// (before 17:00), 2 evening.
pub fn part_of_day(local_time: &str) -> usize {
    match local_time.get(..2).and_then(|h| h.parse::<u8>().ok()).unwrap_or(0) {
        0..=11 => 0,
        12..=16 => 1,
        _ => 2,
    }
}

/// Up to `count` free times nearest to the lost `start` (RFC 3339 UTC instants of one format,
/// so they compare as text), earliest first.
pub fn nearest(slots: &[SlotView], lost: &str, count: usize) -> Vec<SlotView> {
    let seconds = |t: &str| {
        let (date, time) = t.split_once('T').unwrap_or((t, ""));
        let day = CivilDate::parse(date).map_or(0, |d| i64::from(d.days_since_epoch()));
        let clock: Vec<i64> = time.trim_end_matches('Z').split(':').map(|p| p.parse().unwrap_or(0)).collect();
        day * 86_400 + clock.first().unwrap_or(&0) * 3600 + clock.get(1).unwrap_or(&0) * 60
    };
    let target = seconds(lost);
    let mut near: Vec<&SlotView> = slots.iter().filter(|s| s.start != lost).collect();
    near.sort_by_key(|s| (seconds(&s.start) - target).abs());
    let mut chosen: Vec<SlotView> = near.into_iter().take(count).cloned().collect();
    chosen.sort_by(|a, b| a.start.cmp(&b.start));
    chosen
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

    #[test]
    fn as_on_an_earlier_step_undoes_the_later_choices_only() {
        let mut flow = Flow::default();
        flow.choose_service("mens-cut", "2026-11-25");
        flow.choose_specialist(None);
        assert_eq!(flow.step(), Step::Time);
        let first = flow.as_on(Step::Service);
        assert_eq!((first.step(), first.service_id.as_deref()), (Step::Service, None));
        let staff = flow.as_on(Step::Specialist);
        assert_eq!((staff.step(), staff.service_id.as_deref()), (Step::Specialist, Some("mens-cut")));
        assert_eq!(flow.as_on(Step::Time), flow, "already there: unchanged");
        // A step the flow never passed through (a fixed specialist) stops after a few undos.
        let mut class = Flow::default();
        class.choose_class("yoga", "2026-11-25");
        assert_eq!(class.as_on(Step::Specialist).step(), Step::Service);
    }

    fn ana(name: &str, phone: &str) -> ClientDetails {
        ClientDetails { name: name.into(), phone: phone.into(), email: Some(" ".into()), ..ClientDetails::default() }
    }

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
            price: homeslot_core::wire::Money::of(3000, "GBP"),
            original_price: None,
            discount: None,
            membership: None,
            manage_token: None,
        }
    }

    #[test]
    fn the_pages_utm_parameters_and_click_ids_are_read_from_its_address() {
        let page = "https://salon.example/book?utm_source=insta&utm_campaign=Spring+sale%21&x=1&gclid=abc&fbclid=&utm_term=%E2%9C%82";
        let found = attribution(page).unwrap();
        assert_eq!(found.utm_source.as_deref(), Some("insta"));
        assert_eq!(found.utm_campaign.as_deref(), Some("Spring sale!"));
        assert_eq!(found.utm_term.as_deref(), Some("✂"));
        assert_eq!((found.gclid.as_deref(), found.fbclid), (Some("abc"), None));
        assert_eq!(attribution("https://salon.example/book?x=1"), None);
        assert_eq!(attribution("https://salon.example/"), None);
        assert_eq!(attribution("https://s.example/?utm_source=%ZZ%4").unwrap().utm_source.as_deref(), Some("%ZZ%4"));
        let long = format!("https://s.example/?gclid={}", "a".repeat(300));
        assert_eq!(attribution(&long).unwrap().gclid.map(|g| g.len()), Some(200));
    }

    #[test]
    fn a_typed_membership_number_pays_and_an_empty_one_does_not() {
        let slot =
            SlotView { start: "2026-11-25T10:00:00Z".into(), local_time: "10:00".into(), specialist_ids: vec![] };
        let mut flow = Flow { service_id: Some("spin".into()), slot: Some(slot), ..Flow::default() };
        let client = ClientDetails::default();
        assert_eq!(flow.booking_request(&client).unwrap().membership, None);
        flow.membership = Some("   ".into());
        assert_eq!(flow.booking_request(&client).unwrap().membership, None);
        flow.membership = Some(" M-100 ".into());
        let named = Some(MembershipRef { number: "M-100".into() });
        assert_eq!(flow.booking_request(&client).unwrap().membership, named);
        assert_eq!(flow.class_request(&client).unwrap().membership, named);
        flow.more_services = vec!["yoga".into()];
        assert_eq!(flow.visit_request(&client).unwrap().membership, named);
    }

    #[test]
    fn a_visit_of_two_services_is_booked_as_one_by_one_specialist_or_any() {
        let ids = vec!["mens-cut".to_string(), "beard".to_string()];
        let mut flow = Flow::default();
        flow.choose_visit(&ids, "2026-11-23");
        assert!(flow.is_visit());
        assert_eq!(flow.service_ids(), ids);
        assert_eq!(flow.step(), Step::Specialist);
        flow.choose_specialist(Some("marco"));
        flow.choose_slot(slot("2026-11-25T10:00:00Z"));
        let request = flow.visit_request(&ana(" Ana ", "+447400900123")).unwrap();
        assert_eq!(request.start, "2026-11-25T10:00:00Z");
        assert_eq!(request.client.name, "Ana");
        let parts: Vec<_> = request.parts.iter().map(|p| (p.service_id.as_str(), p.specialist_id.as_deref())).collect();
        assert_eq!(parts, [("mens-cut", Some("marco")), ("beard", Some("marco"))]);
        // Back to the services forgets the whole visit; one service again is no visit.
        flow.back();
        flow.back();
        flow.back();
        assert_eq!((flow.step(), flow.is_visit()), (Step::Service, false));
        flow.choose_visit(&ids[..1], "2026-11-23");
        assert!(!flow.is_visit());
        flow.choose_visit(&[], "2026-11-23");
        assert_eq!(flow.service_ids(), ["mens-cut"]);
    }

    #[test]
    fn times_fall_into_morning_afternoon_and_evening() {
        let parts: Vec<usize> = ["07:30", "11:59", "12:00", "16:45", "17:00", "21:30"].map(part_of_day).to_vec();
        assert_eq!(parts, [0, 0, 1, 1, 2, 2]);
    }

    #[test]
    fn a_preselected_class_opens_its_sessions() {
        let flow = Flow::preset(&preset("pilates", "marco", "2026-11-30", ""), &catalog(), "soho", "2026-11-23", "");
        assert_eq!((flow.step(), flow.class, flow.date.as_deref()), (Step::Time, true, Some("2026-11-30")));
        assert_eq!(flow.times_for(), None);
    }

    #[test]
    fn a_class_skips_the_specialist_both_ways() {
        for order in [Order::ServiceFirst, Order::DateFirst] {
            let mut flow = Flow { order, ..Flow::default() };
            flow.choose_class("pilates", "2026-11-23");
            assert_eq!(flow.step(), Step::Time);
            assert_eq!(flow.previous_step(), Some(Step::Service));
            flow.choose_slot(slot("2026-11-25T13:00:00Z"));
            assert_eq!(flow.step(), Step::Details);
            let request = flow.class_request(&ana("Ana", "+447400900123")).unwrap();
            assert_eq!((request.service_id.as_str(), request.start.as_str()), ("pilates", "2026-11-25T13:00:00Z"));
            flow.back();
            assert_eq!(flow.step(), Step::Time);
            flow.back();
            assert_eq!((flow.step(), flow.class, flow.specialist.clone()), (Step::Service, false, None));
            // A one-to-one service afterwards asks for the specialist again.
            flow.choose_service("mens-cut", "2026-11-23");
            assert_eq!(flow.step(), if order == Order::DateFirst { Step::Time } else { Step::Specialist });
        }
    }

    #[test]
    fn a_full_session_is_a_place_on_its_waiting_list() {
        let mut flow = Flow::default();
        flow.choose_class("pilates", "2026-11-23");
        flow.choose_waitlist(slot("2026-11-25T13:00:00Z"));
        assert!(flow.class_request(&ana("Ana", "+447400900123")).unwrap().join_waitlist);
        // Another time, or back: no longer the waiting list.
        flow.back();
        flow.choose_slot(slot("2026-11-25T18:00:00Z"));
        assert!(!flow.class_request(&ana("Ana", "+447400900123")).unwrap().join_waitlist);
        flow.waiting(confirmation(), 2);
        assert_eq!((flow.step(), flow.waitlisted), (Step::Done, Some(2)));
        flow.restart();
        assert_eq!(flow.waitlisted, None);
    }

    #[test]
    fn with_the_time_first_a_visit_takes_any_specialist() {
        let mut flow = Flow { order: Order::DateFirst, ..Flow::default() };
        flow.choose_visit(&["mens-cut".to_string(), "beard".to_string()], "2026-11-23");
        assert_eq!(flow.step(), Step::Time);
        assert_eq!(flow.specialist, Some(None));
        flow.choose_slot(slot("2026-11-25T10:00:00Z"));
        assert_eq!(flow.step(), Step::Details);
        assert!(flow
            .visit_request(&ana("Ana", "+447400900123"))
            .unwrap()
            .parts
            .iter()
            .all(|p| p.specialist_id.is_none()));
        // Back goes to the times, then to the services, never to a specialist not chosen.
        assert_eq!(flow.previous_step(), Some(Step::Time));
        flow.back();
        flow.back();
        assert_eq!((flow.step(), flow.specialist.clone()), (Step::Service, None));
    }

    #[test]
    fn a_booked_visit_reads_as_one_confirmation() {
        let part = |service: &str, name: &str, who: &str, token: &str| BookingConfirmation {
            service_id: service.into(),
            service_name: name.into(),
            specialist_name: who.into(),
            manage_token: Some(token.into()),
            ..confirmation()
        };
        let visit = VisitConfirmation {
            visit_id: "vs_1".into(),
            location_id: "soho".into(),
            start: "2026-11-25T10:00:00Z".into(),
            end: "2026-11-25T11:00:00Z".into(),
            local_date: "2026-11-25".into(),
            local_time: "10:00".into(),
            time_zone: "Europe/London".into(),
            price: homeslot_core::wire::Money::of(5000, "GBP"),
            original_price: None,
            membership: None,
            parts: vec![part("mens-cut", "Men's cut", "Marco", "t1"), part("beard", "Beard trim", "Marco", "t2")],
        };
        let done = visit_confirmation(visit).unwrap();
        assert_eq!((done.service_name.as_str(), done.specialist_name.as_str()), ("Men's cut + Beard trim", "Marco"));
        assert_eq!((done.price.amount_minor, done.end.as_str()), (5000, "2026-11-25T11:00:00Z"));
        assert_eq!((done.booking_id.as_str(), done.manage_token.as_deref()), ("vs_1", Some("t1")));
    }

    #[test]
    fn moving_a_booking_starts_at_its_times_with_its_specialist() {
        let mut flow = Flow::reschedule("mens-cut", "marco", "2026-11-25");
        assert_eq!(flow.step(), Step::Time);
        assert_eq!(flow.times_for(), Some("marco"));
        assert_eq!(flow.date.as_deref(), Some("2026-11-25"));
        flow.choose_slot(slot("2026-11-26T10:00:00Z"));
        assert_eq!(flow.step(), Step::Details);
    }

    #[test]
    fn the_manage_link_is_the_page_with_the_token_in_its_fragment() {
        assert_eq!(
            manage_link("https://salon.example/book?x=1", "demo.soho.bk_1.s"),
            "https://salon.example/book?x=1#homeslot-manage=demo.soho.bk_1.s"
        );
    }

    #[test]
    fn a_client_walks_service_specialist_time_details_done() {
        let mut flow = Flow::default();
        assert_eq!(flow.step(), Step::Service);
        assert!(flow.booking_request(&ana("Ana", "+447400900123")).is_none());
        flow.choose_service("mens-cut", "2026-11-23");
        assert_eq!((flow.step(), flow.date.as_deref()), (Step::Specialist, Some("2026-11-23")));
        flow.choose_specialist(None);
        assert_eq!(flow.step(), Step::Time);
        flow.choose_date("2026-11-25");
        flow.choose_slot(slot("2026-11-25T10:00:00Z"));
        assert_eq!(flow.step(), Step::Details);
        let request = flow.booking_request(&ana(" Ana ", " +44 7400 900123 ")).unwrap();
        assert_eq!((request.client.phone.as_str(), request.client.email.as_deref()), ("+44 7400 900123", None));
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
        flow.choose_specialist(None);
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
    fn a_hold_goes_with_the_request_and_is_dropped_with_the_time() {
        let mut flow = Flow::default();
        flow.choose_service("mens-cut", "2026-11-23");
        flow.choose_specialist(None);
        flow.choose_slot(slot("2026-11-25T10:00:00Z"));
        flow.held("hold_1", "2026-11-25T09:05:00Z");
        assert_eq!(flow.booking_request(&ana("Ana", "+447400900123")).unwrap().hold_id.as_deref(), Some("hold_1"));
        flow.slot_lost("taken");
        assert_eq!((flow.hold.as_ref(), flow.lost.as_deref()), (None, Some("2026-11-25T10:00:00Z")));
        flow.choose_slot(slot("2026-11-25T11:00:00Z"));
        assert_eq!((flow.hold.as_ref(), flow.lost.as_ref()), (None, None));
    }

    #[test]
    fn the_nearest_free_times_surround_the_lost_one() {
        let day: Vec<SlotView> = ["09:00", "09:30", "10:30", "11:00", "15:00"]
            .iter()
            .map(|t| slot(&format!("2026-11-25T{t}:00Z")))
            .collect();
        let starts = |v: Vec<SlotView>| v.into_iter().map(|s| s.start[11..16].to_string()).collect::<Vec<_>>();
        assert_eq!(starts(nearest(&day, "2026-11-25T10:10:00Z", 3)), ["09:30", "10:30", "11:00"]);
        // Equally near: the earlier one.
        assert_eq!(starts(nearest(&day, "2026-11-25T10:00:00Z", 3)), ["09:00", "09:30", "10:30"]);
        assert_eq!(starts(nearest(&day, "2026-11-25T16:00:00Z", 2)), ["11:00", "15:00"]);
        assert!(nearest(&[], "2026-11-25T10:00:00Z", 3).is_empty());
    }

    #[test]
    fn back_goes_one_step_at_a_time() {
        let mut flow = Flow::default();
        flow.choose_service("mens-cut", "2026-11-23");
        flow.choose_specialist(Some("marco"));
        flow.choose_slot(slot("2026-11-23T10:00:00Z"));
        flow.back();
        assert_eq!(flow.step(), Step::Time);
        flow.back();
        assert_eq!(flow.step(), Step::Specialist);
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

    fn catalog() -> CatalogResponse {
        let service = |id: &str, who: &[&str]| homeslot_core::wire::ServiceView {
            id: id.into(),
            name: id.into(),
            duration_minutes: 30,
            price: homeslot_core::wire::Money::of(3000, "GBP"),
            description: String::new(),
            category_id: None,
            specialist_ids: who.iter().map(|w| w.to_string()).collect(),
            offer: None,
            first_booking_offer: None,
            members_only: false,
        };
        let person = |id: &str, location: &str| homeslot_core::wire::SpecialistView {
            id: id.into(),
            name: id.into(),
            location_id: location.into(),
            ..Default::default()
        };
        CatalogResponse {
            company: Default::default(),
            locations: Vec::new(),
            services: vec![service("mens-cut", &["marco", "anna"]), service("colour", &["anna"])],
            classes: vec![service("pilates", &[])],
            specialists: vec![person("marco", "soho"), person("anna", "soho"), person("lea", "camden")],
        }
    }

    fn preset(service: &str, specialist: &str, date: &str, order: &str) -> Preset {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Preset {
            location: None,
            service: some(service),
            specialist: some(specialist),
            date: some(date),
            order: some(order),
            ..Preset::default()
        }
    }

    #[test]
    fn a_preselected_service_and_date_open_the_times_and_bad_ones_are_ignored() {
        let start = |p: Preset| Flow::preset(&p, &catalog(), "soho", "2026-11-23", "service_first");
        let flow = start(preset("mens-cut", "any", "2026-11-30", ""));
        assert_eq!((flow.step(), flow.date.as_deref()), (Step::Time, Some("2026-11-30")));
        assert_eq!(start(preset("mens-cut", "", "2026-11-01", "")).date.as_deref(), Some("2026-11-23"), "past");
        assert_eq!(start(preset("mens-cut", "", "soon", "")).date.as_deref(), Some("2026-11-23"));
        assert_eq!(start(preset("mens-cut", "", "", "")).step(), Step::Specialist);
        assert_eq!(start(preset("massage", "", "", "")), Flow::default());
        // A specialist who does not do colour, or works elsewhere, is not preselected.
        assert_eq!(start(preset("colour", "marco", "", "")).specialist, None);
        assert_eq!(start(preset("", "lea", "", "")).specialist, None);
        assert_eq!(start(preset("colour", "anna", "", "")).specialist, Some(Some("anna".into())));
    }

    #[test]
    fn each_order_asks_in_its_own_sequence_and_back_undoes_the_latest_choice() {
        let walk = |order: &str| {
            let mut flow = Flow::preset(&Preset::default(), &catalog(), "soho", "2026-11-23", order);
            let mut seen = vec![flow.step()];
            for _ in 0..3 {
                match flow.step() {
                    Step::Service => flow.choose_service("mens-cut", "2026-11-23"),
                    Step::Specialist => flow.choose_specialist(Some("marco")),
                    Step::Time => flow.choose_slot(slot("2026-11-23T10:00:00Z")),
                    _ => unreachable!(),
                }
                seen.push(flow.step());
            }
            (flow, seen)
        };
        use Step::*;
        assert_eq!(walk("service_first").1, [Service, Specialist, Time, Details]);
        assert_eq!(walk("specialist_first").1, [Specialist, Service, Time, Details]);
        let (mut flow, seen) = walk("date_first");
        assert_eq!(seen, [Service, Time, Specialist, Details]);
        assert_eq!(flow.times_for(), None, "date first: everyone's times");
        assert_eq!(flow.booking_request(&ana("Ana", "+447400900123")).unwrap().specialist_id.as_deref(), Some("marco"));
        flow.back();
        assert_eq!(flow.step(), Specialist);
        flow.back();
        assert_eq!(flow.step(), Time);
        let (flow, _) = walk("service_first");
        assert_eq!(flow.times_for(), Some("marco"));
        assert_eq!(Order::parse("nonsense"), Order::ServiceFirst);
    }

    #[test]
    fn date_strip_starts_today_and_respects_the_horizon() {
        assert_eq!(date_strip("2026-12-30", 60, 3), ["2026-12-30", "2026-12-31", "2027-01-01"]);
        assert_eq!(date_strip("2026-12-30", 2, 14).len(), 2);
        assert!(date_strip("garbage", 60, 14).is_empty());
    }
}
