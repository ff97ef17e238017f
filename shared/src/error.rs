//! The one error shape of the API: a stable machine code, a human message, the field at fault.

use crate::wire::{ErrorBody, ErrorDetail};

/// Stable machine-readable error codes. Clients and tests match on [`ErrorCode::as_str`]; the
/// strings never change meaning once published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The body is not valid JSON, or not the expected shape.
    InvalidJson,
    /// The body is larger than the endpoint accepts.
    PayloadTooLarge,
    /// A field has a value the API cannot accept; `field` names it.
    ValidationFailed,
    /// The client's name is missing.
    NameRequired,
    /// The phone number cannot be a real phone number.
    InvalidPhone,
    /// The owner asks for an e-mail address and none was given.
    EmailRequired,
    /// The owner asks for a comment and none was given.
    CommentRequired,
    /// The owner has a privacy policy and the client did not accept it.
    ConsentRequired,
    /// The service does not exist or cannot be booked at this location.
    ServiceUnavailable,
    /// The requested specialist does not exist or does not perform the service.
    SpecialistUnavailable,
    /// The slot is not (or no longer) free.
    SlotUnavailable,
    /// "Any specialist" was asked for and the time itself is open (hours, resources), but every
    /// specialist who performs the service is busy or away then.
    NoFreeSpecialist,
    /// The class session has no seat left (and no waitlist place, or none was asked for).
    ClassFull,
    /// The hold named by a confirmation has expired, was used, or never existed.
    HoldExpired,
    /// An `Idempotency-Key` was sent again with a different request.
    IdempotencyKeyReused,
    /// The visit is too close to cancel online (the location's cancellation notice).
    TooLateToCancel,
    /// The visit is too close to move online (the location's cancellation notice).
    TooLateToReschedule,
    /// Too many requests from this client; retry after the `Retry-After` seconds.
    RateLimited,
    /// The client already has a visit at this location at an overlapping time.
    OverlappingAppointments,
    /// The requested start lies in the past or inside the minimum booking notice.
    StartInPast,
    /// An admin deletion would leave something without what it needs (e.g. a location that still
    /// has specialists).
    InUse,
    /// No such company, location or resource.
    NotFound,
    /// Missing or wrong credentials.
    Unauthorized,
    /// The HTTP method is not allowed on this path.
    MethodNotAllowed,
    /// Something failed on our side; never caused by input.
    Internal,
    /// The service is for members only and no membership was given.
    MembershipRequired,
    /// No membership with this number belongs to this phone (the same answer for both, so a
    /// number cannot be probed).
    MembershipNotFound,
    /// The membership has expired (its status, or its last valid date is before the visit).
    MembershipExpired,
    /// The membership is valid only from a later date than the visit.
    MembershipNotYetValid,
    /// The membership is frozen.
    MembershipFrozen,
    /// The membership has been cancelled.
    MembershipCancelled,
    /// The membership's balance (visits or money) does not cover the booking.
    MembershipNoBalance,
    /// The membership does not cover this service.
    MembershipNotValidForService,
    /// A membership payment was made for this confirmation, but the confirmation took so long
    /// that the payment was given back before the booking could be written: nothing was booked
    /// or charged; confirm again.
    PaymentExpired,
    /// The booking cannot be moved online: it was cancelled, it is a part of a visit of several
    /// services, or it is a class seat.
    NotMovable,
    /// The business's change does not fit the booking's state: a cancelled booking cannot be
    /// moved, marked or cancelled again, and a no-show cannot be marked before the visit starts.
    NotChangeable,
    /// The platform is too busy to take the request now (a location's queue is full): nothing was
    /// written; retry after the `Retry-After` seconds, with the same `Idempotency-Key`.
    Overloaded,
    /// This deployment cannot keep secrets (an SMTP password, a webhook secret): its `SEAL_KEY`
    /// secret is not set. Nothing was written.
    SecretsUnavailable,
    /// A business may have only so many of these (webhook endpoints: 20); remove one first.
    LimitReached,
    /// Signed in, but the person's role in this business does not allow this (or not at this
    /// location).
    Forbidden,
    /// The e-mail and password (or passkey) do not match an account. The same answer for an
    /// unknown e-mail and a wrong password, so accounts cannot be probed.
    InvalidCredentials,
    /// The invite link has expired, was used already or was revoked.
    InviteUnusable,
    /// A request that changes something came with the session cookie from another site (or
    /// without saying where it came from): refused, as a cross-site request forgery would be.
    CrossSiteRequest,
}

impl ErrorCode {
    /// Every code, for lookups from the wire form.
    pub const ALL: [ErrorCode; 43] = [
        ErrorCode::InvalidJson,
        ErrorCode::PayloadTooLarge,
        ErrorCode::ValidationFailed,
        ErrorCode::NameRequired,
        ErrorCode::InvalidPhone,
        ErrorCode::EmailRequired,
        ErrorCode::CommentRequired,
        ErrorCode::ConsentRequired,
        ErrorCode::ServiceUnavailable,
        ErrorCode::SpecialistUnavailable,
        ErrorCode::SlotUnavailable,
        ErrorCode::NoFreeSpecialist,
        ErrorCode::ClassFull,
        ErrorCode::HoldExpired,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::TooLateToCancel,
        ErrorCode::TooLateToReschedule,
        ErrorCode::RateLimited,
        ErrorCode::OverlappingAppointments,
        ErrorCode::StartInPast,
        ErrorCode::InUse,
        ErrorCode::NotFound,
        ErrorCode::Unauthorized,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Internal,
        ErrorCode::MembershipRequired,
        ErrorCode::MembershipNotFound,
        ErrorCode::MembershipExpired,
        ErrorCode::MembershipNotYetValid,
        ErrorCode::MembershipFrozen,
        ErrorCode::MembershipCancelled,
        ErrorCode::MembershipNoBalance,
        ErrorCode::MembershipNotValidForService,
        ErrorCode::PaymentExpired,
        ErrorCode::NotMovable,
        ErrorCode::NotChangeable,
        ErrorCode::Overloaded,
        ErrorCode::SecretsUnavailable,
        ErrorCode::LimitReached,
        ErrorCode::Forbidden,
        ErrorCode::InvalidCredentials,
        ErrorCode::InviteUnusable,
        ErrorCode::CrossSiteRequest,
    ];

