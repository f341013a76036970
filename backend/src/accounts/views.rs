//! Pages of the accounts feature (maud). Views format what handlers give them; they never query.

use super::api_tokens::FEATURES;
use super::entity::{account, api_token, invitation, organisation, session};
use super::model::{OrgKind, PROFESSIONS, Role, SETTINGS};
use super::service::{LicenceView, Member, ProfileUpdate};
use crate::platform::ui::components::{Field, FormFields, csrf_field, error_summary, select_field};
use crate::platform::ui::{Chrome, FormErrors, Lang, page};
use maud::{Markup, html};
use serde::Deserialize;

pub fn sign_up_page(chrome: &Chrome, name: &str, email: &str, errors: &FormErrors) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("sign-up-title"),
        html! {
            h1 { (t.t("sign-up-title")) }
            p.lead { (t.t("sign-up-lead")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form.card method="post" action="/sign-up" novalidate {
                (csrf_field(&chrome.csrf))
                (Field::text("name", &t.t("field-name"), name).autocomplete("name").required().render(errors))
                (Field::text("email", &t.t("field-email"), email).kind("email").autocomplete("email").required().render(errors))
                (Field::text("password", &t.t("field-password"), "").kind("password").autocomplete("new-password").required()
                    .hint(&t.t("password-hint")).render(errors))
                div.actions { button type="submit" { (t.t("sign-up-submit")) } }
            }
            p { (t.t("sign-up-have-account")) " " a href="/sign-in" { (t.t("nav-sign-in")) } }
        },
    )
}

pub fn sign_in_page(chrome: &Chrome, email: &str, next: &str, errors: &FormErrors) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("sign-in-title"),
        html! {
            h1 { (t.t("sign-in-title")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form.card method="post" action="/sign-in" novalidate {
                (csrf_field(&chrome.csrf))
                input type="hidden" name="next" value=(next);
                (Field::text("email", &t.t("field-email"), email).kind("email").autocomplete("username").required().render(errors))
                (Field::text("password", &t.t("field-password"), "").kind("password").autocomplete("current-password").required().render(errors))
                div.actions {
                    button type="submit" { (t.t("sign-in-submit")) }
                    a href="/forgot-password" { (t.t("sign-in-forgot")) }
                }
            }
            div.card {
                h2 { (t.t("sign-in-link-title")) }
                p { (t.t("sign-in-link-lead")) }
                a.button.secondary href="/sign-in/link" { (t.t("sign-in-link-cta")) }
            }
            p { (t.t("sign-in-no-account")) " " a href="/sign-up" { (t.t("nav-sign-up")) } }
        },
    )
}

/// Which one-time link a page is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    SignIn,
    Reset,
    Verify,
}

pub fn link_request_page(
    chrome: &Chrome,
    kind: LinkKind,
    email: &str,
    errors: &FormErrors,
    sent: bool,
) -> Markup {
    let t = chrome.lang;
    let (title, lead, action, submit) = match kind {
        LinkKind::Reset => ("forgot-title", "forgot-lead", "/forgot-password", "forgot-submit"),
        _ => ("sign-in-link-title", "sign-in-link-lead", "/sign-in/link", "sign-in-link-submit"),
    };
    page(
        chrome,
        &t.t(title),
        html! {
            h1 { (t.t(title)) }
            @if sent {
                div.alert.ok role="status" { p { (t.t("link-sent")) } }
                p { a href="/sign-in" { (t.t("link-back-to-sign-in")) } }
            } @else {
                p.lead { (t.t(lead)) }
                (error_summary(&t.t("form-has-errors"), errors))
                form.card method="post" action=(action) novalidate {
                    (csrf_field(&chrome.csrf))
                    (Field::text("email", &t.t("field-email"), email).kind("email").autocomplete("email").required().render(errors))
                    div.actions { button type="submit" { (t.t(submit)) } }
                }
            }
        },
    )
}

pub fn link_confirm_page(chrome: &Chrome, kind: LinkKind, name: &str, action: &str) -> Markup {
    let t = chrome.lang;
    let (title, submit) = match kind {
        LinkKind::Verify => ("verify-title", "verify-submit"),
        _ => ("sign-in-link-confirm-title", "sign-in-submit"),
    };
    page(
        chrome,
        &t.t(title),
        html! {
            h1 { (t.t(title)) }
            form.card method="post" action=(action) {
                (csrf_field(&chrome.csrf))
                p { (t.ta("link-confirm-as", &[("name", name.into())])) }
                div.actions { button type="submit" { (t.t(submit)) } }
            }
        },
    )
}

