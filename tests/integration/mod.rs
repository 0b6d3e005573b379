//! Test modules.

pub mod util;
