//! The person's businesses, or the way to sign in.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::pages::role_name;
use crate::session::use_session;

#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || session.me.get().map(|me| match me {
                Ok(me) => view! {
                    <section class="card">
                        <h1>"Hello, " {me.name.clone()}</h1>
                        {if me.businesses.is_empty() {
                            view! { <p>"You are not on any business's staff yet. Ask its owner for an invite."</p> }.into_any()
                        } else {
                            view! {
                                <h2>"Your businesses"</h2>
                                <ul class="businesses">
                                    {me.businesses.into_iter().map(|b| view! {
                                        <li>
                                            <a href=format!("/console/b/{}", b.company_id)>{b.name}</a>
                                            " · " {role_name(b.grant.role)}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <SignOut/>
                    </section>
                    <crate::pages::account::Passkeys/>
                }.into_any(),
                Err(problem) if problem.is_signed_out() => view! { <Redirect path="/sign-in"/> }.into_any(),
                Err(problem) => view! { <p class="problem" role="alert">{problem.message}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// Sign out here, or everywhere.
#[component]
pub fn SignOut() -> impl IntoView {
    let session = use_session();
    let out = move |everywhere: bool| {
        leptos::task::spawn_local(async move {
            // Signed out here whatever the answer: a session the edge no longer knows is over too.
            let _ = crate::api::sign_out(everywhere).await;
            session.signed_out();
        });
    };
    view! {
        <div class="sign-out">
            <button type="button" class="secondary" on:click=move |_| out(false)>"Sign out"</button>
            <button type="button" class="secondary" on:click=move |_| out(true)>"Sign out on every device"</button>
        </div>
    }
}
