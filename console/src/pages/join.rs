//! Accepting an invite: the link's fragment (`#invite=…`, never sent to a server) names it; the
//! page shows what it offers, then asks for a name and a password.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use homeslot_core::accounts::AcceptInvite;

use crate::api::{self, Problem};
use crate::pages::{at_field, role_name, FormProblem};
use crate::session::use_session;

/// The invite in the page's fragment, if any.
fn invite_from_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.strip_prefix("#invite=").filter(|s| !s.is_empty()).map(str::to_owned)
}

#[component]
pub fn Join() -> impl IntoView {
    let invite = invite_from_fragment().unwrap_or_default();
    let offer = LocalResource::new({
        let invite = invite.clone();
        move || api::invite_offer(invite.clone())
    });
    view! {
        <section class="card narrow">
            <Suspense fallback=|| view! { <p>"Opening your invite…"</p> }>
                {move || offer.get().map(|answer| match answer {
                    Ok(offer) => view! { <Accept offer invite=invite.clone()/> }.into_any(),
                    Err(problem) => view! {
                        <h1>"This invite cannot be used"</h1>
                        <p>{problem.message}</p>
                        <p><a href="/console/sign-in">"Sign in"</a></p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Accept(offer: homeslot_core::accounts::InviteOffer, invite: String) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let (name, set_name) = signal(String::new());
    let (password, set_password) = signal(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let (busy, set_busy) = signal(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The core's rule, checked here first so the answer is instant; the edge checks it again.
        if let Err(error) = homeslot_core::access::check_password(&password.get_untracked()) {
            set_problem.set(Some(error.into()));
            return;
        }
        set_busy.set(true);
        let navigate = navigate.clone();
        let accept =
            AcceptInvite { invite: invite.clone(), name: name.get_untracked(), password: password.get_untracked() };
        spawn_local(async move {
            match api::accept_invite(accept).await {
                Ok(me) => {
                    let to = me.businesses.first().map(|b| format!("/b/{}", b.company_id));
                    session.signed_in(me);
                    navigate(&to.unwrap_or_else(|| "/".into()), Default::default());
                }
                Err(error) => set_problem.set(Some(error)),
            }
            set_busy.set(false);
        });
    };
    view! {
        <h1>"Join " {offer.company_name.clone()}</h1>
        <p>"You are invited as " <strong>{role_name(offer.role)}</strong> " with " <strong>{offer.email.clone()}</strong> "."</p>
        <form on:submit=submit>
            <label for="name">"Your name"</label>
            <input id="name" autocomplete="name" required maxlength="100"
                prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/>
            <p class="field-problem">{at_field(problem, "name")}</p>
            <label for="password">"Password"</label>
            <input id="password" type="password" autocomplete="new-password" required minlength="10" maxlength="256"
                aria-describedby="password-hint"
                prop:value=password on:input=move |ev| set_password.set(event_target_value(&ev))/>
            <p id="password-hint" class="hint">"At least 10 characters; a few words make a good one. If this e-mail already has a Homeslot account, give its password."</p>
            <FormProblem problem/>
            <button type="submit" disabled=busy>"Join"</button>
        </form>
    }
}
