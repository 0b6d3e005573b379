//! Studies over an experiment's results, the domain side of [`crate::analysis`]: the
//! conditions scenario discovery looks for, and (with the exploration layer) sensitivity,
//! discovery and value-of-information reports over designs and metrics.

pub mod condition;
pub mod discover;
pub mod sensitivity;
pub mod table;
pub mod voi;
