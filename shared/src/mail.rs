//! How a business sends e-mail: its own provider's SMTP submission server, the sender the
//! clients see, and where the business's own notices go. The owner sets it
//! (`PUT /v1/admin/companies/{company}/mail`); the password is sealed by the edge and never shown
//! back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::validation;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Plain text first, then `STARTTLS` before anything else is said (port 587). Refused by a
    /// server that does not offer it.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS at all: only to a loopback host, on a local deployment (the local mail server).
    None,
}

/// `PUT …/mail`: the business's provider and addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettings {
    /// The provider's SMTP host name (`smtp.provider.example`) or a loopback address locally.
    #[serde(default)]
    pub host: String,
    #[serde(default = "submission")]
    pub port: u16,
    #[serde(default)]
    pub security: Security,
    /// The SMTP user name; none: no `AUTH`.
    #[serde(default)]
    pub username: Option<String>,
    /// The password; none keeps the one stored (it is never shown back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The sender clients see: an address the provider lets this account send as.
    #[serde(default)]
    pub from_address: String,
    /// The sender's name; none: the business's name.
    #[serde(default)]
    pub from_name: Option<String>,
    /// Where clients' replies go, if not to the sender.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// The business's notices (new, moved and cancelled bookings) per location: an address each.
    #[serde(default)]
    pub location_addresses: BTreeMap<String, String>,
    /// And per specialist, to hear of their own bookings.
    #[serde(default)]
    pub specialist_addresses: BTreeMap<String, String>,
    /// Off: nothing is sent (the settings are kept).
    #[serde(default = "on")]
    pub enabled: bool,
    /// The morning agenda: at this time of day on each location's clock (`HH:MM`), each
    /// specialist with an address in `specialist_addresses` and something booked that day is sent
    /// the day (`crate::morning_agenda`). None: no agenda.
    #[serde(default)]
    pub agenda_time: Option<crate::time::MinuteOfDay>,
    /// The owner's choices per message (`booked.client`, …): off, or their own subject and opening.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub messages: crate::messages::MessageSettings,
}

fn submission() -> u16 {
    587
}

fn on() -> bool {
    true
}

/// `GET …/mail`: the settings as stored, without the password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailSettingsView {
    #[serde(flatten)]
    pub settings: MailSettings,
    /// Whether a password is stored.
    pub password_set: bool,
}

impl MailSettings {
    /// Checks the settings: a host name, a port, addresses that are e-mail addresses, and plain
    /// text only to a loopback host where `loopback_allowed` (a local deployment). Addresses come
    /// back normalised; the ids of locations and specialists are checked by the caller.
    ///
    /// # Errors
    /// The first field at fault, as `validation_failed`.
    pub fn checked(mut self, loopback_allowed: bool) -> Result<Self, ApiError> {
        let bad = |field: &str, why: &str| ApiError::field(ErrorCode::ValidationFailed, field, why);
        let host = self.host.trim().to_ascii_lowercase();
        let host_ok = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !host_ok {
            return Err(bad("host", "a host name like smtp.provider.example"));
        }
        let loopback = is_loopback(&host);
        if loopback && !loopback_allowed {
            return Err(bad("host", "must be the provider's server, not this machine"));
        }
        if self.security == Security::None && !(loopback && loopback_allowed) {
            return Err(bad("security", "starttls or tls (plain text only to the local mail server)"));
        }
        if self.port == 0 {
            return Err(bad("port", "a port like 587 (STARTTLS) or 465 (TLS)"));
        }
        self.host = host;
        if let Some(name) = &self.username {
            if name.is_empty() || name.chars().count() > 256 || name.chars().any(char::is_control) {
                return Err(bad("username", "1–256 characters, no line breaks"));
            }
        }
        if let Some(password) = &self.password {
            if password.is_empty() || password.chars().count() > 512 || password.chars().any(char::is_control) {
                return Err(bad("password", "1–512 characters, no line breaks"));
            }
        }
        self.from_address =
            validation::email(&self.from_address).map_err(|_| bad("from_address", "an e-mail address"))?;
        if let Some(name) = &self.from_name {
            if name.trim().is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
                return Err(bad("from_name", "1–80 characters, no line breaks"));
            }
        }
        if let Some(reply_to) = &self.reply_to {
            self.reply_to = Some(validation::email(reply_to).map_err(|_| bad("reply_to", "an e-mail address"))?);
        }
        if self.agenda_time.is_some_and(|time| time == crate::time::MinuteOfDay::END_OF_DAY) {
            return Err(bad("agenda_time", "a time of day from 00:00 to 23:59"));
        }
        crate::messages::check_settings(&self.messages)?;
        for (field, addresses) in [
            ("location_addresses", &mut self.location_addresses),
            ("specialist_addresses", &mut self.specialist_addresses),
        ] {
            for address in addresses.values_mut() {
                *address = validation::email(address).map_err(|_| bad(field, "e-mail addresses"))?;
            }
        }
        Ok(self)
    }
}

/// Whether `host` names this machine (`localhost`, 127.0.0.0/8, `::1`).
pub fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.") || host == "::1" || host == "[::1]"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MailSettings {
        MailSettings {
            host: "SMTP.Provider.example".into(),
            port: 587,
            from_address: "Bookings@Salon.example".into(),
            enabled: true,
            ..MailSettings::default()
        }
    }

    #[test]
    fn settings_are_checked_and_normalised() {
        let ok = settings().checked(false).unwrap();
        assert_eq!((ok.host.as_str(), ok.from_address.as_str()), ("smtp.provider.example", "bookings@salon.example"));
        let field = |s: MailSettings, local: bool| s.checked(local).unwrap_err().field.unwrap();
        assert_eq!(field(MailSettings { host: "bad host".into(), ..settings() }, false), "host");
        assert_eq!(field(MailSettings { host: "127.0.0.1".into(), ..settings() }, false), "host");
        assert_eq!(field(MailSettings { security: Security::None, ..settings() }, true), "security");
        assert_eq!(field(MailSettings { from_address: "nope".into(), ..settings() }, false), "from_address");
        assert_eq!(field(MailSettings { password: Some("a\r\nb".into()), ..settings() }, false), "password");
        let midnight = crate::time::MinuteOfDay::END_OF_DAY;
        assert_eq!(field(MailSettings { agenda_time: Some(midnight), ..settings() }, false), "agenda_time");
        let local = MailSettings { host: "127.0.0.1".into(), security: Security::None, port: 2525, ..settings() };
        assert!(local.checked(true).is_ok());
    }
}
