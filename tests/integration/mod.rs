//! Test modules.

pub mod cli;
pub mod commit;
pub mod corpus;
pub mod examples;
pub mod face_validity;
pub mod golden;
pub mod properties;
pub mod robustness;
pub mod statistics;
pub mod util;
