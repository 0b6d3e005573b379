//! Test modules.

pub mod cli;
pub mod face_validity;
pub mod util;
