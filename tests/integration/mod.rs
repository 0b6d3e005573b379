//! Test modules.

pub mod cli;
pub mod cluster;
pub mod commit;
pub mod corpus;
pub mod examples;
pub mod explain;
pub mod face_validity;
pub mod first_hour;
pub mod golden;
pub mod input_safety;
pub mod properties;
pub mod rerun;
pub mod robustness;
pub mod signals;
pub mod statistics;
pub mod util;
