//! A business's staff (owner): its people and their roles, the invites not yet used, and inviting
//! someone — the link is shown once, with a button to copy it.

use leptos::prelude::*;
use leptos::task::spawn_local;

use homeslot_core::access::{self, Grant, Role};
use homeslot_core::accounts::{InviteRequest, Member, NewInvite, PendingInvite};
use homeslot_core::catalog::Company;

use crate::api::{self, Problem};
use crate::components::fields::CopyButton;
use crate::pages::business::use_company;
use crate::pages::{at_field, role_name, FormProblem};

#[component]
pub fn StaffPage() -> impl IntoView {
    let company = use_company();
    let staff = LocalResource::new(move || api::staff(company.get()));
    let catalog = LocalResource::new(move || api::catalog(company.get()));
    let changed = Callback::new(move |()| staff.refetch());
    view! {
        <section class="card">
            <h1>"Staff"</h1>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ProblemList errors/> }>
                    {move || staff.get().map(|answer| answer.map(|staff| view! {
                        <People people=staff.people changed/>
                        <Pending invites=staff.invites changed/>
                    }))}
                </ErrorBoundary>
            </Transition>
        </section>
        <section class="card">
            <h2>"Invite someone"</h2>
            <Transition fallback=|| view! { <p>"Loading…"</p> }>
                <ErrorBoundary fallback=|errors| view! { <ProblemList errors/> }>
                    {move || catalog.get().map(|answer| answer.map(|catalog| view! { <InviteForm catalog changed/> }))}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn ProblemList(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <p class="problem" role="alert">
            {move || errors.get().into_iter().next().map(|(_, error)| error.to_string())}
        </p>
    }
}

/// Where a grant applies, as people say it.
fn covering(grant: &Grant) -> String {
    match (&grant.specialist_id, grant.locations.is_empty()) {
        (Some(id), _) => format!("as specialist {id}"),
        (None, true) => "every location".into(),
        (None, false) => grant.locations.join(", "),
    }
}

