//! Accounts over HTTP: the `Visit` extractor every page uses (session, language, CSRF token),
//! sign-up/in/out, one-time links, the profile, organisations and invitations.

use super::api_tokens::{ApiRateLimiter, TokenGrant, allows, required_scope};
use super::model::{Actor, Capability, OrgKind, Role, authorize};
use super::service::{
    Accounts, AccountsError, CurrentSession, ProfileUpdate, RequestMeta, SignUp, SignedIn, purpose,
};
use super::views;
use crate::error::AppError;
use crate::platform::security::{CsrfToken, client_ip};
use crate::platform::ui::components::FormFields;
use crate::platform::ui::errors::{LANG_COOKIE, request_lang};
use crate::platform::ui::layout::AccountChip;
use crate::platform::ui::respond::{html, see_other};
use crate::platform::ui::{Chrome, FormErrors, Lang};
use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, web};
use maud::Markup;
use serde::Deserialize;
use std::future::Future;
use std::pin::Pin;

/// Where the session cookie's name and flags come from.
#[derive(Clone, Debug)]
pub struct SessionCookie {
    pub name: &'static str,
    pub secure: bool,
    pub max_age_days: i64,
}

impl SessionCookie {
    pub fn new(secure: bool, max_age_days: i64) -> Self {
        Self { name: if secure { "__Host-lantern-session" } else { "lantern-session" }, secure, max_age_days }
    }

    fn set(&self, token: &str) -> Cookie<'static> {
        Cookie::build(self.name, token.to_owned())
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .max_age(time::Duration::days(self.max_age_days))
            .finish()
    }

    fn clear(&self) -> Cookie<'static> {
        let mut cookie = Cookie::build(self.name, "")
            .path("/")
            .http_only(true)
            .secure(self.secure)
            .same_site(SameSite::Lax)
            .finish();
        cookie.make_removal();
        cookie
    }
}

/// Everything a page handler needs to know about the request: who (if anyone) is signed in,
/// their language, the CSRF token for forms, where they are, and request metadata.
pub struct Visit {
    pub session: Option<CurrentSession>,
    pub lang: Lang,
    pub csrf: String,
    pub path: String,
    pub meta: RequestMeta,
    pub notice: Option<String>,
    /// The API token the request came with, when it came with one instead of a session cookie.
    pub token: Option<TokenGrant>,
    /// The browser asked to save data (`Save-Data: on`).
    pub save_data: bool,
}

/// The person an `Authorization: Bearer` token acts for, checked against the route's scope and
/// the token's request budget.
async fn token_visitor(
    req: &HttpRequest,
    accounts: &Accounts,
    secret: &str,
) -> Result<(CurrentSession, TokenGrant), AppError> {
    let reads = matches!(*req.method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD);
    let Some(scope) = required_scope(reads, req.path()) else {
        return Err(AppError::Forbidden);
    };
    let (session, grant) =
        accounts.token_session(secret).await.map_err(into_app_error)?.ok_or(AppError::Unauthenticated)?;
    if !allows(&grant.scopes, &scope) {
        return Err(AppError::Forbidden);
    }
    let limiter = req.app_data::<web::Data<ApiRateLimiter>>().ok_or(AppError::Unavailable)?;
    limiter
        .take(grant.id, std::time::Instant::now())
        .map_err(|retry_after_seconds| AppError::TooMany { retry_after_seconds })?;
    Ok((session, grant))
}