pub fn reset_password_page(chrome: &Chrome, action: &str, errors: &FormErrors) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("reset-title"),
        html! {
            h1 { (t.t("reset-title")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form.card method="post" action=(action) novalidate {
                (csrf_field(&chrome.csrf))
                (Field::text("password", &t.t("field-new-password"), "").kind("password").autocomplete("new-password").required()
                    .hint(&t.t("password-hint")).render(errors))
                div.actions { button type="submit" { (t.t("reset-submit")) } }
            }
        },
    )
}

/// What the profile page shows.
pub struct ProfileData<'a> {
    pub account: &'a account::Model,
    pub form: &'a ProfileUpdate,
    pub licences: &'a [LicenceView],
    pub regulators: &'a [organisation::Model],
    pub sessions: &'a [session::Model],
    pub current_session: i32,
    pub organisations: &'a [(organisation::Model, Vec<Role>)],
}

/// Errors of the profile page's three forms.
#[derive(Default)]
pub struct ProfileErrors {
    pub profile: FormErrors,
    pub password: FormErrors,
    pub licence: FormErrors,
}

pub fn profile_page(chrome: &Chrome, data: &ProfileData<'_>, errors: &ProfileErrors) -> Markup {
    let t = chrome.lang;
    let account = data.account;
    let form = data.form;
    let professions: Vec<(String, String)> = std::iter::once((String::new(), t.t("choose")))
        .chain(PROFESSIONS.iter().map(|p| ((*p).to_owned(), t.t(&format!("profession-{p}")))))
        .collect();
    let locales: Vec<(String, String)> =
        Lang::ALL.iter().map(|l| (l.code().to_owned(), l.endonym().to_owned())).collect();
    let regulators: Vec<(String, String)> = std::iter::once((String::new(), t.t("choose")))
        .chain(data.regulators.iter().map(|r| (r.id.to_string(), r.name.clone())))
        .collect();
    page(
        chrome,
        &t.t("profile-title"),
        html! {
            h1 { (account.name) }
            p.muted { (account.email) " "
                @if account.email_verified_at.is_some() { span.pill { (t.t("email-verified")) } }
                @else { span.pill.warn { (t.t("email-unverified")) } }
            }
            @if account.email_verified_at.is_none() {
                form.alert.info method="post" action="/account/verification" {
                    (csrf_field(&chrome.csrf))
                    p { (t.t("verify-prompt")) }
                    button.secondary type="submit" { (t.t("verify-resend")) }
                }
            }
            @if !data.organisations.is_empty() {
                section.card {
                    h2 { (t.t("profile-organisations")) }
                    ul {
                        @for (organisation, roles) in data.organisations {
                            li { a href={"/orgs/" (organisation.slug)} { (organisation.name) }
                                @for role in roles { " " span.pill { (t.t(&format!("role-{}", role.as_str()))) } } }
                        }
                    }
                }
            }
            section {
                h2 #details { (t.t("profile-details")) }
                (error_summary(&t.t("form-has-errors"), &errors.profile))
                form.card method="post" action="/account" novalidate {
                    (csrf_field(&chrome.csrf))
                    (Field::text("name", &t.t("field-name"), &form.name).autocomplete("name").required().render(&errors.profile))
                    (select_field("profession", &t.t("field-profession"), &professions, &form.profession, &errors.profile))
                    div.grid.two {
                        (Field::text("country", &t.t("field-country"), &form.country).autocomplete("country").hint(&t.t("country-hint")).render(&errors.profile))
                        (Field::text("region", &t.t("field-region"), &form.region).autocomplete("address-level1").render(&errors.profile))
                    }
                    fieldset {
                        legend { (t.t("field-setting")) }
                        @if let Some(error) = errors.profile.get("setting") { p.error { (error) } }
                        @for setting in SETTINGS {
                            label.choice { input type="radio" name="setting" value=(setting) checked[form.setting == setting]; (t.t(&format!("setting-{setting}"))) }
                        }
                    }
                    (Field::text("languages", &t.t("field-languages"), &form.languages).hint(&t.t("languages-hint")).render(&errors.profile))
                    (select_field("locale", &t.t("field-locale"), &locales, &form.locale, &errors.profile))
                    label.choice { input type="checkbox" name="data_saver" value="on" checked[form.data_saver]; (t.t("field-data-saver")) }
                    div.actions { button type="submit" { (t.t("save")) } }
                }
            }
            section {
                h2 #licences { (t.t("licences-title")) }
                p.muted { (t.t("licences-lead")) }
                @if data.licences.is_empty() { p { (t.t("licences-none")) } }
                ul.list {
                    @for licence in data.licences {
                        li.row {
                            span { strong { (licence.number) } " · " (licence.regulator) " "
                                span.pill.warn[licence.status != "verified"] { (t.t(&format!("licence-{}", licence.status))) } }
                            form.inline method="post" action={"/account/licences/" (licence.id) "/delete"} {
                                (csrf_field(&chrome.csrf))
                                button.link type="submit" { (t.t("remove")) }
                            }
                        }
                    }
                }
                @if !data.regulators.is_empty() {
                    (error_summary(&t.t("form-has-errors"), &errors.licence))
                    form.card method="post" action="/account/licences" novalidate {
                        (csrf_field(&chrome.csrf))
                        (select_field("regulator", &t.t("field-regulator"), &regulators, "", &errors.licence))
                        (Field::text("number", &t.t("field-licence-number"), "").render(&errors.licence))
                        div.actions { button.secondary type="submit" { (t.t("licence-add")) } }
                    }
                }
            }
            section {
                h2 #password { (t.t("password-title")) }
                (error_summary(&t.t("form-has-errors"), &errors.password))
                form.card method="post" action="/account/password" novalidate {
                    (csrf_field(&chrome.csrf))
                    (Field::text("current_password", &t.t("field-current-password"), "").kind("password").autocomplete("current-password").required().render(&errors.password))
                    (Field::text("new_password", &t.t("field-new-password"), "").kind("password").autocomplete("new-password").required().hint(&t.t("password-hint")).render(&errors.password))
                    p.hint { (t.t("password-ends-sessions")) }
                    div.actions { button.secondary type="submit" { (t.t("password-change")) } }
                }
            }
            section {
                h2 #sessions { (t.t("sessions-title")) }
                ul.list {
                    @for session in data.sessions {
                        li {
                            strong { (short_agent(&session.user_agent, t)) }
                            @if session.id == data.current_session { " " span.pill { (t.t("sessions-this-one")) } }
                            br;
                            span.muted { (t.ta("sessions-since", &[("date", session.created_at.format("%Y-%m-%d").to_string().into())])) }
                        }
                    }
                }
                form method="post" action="/account/sessions/end-all" {
                    (csrf_field(&chrome.csrf))
                    button.danger type="submit" { (t.t("sessions-end-all")) }
                }
            }
            section {
                h2 #tokens { (t.t("tokens-title")) }
                p { (t.t("tokens-lead")) " " a href="/account/tokens" { (t.t("tokens-manage")) } }
            }
        },
    )
}