#[component]
fn People(people: Vec<Member>, changed: Callback<()>) -> impl IntoView {
    let company = use_company();
    let (problem, set_problem) = signal(None::<Problem>);
    let remove = move |member: Member| {
        let asked = format!("Remove {} ({}) from the staff?", member.name, member.email);
        if !web_sys::window().and_then(|w| w.confirm_with_message(&asked).ok()).unwrap_or(false) {
            return;
        }
        spawn_local(async move {
            match api::remove_person(company.get_untracked(), member.person_id).await {
                Ok(()) => changed.run(()),
                Err(error) => set_problem.set(Some(error)),
            }
        });
    };
    view! {
        <table>
            <caption>"People"</caption>
            <thead><tr><th scope="col">"Name"</th><th scope="col">"E-mail"</th><th scope="col">"Role"</th><th scope="col">"Where"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
            <tbody>
                {people.into_iter().map(|member| {
                    let label = format!("Remove {}", member.name);
                    let row = member.clone();
                    view! {
                        <tr>
                            <td>{member.name.clone()}</td>
                            <td>{member.email.clone()}</td>
                            <td>{role_name(member.grant.role)}</td>
                            <td>{covering(&member.grant)}</td>
                            <td><button type="button" class="secondary" aria-label=label on:click=move |_| remove(row.clone())>"Remove"</button></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <FormProblem problem/>
    }
}

#[component]
fn Pending(invites: Vec<PendingInvite>, changed: Callback<()>) -> impl IntoView {
    let company = use_company();
    let (problem, set_problem) = signal(None::<Problem>);
    if invites.is_empty() {
        return view! { <p>"No invites waiting."</p> }.into_any();
    }
    let withdraw = move |invite_id: String| {
        spawn_local(async move {
            match api::withdraw_invite(company.get_untracked(), invite_id).await {
                Ok(()) => changed.run(()),
                Err(error) => set_problem.set(Some(error)),
            }
        });
    };
    view! {
        <h2>"Invites waiting"</h2>
        <ul class="invites">
            {invites.into_iter().map(|invite| {
                let label = format!("Withdraw the invite to {}", invite.email);
                let id = invite.invite_id.clone();
                view! {
                    <li>
                        {invite.email.clone()} " · " {role_name(invite.grant.role)} " · " {covering(&invite.grant)}
                        " "
                        <button type="button" class="secondary" aria-label=label on:click=move |_| withdraw(id.clone())>"Withdraw"</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <FormProblem problem/>
    }
    .into_any()
}

/// The role's wire name back to the role.
fn role_of(value: &str) -> Role {
    Role::ALL.into_iter().find(|role| role.as_str() == value).unwrap_or(Role::FrontDesk)
}

#[component]
fn InviteForm(catalog: Company, changed: Callback<()>) -> impl IntoView {
    let company = use_company();
    let (email, set_email) = signal(String::new());
    let (role, set_role) = signal(Role::FrontDesk);
    let (locations, set_locations) = signal(Vec::<String>::new());
    let first_specialist = catalog.specialists.first().map(|s| s.id.clone()).unwrap_or_default();
    let (specialist, set_specialist) = signal(first_specialist);
    let (problem, set_problem) = signal(None::<Problem>);
    let invite = Action::new_local(move |request: &InviteRequest| {
        let request = request.clone();
        async move { api::invite(company.get_untracked(), request).await }
    });
    // Each answer: a link to show once, or the problem at its field.
    Effect::new(move |_| match invite.value().get() {
        Some(Ok(_)) => {
            set_email.set(String::new());
            set_problem.set(None);
            changed.run(());
        }
        Some(Err(error)) => set_problem.set(Some(error)),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let role = role.get_untracked();
        let grant = Grant {
            role,
            locations: if matches!(role, Role::Manager | Role::FrontDesk) {
                locations.get_untracked()
            } else {
                Vec::new()
            },
            specialist_id: (role == Role::Specialist).then(|| specialist.get_untracked()),
        };
        // The core's rules first, for an instant answer at the field; the edge checks them again.
        let checked =
            access::normalize_email(&email.get_untracked()).and_then(|email| grant.validate().map(|()| email));
        match checked {
            Ok(email) => {
                invite.dispatch(InviteRequest { email, grant });
            }
            Err(error) => set_problem.set(Some(error.into())),
        }
    };
    let location_boxes = catalog
        .locations
        .iter()
        .map(|location| {
            let id = location.id.clone();
            let toggle = id.clone();
            let checked = id.clone();
            view! {
                <label class="check">
                    <input type="checkbox"
                        prop:checked=move || locations.read().contains(&checked)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            set_locations.update(|list| {
                                list.retain(|l| l != &toggle);
                                if on { list.push(toggle.clone()); }
                            });
                        }/>
                    {location.name.clone()}
                </label>
            }
        })
        .collect_view();
    let specialists = catalog
        .specialists
        .iter()
        .map(|s| view! { <option value=s.id.clone()>{s.name.clone()}</option> })
        .collect_view();
    view! {
        <form on:submit=submit>
            <label for="invite-email">"E-mail"</label>
            <input id="invite-email" type="email" required autocomplete="off"
                prop:value=email on:input=move |ev| set_email.set(event_target_value(&ev))/>
            <p class="field-problem">{at_field(problem, "email")}</p>
            <label for="invite-role">"Role"</label>
            <select id="invite-role" on:change=move |ev| set_role.set(role_of(&event_target_value(&ev)))>
                {Role::ALL.into_iter().map(|r| view! {
                    <option value=r.as_str() selected=move || role.get() == r>{role_name(r)}</option>
                }).collect_view()}
            </select>
            <Show when=move || matches!(role.get(), Role::Manager | Role::FrontDesk)>
                <fieldset>
                    <legend>"Locations (none ticked: every location)"</legend>
                    {location_boxes.clone()}
                </fieldset>
            </Show>
            <Show when=move || role.get() == Role::Specialist>
                <label for="invite-specialist">"Which specialist"</label>
                <select id="invite-specialist" on:change=move |ev| set_specialist.set(event_target_value(&ev))>
                    {specialists.clone()}
                </select>
                <p class="field-problem">{at_field(problem, "specialist_id")}</p>
            </Show>
            <FormProblem problem/>
            <button type="submit" disabled=invite.pending()>"Create the invite link"</button>
        </form>
        {move || invite.value().get().and_then(Result::ok).map(|new| view! { <NewLink new/> })}
    }
}

/// A new invite's link: shown once, to copy and send to the person.
#[component]
fn NewLink(new: NewInvite) -> impl IntoView {
    view! {
        <div class="new-invite" role="status">
            <p>"Send this link to " <strong>{new.email.clone()}</strong> ". It works once, for 7 days, and is shown only now."</p>
            <input class="link" readonly aria-label="Invite link" prop:value=new.link.clone()/>
            <CopyButton text=new.link.clone() label="Copy the link"/>
        </div>
    }
}
