//! Who is signed in: one resource for the whole app, read by every page and refetched after a
//! sign-in, an accepted invite or a sign-out.

use leptos::prelude::*;

use homeslot_core::accounts::{Business, Me};

use crate::api::{self, Problem};

/// The signed-in person, as the app shares it (`provide_context` in [`crate::app::App`]).
#[derive(Clone, Copy)]
pub struct Session {
    pub me: LocalResource<Result<Me, Problem>>,
}

impl Session {
    pub fn new() -> Session {
        Session { me: LocalResource::new(api::me) }
    }

    /// Someone has just signed in (or accepted an invite): the edge's answer is who they are, so
    /// the next screen knows at once, without asking again.
    pub fn signed_in(&self, me: Me) {
        self.me.set(Some(Ok(me)));
    }

    /// The session has ended: every screen that needs one goes to sign-in.
    pub fn signed_out(&self) {
        self.me.set(Some(Err(Problem::signed_out())));
    }

    /// The signed-in person's business `company`, with their role in it, once known.
    pub fn business(&self, company: &str) -> Option<Business> {
        self.me.get().and_then(|me| me.ok()).and_then(|me| me.businesses.into_iter().find(|b| b.company_id == company))
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// The app's session.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
