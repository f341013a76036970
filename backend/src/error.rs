//! One error type at the HTTP edge. Features map their own errors into it; internal causes are
//! logged with the request id and never shown. `platform::ui::errors` turns it into a page or a
//! JSON problem.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use std::fmt;

/// What went wrong, as far as the person asking needs to know.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    /// A one-time link that expired or was used.
    #[error("link expired or used")]
    Gone,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    BadRequest(String),
    /// A body in a form the route does not read (the message says which it reads).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A body larger than the route reads (the message says how much it reads).
    #[error("{0}")]
    TooLarge(String),
    #[error("too many attempts")]
    TooMany { retry_after_seconds: u64 },
    #[error("service unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl AppError {
    /// Wraps any internal failure; the cause is logged, never shown.
    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Internal(error.into())
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        if database_unavailable(&error) {
            // A clean 503 the client may retry.
            tracing::warn!(%error, "database unavailable");
            AppError::Unavailable
        } else {
            AppError::internal(error)
        }
    }
}

/// Whether the database could not be reached or dropped the connection mid-statement (down,
/// restarting, pool exhausted), as opposed to refusing the statement itself.
pub fn database_unavailable(error: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    let runtime = match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => return true,
        DbErr::Exec(runtime) | DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let RuntimeErr::SqlxError(error) = runtime else { return false };
    match error.as_ref() {
        Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed | Sqlx::Protocol(_) => true,
        // SQLSTATE class 08 (connection exception) and 57P (the server shutting down or starting).
        Sqlx::Database(database) => {
            database.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P"))
        }
        _ => false,
    }
}

impl<E: Into<AppError>> From<sea_orm::TransactionError<E>> for AppError
where
    E: std::error::Error,
{
    fn from(error: sea_orm::TransactionError<E>) -> Self {
        match error {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner.into(),
        }
    }
}

/// The message kept on an error response so the error page can explain it.
#[derive(Debug, Clone)]
pub struct ErrorDetail(pub String);

impl fmt::Display for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Gone => StatusCode::GONE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooMany { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(cause) = self {
            tracing::error!(error = %cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let AppError::TooMany { retry_after_seconds } = self {
            response.insert_header(("Retry-After", retry_after_seconds.to_string()));
        }
        if let AppError::Unavailable = self {
            response.insert_header(("Retry-After", "5"));
        }
        let mut response = response.finish();
        // Only messages meant for the user travel on; the error page renders them.
        if let AppError::Conflict(message)
        | AppError::BadRequest(message)
        | AppError::UnsupportedMediaType(message)
        | AppError::TooLarge(message) = self
        {
            response.extensions_mut().insert(ErrorDetail(message.clone()));
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    use std::sync::Arc;

    #[test]
    fn a_lost_database_is_a_503_and_a_refused_statement_a_500() {
        let query = |error: Sqlx| DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)));
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        for lost in [query(Sqlx::Io(reset)), query(Sqlx::PoolTimedOut), query(Sqlx::PoolClosed)] {
            assert!(matches!(AppError::from(lost), AppError::Unavailable));
        }
        for refused in
            [query(Sqlx::RowNotFound), DbErr::Custom("bad".into()), DbErr::RecordNotFound("x".into())]
        {
            assert!(matches!(AppError::from(refused), AppError::Internal(_)));
        }
    }
}
