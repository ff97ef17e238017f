//! Who may do what in a business: the people of its staff, their roles, and what each role may
//! see and change. Pure rules, used by the edge (which enforces them on every endpoint) and by the
//! console (which shows only what a person may use).
//!
//! | role | may |
//! | --- | --- |
//! | owner | everything: the catalog, widget settings, staff, tokens and keys, memberships, bookings (also outside the rules), reports, the audit trail, export, erasure |
//! | manager | the catalog (services, categories, and the locations and specialists of their locations), memberships, and the bookings and reports of their locations, booking outside the rules there |
//! | front desk | the bookings and clients of their locations: the day's calendar, booking for a client, moving, cancelling, marking arrivals and no-shows |
//! | specialist | their own schedule and their own clients' bookings: their column of the calendar, and the same changes to their own bookings |

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};

/// A person's role in one business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Manager,
    FrontDesk,
    Specialist,
}

impl Role {
    /// Every role, most rights first.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Manager, Role::FrontDesk, Role::Specialist];

    /// The wire form (`front_desk`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::FrontDesk => "front_desk",
            Role::Specialist => "specialist",
        }
    }
}

/// Something a request does, as far as rights go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read the catalog as the admin API shows it (with working hours and settings).
    ReadCatalog,
    /// Replace the whole catalog, or change company-wide fields (name, currency, widget settings,
    /// discounts, promos, site origins).
    EditCompany,
    /// Add, change or delete services and categories (shared by every location of the chain).
    EditServices,
    /// Add, change or delete one location or a specialist working at it.
    EditLocation,
    /// See a location's bookings and holds.
    SeeBookings,
    /// See a location's day in the calendar (a specialist: only their own column, see
    /// [`Grant::own_specialist`]).
    SeeCalendar,
    /// Book for a client at the desk, move, cancel, and mark arrivals and no-shows (a specialist:
    /// only their own bookings).
    ManageBookings,
    /// Book or move a visit outside the rules (outside working hours, over a buffer, inside the
    /// minimum notice), after an explicit confirmation; never over another visit. The booking is
    /// marked as an override.
    BookOutsideRules,
    /// Sell, change and list memberships.
    ManageMemberships,
    /// Invite and revoke people; issue and revoke admin tokens and app keys.
    ManageStaff,
    /// Export every client's data, or erase a client.
    ClientData,
    /// Read a location's reports (bookings and revenue by channel and source, clients,
    /// utilisation).
    SeeReports,
    /// Read the business-wide audit trail (who changed what and when).
    SeeAuditTrail,
}

impl Action {
    /// Every action, in the order the console lists what a role may do.
    pub const ALL: [Action; 13] = [
        Action::ReadCatalog,
        Action::EditCompany,
        Action::EditServices,
        Action::EditLocation,
        Action::SeeBookings,
        Action::SeeCalendar,
        Action::ManageBookings,
        Action::BookOutsideRules,
        Action::ManageMemberships,
        Action::ManageStaff,
        Action::ClientData,
        Action::SeeReports,
        Action::SeeAuditTrail,
    ];
}

/// What a person is in one business: their role, the locations it covers and, for a specialist,
/// which specialist of the catalog they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    /// The locations the role covers; empty means every location (and locations added later).
    #[serde(default)]
    pub locations: Vec<String>,
    /// For a specialist: their id in the catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specialist_id: Option<String>,
}

impl Grant {
    /// Whether the grant covers `location` (every grant covers a request about no location).
    pub fn covers(&self, location: Option<&str>) -> bool {
        match location {
            None => true,
            Some(id) => self.locations.is_empty() || self.locations.iter().any(|own| own == id),
        }
    }

