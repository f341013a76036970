//! A posted form that may carry one file. Browsers send it as multipart (the CSRF token then
//! travels in the query string, see `platform::security`); a form sent URL-encoded has no file.
//! The file's bytes are kept up to a limit; a larger file is read to its end, counted and
//! refused by the caller with its name and size, so the rest of the form is kept for the page.

use super::components::FormFields;
use crate::error::AppError;
use crate::platform::media::UploadedFile;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

/// Beyond this a request is cut off whatever it carries.
const HARD_LIMIT: usize = 64 * 1024 * 1024;
/// Each text field of a multipart form.
const FIELD_LIMIT: usize = 64 * 1024;

/// The fields of a form and the file chosen in its `file_field`, if one was.
#[derive(Debug, Default)]
pub struct FormWithFile {
    pub fields: FormFields,
    pub file: Option<UploadedFile>,
}

impl FormWithFile {
    /// Reads the form from a request body, keeping at most `file_limit` + 1 bytes of the file.
    pub async fn read(
        req: &HttpRequest,
        payload: web::Payload,
        file_field: &str,
        file_limit: usize,
    ) -> Result<Self, AppError> {
        let is_multipart = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !is_multipart {
            let body = read_all(payload.into_inner(), FIELD_LIMIT * 16).await?;
            let fields = serde_urlencoded::from_bytes(&body)
                .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
            return Ok(Self { fields: FormFields(fields), file: None });
        }
        let mut multipart = actix_multipart::Multipart::new(req.headers(), payload.into_inner());
        let mut form = Self::default();
        let mut total = 0_usize;
        while let Some(field) = multipart.next().await {
            let mut field =
                field.map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.content_disposition().and_then(|d| d.get_filename()).map(str::to_owned);
            let is_file = name == file_field;
            let keep = if is_file { file_limit.saturating_add(1) } else { FIELD_LIMIT };
            let mut bytes = Vec::new();
            let mut size = 0_usize;
            while let Some(chunk) = field.next().await {
                let chunk =
                    chunk.map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
                size += chunk.len();
                total += chunk.len();
                if total > HARD_LIMIT {
                    return Err(AppError::BadRequest("the form is larger than Lantern accepts".into()));
                }
                let room = keep.saturating_sub(bytes.len());
                bytes.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
            }
            if is_file {
                // A form sent with no file chosen carries an empty part with no name.
                if size > 0 {
                    form.file = Some(UploadedFile { name: file_name.unwrap_or_default(), bytes, size });
                }
            } else if size > FIELD_LIMIT {
                return Err(AppError::BadRequest(format!("the field {name} is too long")));
            } else {
                form.fields.0.push((name, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
        Ok(form)
    }
}

async fn read_all(mut payload: actix_web::dev::Payload, limit: usize) -> Result<Vec<u8>, AppError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::BadRequest("the form is larger than Lantern accepts".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The file of a multipart form read as it arrives, for files too large to hold (a bulk list of
/// 100,000 rows): the parts before it are skipped, those after it are never read.
pub struct UploadStream {
    // The field reads from the multipart body's shared state: keep the body alive beside it.
    _multipart: actix_multipart::Multipart,
    field: actix_multipart::Field,
}

impl UploadStream {
    /// The stream of the form's `file_field`, or None when the form has no such file part or
    /// is not multipart.
    pub async fn open(
        req: &HttpRequest,
        payload: web::Payload,
        file_field: &str,
    ) -> Result<Option<Self>, AppError> {
        let is_multipart = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !is_multipart {
            return Ok(None);
        }
        let mut multipart = actix_multipart::Multipart::new(req.headers(), payload.into_inner());
        while let Some(field) = multipart.next().await {
            let mut field =
                field.map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?;
            if field.name() == Some(file_field) {
                return Ok(Some(Self { _multipart: multipart, field }));
            }
            let mut size = 0_usize;
            while let Some(chunk) = field.next().await {
                size += chunk
                    .map_err(|e| AppError::BadRequest(format!("the form could not be read: {e}")))?
                    .len();
                if size > FIELD_LIMIT {
                    return Err(AppError::BadRequest("a field of the form is too long".into()));
                }
            }
        }
        Ok(None)
    }
}

impl futures_util::Stream for UploadStream {
    type Item = Result<web::Bytes, actix_multipart::MultipartError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::pin::Pin::new(&mut self.field).poll_next(cx)
    }
}
