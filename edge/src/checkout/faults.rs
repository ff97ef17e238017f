//! Injected faults, for test builds only (`cargo build --features faults`, which `scripts/test`
//! uses): a request with `Homeslot-Fault: after-payment` (or `after-placement`) stops the checkout
//! at that point, as a Worker that dies there would, so the tests can prove that what such a crash
//! leaves behind is put right. Release builds carry none of this: the header is ignored.

use crate::error::AppResult;

/// The fault a request asks for, if this build takes any.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    #[cfg(feature = "faults")]
    point: Option<String>,
}

impl Faults {
    /// The request's `Homeslot-Fault` header, in a test build.
    #[cfg_attr(not(feature = "faults"), allow(unused_variables))]
    pub fn of(req: &worker::Request) -> Self {
        #[cfg(feature = "faults")]
        {
            Faults { point: req.headers().get("homeslot-fault").ok().flatten() }
        }
        #[cfg(not(feature = "faults"))]
        {
            Faults {}
        }
    }

    /// A platform error if the request asked to stop at `point`.
    #[cfg_attr(not(feature = "faults"), allow(unused_variables))]
    pub fn at(&self, point: &str) -> AppResult<()> {
        #[cfg(feature = "faults")]
        if self.point.as_deref() == Some(point) {
            return Err(worker::Error::RustError(format!("fault injected {point}")).into());
        }
        Ok(())
    }
}
