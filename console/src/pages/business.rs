//! One business: the frame around its screens (its name, the person's role, the screens the role
//! may use) and its overview.

use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_params_map;

use homeslot_core::access::Action;

use crate::pages::home::SignOut;
use crate::pages::role_name;
use crate::session::use_session;

/// The business named in the address (`/console/b/{company}`).
pub fn use_company() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("company").unwrap_or_default())
}

#[component]
pub fn Business() -> impl IntoView {
    let session = use_session();
    let company = use_company();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || session.me.get().map(|me| match me {
                Err(problem) if problem.is_signed_out() => view! { <Redirect path="/sign-in"/> }.into_any(),
                Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
                Ok(_) => match session.business(&company.get()) {
                    None => view! {
                        <section class="card">
                            <h1>"Not one of your businesses"</h1>
                            <p><a href="/console/">"Back to your businesses"</a></p>
                        </section>
                    }.into_any(),
                    Some(business) => {
                        // `<A>` takes an absolute path as it is (navigate() is the one that adds the
                        // router's base).
                        let base = format!("/console/b/{}", business.company_id);
                        let staff = business.grant.allows(Action::ManageStaff, None);
                        view! {
                            <header class="bar">
                                <a class="home" href="/console/">"Homeslot"</a>
                                <span class="business">{business.name.clone()}</span>
                                <span class="role">{role_name(business.grant.role)}</span>
                            </header>
                            <nav aria-label="Business">
                                <A href=base.clone() exact=true>"Overview"</A>
                                <A href=format!("{base}/embed")>"On your site"</A>
                                {staff.then(|| view! { <A href=format!("{base}/staff")>"Staff"</A> })}
                            </nav>
                            <Outlet/>
                        }.into_any()
                    }
                },
            })}
        </Suspense>
    }
}

/// What the person's role may use here.
#[component]
pub fn Overview() -> impl IntoView {
    let session = use_session();
    let company = use_company();
    move || {
        session.business(&company.get()).map(|business| {
            let may = |action| business.grant.allows(action, None);
            let rights = [
                (Action::EditCompany, "change the business's settings and its booking form"),
                (Action::EditServices, "change services and categories"),
                (Action::EditLocation, "change locations and their specialists"),
                (Action::SeeBookings, "see bookings"),
                (Action::ManageMemberships, "sell and change memberships"),
                (Action::ManageStaff, "invite and remove staff"),
                (Action::ClientData, "export clients' data or erase a client"),
            ];
            view! {
                <section class="card">
                    <h1>{business.name.clone()}</h1>
                    <p>"As " {role_name(business.grant.role)} ", you can:"</p>
                    <ul>
                        {rights.into_iter().filter(|(action, _)| may(*action)).map(|(_, what)| view! { <li>{what}</li> }).collect_view()}
                    </ul>
                    <SignOut/>
                </section>
            }
        })
    }
}
