//! Pieces several screens use.

pub mod fields;
pub mod preview;
pub mod week;
