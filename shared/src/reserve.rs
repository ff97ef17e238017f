//! Reserve with Google: the JSON of the booking server's REST v3 methods, as Google's
//! `ext.maps.booking.partner.v3` messages are written in proto3 JSON — field names as in the
//! proto (snake_case; the lowerCamelCase JSON names are read too), 64-bit integers as strings
//! (numbers are read too), enums by name (their numbers are read too), absent fields at their
//! defaults. And the partner's side of the names: a merchant is a location of a business, a
//! service a service, a staff id a specialist.
//!
//! Nothing here reads the clock or the stores; the edge answers the methods
//! (`edge/src/handlers/reserve.rs`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The methods, by the last segment of their path (`/v3/CreateBooking/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    HealthCheck,
    BatchAvailabilityLookup,
    CheckAvailability,
    CreateBooking,
    UpdateBooking,
    GetBookingStatus,
    ListBookings,
}

impl Method {
    const ALL: [(Method, &'static str); 7] = [
        (Method::HealthCheck, "healthcheck"),
        (Method::BatchAvailabilityLookup, "batchavailabilitylookup"),
        (Method::CheckAvailability, "checkavailability"),
        (Method::CreateBooking, "createbooking"),
        (Method::UpdateBooking, "updatebooking"),
        (Method::GetBookingStatus, "getbookingstatus"),
        (Method::ListBookings, "listbookings"),
    ];

    /// The method a request's path names below the operator's base path: `v3/{Method}`, the
    /// method's name in any case, with or without a trailing slash (as the spec allows).
    ///
    /// ```
    /// use homeslot_core::reserve::Method;
    /// assert_eq!(Method::of("/v3/CreateBooking/"), Some(Method::CreateBooking));
    /// assert_eq!(Method::of("V3/healthcheck"), Some(Method::HealthCheck));
    /// assert_eq!(Method::of("/v3/CreateBooking/x"), None);
    /// ```
    pub fn of(path: &str) -> Option<Method> {
        let path = path.strip_prefix('/').unwrap_or(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        let (version, name) = path.split_once('/')?;
        if !version.eq_ignore_ascii_case("v3") {
            return None;
        }
        Method::ALL.iter().find(|(_, known)| name.eq_ignore_ascii_case(known)).map(|(method, _)| *method)
    }
}

/// A merchant's id: `{company}.{location}` (ids are `a–z`, `0–9` and `-`, so the dot is
/// unambiguous).
pub fn merchant_id(company_id: &str, location_id: &str) -> String {
    format!("{company_id}.{location_id}")
}

/// The business and location a merchant id names.
pub fn merchant(merchant_id: &str) -> Option<(&str, &str)> {
    merchant_id.split_once('.').filter(|(c, l)| !c.is_empty() && !l.is_empty() && !l.contains('.'))
}

/// A booking's id as Google knows it: `{company}.{location}.{booking}`, so every later call finds
/// its booking from the id alone.
pub fn booking_id(company_id: &str, location_id: &str, booking_id: &str) -> String {
    format!("{company_id}.{location_id}.{booking_id}")
}

/// The business, location and booking a Google booking id names.
pub fn booking(id: &str) -> Option<(&str, &str, &str)> {
    let mut parts = id.splitn(3, '.');
    let (company, location, booking) = (parts.next()?, parts.next()?, parts.next()?);
    (!company.is_empty() && !location.is_empty() && !booking.is_empty() && !booking.contains('.'))
        .then_some((company, location, booking))
}

/// An `int64` as proto3 JSON writes it (a string) and reads it (a string or a number).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Int64(pub i64);

impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Number(i64),
            Text(String),
        }
        match Either::deserialize(d)? {
            Either::Number(n) => Ok(Int64(n)),
            Either::Text(text) => text
                .trim()
                .parse()
                .map(Int64)
                .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a 64-bit integer"))),
        }
    }
}

/// Declares a proto enum: written by name, read by name or number; an unknown name or number
/// reads as the enum's `UNSPECIFIED` value (as proto3 keeps unknown values open).
macro_rules! proto_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $number:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub enum $name {
            #[default]
            $($variant),+
        }

        impl $name {
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }

            fn from_name(name: &str) -> Self {
                [$($name::$variant),+].into_iter().find(|v| v.name() == name).unwrap_or_default()
            }

            fn from_number(number: i64) -> Self {
                match number { $($number => $name::$variant,)+ _ => $name::default() }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #[derive(Deserialize)]
                #[serde(untagged)]
                enum Either {
                    Number(i64),
                    Text(String),
                }
                Ok(match Either::deserialize(d)? {
                    Either::Number(n) => $name::from_number(n),
                    Either::Text(text) => $name::from_name(&text),
                })
            }
        }
    };
}

