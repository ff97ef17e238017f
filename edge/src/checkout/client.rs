//! Who is booking: the client's details as the owner's contact step asks for them, and their one
//! identity across the chain.

use homeslot_core::catalog::Company;
use homeslot_core::error::ApiError;
use homeslot_core::validation;
use homeslot_core::wire::{Attribution, ClientDetails};

use crate::error::AppResult;
use crate::store::company::{identify_client, release_first_booking, Identity};
use crate::store::location::Note;

/// A client's details, validated.
#[derive(Debug, Clone)]
pub struct ClientInput {
    pub name: String,
    /// E.164.
    pub phone: String,
    pub email: Option<String>,
    /// The comment and consents, as the owner's contact step asks.
    pub note: Note,
}

impl ClientInput {
    /// Validates a client's name and phone, the e-mail, comment and consents against the owner's
    /// contact-step settings, and where they came from (reading only the request).
    ///
    /// # Errors
    /// The first field at fault (`name_required`, `invalid_phone`, `email_required`, …).
    pub fn new(
        details: &ClientDetails,
        came_from: Option<&Attribution>,
        company: &Company,
        faults: &super::Faults,
    ) -> Result<Self, ApiError> {
        let name = validation::client_name(&details.name)?;
        let phone = validation::phone(&details.phone, company.widget.phone_country.as_deref());
        #[cfg(feature = "faults")]
        let phone = match super::faults::legacy_phone(&details.phone) {
            Some(legacy) if faults.legacy_phone() => Ok(legacy),
            _ => phone,
        };
        #[cfg(not(feature = "faults"))]
        let _ = faults;
        let phone = phone?;
        let step = validation::contact_step(details, &company.widget)?;
        let note = Note {
            comment: step.comment,
            privacy_accepted: step.privacy_accepted,
            marketing_consent: step.marketing_consent,
            attribution: attribution(came_from)?,
            test: company.test_bookings,
            // Where, and by whom: the checkout's order says (see `Order`).
            channel: String::new(),
            made_by: None,
            r#override: false,
            email: step.email.clone(),
            // Where the booking was asked for: the handler says (see `ClientInput::heard_at`).
            language: None,
            origin: None,
        };
        Ok(ClientInput { name, phone, email: step.email, note })
    }

    /// A client's details as the front desk takes them on the phone or at the desk: the name and
    /// phone as always, the e-mail and comment optional whatever the widget asks, no privacy
    /// policy accepted on the client's behalf, marketing consent only if the owner asks for it.
    ///
    /// # Errors
    /// The first field at fault.
    pub fn at_desk(details: &ClientDetails, company: &Company) -> Result<Self, ApiError> {
        let name = validation::client_name(&details.name)?;
        let phone = validation::phone(&details.phone, company.widget.phone_country.as_deref())?;
        let step = validation::desk_contact(details, &company.widget)?;
        let note = Note {
            comment: step.comment,
            privacy_accepted: false,
            marketing_consent: step.marketing_consent,
            attribution: None,
            test: company.test_bookings,
            channel: String::new(),
            made_by: None,
            r#override: false,
            email: step.email.clone(),
            // Where the booking was asked for: the handler says (see `ClientInput::heard_at`).
            language: None,
            origin: None,
        };
        Ok(ClientInput { name, phone, email: step.email, note })
    }
}

impl ClientInput {
    /// A user as Google sends them to its booking server: their name and phone as always, the
    /// e-mail Google gives, no comment, no consents (Google asked for its own), and `google` as
    /// where they came from (the source in reports and attribution).
    ///
    /// # Errors
    /// The first field at fault.
    pub fn from_google(details: &ClientDetails, company: &Company) -> Result<Self, ApiError> {
        let name = validation::client_name(&details.name)?;
        let phone = validation::phone(&details.phone, company.widget.phone_country.as_deref())?;
        let email = details.email.as_deref().map(validation::email).transpose()?;
        let google = Attribution {
            utm_source: Some("google".into()),
            utm_medium: Some("reserve".into()),
            ..Attribution::default()
        };
        let note = Note {
            comment: None,
            privacy_accepted: false,
            marketing_consent: false,
            attribution: attribution(Some(&google))?,
            test: company.test_bookings,
            channel: String::new(),
            made_by: None,
            r#override: false,
            email: email.clone(),
            language: None,
            origin: None,
        };
        Ok(ClientInput { name, phone, email, note })
    }

    /// Where the client's messages are written from: the language they booked in and the edge's
    /// address the booking came to (for the manage link).
    pub fn heard_at(mut self, language: Option<String>, origin: String) -> Self {
        self.note.language = language;
        self.note.origin = Some(origin);
        self
    }
}

/// Checks where the client came from (`attribution` of a booking, visit or seat request), as
/// the JSON text the location object stores.
fn attribution(given: Option<&Attribution>) -> Result<Option<String>, ApiError> {
    let Some(checked) = given.map(validation::attribution).transpose()?.flatten() else {
        return Ok(None);
    };
    Ok(serde_json::to_string(&checked).ok())
}

/// The client's one identity across the chain, and whether this is their first booking with it
/// (claimed: see `store::company::identify_client`).
pub async fn identify(env: &worker::Env, company: &Company, client: &ClientInput) -> AppResult<Identity> {
    identify_client(env, &company.id, &client.name, &client.phone, client.email.as_deref()).await
}

/// Gives back the first-booking claim of a booking that failed, so the client's next try is still
/// their first booking.
///
/// Only while the company has a first-booking discount: giving back costs a request to the
/// company object per failed booking, which, when two hundred clients race for one time, is most
/// of them. Without such a discount a failed first try keeps the claim, so that client counts as
/// returning should the owner add one later (docs/pricing.md).
pub async fn give_back_claim(env: &worker::Env, company: &Company, identity: &Identity) {
    use homeslot_core::pricing::Eligibility;
    let matters = company.discounts.iter().any(|d| d.eligibility == Eligibility::FirstBooking);
    if identity.first_booking.is_some() && matters {
        // Best effort: a claim not given back only costs the client a first-booking discount.
        let _ = release_first_booking(env, &company.id, identity).await;
    }
}