fn short_agent(agent: &str, t: Lang) -> String {
    let browser = ["Firefox", "Edg", "OPR", "Chrome", "Safari"].into_iter().find(|b| agent.contains(b));
    let system = ["Android", "iPhone", "Windows", "Mac OS", "Linux"].into_iter().find(|s| agent.contains(s));
    match (browser, system) {
        (Some(b), Some(s)) => format!("{} · {s}", if b == "Edg" { "Edge" } else { b }),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) => t.t("sessions-unknown-device"),
    }
}

pub fn organisations_page(chrome: &Chrome, organisations: &[(organisation::Model, Vec<Role>)]) -> Markup {
    let t = chrome.lang;
    page(
        chrome,
        &t.t("organisations-title"),
        html! {
            h1 { (t.t("organisations-title")) }
            @if organisations.is_empty() { p { (t.t("organisations-none")) } }
            ul.list {
                @for (organisation, roles) in organisations {
                    li {
                        a href={"/orgs/" (organisation.slug)} { strong { (organisation.name) } }
                        br;
                        span.muted { (t.t(&format!("kind-{}", organisation.kind))) " · " (organisation.country) }
                        @for role in roles { " " span.pill { (t.t(&format!("role-{}", role.as_str()))) } }
                    }
                }
            }
        },
    )
}

/// What an organisation's page shows.
pub struct OrganisationData<'a> {
    pub organisation: &'a organisation::Model,
    pub kind: OrgKind,
    pub members: &'a [Member],
    pub invitations: &'a [invitation::Model],
    pub can_manage: bool,
    pub can_run_mentoring: bool,
    pub can_see_insights: bool,
}