proto_enum! {
    /// Whether a booking is confirmed as it is made (ours always are).
    ConfirmationMode {
        CONFIRMATION_MODE_UNSPECIFIED = 0,
        CONFIRMATION_MODE_SYNCHRONOUS = 1,
        CONFIRMATION_MODE_ASYNCHRONOUS = 2,
    }
}

proto_enum! {
    /// A booking's status.
    BookingStatus {
        BOOKING_STATUS_UNSPECIFIED = 0,
        CONFIRMED = 1,
        PENDING_MERCHANT_CONFIRMATION = 2,
        CANCELED = 3,
        NO_SHOW = 4,
        NO_SHOW_PENALIZED = 5,
        FAILED = 6,
        DECLINED_BY_MERCHANT = 7,
    }
}

proto_enum! {
    /// Whether the booking was paid ahead (never, through Google: it books without payment).
    PrepaymentStatus {
        PREPAYMENT_STATUS_UNSPECIFIED = 0,
        PREPAYMENT_PROVIDED = 1,
        PREPAYMENT_NOT_PROVIDED = 2,
        PREPAYMENT_REFUNDED = 3,
        PREPAYMENT_CREDITED = 4,
    }
}

proto_enum! {
    /// Why a booking could not be made or changed: a business answer, in an HTTP 200.
    Cause {
        CAUSE_UNSPECIFIED = 0,
        SLOT_UNAVAILABLE = 1,
        SLOT_ALREADY_BOOKED_BY_USER = 2,
        LEASE_EXPIRED = 3,
        OUTSIDE_CANCELLATION_WINDOW = 4,
        PAYMENT_ERROR_CARD_TYPE_REJECTED = 5,
        PAYMENT_ERROR_CARD_DECLINED = 6,
        PAYMENT_OPTION_NOT_VALID = 7,
        PAYMENT_ERROR = 8,
        USER_CANNOT_USE_PAYMENT_OPTION = 9,
        BOOKING_ALREADY_CANCELLED = 10,
        BOOKING_NOT_CANCELLABLE = 11,
        OVERLAPPING_RESERVATION = 12,
        USER_OVER_BOOKING_LIMIT = 13,
        PAYMENT_REQUIRES_3DS1 = 14,
    }
}

/// The staff member (specialist) and room the user chose, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceIds {
    #[serde(default, alias = "staffId", skip_serializing_if = "String::is_empty")]
    pub staff_id: String,
    #[serde(default, alias = "roomId", skip_serializing_if = "String::is_empty")]
    pub room_id: String,
    #[serde(default, alias = "partySize", skip_serializing_if = "is_zero")]
    pub party_size: i32,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

/// A slot of a service at a merchant: its start (Unix seconds) and length.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    #[serde(default, alias = "merchantId")]
    pub merchant_id: String,
    #[serde(default, alias = "serviceId")]
    pub service_id: String,
    #[serde(default, alias = "startSec")]
    pub start_sec: Int64,
    #[serde(default, alias = "durationSec")]
    pub duration_sec: Int64,
    #[serde(default, alias = "availabilityTag", skip_serializing_if = "String::is_empty")]
    pub availability_tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceIds>,
    #[serde(default, alias = "confirmationMode", skip_serializing_if = "is_unspecified_mode")]
    pub confirmation_mode: ConfirmationMode,
}

fn is_unspecified_mode(mode: &ConfirmationMode) -> bool {
    *mode == ConfirmationMode::CONFIRMATION_MODE_UNSPECIFIED
}

impl Slot {
    /// The specialist the user chose, if any.
    pub fn staff_id(&self) -> Option<&str> {
        self.resources.as_ref().map(|r| r.staff_id.as_str()).filter(|s| !s.is_empty())
    }
}

/// A slot's time at the merchant of a `BatchAvailabilityLookup`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotTime {
    #[serde(default, alias = "serviceId")]
    pub service_id: String,
    #[serde(default, alias = "startSec")]
    pub start_sec: Int64,
    #[serde(default, alias = "durationSec")]
    pub duration_sec: Int64,
    #[serde(default, alias = "availabilityTag", skip_serializing_if = "String::is_empty")]
    pub availability_tag: String,
    #[serde(default, alias = "resourceIds", skip_serializing_if = "Option::is_none")]
    pub resource_ids: Option<ResourceIds>,
    #[serde(default, alias = "confirmationMode", skip_serializing_if = "is_unspecified_mode")]
    pub confirmation_mode: ConfirmationMode,
}

