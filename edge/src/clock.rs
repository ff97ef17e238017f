//! The only place the edge reads the clock; the core always receives the time as a parameter.

use homeslot_core::availability::Instant;

/// Now, in Unix seconds.
pub fn now() -> Instant {
    (worker::Date::now().as_millis() / 1000) as Instant
}

/// Now, in Unix milliseconds (for audit columns).
pub fn now_millis() -> i64 {
    worker::Date::now().as_millis() as i64
}