pub fn organisation_page(
    chrome: &Chrome,
    data: &OrganisationData<'_>,
    invite: (&str, &str),
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let organisation = data.organisation;
    let roles: Vec<(String, String)> = data
        .kind
        .roles()
        .iter()
        .map(|r| (r.as_str().to_owned(), t.t(&format!("role-{}", r.as_str()))))
        .collect();
    page(
        chrome,
        &organisation.name,
        html! {
            h1 { (organisation.name) }
            p.muted { (t.t(&format!("kind-{}", organisation.kind))) " · " (organisation.country) }
            @if data.kind == OrgKind::Association {
                p.actions {
                    a.button.secondary href={"/orgs/" (organisation.slug) "/courses"} { (t.t("org-courses-link")) }
                    @if data.can_run_mentoring { " " a.button.secondary href={"/orgs/" (organisation.slug) "/mentoring"} { (t.t("programmes-title")) } }
                    @if data.can_see_insights { " " a.button.secondary href={"/orgs/" (organisation.slug) "/insights"} { (t.t("insights-title")) } }
                }
            } @else if data.can_see_insights {
                p.actions { a.button.secondary href={"/orgs/" (organisation.slug) "/insights"} { (t.t("insights-title")) } }
            }
            h2 { (t.t("members-title")) }
            @if data.members.is_empty() { p { (t.t("members-none")) } }
            ul.list {
                @for member in data.members {
                    li.row {
                        span { strong { (member.name) } " " span.pill { (t.t(&format!("role-{}", member.role.as_str()))) }
                            @if data.can_manage { br; span.muted { (member.email) } } }
                        @if data.can_manage {
                            form.inline method="post" action={"/orgs/" (organisation.slug) "/members/" (member.membership_id) "/delete"} {
                                (csrf_field(&chrome.csrf))
                                button.link type="submit" { (t.t("remove")) }
                            }
                        }
                    }
                }
            }
            @if data.can_manage {
                h2 #invite { (t.t("invite-title")) }
                (error_summary(&t.t("form-has-errors"), errors))
                form.card method="post" action={"/orgs/" (organisation.slug) "/invitations"} novalidate {
                    (csrf_field(&chrome.csrf))
                    (Field::text("email", &t.t("field-email"), invite.0).kind("email").required().render(errors))
                    (select_field("role", &t.t("field-role"), &roles, invite.1, errors))
                    div.actions { button type="submit" { (t.t("invite-submit")) } }
                }
                @if !data.invitations.is_empty() {
                    h3 { (t.t("invitations-open")) }
                    ul {
                        @for invitation in data.invitations {
                            li { (invitation.email) " · " (t.t(&format!("role-{}", invitation.role))) }
                        }
                    }
                }
            }
        },
    )
}

pub fn invitation_page(
    chrome: &Chrome,
    organisation: &str,
    role: Role,
    invited: &str,
    signed_in_as: Option<&str>,
    action: &str,
) -> Markup {
    let t = chrome.lang;
    let role_name = t.t(&format!("role-{}", role.as_str()));
    page(
        chrome,
        &t.t("invitation-title"),
        html! {
            h1 { (t.t("invitation-title")) }
            div.card {
                p { (t.ta("invitation-lead", &[("organisation", organisation.into()), ("role", role_name.into())])) }
                @match signed_in_as {
                    Some(email) if email == invited => {
                        form method="post" action=(action) {
                            (csrf_field(&chrome.csrf))
                            button type="submit" { (t.t("invitation-accept")) }
                        }
                    }
                    Some(_) => { p.error { (t.ta("invitation-other-account", &[("email", invited.into())])) } }
                    None => {
                        p { (t.ta("invitation-sign-in", &[("email", invited.into())])) }
                        div.actions {
                            a.button href={"/sign-in?next=" (action)} { (t.t("nav-sign-in")) }
                            a.button.secondary href="/sign-up" { (t.t("nav-sign-up")) }
                        }
                    }
                }
            }
        },
    )
}

/// The new-organisation form, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct OrganisationForm {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub country: String,
}

