//! The console's routes, under `/console`.
//!
//! | path | screen |
//! | --- | --- |
//! | `/console/` | the person's businesses (or sign-in) |
//! | `/console/sign-in` | sign in with e-mail and password |
//! | `/console/join#invite=…` | accept an invite |
//! | `/console/b/{company}` | a business: what the person's role may use |
//! | `/console/b/{company}/calendar` | a location's day: a column per specialist, bookings, booking for a client |
//! | `/console/b/{company}/clients` | find a client; their card: visits, spend, no-shows, memberships, note; merge, export, erase (owner) |
//! | `/console/b/{company}/memberships` | the chain's memberships: search, adjust with a reason, import a CSV after a preview (owners, managers) |
//! | `/console/b/{company}/reports` | a location's bookings, revenue, clients and utilisation over dates (owners, managers) |
//! | `/console/b/{company}/audit` | the audit trail: who changed what, and when (owners) |
//! | `/console/b/{company}/staff` | its people, their roles, invites (owner) |
//! | `/console/b/{company}/setup` | setting the business up, step by step (owner) |
//! | `/console/b/{company}/look` | the booking form's look and questions, beside its live preview (owner) |
//! | `/console/b/{company}/feeds` | calendar feeds: secret addresses a calendar app subscribes to (anyone who sees the calendar) |
//! | `/console/b/{company}/email` | e-mail through the business's SMTP provider, the staff's addresses, reminders (owner) |
//! | `/console/b/{company}/webhooks` | webhook endpoints, their secrets, the delivery log, replay (owner) |
//! | `/console/b/{company}/promos` | promos, each previewed on its screen in the real widget, and automatic discounts (owner) |
//! | `/console/b/{company}/catalog` | services; `…/team`, `…/locations`, `…/categories` |
//! | `/console/b/{company}/embed` | the site's address, the code to paste, the hosted page's link and QR code |

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{lazy_route, path, Lazy, LazyRoute};

use crate::pages::catalog::{self, categories, locations, services, team};
use crate::pages::{
    audit, business, calendar, clients, email, embed, feeds, home, join, look, memberships, promos, reports, setup,
    sign_in, staff, webhooks,
};
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
                        <Route path=path!("calendar") view={Lazy::<CalendarScreen>::new()}/>
                        <Route path=path!("clients") view={Lazy::<ClientsScreen>::new()}/>
                        <Route path=path!("reports") view={Lazy::<ReportsScreen>::new()}/>
                        <Route path=path!("memberships") view={Lazy::<MembershipsScreen>::new()}/>
                        <Route path=path!("audit") view={Lazy::<AuditScreen>::new()}/>
                        <Route path=path!("staff") view={Lazy::<StaffScreen>::new()}/>
                        <Route path=path!("setup") view={Lazy::<SetupScreen>::new()}/>
                        <Route path=path!("look") view={Lazy::<LookScreen>::new()}/>
                        <Route path=path!("promos") view={Lazy::<PromosScreen>::new()}/>
                        <Route path=path!("email") view={Lazy::<EmailScreen>::new()}/>
                        <Route path=path!("feeds") view={Lazy::<FeedsScreen>::new()}/>
                        <Route path=path!("webhooks") view={Lazy::<WebhooksScreen>::new()}/>
                        <ParentRoute path=path!("catalog") view=catalog::CatalogFrame>
                            <Route path=path!("") view={Lazy::<ServicesScreen>::new()}/>
                            <Route path=path!("team") view={Lazy::<TeamScreen>::new()}/>
                            <Route path=path!("locations") view={Lazy::<LocationsScreen>::new()}/>
                            <Route path=path!("categories") view={Lazy::<CategoriesScreen>::new()}/>
                        </ParentRoute>
                        <Route path=path!("embed") view={Lazy::<EmbedScreen>::new()}/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// A screen whose code is a wasm chunk of its own, fetched the first time someone opens it
/// (`wasm-split-cli` in `scripts/lib.sh` cuts it out after linking): the first load carries
/// sign-in, the businesses and the overview only, and each screen costs only those who use it.
macro_rules! screen {
    ($route:ident, $view:path) => {
        #[derive(Debug)]
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $view().into_any()
            }
        }
    };
}

screen!(CalendarScreen, calendar::CalendarPage);
screen!(ClientsScreen, clients::ClientsPage);
screen!(ReportsScreen, reports::ReportsPage);
screen!(MembershipsScreen, memberships::MembershipsPage);
screen!(AuditScreen, audit::AuditPage);
screen!(StaffScreen, staff::StaffPage);
screen!(SetupScreen, setup::SetupPage);
screen!(LookScreen, look::LookPage);
screen!(PromosScreen, promos::PromosPage);
screen!(EmailScreen, email::EmailPage);
screen!(FeedsScreen, feeds::FeedsPage);
screen!(WebhooksScreen, webhooks::WebhooksPage);
screen!(ServicesScreen, services::ServicesPage);
screen!(TeamScreen, team::TeamPage);
screen!(LocationsScreen, locations::LocationsPage);
screen!(CategoriesScreen, categories::CategoriesPage);
screen!(EmbedScreen, embed::EmbedPage);

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>"Page not found"</h1>
            <p><a href="/console/">"Back to your businesses"</a></p>
        </section>
    }
}
