//! The home page.

use crate::accounts::Visit;
use crate::error::AppError;
use crate::platform::ui::page;
use crate::platform::ui::respond::html;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use maud::html;

pub async fn show_home(visit: Visit) -> Result<HttpResponse, AppError> {
    let t = visit.lang;
    let chrome = visit.chrome();
    let body = html! {
        section.hero {
            @match &visit.session {
                Some(session) => {
                    h1 { (t.ta("greeting", &[("name", session.account.name.as_str().into())])) }
                    p.lead { (t.t("home-signed-in-lead")) }
                    div.actions {
                        a.button href="/account" { (t.t("home-profile-cta")) }
                        a.button.secondary href="/me/credits" { (t.t("credits-title")) }
                        a.button.secondary href="/me/mentoring" { (t.t("mentoring-title")) }
                    }
                }
                None => {
                    h1 { (t.t("home-title")) }
                    p.lead { (t.t("home-lead")) }
                    div.actions {
                        a.button href="/sign-up" { (t.t("home-cta")) }
                        a.button.secondary href="/sign-in" { (t.t("nav-sign-in")) }
                    }
                }
            }
        }
        div.grid.two {
            div.card { h2 { (t.t("home-profile-title")) } p { (t.t("home-profile-text")) } }
            div.card { h2 { (t.t("home-licences-title")) } p { (t.t("home-licences-text")) } }
            div.card { h2 { (t.t("home-orgs-title")) } p { (t.t("home-orgs-text")) } }
            div.card { h2 { (t.t("home-phone-title")) } p { (t.t("home-phone-text")) } }
        }
        p { a href="/verify" { (t.t("home-verify")) } }
    };
    Ok(html(StatusCode::OK, page(&chrome, &t.t("home-title"), body)))
}