pub fn admin_page(
    chrome: &Chrome,
    organisations: &[organisation::Model],
    recent: &[account::Model],
    form: &OrganisationForm,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let kinds: Vec<(String, String)> =
        OrgKind::ALL.iter().map(|k| (k.as_str().to_owned(), t.t(&format!("kind-{}", k.as_str())))).collect();
    page(
        chrome,
        &t.t("admin-title"),
        html! {
            h1 { (t.t("admin-title")) }
            p { a href="/admin/outbox" { (t.t("admin-outbox-link")) } }
            h2 { (t.t("organisations-title")) }
            ul.list {
                @for organisation in organisations {
                    li { a href={"/orgs/" (organisation.slug)} { strong { (organisation.name) } } " "
                        span.muted { (t.t(&format!("kind-{}", organisation.kind))) " · " (organisation.country) } }
                }
            }
            h2 #new-organisation { (t.t("organisation-new")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form.card method="post" action="/admin/organisations" novalidate {
                (csrf_field(&chrome.csrf))
                (Field::text("name", &t.t("field-organisation-name"), &form.name).required().render(errors))
                (Field::text("slug", &t.t("field-slug"), &form.slug).hint(&t.t("slug-hint")).required().render(errors))
                (select_field("kind", &t.t("field-kind"), &kinds, &form.kind, errors))
                (Field::text("country", &t.t("field-country"), &form.country).hint(&t.t("country-hint")).required().render(errors))
                div.actions { button type="submit" { (t.t("organisation-create")) } }
            }
            h2 { (t.t("admin-recent-accounts")) }
            div.table-wrap {
                table {
                    thead { tr { th { (t.t("field-name")) } th { (t.t("field-email")) } th {} } }
                    tbody {
                        @for account in recent {
                            tr {
                                td { (account.name) @if account.is_platform_admin { " " span.pill { "admin" } } }
                                td { (account.email) }
                                td {
                                    @if account.disabled_at.is_some() { span.pill.warn { (t.t("account-disabled")) } }
                                    @else if !account.is_platform_admin {
                                        form.inline method="post" action={"/admin/accounts/" (account.id) "/disable"} {
                                            (csrf_field(&chrome.csrf))
                                            button.link type="submit" { (t.t("account-disable")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The person's API tokens, the form to make one, and a new token's secret shown once.
pub fn tokens_page(
    chrome: &Chrome,
    tokens: &[api_token::Model],
    now: chrono::DateTime<chrono::Utc>,
    created: Option<&str>,
    values: &FormFields,
    errors: &FormErrors,
) -> Markup {
    let t = chrome.lang;
    let chosen = values.all("scopes");
    page(
        chrome,
        &t.t("tokens-title"),
        html! {
            h1 { (t.t("tokens-title")) }
            p.muted { (t.t("tokens-lead")) }
            @if let Some(secret) = created {
                section.alert.success {
                    p { strong { (t.t("tokens-created")) } }
                    p { code.secret { (secret) } }
                    p.hint { (t.t("tokens-shown-once")) }
                }
            }
            @if tokens.is_empty() { p { (t.t("tokens-none")) } }
            ul.list {
                @for token in tokens {
                    li.row {
                        span {
                            strong { (token.name) } " " code { (token.prefix) "…" } br;
                            span.muted { (token.scopes) } br;
                            @if token.revoked_at.is_some() { span.pill.warn { (t.t("tokens-revoked")) } }
                            @else if token.expires_at <= now { span.pill.warn { (t.t("tokens-expired")) } }
                            @else {
                                span.muted { (t.ta("tokens-expires", &[("date", token.expires_at.format("%Y-%m-%d").to_string().into())])) }
                            }
                            @if let Some(used) = token.last_used_at {
                                " · " span.muted { (t.ta("tokens-last-used", &[("date", used.format("%Y-%m-%d").to_string().into())])) }
                            }
                        }
                        @if token.revoked_at.is_none() && token.expires_at > now {
                            form.inline method="post" action={"/account/tokens/" (token.id) "/revoke"} {
                                (csrf_field(&chrome.csrf))
                                button.link type="submit" { (t.t("tokens-revoke")) }
                            }
                        }
                    }
                }
            }
            h2 { (t.t("tokens-new")) }
            (error_summary(&t.t("form-has-errors"), errors))
            form.card method="post" action="/account/tokens" novalidate {
                (csrf_field(&chrome.csrf))
                (Field::text("name", &t.t("tokens-name"), values.get("name")).hint(&t.t("tokens-name-hint")).required().render(errors))
                (Field::text("days", &t.t("tokens-days"), values.get("days")).kind("number").render(errors))
                fieldset {
                    legend { (t.t("tokens-scopes")) }
                    @if let Some(error) = errors.get("scopes") { p.error { (error) } }
                    @for feature in FEATURES {
                        @for access in ["read", "write"] {
                            @let scope = format!("{feature}:{access}");
                            label.choice {
                                input type="checkbox" name="scopes" value=(scope) checked[chosen.contains(&scope)];
                                (t.t(&format!("tokens-feature-{feature}"))) " · " (t.t(&format!("tokens-access-{access}")))
                            }
                        }
                    }
                }
                div.actions { button type="submit" { (t.t("tokens-create")) } }
            }
        },
    )
}
