//! `GET /v1/companies/{company}/theme.css[?theme=preset]`: the company's theme (its preset with the owner's
//! overrides, already checked for contrast when saved) as a stylesheet of tokens. The loader links
//! it into the widget's shadow root after the widget's own styles, so it wins over the bundled
//! default theme without any widget code.

use worker::{Headers, Request, Response};

use homeslot_core::catalog::Company;
use homeslot_core::error::{ApiError, ErrorCode};
use homeslot_core::theme;

use crate::error::AppResult;
use crate::handlers::Query;

pub fn stylesheet(req: &Request, company: &Company) -> AppResult<Response> {
    let widget = &company.widget;
    let owners = widget.theme.as_deref().unwrap_or("default");
    // A page may choose another preset (`<homeslot-widget theme="dark">`). The owner's overrides
    // were checked against the owner's preset: on another one they stay only if every text is
    // still readable there, else the page gets the plain preset.
    let preset = match Query::of(req)?.get("theme") {
        None => owners.to_string(),
        Some(asked) if theme::PRESETS.iter().any(|(name, _)| *name == asked) => asked,
        Some(asked) => {
            let names: Vec<&str> = theme::PRESETS.iter().map(|(name, _)| *name).collect();
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "theme",
                format!("There is no theme \"{asked}\"; the themes are {}.", names.join(", ")),
            )
            .into());
        }
    };
    let overrides = widget.theme_overrides.as_ref().filter(|o| theme::check("theme", &preset, Some(o)).is_ok());
    let css = theme::stylesheet(&preset, overrides);
    let headers = Headers::new();
    headers.set("content-type", "text/css; charset=utf-8")?;
    // A theme change shows within a minute; every widget load does not cost a request.
    headers.set("cache-control", "public, max-age=60")?;
    Ok(Response::ok(css)?.with_headers(headers))
}
