//! Pieces several screens use.

pub mod client_finder;
pub mod fields;
pub mod preview;
pub mod week;
