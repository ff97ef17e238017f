//! The person's own account: their passkeys (add one on this device, remove one).

use leptos::prelude::*;

use crate::api::{self, Problem};
use crate::pages::FormProblem;
use crate::passkeys;

#[component]
pub fn Passkeys() -> impl IntoView {
    let list = LocalResource::new(api::passkeys);
    let (problem, set_problem) = signal(None::<Problem>);
    let (name, set_name) = signal("This device".to_owned());
    let add = Action::new_local(move |name: &String| passkeys::add(name.clone()));
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            set_problem.set(None);
            list.refetch();
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let remove = move |id: String| {
        leptos::task::spawn_local(async move {
            match api::remove_passkey(id).await {
                Ok(()) => list.refetch(),
                Err(error) => set_problem.set(Some(error)),
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="passkeys">
            <h2 id="passkeys">"Passkeys"</h2>
            <p class="hint">"Sign in with your fingerprint, face or device PIN instead of a password. A passkey works only on this site, so it cannot be phished."</p>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                {move || list.get().map(|answer| match answer {
                    Ok(keys) if keys.is_empty() => view! { <p>"No passkeys yet."</p> }.into_any(),
                    Ok(keys) => view! {
                        <ul class="passkeys">
                            {keys.into_iter().map(|key| {
                                let id = key.id.clone();
                                let label = format!("Remove the passkey {}", key.name);
                                view! {
                                    <li>
                                        {key.name.clone()} " "
                                        <button type="button" class="secondary" aria-label=label on:click=move |_| remove(id.clone())>"Remove"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <p class="problem" role="alert">{error.message}</p> }.into_any(),
                })}
            </Transition>
            <form on:submit=move |ev| { ev.prevent_default(); add.dispatch(name.get_untracked()); }>
                <label for="passkey-name">"Name it (to tell your devices apart)"</label>
                <input id="passkey-name" maxlength="100" prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev))/>
                <FormProblem problem/>
                <button type="submit" disabled=add.pending()>"Add a passkey"</button>
            </form>
        </section>
    }
}
