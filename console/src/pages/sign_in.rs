//! Sign in with e-mail and password.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api::{self, Problem};
use crate::pages::FormProblem;
use crate::session::use_session;

#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let (email, set_email) = signal(String::new());
    let (password, set_password) = signal(String::new());
    let (problem, set_problem) = signal(None::<Problem>);
    let (busy, set_busy) = signal(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::sign_in(email.get_untracked(), password.get_untracked()).await {
                Ok(me) => {
                    session.signed_in(me);
                    navigate("/", Default::default());
                }
                Err(error) => set_problem.set(Some(error)),
            }
            set_busy.set(false);
        });
    };
    let with_passkey = {
        let navigate = use_navigate();
        move |_| {
            set_busy.set(true);
            let navigate = navigate.clone();
            spawn_local(async move {
                match crate::passkeys::sign_in().await {
                    Ok(me) => {
                        session.signed_in(me);
                        navigate("/", Default::default());
                    }
                    Err(error) => set_problem.set(Some(error)),
                }
                set_busy.set(false);
            });
        }
    };
    view! {
        <section class="card narrow">
            <h1>"Sign in to Homeslot"</h1>
            <button type="button" on:click=with_passkey disabled=busy>"Sign in with a passkey"</button>
            <p class="hint">"Or with your e-mail and password:"</p>
            <form on:submit=submit>
                <label for="email">"E-mail"</label>
                <input id="email" type="email" autocomplete="username" required
                    prop:value=email on:input=move |ev| set_email.set(event_target_value(&ev))/>
                <label for="password">"Password"</label>
                <input id="password" type="password" autocomplete="current-password" required
                    prop:value=password on:input=move |ev| set_password.set(event_target_value(&ev))/>
                <FormProblem problem/>
                <button type="submit" disabled=busy>"Sign in"</button>
            </form>
            <p class="hint">"New here? Open the invite link you were sent."</p>
        </section>
    }
}
