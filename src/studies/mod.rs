//! Studies over an experiment's results, the domain side of [`crate::analysis`]: the
//! conditions scenario discovery looks for, and (with the exploration layer) sensitivity,
//! discovery and value-of-information reports over designs and metrics.

pub mod condition;
pub mod discover;
pub mod sensitivity;
pub mod table;
pub mod voi;

use crate::error::Result;
use crate::explore::experiment;
use crate::explore::sweep::{PointState, Prepared};

/// Run every point of `p` for its replications, in point order: the points' states, or `None`
/// when interrupted (the work is then discarded).
pub fn run_points(
    p: &Prepared,
    pool: &rayon::ThreadPool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Option<Vec<PointState>>> {
    let mut states = Vec::with_capacity(p.points.len());
    for (i, point) in p.points.iter().enumerate() {
        let Some(acc) = p.run_point(i, 0..p.exp.replications, pool, progress)? else {
            return Ok(None);
        };
        states.push(PointState {
            point: i as u64,
            scenario: p.exp.scenarios[point.scenario].clone(),
            values: point.values.iter().map(|v| experiment::shown(v)).collect(),
            acc: crate::stats::MeanSummary::of(&acc),
        });
        crate::interrupt::test_pause("sensitivity-point")?;
    }
    Ok(Some(states))
}