impl SlotTime {
    /// The specialist the user chose, if any.
    pub fn staff_id(&self) -> Option<&str> {
        self.resource_ids.as_ref().map(|r| r.staff_id.as_str()).filter(|s| !s.is_empty())
    }
}

/// `POST v3/BatchAvailabilityLookup`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchAvailabilityLookupRequest {
    #[serde(default, alias = "merchantId")]
    pub merchant_id: String,
    #[serde(default, alias = "slotTime")]
    pub slot_time: Vec<SlotTime>,
}

/// Exactly one answer per asked slot time, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchAvailabilityLookupResponse {
    pub slot_time_availability: Vec<SlotTimeAvailability>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotTimeAvailability {
    pub slot_time: SlotTime,
    pub available: bool,
}

/// `POST v3/CheckAvailability`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckAvailabilityRequest {
    #[serde(default)]
    pub slot: Slot,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckAvailabilityResponse {
    pub slot: Slot,
    /// Spots open: 0 or 1 for an appointment, the seats left for a class.
    pub count_available: i32,
}

/// The user as Google sends them: who becomes the chain's client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInformation {
    #[serde(default, alias = "userId")]
    pub user_id: String,
    #[serde(default, alias = "givenName", skip_serializing_if = "String::is_empty")]
    pub given_name: String,
    #[serde(default, alias = "familyName", skip_serializing_if = "String::is_empty")]
    pub family_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub telephone: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(default, alias = "languageCode", skip_serializing_if = "String::is_empty")]
    pub language_code: String,
}

impl UserInformation {
    /// Their name as one string (`given family`).
    pub fn full_name(&self) -> String {
        [self.given_name.trim(), self.family_name.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentInformation {
    #[serde(default, alias = "prepaymentStatus")]
    pub prepayment_status: PrepaymentStatus,
}

/// A booking as Google sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    #[serde(default, alias = "bookingId")]
    pub booking_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<Slot>,
    #[serde(default, alias = "userInformation", skip_serializing_if = "Option::is_none")]
    pub user_information: Option<UserInformation>,
    #[serde(default)]
    pub status: BookingStatus,
    #[serde(default, alias = "paymentInformation", skip_serializing_if = "Option::is_none")]
    pub payment_information: Option<PaymentInformation>,
}

/// Why a booking was not made or changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingFailure {
    pub cause: Cause,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl BookingFailure {
    pub fn new(cause: Cause, description: impl Into<String>) -> Self {
        BookingFailure { cause, description: description.into() }
    }
}

/// `POST v3/CreateBooking`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateBookingRequest {
    #[serde(default)]
    pub slot: Slot,
    #[serde(default, alias = "userInformation")]
    pub user_information: UserInformation,
    #[serde(default, alias = "paymentInformation", skip_serializing_if = "Option::is_none")]
    pub payment_information: Option<PaymentInformation>,
    #[serde(default, alias = "idempotencyToken")]
    pub idempotency_token: String,
    #[serde(default, alias = "additionalRequest", skip_serializing_if = "String::is_empty")]
    pub additional_request: String,
}

/// The booking made (or changed), or why not: one of the two.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateBookingResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<Booking>,
    #[serde(default, alias = "bookingFailure", skip_serializing_if = "Option::is_none")]
    pub booking_failure: Option<BookingFailure>,
}

/// `POST v3/UpdateBooking`: a cancellation (`status`) or a reschedule (`slot.start_sec`,
/// `slot.duration_sec`), as its field mask says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateBookingRequest {
    #[serde(default, alias = "updateMask", deserialize_with = "field_mask")]
    pub update_mask: Vec<String>,
    #[serde(default)]
    pub booking: Booking,
}

impl UpdateBookingRequest {
    /// Whether the mask names `path` (`slot.start_sec`).
    pub fn updates(&self, path: &str) -> bool {
        self.update_mask.iter().any(|p| p == path)
    }
}

/// A `google.protobuf.FieldMask`: proto3 JSON writes it as one string of comma-separated
/// lowerCamelCase paths (`slot.startSec,slot.durationSec`); Google's own samples use the proto
/// names, and some clients send `{"paths": [...]}`. Each path comes back in proto (snake_case)
/// form.
fn field_mask<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Mask {
        Text(String),
        Paths { paths: Vec<String> },
    }
    let paths = match Mask::deserialize(d)? {
        Mask::Text(text) => text.split(',').map(str::to_string).collect::<Vec<_>>(),
        Mask::Paths { paths } => paths,
    };
    Ok(paths.iter().map(|p| snake_case(p.trim())).filter(|p| !p.is_empty()).collect())
}