impl FromRequest for Visit {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let accounts = req.app_data::<web::Data<Accounts>>().cloned().ok_or(AppError::Unavailable)?;
            let cookie = req.app_data::<web::Data<SessionCookie>>().cloned().ok_or(AppError::Unavailable)?;
            let bearer = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim);
            let (session, token) = match (req.cookie(cookie.name), bearer) {
                (Some(value), _) => (accounts.session(value.value()).await.map_err(into_app_error)?, None),
                (None, Some(secret)) => {
                    let (session, grant) = token_visitor(&req, &accounts, secret).await?;
                    (Some(session), Some(grant))
                }
                (None, None) => (None, None),
            };
            let lang = session
                .as_ref()
                .and_then(|s| Lang::from_code(&s.account.locale))
                .filter(|_| req.cookie(LANG_COOKIE).is_none())
                .unwrap_or_else(|| request_lang(&req));
            let csrf = req.extensions().get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
            let notice = web::Query::<NoticeQuery>::from_query(req.query_string())
                .ok()
                .and_then(|q| q.into_inner().notice)
                .and_then(|key| lang.try_t(&format!("notice-{key}")));
            let meta = RequestMeta {
                ip: client_ip(&req).map(|ip| ip.to_string()).unwrap_or_default(),
                user_agent: req
                    .headers()
                    .get(header::USER_AGENT)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned(),
                request_id: req
                    .extensions()
                    .get::<tracing_actix_web::RequestId>()
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            };
            let save_data = req
                .headers()
                .get("Save-Data")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("on"));
            Ok(Visit { session, lang, csrf, path: req.path().to_owned(), meta, notice, token, save_data })
        })
    }
}

#[derive(Deserialize)]
struct NoticeQuery {
    notice: Option<String>,
}

impl Visit {
    /// The layout's view of this visit.
    pub fn chrome(&self) -> Chrome {
        Chrome {
            lang: self.lang,
            csrf: self.csrf.clone(),
            account: self.session.as_ref().map(|s| AccountChip {
                name: s.account.name.clone(),
                is_platform_admin: s.account.is_platform_admin,
                storage_key: super::model::storage_key(s.account.id, s.account.created_at),
            }),
            path: self.path.clone(),
            notice: self.notice.clone(),
            minimal: false,
            data_saver: self.save_data || self.session.as_ref().is_some_and(|s| s.account.data_saver),
        }
    }

    /// The signed-in session, or 401 (which sends a browser to the sign-in page).
    pub fn require(&self) -> Result<&CurrentSession, AppError> {
        self.session.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// The signed-in person as an authorisation actor.
    pub async fn actor(&self, accounts: &Accounts) -> Result<Actor, AppError> {
        let session = self.require()?;
        accounts.actor(&session.account).await.map_err(into_app_error)
    }

    /// Refuses the request, recording the refusal in the audit trail (ASVS 16.3.2).
    pub async fn deny(&self, accounts: &Accounts) -> AppError {
        let actor = self.session.as_ref().map(|s| s.account.id);
        if let Err(error) = accounts.record_denial(actor, &self.path, &self.meta).await {
            tracing::warn!(%error, "could not record a denial");
        }
        AppError::Forbidden
    }

    /// Checks a capability, recording a refusal.
    pub async fn authorize(&self, accounts: &Accounts, capability: Capability) -> Result<Actor, AppError> {
        let actor = self.actor(accounts).await?;
        if authorize(&actor, capability) { Ok(actor) } else { Err(self.deny(accounts).await) }
    }
}

/// The organisation named by `slug`, if the visitor holds `capability` in it (403 otherwise,
/// recorded as an audit event).
pub async fn organisation_for(
    visit: &Visit,
    accounts: &Accounts,
    slug: &str,
    capability: fn(i32) -> Capability,
) -> Result<(super::entity::organisation::Model, Actor), AppError> {
    let organisation = accounts.organisation(slug).await.map_err(into_app_error)?;
    let actor = visit.authorize(accounts, capability(organisation.id)).await?;
    Ok((organisation, actor))
}

/// Maps the feature's errors to HTTP.
pub fn into_app_error(error: AccountsError) -> AppError {
    match error {
        AccountsError::Invalid(problems) => {
            AppError::BadRequest(problems.first().map_or_else(String::new, |(_, key)| (*key).to_owned()))
        }
        AccountsError::WrongCredentials => AppError::Unauthenticated,
        AccountsError::TooMany { retry_after_seconds } => AppError::TooMany { retry_after_seconds },
        AccountsError::LinkInvalid => AppError::Gone,
        AccountsError::NotFound => AppError::NotFound,
        AccountsError::Forbidden => AppError::Forbidden,
        AccountsError::Db(error) => error.into(),
        AccountsError::Hash(message) => AppError::internal(message),
    }
}

/// Turns a service's field problems into translated form errors.
pub fn form_errors(lang: Lang, problems: &[(&'static str, &'static str)]) -> FormErrors {
    let mut errors = FormErrors::new();
    for (field, key) in problems {
        errors.add(field, lang.t(key));
    }
    errors
}

/// A local path to return to after sign-in; anything else becomes `/`.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.len() < 500 =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn signed_in(cookie: &SessionCookie, signed_in: &SignedIn, location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .cookie(cookie.set(&signed_in.token))
        // A language chosen before signing in no longer overrides the account's.
        .cookie(removal(LANG_COOKIE))
        .finish()
}

