//! The business-wide audit trail: who changed what and when — the catalog, the staff, the keys,
//! memberships, bookings made or changed by staff, clients' data exported or erased. Kept per
//! business, in its company object, and read by its owners (`GET …/audit`).
//!
//! An entry names its author as they were when they acted (a person's name, "an integration" for
//! an admin token, "Homeslot" for the platform), so it stays readable after they leave.

use serde::{Deserialize, Serialize};

/// What was done: a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// The whole catalog replaced (`PUT …/companies/{company}`, the setup wizard).
    CatalogReplaced,
    /// Company-wide fields changed (`PATCH`: name, widget settings, discounts, promos, sites…).
    SettingsChanged,
    /// A service, category, location or specialist created or changed.
    ItemSaved,
    ItemDeleted,
    StaffInvited,
    InviteWithdrawn,
    StaffRemoved,
    AdminTokenIssued,
    AdminTokenRevoked,
    AppKeyIssued,
    AppKeyRevoked,
    MembershipSaved,
    /// A membership changed by hand, with the reason given.
    MembershipAdjusted,
    MembershipsImported,
    BookingMade,
    BookingMoved,
    BookingCancelled,
    AttendanceMarked,
    TestBookingsCleared,
    ClientDataExported,
    ClientErased,
    /// Two records of one person made one.
    ClientsMerged,
    /// A webhook endpoint added or changed (its address, events, description; turned on or off).
    WebhookSaved,
    WebhookDeleted,
    WebhookSecretRotated,
    /// Turned off by the edge: it answered `410 Gone`, or kept failing for a day.
    WebhookDisabled,
    WebhooksReplayed,
}

impl AuditAction {
    /// What the console calls it.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::CatalogReplaced => "Replaced the whole catalog",
            AuditAction::SettingsChanged => "Changed the business's settings",
            AuditAction::ItemSaved => "Saved",
            AuditAction::ItemDeleted => "Deleted",
            AuditAction::StaffInvited => "Invited",
            AuditAction::InviteWithdrawn => "Withdrew an invite",
            AuditAction::StaffRemoved => "Removed from the staff",
            AuditAction::AdminTokenIssued => "Issued an admin token",
            AuditAction::AdminTokenRevoked => "Revoked an admin token",
            AuditAction::AppKeyIssued => "Issued an app key",
            AuditAction::AppKeyRevoked => "Revoked an app key",
            AuditAction::MembershipSaved => "Saved a membership",
            AuditAction::MembershipAdjusted => "Adjusted a membership",
            AuditAction::MembershipsImported => "Imported memberships",
            AuditAction::BookingMade => "Booked for a client",
            AuditAction::BookingMoved => "Moved a booking",
            AuditAction::BookingCancelled => "Cancelled a booking",
            AuditAction::AttendanceMarked => "Marked attendance",
            AuditAction::TestBookingsCleared => "Cleared the test bookings",
            AuditAction::ClientDataExported => "Exported clients' data",
            AuditAction::ClientErased => "Erased a client",
            AuditAction::ClientsMerged => "Merged two records of a client",
            AuditAction::WebhookSaved => "Saved a webhook endpoint",
            AuditAction::WebhookDeleted => "Deleted a webhook endpoint",
            AuditAction::WebhookSecretRotated => "Rotated a webhook endpoint's secret",
            AuditAction::WebhookDisabled => "A webhook endpoint was turned off",
            AuditAction::WebhooksReplayed => "Sent webhook messages again",
        }
    }
}

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its place in the trail: later entries have greater numbers.
    pub seq: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who, as they were then.
    pub by: String,
    pub action: AuditAction,
    /// What it was done to: `services/cut`, `membership M-104`, `booking bk_… at soho`.
    pub subject: String,
    /// What else it said: the reason given, the fields changed, a count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// `GET /v1/admin/companies/{company}/audit?before=&limit=`: the latest entries first; `more`
/// is the `before` that reads the page after this one, while there are older entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditTrail {
    pub entries: Vec<AuditEntry>,
    #[serde(default)]
    pub more: Option<i64>,
}

/// The most entries one page holds, and the number a page has when none is asked for.
pub const MAX_PAGE: u32 = 200;
pub const DEFAULT_PAGE: u32 = 50;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_travel_as_stable_snake_case_codes() {
        assert_eq!(serde_json::to_string(&AuditAction::MembershipAdjusted).unwrap(), "\"membership_adjusted\"");
        let back: AuditAction = serde_json::from_str("\"booking_cancelled\"").unwrap();
        assert_eq!(back.label(), "Cancelled a booking");
    }
}
