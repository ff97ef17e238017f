//! The edge's one error type and the one place it becomes an HTTP response.

use homeslot_core::error::{ApiError, ErrorCode};
use worker::Response;

/// Either a domain/validation error the client should see, or a platform failure that the client
/// must not see the details of (it is logged instead).
#[derive(Debug)]
pub enum AppError {
    Api(ApiError),
    Platform(worker::Error),
}

pub type AppResult<T> = Result<T, AppError>;

/// What a client refused with `503 overloaded` is told to wait, in seconds: an overloaded object
/// drains its queue within moments, and a storm's clients spread their retries over this.
pub const OVERLOADED_RETRY_AFTER_SECONDS: u32 = 2;

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        AppError::Api(e)
    }
}

impl From<worker::Error> for AppError {
    fn from(e: worker::Error) -> Self {
        AppError::Platform(e)
    }
}

impl AppError {
    /// The JSON error response: `{"error": {"code", "message", "field"}}` with the code's status.
    ///
    /// # Errors
    /// Only if the platform cannot build a response at all.
    pub fn into_response(self) -> worker::Result<Response> {
        let api = match self {
            AppError::Api(api) => api,
            AppError::Platform(e) => {
                // Logged without the request: it may carry a client's personal data.
                worker::console_error!("platform error: {e}");
                ApiError::new(ErrorCode::Internal, "Something went wrong on our side. Please try again.")
            }
        };
        let status = api.code.status();
        let response = crate::http::json(&api.body(), status)?;
        match api.code {
            ErrorCode::RateLimited => {
                response.headers().set("retry-after", &crate::limits::RETRY_AFTER_SECONDS.to_string())?;
            }
            ErrorCode::Overloaded => {
                response.headers().set("retry-after", &OVERLOADED_RETRY_AFTER_SECONDS.to_string())?
            }
            _ => {}
        }
        Ok(response)
    }
}