    /// Whether the grant allows `action`, at `location` when the action concerns one.
    pub fn allows(&self, action: Action, location: Option<&str>) -> bool {
        let role_may = match self.role {
            Role::Owner => true,
            Role::Manager => matches!(
                action,
                Action::ReadCatalog
                    | Action::EditServices
                    | Action::EditLocation
                    | Action::SeeBookings
                    | Action::SeeCalendar
                    | Action::ManageBookings
                    | Action::BookOutsideRules
                    | Action::ManageMemberships
                    | Action::SeeReports
            ),
            Role::FrontDesk => {
                matches!(
                    action,
                    Action::ReadCatalog | Action::SeeBookings | Action::SeeCalendar | Action::ManageBookings
                )
            }
            // A specialist never gets a whole location's list: the calendar and the changes to
            // bookings are narrowed to their own (`own_specialist`) by the endpoints.
            Role::Specialist => matches!(action, Action::ReadCatalog | Action::SeeCalendar | Action::ManageBookings),
        };
        role_may && self.covers(location)
    }

    /// The one specialist whose bookings this grant is narrowed to: a specialist's own id; `None`
    /// for the other roles, who see every specialist of their locations.
    pub fn own_specialist(&self) -> Option<&str> {
        match self.role {
            Role::Specialist => Some(self.specialist_id.as_deref().unwrap_or("")),
            _ => None,
        }
    }

    /// `Ok` if the grant allows `action` (at `location`), else `403 forbidden` saying what is
    /// missing.
    pub fn require(&self, action: Action, location: Option<&str>) -> Result<(), ApiError> {
        if self.allows(action, location) {
            return Ok(());
        }
        let message = match location {
            Some(id) if !self.covers(location) => format!("Your role does not cover the location {id}."),
            _ => format!("A {} cannot do this here; ask the owner.", self.role.as_str().replace('_', " ")),
        };
        Err(ApiError::new(ErrorCode::Forbidden, message))
    }

    /// Checks what an owner gives when inviting: a specialist is one specialist, and only a
    /// specialist names one; location ids are well formed and not repeated.
    pub fn validate(&self) -> Result<(), ApiError> {
        match (self.role, &self.specialist_id) {
            (Role::Specialist, None) => {
                return Err(ApiError::field(
                    ErrorCode::ValidationFailed,
                    "specialist_id",
                    "a specialist's invite names which specialist of the catalog they are",
                ))
            }
            (Role::Specialist, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(ApiError::field(
                    ErrorCode::ValidationFailed,
                    "specialist_id",
                    "only a specialist's invite names a specialist",
                ))
            }
        }
        if self.role == Role::Owner && !self.locations.is_empty() {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "locations", "an owner covers every location"));
        }
        for (i, id) in self.locations.iter().enumerate() {
            if !crate::catalog::is_valid_id(id) || self.locations[..i].contains(id) {
                return Err(ApiError::field(
                    ErrorCode::ValidationFailed,
                    format!("locations[{i}]"),
                    "location ids are 1–64 characters of a–z, 0–9 and -, each listed once",
                ));
            }
        }
        Ok(())
    }
}

/// The shortest password accepted, in characters (NIST SP 800-63B: at least 8; we ask for more,
/// since a business's console holds its clients' data).
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted, in characters: long passphrases are welcome, but hashing a
/// megabyte is a way to burn CPU.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Checks a new password: long enough, not absurdly long, not only one repeated character.
/// Any character is allowed (spaces, any script), as NIST recommends.
pub fn check_password(password: &str) -> Result<(), ApiError> {
    let chars = password.chars().count();
    let bad = |message: &str| Err(ApiError::field(ErrorCode::ValidationFailed, "password", message));
    if chars < MIN_PASSWORD_CHARS {
        return bad("a password needs at least 10 characters; a few words make a good one");
    }
    if chars > MAX_PASSWORD_CHARS {
        return bad("a password has at most 256 characters");
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return bad("a password of one repeated character is too easy to guess");
    }
    Ok(())
}

