//! One module per screen, and the small pieces they share.

pub mod account;
pub mod audit;
pub mod business;
pub mod calendar;
pub mod catalog;
pub mod clients;
pub mod email;
pub mod email_messages;
pub mod embed;
pub mod feeds;
pub mod home;
pub mod join;
pub mod links;
pub mod look;
pub mod memberships;
pub mod promos;
pub mod reports;
pub mod setup;
pub mod sign_in;
pub mod staff;
pub mod webhooks;

use leptos::prelude::*;

use crate::api::Problem;

/// What went wrong with a form, announced to screen readers as it appears.
#[component]
pub fn FormProblem(problem: ReadSignal<Option<Problem>>) -> impl IntoView {
    view! {
        <p class="problem" role="alert" aria-live="assertive">
            {move || problem.get().map(|p| p.message)}
        </p>
    }
}

/// The problem's message if it is about `field` (shown at that field).
pub fn at_field(problem: ReadSignal<Option<Problem>>, field: &'static str) -> impl Fn() -> Option<String> {
    move || problem.get().filter(|p| p.field.as_deref() == Some(field)).map(|p| p.message)
}

/// The problem's message if it is about `field` or something inside it ([`Problem::is_about`]).
pub fn problem_at(problem: ReadSignal<Option<Problem>>, field: impl Into<String>) -> Signal<Option<String>> {
    let field = field.into();
    Signal::derive(move || problem.get().filter(|p| p.is_about(&field)).map(|p| p.message))
}

/// A role as people say it.
pub fn role_name(role: homeslot_core::access::Role) -> &'static str {
    use homeslot_core::access::Role;
    match role {
        Role::Owner => "Owner",
        Role::Manager => "Manager",
        Role::FrontDesk => "Front desk",
        Role::Specialist => "Specialist",
    }
}

/// An amount with its currency code, as the console writes money: `42.50 GBP`, `5000 JPY`.
pub fn money_text(money: &homeslot_core::wire::Money) -> String {
    format!("{} {}", homeslot_core::currency::decimal(money.amount_minor, money.exponent), money.currency)
}

/// The business's catalog handed to `children` (`let:catalog`): the catalog screens' shared copy
/// when there is one (`catalog::CatalogData`), else read when the screen opens; "Loading…" until
/// it comes, the problem if it cannot be read.
#[component]
pub fn WithCatalog<C, V>(children: C) -> impl IntoView
where
    C: Fn(homeslot_core::catalog::Company) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let catalog = use_context::<catalog::CatalogData>().map(|data| data.catalog).unwrap_or_else(|| {
        let company = business::use_company();
        LocalResource::new(move || crate::api::catalog(company.get()))
    });
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || catalog.get().map(|answer| match answer {
                Ok(catalog) => children(catalog).into_any(),
                Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            })}
        </Transition>
    }
}
