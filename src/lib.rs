//! # dialogue-wargame
//!
//! A Monte Carlo simulator that compares designs of a Japan–Taiwan security-dialogue mechanism
//! (track 2, track 1.5, a parliamentary 2+2, a committee of former ministers, a security
//! conference on the trade-conference model, government-sponsored think tanks, an executive
//! 2+2, and today's civil channel) in a Taiwan contingency.
//!
//! Data flows one way: [`scenario`] (TOML → validated parameters) → [`model`] (one replication)
//! → [`engine`] (seeded replications in parallel) → [`stats`] (exact accumulators) →
//! [`output`] (CSV, manifest, atomic results directory). The model is documented in
//! `docs/MODEL.md`, the files in `docs/OUTPUTS.md`.
//!
//! ```
//! use dialogue_wargame::{engine::Plan, metric::N_METRICS, scenario};
//! let loaded = scenario::load_str("baseline", scenario::BASELINE_TOML, &[]).unwrap();
//! let sc = &loaded.scenario;
//! let plan = Plan::new(sc, (0..sc.designs.len()).collect(), 0, 7, vec![None; N_METRICS]);
//! let mut acc = plan.accumulator();
//! plan.run(0..100, &mut acc, None, &|_| {}, &|| false).unwrap();
//! assert_eq!(acc.replications(), 100);
//! ```
#![deny(missing_docs)]
// A panic is a bug report (../shared/STYLE.md): output goes through `writeln!(out, …)?` so a
// closed or full stream is an error and not a panic, and nothing a user can cause is
// unwrapped. Tests (`#[cfg(test)]`, see clippy.toml) may unwrap.
#![warn(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    clippy::expect_used
)]

pub mod analysis;
pub mod cli;
pub mod engine;
pub mod error;
pub mod explore;
pub mod interrupt;
pub mod metric;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod sources;
pub mod stats;
pub mod studies;
pub mod tabletop;
pub mod tape;

pub use interrupt::{interrupt, interrupted};