/// An e-mail address in the one form accounts are keyed by: lower-cased, checked for the shape
/// `local@domain.tld` (no spaces or control characters, a dot inside the domain) and at most 254
/// characters. The OpenAPI document's `Email` pattern says the same.
pub fn normalize_email(raw: &str) -> Result<String, ApiError> {
    let plain = |c: char| c > ' ' && !('\u{7f}'..='\u{9f}').contains(&c) && c != '@';
    let valid = raw.chars().count() <= 254
        && raw.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && local.chars().all(plain)
                && domain.chars().all(|c| plain(c) || c == '.')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(raw.to_lowercase())
    } else {
        Err(ApiError::field(ErrorCode::ValidationFailed, "email", "an e-mail address like anna@salon.example"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, locations: &[&str]) -> Grant {
        Grant { role, locations: locations.iter().map(|l| l.to_string()).collect(), specialist_id: None }
    }

    #[test]
    fn each_role_may_what_the_table_says() {
        use Action::*;
        let actions = Action::ALL;
        let expected: [(Role, &[Action]); 4] = [
            (Role::Owner, &actions),
            (
                Role::Manager,
                &[
                    ReadCatalog,
                    EditServices,
                    EditLocation,
                    SeeBookings,
                    SeeCalendar,
                    ManageBookings,
                    BookOutsideRules,
                    ManageMemberships,
                    SeeReports,
                ],
            ),
            (Role::FrontDesk, &[ReadCatalog, SeeBookings, SeeCalendar, ManageBookings]),
            (Role::Specialist, &[ReadCatalog, SeeCalendar, ManageBookings]),
        ];
        for (role, allowed) in expected {
            for action in actions {
                assert_eq!(grant(role, &[]).allows(action, None), allowed.contains(&action), "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn only_a_specialist_is_narrowed_to_their_own_bookings() {
        let mut specialist = grant(Role::Specialist, &[]);
        specialist.specialist_id = Some("anna".into());
        assert_eq!(specialist.own_specialist(), Some("anna"));
        for role in [Role::Owner, Role::Manager, Role::FrontDesk] {
            assert_eq!(grant(role, &[]).own_specialist(), None);
        }
    }

    #[test]
    fn a_role_of_some_locations_stops_at_them() {
        let desk = grant(Role::FrontDesk, &["soho"]);
        assert!(desk.allows(Action::SeeBookings, Some("soho")));
        assert!(!desk.allows(Action::SeeBookings, Some("camden")));
        let error = desk.require(Action::SeeBookings, Some("camden")).unwrap_err();
        assert_eq!((error.code, error.message.contains("camden")), (ErrorCode::Forbidden, true));
        assert!(grant(Role::Manager, &[]).allows(Action::SeeBookings, Some("camden")), "empty = every location");
    }

    #[test]
    fn invites_are_checked() {
        let mut specialist = grant(Role::Specialist, &[]);
        assert_eq!(specialist.validate().unwrap_err().field.as_deref(), Some("specialist_id"));
        specialist.specialist_id = Some("anna".into());
        assert!(specialist.validate().is_ok());
        let mut desk = grant(Role::FrontDesk, &["soho", "soho"]);
        assert_eq!(desk.validate().unwrap_err().field.as_deref(), Some("locations[1]"));
        desk.specialist_id = Some("anna".into());
        assert_eq!(desk.validate().unwrap_err().field.as_deref(), Some("specialist_id"));
        assert!(grant(Role::Owner, &["soho"]).validate().is_err());
    }

    #[test]
    fn passwords_and_emails() {
        assert!(check_password("correct horse").is_ok());
        assert!(check_password("short").is_err());
        assert!(check_password("aaaaaaaaaaaa").is_err());
        assert!(check_password(&"x".repeat(300)).is_err());
        assert_eq!(normalize_email("Anna@Salon.Example").unwrap(), "anna@salon.example");
        for bad in
            ["anna", "anna@", "@salon.example", "anna@salon", "an na@salon.example", "a@b@c.example", " a@b.example"]
        {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
