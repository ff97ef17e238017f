//! Pieces several screens use.

pub mod preview;
pub mod week;