    /// The code whose wire form is `text`, if any.
    pub fn from_wire(text: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// The code as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::NameRequired => "name_required",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::EmailRequired => "email_required",
            ErrorCode::CommentRequired => "comment_required",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::ServiceUnavailable => "service_unavailable",
            ErrorCode::SpecialistUnavailable => "specialist_unavailable",
            ErrorCode::SlotUnavailable => "slot_unavailable",
            ErrorCode::NoFreeSpecialist => "no_free_specialist",
            ErrorCode::ClassFull => "class_full",
            ErrorCode::HoldExpired => "hold_expired",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::TooLateToCancel => "too_late_to_cancel",
            ErrorCode::TooLateToReschedule => "too_late_to_reschedule",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::OverlappingAppointments => "overlapping_appointments",
            ErrorCode::StartInPast => "start_in_past",
            ErrorCode::InUse => "in_use",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Internal => "internal",
            ErrorCode::MembershipRequired => "membership_required",
            ErrorCode::MembershipNotFound => "membership_not_found",
            ErrorCode::MembershipExpired => "membership_expired",
            ErrorCode::MembershipNotYetValid => "membership_not_yet_valid",
            ErrorCode::MembershipFrozen => "membership_frozen",
            ErrorCode::MembershipCancelled => "membership_cancelled",
            ErrorCode::MembershipNoBalance => "membership_no_balance",
            ErrorCode::MembershipNotValidForService => "membership_not_valid_for_service",
            ErrorCode::PaymentExpired => "payment_expired",
            ErrorCode::NotMovable => "not_movable",
            ErrorCode::NotChangeable => "not_changeable",
            ErrorCode::Overloaded => "overloaded",
            ErrorCode::SecretsUnavailable => "secrets_unavailable",
            ErrorCode::LimitReached => "limit_reached",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::InviteUnusable => "invite_unusable",
            ErrorCode::CrossSiteRequest => "cross_site_request",
        }
    }

    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidJson => 400,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::ValidationFailed
            | ErrorCode::NameRequired
            | ErrorCode::InvalidPhone
            | ErrorCode::EmailRequired
            | ErrorCode::CommentRequired
            | ErrorCode::ConsentRequired
            | ErrorCode::ServiceUnavailable
            | ErrorCode::SpecialistUnavailable
            | ErrorCode::StartInPast
            | ErrorCode::IdempotencyKeyReused
            | ErrorCode::MembershipRequired
            | ErrorCode::MembershipNotFound
            | ErrorCode::MembershipExpired
            | ErrorCode::MembershipNotYetValid
            | ErrorCode::MembershipFrozen
            | ErrorCode::MembershipCancelled
            | ErrorCode::MembershipNoBalance
            | ErrorCode::MembershipNotValidForService => 422,
            ErrorCode::SlotUnavailable
            | ErrorCode::NoFreeSpecialist
            | ErrorCode::InUse
            | ErrorCode::ClassFull
            | ErrorCode::HoldExpired
            | ErrorCode::TooLateToCancel
            | ErrorCode::TooLateToReschedule
            | ErrorCode::OverlappingAppointments
            | ErrorCode::PaymentExpired
            | ErrorCode::NotMovable
            | ErrorCode::NotChangeable
            | ErrorCode::LimitReached => 409,
            ErrorCode::NotFound => 404,
            ErrorCode::Unauthorized | ErrorCode::InvalidCredentials => 401,
            ErrorCode::Forbidden | ErrorCode::CrossSiteRequest => 403,
            ErrorCode::InviteUnusable => 410,
            ErrorCode::RateLimited => 429,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Internal => 500,
            ErrorCode::Overloaded | ErrorCode::SecretsUnavailable => 503,
        }
    }
}

/// An error the API answers with. Built by validation and domain code, turned into a response in
/// exactly one place at the edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
}

impl ApiError {
    /// An error not tied to one field.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), field: None }
    }

    /// An error about one field of the request (a JSON path such as `client.phone`).
    pub fn field(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), field: Some(field.into()) }
    }

    /// The JSON body sent to the client.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_string(),
                message: self.message.clone(),
                field: self.field.clone(),
            },
        }
    }
}

impl core::fmt::Display for ApiError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_slot_is_a_conflict() {
        assert_eq!(ErrorCode::SlotUnavailable.status(), 409);
        assert_eq!(ErrorCode::SlotUnavailable.as_str(), "slot_unavailable");
    }

    #[test]
    fn every_code_round_trips_through_its_wire_form() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_wire(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::from_wire("nope"), None);
    }

    #[test]
    fn body_carries_code_message_and_field() {
        let body = ApiError::field(ErrorCode::NameRequired, "client.name", "Enter your name.").body();
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "name_required", "message": "Enter your name.", "field": "client.name"}})
        );
    }
}
