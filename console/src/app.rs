//! The console's routes, under `/console`.
//!
//! | path | screen |
//! | --- | --- |
//! | `/console/` | the person's businesses (or sign-in) |
//! | `/console/sign-in` | sign in with e-mail and password |
//! | `/console/join#invite=…` | accept an invite |
//! | `/console/b/{company}` | a business: what the person's role may use |
//! | `/console/b/{company}/staff` | its people, their roles, invites (owner) |
//! | `/console/b/{company}/setup` | setting the business up, step by step (owner) |
//! | `/console/b/{company}/look` | the booking form's look and questions, beside its live preview (owner) |
//! | `/console/b/{company}/catalog` | services; `…/team`, `…/locations`, `…/categories` |
//! | `/console/b/{company}/embed` | the site's address, the code to paste, the hosted page's link and QR code |

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::pages::catalog::{self, categories, locations, services, team};
use crate::pages::{business, embed, home, join, look, setup, sign_in, staff};
use crate::session::Session;

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::new());
    view! {
        <Router base="/console">
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=home::Home/>
                    <Route path=path!("/sign-in") view=sign_in::SignIn/>
                    <Route path=path!("/join") view=join::Join/>
                    <ParentRoute path=path!("/b/:company") view=business::Business>
                        <Route path=path!("") view=business::Overview/>
                        <Route path=path!("staff") view=staff::StaffPage/>
                        <Route path=path!("setup") view=setup::SetupPage/>
                        <Route path=path!("look") view=look::LookPage/>
                        <ParentRoute path=path!("catalog") view=catalog::CatalogFrame>
                            <Route path=path!("") view=services::ServicesPage/>
                            <Route path=path!("team") view=team::TeamPage/>
                            <Route path=path!("locations") view=locations::LocationsPage/>
                            <Route path=path!("categories") view=categories::CategoriesPage/>
                        </ParentRoute>
                        <Route path=path!("embed") view=embed::EmbedPage/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p><a href="/console/">"Back to your businesses"</a></p>
        </section>
    }
}