fn removal(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, "").path("/").finish();
    cookie.make_removal();
    cookie
}

/// Registers the feature's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/sign-up", web::get().to(sign_up_form))
        .route("/sign-up", web::post().to(sign_up))
        .route("/sign-in", web::get().to(sign_in_form))
        .route("/sign-in", web::post().to(sign_in))
        .route("/sign-out", web::post().to(sign_out))
        .route("/sign-in/link", web::get().to(sign_in_link_form))
        .route("/sign-in/link", web::post().to(request_sign_in_link))
        .route("/sign-in/link/{token}", web::get().to(sign_in_link_confirm))
        .route("/sign-in/link/{token}", web::post().to(sign_in_with_link))
        .route("/forgot-password", web::get().to(forgot_password_form))
        .route("/forgot-password", web::post().to(request_password_reset))
        .route("/reset-password/{token}", web::get().to(reset_password_form))
        .route("/reset-password/{token}", web::post().to(reset_password))
        .route("/verify-email/{token}", web::get().to(verify_email_confirm))
        .route("/verify-email/{token}", web::post().to(verify_email))
        .route("/account", web::get().to(show_profile))
        .route("/account", web::post().to(update_profile))
        .route("/account/verification", web::post().to(resend_verification))
        .route("/account/password", web::post().to(change_password))
        .route("/account/sessions/end-all", web::post().to(sign_out_everywhere))
        .route("/account/tokens", web::get().to(tokens))
        .route("/account/tokens", web::post().to(create_token))
        .route("/account/tokens/{id}/revoke", web::post().to(revoke_token))
        .route("/account/licences", web::post().to(add_licence))
        .route("/account/licences/{id}/delete", web::post().to(remove_licence))
        .route("/language", web::post().to(choose_language))
        .route("/language", web::get().to(choose_language_anonymously))
        .route("/orgs", web::get().to(list_organisations))
        .route("/orgs/{slug}", web::get().to(show_organisation))
        .route("/orgs/{slug}/invitations", web::post().to(invite_member))
        .route("/orgs/{slug}/members/{id}/delete", web::post().to(remove_member))
        .route("/invitations/{token}", web::get().to(show_invitation))
        .route("/invitations/{token}", web::post().to(accept_invitation))
        .route("/admin", web::get().to(admin_dashboard))
        .route("/admin/organisations", web::post().to(create_organisation))
        .route("/admin/accounts/{id}/disable", web::post().to(disable_account));
}

type Page = Result<HttpResponse, AppError>;

// ---- sign-up and sign-in ----------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct SignUpForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn sign_up_form(visit: Visit) -> Page {
    if visit.session.is_some() {
        return Ok(see_other("/account"));
    }
    Ok(html(StatusCode::OK, views::sign_up_page(&visit.chrome(), "", "", &FormErrors::new())))
}

