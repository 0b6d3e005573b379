//! Exploration: everything that runs replications in batches, for one scenario or many.
//!
//! [`batches`] holds the loop `run` drives (batches sized by wall time, the precision stop,
//! checkpoints, `--resume`, shard ranges, the one "same run?" check); [`experiment`] reads
//! experiment files (the parameters that vary, over which design of points); [`sweep`] runs
//! an experiment's points with common random numbers and writes its tables; [`robustness`]
//! turns a sweep's points into each design's regret. The command files in `cli/` only turn
//! arguments into these calls and print what they return.

pub mod batches;
pub mod experiment;
pub mod robustness;
pub mod sweep;

pub use batches::{
    evaluate, manifest_identity, parse_target, run_checkpointed, run_plain, same_run, shard_range,
    thread_pool, Batches, Checkpointing, Finished, Hooks, Shard, Target,
};
