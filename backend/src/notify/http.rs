//! The outbox admin page.

use super::views;
use crate::accounts::Visit;
use crate::accounts::model::Capability;
use crate::accounts::service::Accounts;
use crate::error::AppError;
use crate::platform::clock::SharedClock;
use crate::platform::db::Db;
use crate::platform::mail;
use crate::platform::ui::respond::{html, see_other};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use std::sync::Arc;
use tokio::sync::Notify;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/outbox", web::get().to(show_outbox))
        .route("/admin/outbox/{id}/retry", web::post().to(retry_message));
}

async fn show_outbox(
    visit: Visit,
    accounts: web::Data<Accounts>,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    visit.authorize(&accounts, Capability::AdministerPlatform).await?;
    let counts = mail::counts(db.read()).await?;
    let failed = mail::failed_messages(db.read(), 50).await?;
    Ok(html(StatusCode::OK, views::outbox_page(&visit.chrome(), &counts, &failed)))
}

async fn retry_message(
    visit: Visit,
    accounts: web::Data<Accounts>,
    db: web::Data<Db>,
    clock: web::Data<SharedClock>,
    wake: web::Data<Arc<Notify>>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    visit.authorize(&accounts, Capability::AdministerPlatform).await?;
    if !mail::retry(db.write(), *id, clock.now()).await? {
        return Err(AppError::NotFound);
    }
    wake.notify_one();
    Ok(see_other("/admin/outbox?notice=retry-queued"))
}
