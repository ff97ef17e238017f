//! The JSON of the console's accounts and staff endpoints (`/v1/console/…`), shared by the edge
//! that answers it and the console that reads it, so the two cannot drift. The rules of who may do
//! what are in [`crate::access`].

use serde::{Deserialize, Serialize};

use crate::access::Grant;

/// `GET /v1/console/me` (and the answer to a sign-in): the signed-in person and their businesses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub person_id: String,
    pub email: String,
    pub name: String,
    pub businesses: Vec<Business>,
}

/// One business of the signed-in person, with their role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Business {
    pub company_id: String,
    pub name: String,
    #[serde(flatten)]
    pub grant: Grant,
}

/// A member of a business's staff, as the owner sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub person_id: String,
    pub email: String,
    pub name: String,
    #[serde(flatten)]
    pub grant: Grant,
    pub joined_at_ms: i64,
}

/// An invite not yet used, as the owner sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvite {
    pub invite_id: String,
    pub email: String,
    #[serde(flatten)]
    pub grant: Grant,
    pub expires_at_ms: i64,
}

/// `GET /v1/console/companies/{company}/staff`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub people: Vec<Member>,
    pub invites: Vec<PendingInvite>,
}

/// `POST /v1/console/companies/{company}/invites`: who to invite, with which grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRequest {
    pub email: String,
    #[serde(flatten)]
    pub grant: Grant,
}

/// The answer to an invite: the link, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInvite {
    pub invite_id: String,
    /// `{company}.{secret}`: what the person accepting gives back.
    pub invite: String,
    /// `/console/join#invite=…`: the secret in the fragment, out of every server's log.
    pub link: String,
    pub email: String,
    pub expires_at_ms: i64,
}

/// `POST /v1/console/invites/offer`: what an invite offers, before it is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteOffer {
    pub company_id: String,
    pub company_name: String,
    pub email: String,
    pub role: crate::access::Role,
    pub locations: Vec<String>,
}

/// `POST /v1/console/invites/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptInvite {
    pub invite: String,
    pub name: String,
    pub password: String,
}

/// `POST /v1/console/sign-in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    pub email: String,
    pub password: String,
}
