//! `GET /v1/companies/{company}/theme.css`: the company's theme (its preset with the owner's
//! overrides, already checked for contrast when saved) as a stylesheet of tokens. The loader links
//! it into the widget's shadow root after the widget's own styles, so it wins over the bundled
//! default theme without any widget code.

use worker::{Headers, Response};

use homeslot_core::catalog::Company;
use homeslot_core::theme;

use crate::error::AppResult;

pub fn stylesheet(company: &Company) -> AppResult<Response> {
    let widget = &company.widget;
    let css = theme::stylesheet(widget.theme.as_deref().unwrap_or("default"), widget.theme_overrides.as_ref());
    let headers = Headers::new();
    headers.set("content-type", "text/css; charset=utf-8")?;
    // A theme change shows within a minute; every widget load does not cost a request.
    headers.set("cache-control", "public, max-age=60")?;
    Ok(Response::ok(css)?.with_headers(headers))
}