async fn sign_up(
    visit: Visit,
    accounts: web::Data<Accounts>,
    cookie: web::Data<SessionCookie>,
    form: web::Form<SignUpForm>,
) -> Page {
    let form = form.into_inner();
    let input = SignUp {
        name: form.name.clone(),
        email: form.email.clone(),
        password: form.password,
        lang: visit.lang,
    };
    match accounts.sign_up(input, &visit.meta).await {
        Ok(done) => Ok(signed_in(&cookie, &done, "/account?notice=welcome")),
        Err(AccountsError::Invalid(problems)) => {
            let errors = form_errors(visit.lang, &problems);
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::sign_up_page(&visit.chrome(), &form.name, &form.email, &errors),
            ))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

async fn sign_in_form(visit: Visit, query: web::Query<NextQuery>) -> Page {
    let next = safe_next(query.next.as_deref());
    if visit.session.is_some() {
        return Ok(see_other(&next));
    }
    Ok(html(StatusCode::OK, views::sign_in_page(&visit.chrome(), "", &next, &FormErrors::new())))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

async fn sign_in(
    visit: Visit,
    accounts: web::Data<Accounts>,
    cookie: web::Data<SessionCookie>,
    form: web::Form<SignInForm>,
) -> Page {
    let next = safe_next(form.next.as_deref());
    match accounts.sign_in(&form.email, &form.password, &visit.meta).await {
        Ok(done) => {
            // Rotate: the session the browser carried before (if any) is ended.
            if let Some(previous) = &visit.session {
                let _ = accounts.sign_out(previous, &visit.meta).await;
            }
            Ok(signed_in(&cookie, &done, &next))
        }
        Err(AccountsError::WrongCredentials) => {
            let mut errors = FormErrors::new();
            errors.add("password", visit.lang.t("sign-in-wrong"));
            Ok(html(
                StatusCode::UNAUTHORIZED,
                views::sign_in_page(&visit.chrome(), &form.email, &next, &errors),
            ))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

async fn sign_out(visit: Visit, accounts: web::Data<Accounts>, cookie: web::Data<SessionCookie>) -> Page {
    if let Some(session) = &visit.session {
        accounts.sign_out(session, &visit.meta).await.map_err(into_app_error)?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/?notice=signed-out"))
        // Tells the browser to drop cached pages and offline data of this person (ASVS 14.3.1).
        .insert_header(("Clear-Site-Data", "\"cache\", \"storage\""))
        .cookie(cookie.clear())
        .finish())
}

// ---- one-time links ---------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

async fn sign_in_link_form(visit: Visit) -> Page {
    Ok(html(
        StatusCode::OK,
        views::link_request_page(&visit.chrome(), views::LinkKind::SignIn, "", &FormErrors::new(), false),
    ))
}

async fn forgot_password_form(visit: Visit) -> Page {
    Ok(html(
        StatusCode::OK,
        views::link_request_page(&visit.chrome(), views::LinkKind::Reset, "", &FormErrors::new(), false),
    ))
}

async fn request_sign_in_link(
    visit: Visit,
    accounts: web::Data<Accounts>,
    form: web::Form<EmailForm>,
) -> Page {
    request_link(visit, accounts, form, views::LinkKind::SignIn, purpose::SIGN_IN).await
}

async fn request_password_reset(
    visit: Visit,
    accounts: web::Data<Accounts>,
    form: web::Form<EmailForm>,
) -> Page {
    request_link(visit, accounts, form, views::LinkKind::Reset, purpose::RESET_PASSWORD).await
}

async fn request_link(
    visit: Visit,
    accounts: web::Data<Accounts>,
    form: web::Form<EmailForm>,
    kind: views::LinkKind,
    purpose: &'static str,
) -> Page {
    match accounts.request_link(&form.email, purpose, &visit.meta).await {
        Ok(()) => Ok(html(
            StatusCode::OK,
            views::link_request_page(&visit.chrome(), kind, &form.email, &FormErrors::new(), true),
        )),
        Err(AccountsError::Invalid(problems)) => {
            let errors = form_errors(visit.lang, &problems);
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::link_request_page(&visit.chrome(), kind, &form.email, &errors, false),
            ))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

// Links in emails open a page with a button: mail scanners that follow links must not use them up.

async fn sign_in_link_confirm(visit: Visit, accounts: web::Data<Accounts>, token: web::Path<String>) -> Page {
    let account = accounts.peek_link(&token, purpose::SIGN_IN).await.map_err(into_app_error)?;
    Ok(html(
        StatusCode::OK,
        views::link_confirm_page(&visit.chrome(), views::LinkKind::SignIn, &account.name, &visit.path),
    ))
}

async fn sign_in_with_link(
    visit: Visit,
    accounts: web::Data<Accounts>,
    cookie: web::Data<SessionCookie>,
    token: web::Path<String>,
) -> Page {
    let done = accounts.sign_in_with_link(&token, &visit.meta).await.map_err(into_app_error)?;
    Ok(signed_in(&cookie, &done, "/"))
}

async fn verify_email_confirm(visit: Visit, accounts: web::Data<Accounts>, token: web::Path<String>) -> Page {
    let account = accounts.peek_link(&token, purpose::VERIFY_EMAIL).await.map_err(into_app_error)?;
    Ok(html(
        StatusCode::OK,
        views::link_confirm_page(&visit.chrome(), views::LinkKind::Verify, &account.name, &visit.path),
    ))
}

async fn verify_email(visit: Visit, accounts: web::Data<Accounts>, token: web::Path<String>) -> Page {
    accounts.verify_email(&token, &visit.meta).await.map_err(into_app_error)?;
    let location = if visit.session.is_some() {
        "/account?notice=email-verified"
    } else {
        "/sign-in?notice=email-verified"
    };
    Ok(see_other(location))
}

async fn resend_verification(visit: Visit, accounts: web::Data<Accounts>) -> Page {
    let session = visit.require()?;
    accounts.resend_verification(&session.account).await.map_err(into_app_error)?;
    Ok(see_other("/account?notice=verification-sent"))
}

async fn reset_password_form(visit: Visit, accounts: web::Data<Accounts>, token: web::Path<String>) -> Page {
    accounts.peek_link(&token, purpose::RESET_PASSWORD).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::reset_password_page(&visit.chrome(), &visit.path, &FormErrors::new())))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

async fn reset_password(
    visit: Visit,
    accounts: web::Data<Accounts>,
    cookie: web::Data<SessionCookie>,
    token: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> Page {
    match accounts.reset_password(&token, &form.password, &visit.meta).await {
        Ok(done) => Ok(signed_in(&cookie, &done, "/account?notice=password-changed")),
        Err(AccountsError::Invalid(problems)) => {
            let errors = form_errors(visit.lang, &problems);
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                views::reset_password_page(&visit.chrome(), &visit.path, &errors),
            ))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

// ---- profile ----------------------------------------------------------------------------------

async fn profile_page(
    visit: &Visit,
    accounts: &Accounts,
    form: Option<&ProfileUpdate>,
    errors: &views::ProfileErrors,
) -> Result<Markup, AppError> {
    let session = visit.require()?;
    let account = &session.account;
    let licences = accounts.licences(account.id).await.map_err(into_app_error)?;
    let regulators = accounts.regulators().await.map_err(into_app_error)?;
    let sessions = accounts.sessions_of(account.id).await.map_err(into_app_error)?;
    let actor = accounts.actor(account).await.map_err(into_app_error)?;
    let organisations = accounts.organisations_for(&actor).await.map_err(into_app_error)?;
    let current = ProfileUpdate {
        name: account.name.clone(),
        profession: account.profession.clone().unwrap_or_default(),
        country: account.country.clone().unwrap_or_default(),
        region: account.region.clone().unwrap_or_default(),
        setting: account.setting.clone().unwrap_or_default(),
        languages: account.languages.replace(',', ", "),
        locale: account.locale.clone(),
        data_saver: account.data_saver,
    };
    let data = views::ProfileData {
        account,
        form: form.unwrap_or(&current),
        licences: &licences,
        regulators: &regulators,
        sessions: &sessions,
        current_session: session.session_id,
        organisations: &organisations,
    };
    Ok(views::profile_page(&visit.chrome(), &data, errors))
}

async fn show_profile(visit: Visit, accounts: web::Data<Accounts>) -> Page {
    let page = profile_page(&visit, &accounts, None, &views::ProfileErrors::default()).await?;
    Ok(html(StatusCode::OK, page))
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    profession: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    setting: String,
    #[serde(default)]
    languages: String,
    #[serde(default)]
    locale: String,
    data_saver: Option<String>,
}

async fn update_profile(visit: Visit, accounts: web::Data<Accounts>, form: web::Form<ProfileForm>) -> Page {
    let session = visit.require()?;
    let form = form.into_inner();
    let update = ProfileUpdate {
        name: form.name,
        profession: form.profession,
        country: form.country,
        region: form.region,
        setting: form.setting,
        languages: form.languages,
        locale: form.locale,
        data_saver: form.data_saver.is_some(),
    };
    match accounts.update_profile(session.account.id, update.clone()).await {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/account?notice=saved"))
            .cookie(removal(LANG_COOKIE))
            .finish()),
        Err(AccountsError::Invalid(problems)) => {
            let errors =
                views::ProfileErrors { profile: form_errors(visit.lang, &problems), ..Default::default() };
            let page = profile_page(&visit, &accounts, Some(&update), &errors).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

async fn change_password(
    visit: Visit,
    accounts: web::Data<Accounts>,
    cookie: web::Data<SessionCookie>,
    form: web::Form<ChangePasswordForm>,
) -> Page {
    let session = visit.require()?;
    match accounts.change_password(session, &form.current_password, &form.new_password, &visit.meta).await {
        Ok(done) => Ok(signed_in(&cookie, &done, "/account?notice=password-changed")),
        Err(AccountsError::Invalid(problems)) => {
            let problems: Vec<_> = problems
                .into_iter()
                .map(|(f, k)| (if f == "password" { "new_password" } else { f }, k))
                .collect();
            let errors =
                views::ProfileErrors { password: form_errors(visit.lang, &problems), ..Default::default() };
            let page = profile_page(&visit, &accounts, None, &errors).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

async fn sign_out_everywhere(
    visit: Visit,
    accounts: web::Data<Accounts>,
    cookie: web::Data<SessionCookie>,
) -> Page {
    let session = visit.require()?;
    accounts.sign_out_everywhere(session.account.id, &visit.meta).await.map_err(into_app_error)?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/sign-in?notice=signed-out-everywhere"))
        .insert_header(("Clear-Site-Data", "\"cache\", \"storage\""))
        .cookie(cookie.clear())
        .finish())
}

#[derive(Deserialize)]
pub struct LicenceForm {
    #[serde(default)]
    regulator: String,
    #[serde(default)]
    number: String,
}

async fn add_licence(visit: Visit, accounts: web::Data<Accounts>, form: web::Form<LicenceForm>) -> Page {
    let session = visit.require()?;
    match accounts.add_licence(session.account.id, &form.regulator, &form.number).await {
        Ok(()) => Ok(see_other("/account?notice=licence-added#licences")),
        Err(AccountsError::Invalid(problems)) => {
            let errors =
                views::ProfileErrors { licence: form_errors(visit.lang, &problems), ..Default::default() };
            let page = profile_page(&visit, &accounts, None, &errors).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

async fn remove_licence(visit: Visit, accounts: web::Data<Accounts>, id: web::Path<i32>) -> Page {
    let session = visit.require()?;
    accounts.remove_licence(session.account.id, *id).await.map_err(into_app_error)?;
    Ok(see_other("/account?notice=licence-removed#licences"))
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    back: Option<String>,
}

async fn choose_language(
    visit: Visit,
    accounts: web::Data<Accounts>,
    cookie: web::Data<SessionCookie>,
    form: web::Form<LanguageForm>,
) -> Page {
    let lang = Lang::from_code(&form.lang).ok_or_else(|| AppError::BadRequest("locale-invalid".into()))?;
    let back = safe_next(form.back.as_deref());
    if let Some(session) = &visit.session {
        accounts.set_locale(session.account.id, lang).await.map_err(into_app_error)?;
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, back))
            .cookie(removal(LANG_COOKIE))
            .finish());
    }
    Ok(language_cookie_redirect(lang, &back, cookie.secure))
}

/// The picker of a visitor who is not signed in is a GET form: it only sets the language cookie,
/// so public pages carry no per-visitor token and can be served precompressed from memory. A
/// signed-in person's choice is saved to their account, by POST with a CSRF token.
async fn choose_language_anonymously(
    visit: Visit,
    cookie: web::Data<SessionCookie>,
    form: web::Query<LanguageForm>,
) -> Page {
    let lang = Lang::from_code(&form.lang).ok_or_else(|| AppError::BadRequest("locale-invalid".into()))?;
    let back = safe_next(form.back.as_deref());
    if visit.session.is_some() {
        // Changing an account's language is a write: it takes the POST form.
        return Ok(see_other(&back));
    }
    Ok(language_cookie_redirect(lang, &back, cookie.secure))
}

/// The language cookie is `Secure` whenever the session cookie is.
fn language_cookie_redirect(lang: Lang, back: &str, secure: bool) -> HttpResponse {
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::days(365))
        .finish();
    HttpResponse::SeeOther().insert_header((header::LOCATION, back)).cookie(cookie).finish()
}

// ---- organisations ----------------------------------------------------------------------------

async fn list_organisations(visit: Visit, accounts: web::Data<Accounts>) -> Page {
    let actor = visit.actor(&accounts).await?;
    let organisations = accounts.organisations_for(&actor).await.map_err(into_app_error)?;
    Ok(html(StatusCode::OK, views::organisations_page(&visit.chrome(), &organisations)))
}

async fn organisation_page(
    visit: &Visit,
    accounts: &Accounts,
    slug: &str,
    invite: (&str, &str),
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    let organisation = accounts.organisation(slug).await.map_err(into_app_error)?;
    let actor =
        visit.authorize(accounts, Capability::ViewOrganisation { organisation_id: organisation.id }).await?;
    let members = accounts.members(&actor, organisation.id).await.map_err(into_app_error)?;
    let can_manage = authorize(&actor, Capability::ManageMembers { organisation_id: organisation.id });
    let invitations = if can_manage {
        accounts.invitations(&actor, organisation.id).await.map_err(into_app_error)?
    } else {
        Vec::new()
    };
    let kind = OrgKind::parse(&organisation.kind).unwrap_or(OrgKind::Association);
    let data = views::OrganisationData {
        organisation: &organisation,
        kind,
        members: &members,
        invitations: &invitations,
        can_manage,
        can_run_mentoring: authorize(&actor, Capability::RunMentoring { organisation_id: organisation.id }),
        can_see_insights: match kind {
            OrgKind::Association => {
                authorize(&actor, Capability::SeeWorkforce { organisation_id: organisation.id })
            }
            OrgKind::Regulator => {
                authorize(&actor, Capability::OfficerOf { organisation_id: organisation.id })
            }
        },
    };
    Ok(views::organisation_page(&visit.chrome(), &data, invite, errors))
}

async fn show_organisation(visit: Visit, accounts: web::Data<Accounts>, slug: web::Path<String>) -> Page {
    let page = organisation_page(&visit, &accounts, &slug, ("", ""), &FormErrors::new()).await?;
    Ok(html(StatusCode::OK, page))
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn invite_member(
    visit: Visit,
    accounts: web::Data<Accounts>,
    slug: web::Path<String>,
    form: web::Form<InviteForm>,
) -> Page {
    let session = visit.require()?;
    let organisation = accounts.organisation(&slug).await.map_err(into_app_error)?;
    let actor =
        visit.authorize(&accounts, Capability::ManageMembers { organisation_id: organisation.id }).await?;
    match accounts.invite(&actor, &session.account, &organisation, &form.email, &form.role, &visit.meta).await
    {
        Ok(()) => Ok(see_other(&format!("/orgs/{}?notice=invitation-sent", organisation.slug))),
        Err(AccountsError::Invalid(problems)) => {
            let errors = form_errors(visit.lang, &problems);
            let page =
                organisation_page(&visit, &accounts, &slug, (&form.email, &form.role), &errors).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

async fn remove_member(visit: Visit, accounts: web::Data<Accounts>, path: web::Path<(String, i32)>) -> Page {
    let (slug, membership_id) = path.into_inner();
    let organisation = accounts.organisation(&slug).await.map_err(into_app_error)?;
    let actor =
        visit.authorize(&accounts, Capability::ManageMembers { organisation_id: organisation.id }).await?;
    accounts
        .remove_member(&actor, organisation.id, membership_id, &visit.meta)
        .await
        .map_err(into_app_error)?;
    Ok(see_other(&format!("/orgs/{}?notice=member-removed", organisation.slug)))
}

async fn show_invitation(visit: Visit, accounts: web::Data<Accounts>, token: web::Path<String>) -> Page {
    let (invitation, organisation) = accounts.invitation(&token).await.map_err(into_app_error)?;
    let role = Role::parse(&invitation.role).unwrap_or(Role::Author);
    let signed_in_as = visit.session.as_ref().map(|s| s.account.email.as_str());
    Ok(html(
        StatusCode::OK,
        views::invitation_page(
            &visit.chrome(),
            &organisation.name,
            role,
            &invitation.email,
            signed_in_as,
            &visit.path,
        ),
    ))
}

async fn accept_invitation(visit: Visit, accounts: web::Data<Accounts>, token: web::Path<String>) -> Page {
    let session = visit.require()?;
    match accounts.accept_invitation(&token, &session.account, &visit.meta).await {
        Ok(organisation) => Ok(see_other(&format!("/orgs/{}?notice=joined", organisation.slug))),
        Err(AccountsError::Forbidden) => Err(visit.deny(&accounts).await),
        Err(error) => Err(into_app_error(error)),
    }
}

// ---- platform administration ------------------------------------------------------------------

async fn admin_page(
    visit: &Visit,
    accounts: &Accounts,
    form: &views::OrganisationForm,
    errors: &FormErrors,
) -> Result<Markup, AppError> {
    visit.authorize(accounts, Capability::AdministerPlatform).await?;
    let organisations = accounts.organisations().await.map_err(into_app_error)?;
    let recent = accounts.recent_accounts(20).await.map_err(into_app_error)?;
    Ok(views::admin_page(&visit.chrome(), &organisations, &recent, form, errors))
}

async fn admin_dashboard(visit: Visit, accounts: web::Data<Accounts>) -> Page {
    let page = admin_page(&visit, &accounts, &views::OrganisationForm::default(), &FormErrors::new()).await?;
    Ok(html(StatusCode::OK, page))
}

async fn create_organisation(
    visit: Visit,
    accounts: web::Data<Accounts>,
    form: web::Form<views::OrganisationForm>,
) -> Page {
    let actor = visit.authorize(&accounts, Capability::AdministerPlatform).await?;
    let form = form.into_inner();
    match accounts
        .create_organisation(&actor, &form.slug, &form.name, &form.kind, &form.country, &visit.meta)
        .await
    {
        Ok(organisation) => {
            Ok(see_other(&format!("/orgs/{}?notice=organisation-created", organisation.slug)))
        }
        Err(AccountsError::Invalid(problems)) => {
            let errors = form_errors(visit.lang, &problems);
            let page = admin_page(&visit, &accounts, &form, &errors).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(error) => Err(into_app_error(error)),
    }
}

async fn disable_account(visit: Visit, accounts: web::Data<Accounts>, id: web::Path<i32>) -> Page {
    let actor = visit.authorize(&accounts, Capability::AdministerPlatform).await?;
    accounts.disable(&actor, *id, &visit.meta).await.map_err(into_app_error)?;
    Ok(see_other("/admin?notice=account-disabled"))
}

// ----- API tokens ----------------------------------------------------------------------------------

async fn tokens_page(
    visit: &Visit,
    accounts: &Accounts,
    created: Option<&str>,
    values: &FormFields,
    errors: &FormErrors,
) -> Page {
    let me = visit.require()?.account.id;
    let tokens = accounts.api_tokens(me).await.map_err(into_app_error)?;
    let page = views::tokens_page(&visit.chrome(), &tokens, accounts.now(), created, values, errors);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut response = html(status, page);
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn tokens(visit: Visit, accounts: web::Data<Accounts>) -> Page {
    let values = FormFields(vec![("days".into(), "90".into())]);
    tokens_page(&visit, &accounts, None, &values, &FormErrors::new()).await
}

/// Makes a token and shows its secret on the answer to this POST only (never stored, never in a URL).
async fn create_token(
    visit: Visit,
    accounts: web::Data<Accounts>,
    form: web::Form<Vec<(String, String)>>,
) -> Page {
    let me = visit.require()?.account.id;
    let form = FormFields(form.into_inner());
    let days = form.get("days").trim().parse().unwrap_or(0);
    match accounts.create_api_token(me, form.get("name"), &form.all("scopes"), days).await {
        Ok((_, secret)) => {
            let fresh = FormFields(vec![("days".into(), "90".into())]);
            tokens_page(&visit, &accounts, Some(&secret), &fresh, &FormErrors::new()).await
        }
        Err(AccountsError::Invalid(problems)) => {
            let errors = form_errors(visit.lang, &problems);
            tokens_page(&visit, &accounts, None, &form, &errors).await
        }
        Err(other) => Err(into_app_error(other)),
    }
}

async fn revoke_token(visit: Visit, accounts: web::Data<Accounts>, id: web::Path<i32>) -> Page {
    let me = visit.require()?.account.id;
    accounts.revoke_api_token(me, *id).await.map_err(into_app_error)?;
    Ok(see_other("/account/tokens?notice=saved"))
}