fn snake_case(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 4);
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The booking as changed, or why not: the same two fields as a creation's answer.
pub type UpdateBookingResponse = CreateBookingResponse;

/// `POST v3/GetBookingStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetBookingStatusRequest {
    #[serde(default, alias = "bookingId")]
    pub booking_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetBookingStatusResponse {
    pub booking_id: String,
    pub booking_status: BookingStatus,
    pub prepayment_status: PrepaymentStatus,
}

/// `POST v3/ListBookings`: the user's bookings still to come, not cancelled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListBookingsRequest {
    #[serde(default, alias = "userId")]
    pub user_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListBookingsResponse {
    pub bookings: Vec<Booking>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_read_as_proto3_json_writes_them_and_answers_written_so() {
        let request: CreateBookingRequest = serde_json::from_str(
            r#"{"idempotency_token":"18307119013960637991","payment_information":{"prepayment_status":"PREPAYMENT_NOT_PROVIDED"},
            "slot":{"confirmation_mode":"CONFIRMATION_MODE_SYNCHRONOUS","duration_sec":"1800","merchant_id":"demo.soho",
            "resources":{"staff_id":"anna"},"service_id":"mens-cut","start_sec":"1606467600","unknown":1},
            "user_information":{"email":"john.smith@gmail.com","family_name":"Smith","given_name":"John",
            "telephone":"+12091111111","user_id":"1111111111111111111"}}"#,
        )
        .unwrap();
        assert_eq!(request.slot.start_sec, Int64(1_606_467_600));
        assert_eq!(request.slot.staff_id(), Some("anna"));
        assert_eq!(request.user_information.full_name(), "John Smith");
        // lowerCamelCase names, numbers for int64 and enums.
        let camel: Slot = serde_json::from_str(
            r#"{"merchantId":"a.b","serviceId":"s","startSec":1606467600,"durationSec":"60","confirmationMode":1}"#,
        )
        .unwrap();
        assert_eq!(
            (camel.start_sec.0, camel.confirmation_mode),
            (1_606_467_600, ConfirmationMode::CONFIRMATION_MODE_SYNCHRONOUS)
        );
        let answer = CreateBookingResponse {
            booking_failure: Some(BookingFailure::new(Cause::SLOT_UNAVAILABLE, "taken")),
            ..CreateBookingResponse::default()
        };
        assert_eq!(
            serde_json::to_string(&answer).unwrap(),
            r#"{"booking_failure":{"cause":"SLOT_UNAVAILABLE","description":"taken"}}"#
        );
        assert!(serde_json::to_string(&camel).unwrap().contains(r#""start_sec":"1606467600""#));
        assert!(serde_json::from_str::<Slot>(r#"{"start_sec":"soon"}"#).is_err());
    }

    #[test]
    fn an_update_mask_is_read_in_each_of_its_forms() {
        for mask in [
            r#""slot.startSec,slot.durationSec""#,
            r#""slot.start_sec,slot.duration_sec""#,
            r#"{"paths":["slot.start_sec","slot.duration_sec"]}"#,
        ] {
            let request: UpdateBookingRequest =
                serde_json::from_str(&format!(r#"{{"update_mask":{mask},"booking":{{"booking_id":"a.b.c"}}}}"#))
                    .unwrap();
            assert!(request.updates("slot.start_sec") && request.updates("slot.duration_sec"), "{mask}");
        }
        let cancel: UpdateBookingRequest =
            serde_json::from_str(r#"{"updateMask":"status","booking":{"bookingId":"a.b.c","status":"CANCELED"}}"#)
                .unwrap();
        assert!(cancel.updates("status") && cancel.booking.status == BookingStatus::CANCELED);
    }

    #[test]
    fn ids_name_their_business_location_and_booking() {
        assert_eq!(merchant(&merchant_id("demo", "soho")), Some(("demo", "soho")));
        assert_eq!(merchant("demo"), None);
        assert_eq!(merchant("demo.soho.x"), None);
        assert_eq!(booking(&booking_id("demo", "soho", "bk_1")), Some(("demo", "soho", "bk_1")));
        assert_eq!(booking("demo.soho"), None);
        for path in ["/v3/CheckAvailability", "v3/checkavailability/", "/V3/CHECKAVAILABILITY/"] {
            assert_eq!(Method::of(path), Some(Method::CheckAvailability), "{path}");
        }
        assert_eq!(Method::of("/v2/CheckAvailability"), None);
    }
}
