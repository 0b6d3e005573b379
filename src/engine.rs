//! The engine: seed streams, the parallel replication runner, batching.
//!
//! Randomness depends only on (master seed, replication index): a ChaCha8 generator keyed by
//! the master seed, on stream number `replication`, yields a 256-bit replication key. Each
//! replication then reads ChaCha8 streams of that key: 1 for the monthly world events, 2 for
//! intelligence items, 16 and up for the world draw (one stream per component, see
//! `model::draw_world`), and for each design a stream numbered by a hash of its id, so a design's numbers do not change when other designs are added, removed
//! or reordered. Aggregation is exact (see `stats`), so the thread count cannot change a bit.

use std::ops::Range;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::model::{self, Scores, Streams};
use crate::scenario::Scenario;
use crate::stats::RunAccumulator;

/// Receives each replication's scores, in replication order.
pub type RowSink<'a> = &'a mut (dyn FnMut(u64, &[Scores]) -> std::io::Result<()> + Send);

/// Most replications simulated together by one task (a short range gets smaller chunks).
pub const CHUNK: u64 = 1024;
/// Chunks per batch: rows are written, and a cancelled run keeps its work, batch by batch.
pub const BATCH_CHUNKS: usize = 16;

/// Stream of the monthly world events (domestic shocks, Beijing's act draws).
pub const STREAM_MONTHLY: u64 = 1;
/// Stream of the intelligence items.
pub const STREAM_INTEL: u64 = 2;

/// The 256-bit key of replication `rep` under master seed `seed`.
pub fn replication_key(seed: u64, rep: u64) -> [u8; 32] {
    let mut master = ChaCha8Rng::seed_from_u64(seed);
    master.set_stream(rep);
    master.random()
}

/// The stream number of a design: FNV-1a of its id with the top bit set (never 0, 1 or 2).
pub fn design_stream(id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h | (1 << 63)
}

fn stream(key: [u8; 32], n: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(n);
    rng
}

/// What to run: a scenario, which of its designs (indices), and the master seed.
pub struct Plan<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Indices of the designs to run, in output order.
    pub designs: Vec<usize>,
    /// Index of the baseline within `designs`.
    pub baseline: usize,
    /// Master seed.
    pub seed: u64,
    /// Per metric, the threshold to count, if any.
    pub thresholds: Vec<Option<f64>>,
    streams: Vec<u64>,
    /// Index of the status quo in the scenario, and its stream (docs/MODEL.md §5).
    status_quo: (usize, u64),
}

impl<'a> Plan<'a> {
    /// A plan for `designs` (indices into the scenario), with `baseline` an index into `designs`.
    pub fn new(
        scenario: &'a Scenario,
        designs: Vec<usize>,
        baseline: usize,
        seed: u64,
        thresholds: Vec<Option<f64>>,
    ) -> Plan<'a> {
        let streams = designs
            .iter()
            .map(|&d| design_stream(&scenario.designs[d].id))
            .collect();
        let sq = scenario.design_index(&scenario.status_quo).unwrap_or(0);
        let status_quo = (sq, design_stream(&scenario.designs[sq].id));
        Plan {
            scenario,
            designs,
            baseline,
            seed,
            thresholds,
            streams,
            status_quo,
        }
    }

    /// An empty accumulator for this plan.
    pub fn accumulator(&self) -> RunAccumulator {
        RunAccumulator::new(self.designs.len(), self.baseline, self.thresholds.clone())
    }

    /// Simulate replication `rep`, writing design `k`'s scores to `out[k]`.
    pub fn replicate(&self, rep: u64, out: &mut [Scores]) {
        let sc = self.scenario;
        let key = replication_key(self.seed, rep);
        let world = model::draw_world(&sc.world, key);
        let (sq, sq_stream) = self.status_quo;
        for (k, &d) in self.designs.iter().enumerate() {
            let mut monthly = stream(key, STREAM_MONTHLY);
            let mut intel = stream(key, STREAM_INTEL);
            let mut own = stream(key, self.streams[k]);
            let mut status_quo = stream(key, sq_stream);
            out[k] = model::simulate(
                &sc.world,
                &sc.weights,
                &sc.designs[d],
                &sc.designs[sq],
                &world,
                Streams {
                    monthly: &mut monthly,
                    intel: &mut intel,
                    design: &mut own,
                    status_quo: &mut status_quo,
                },
            )
            .scores();
        }
    }

    /// Run replications `range` on the current rayon pool, adding them to `acc`.
    ///
    /// The range is cut into batches of [`BATCH_CHUNKS`] chunks of at most [`CHUNK`]
    /// replications (smaller chunks for a short range, so that every thread gets work: callers
    /// size their ranges by wall time, down to a few replications of a heavy scenario). `rows`,
    /// when given, receives every replication's scores in replication order, batch by batch.
    /// `progress` is told how many replications finished, chunk by chunk.
    ///
    /// `cancelled` is polled before every replication, on every thread, so a run stops within
    /// one replication's time of it turning true; the run then returns `Ok(false)`. `acc` and
    /// `rows` receive whole batches only, so after a cancellation they hold exactly the
    /// replications `range.start..range.start + k` for the `k` added to `acc`: a prefix the
    /// caller can checkpoint, since exact accumulators are only order-independent for a set
    /// of replications without gaps. The work of the unfinished batch is discarded.
    pub fn run(
        &self,
        range: Range<u64>,
        acc: &mut RunAccumulator,
        mut rows: Option<RowSink<'_>>,
        progress: &(dyn Fn(u64) + Sync),
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> std::io::Result<bool> {
        let nd = self.designs.len();
        let len = range.end.saturating_sub(range.start);
        let chunk = len.div_ceil(BATCH_CHUNKS as u64).clamp(1, CHUNK);
        let chunks: Vec<Range<u64>> = (range.start..range.end)
            .step_by(chunk as usize)
            .map(|s| s..(s + chunk).min(range.end))
            .collect();
        let keep_rows = rows.is_some();
        for batch in chunks.chunks(BATCH_CHUNKS) {
            if cancelled() {
                return Ok(false);
            }
            // (accumulator, blocks of rows, whether every replication of the fold's chunks ran)
            let (part, mut blocks, complete) = batch
                .par_iter()
                .fold(
                    || (self.accumulator(), Vec::new(), true),
                    |(mut a, mut blocks, complete), chunk| {
                        if !complete {
                            return (a, blocks, false);
                        }
                        let mut scores = vec![[0.0; crate::metric::N_METRICS]; nd];
                        let mut block = Vec::new();
                        for rep in chunk.clone() {
                            if cancelled() {
                                return (a, blocks, false);
                            }
                            self.replicate(rep, &mut scores);
                            a.add(&scores);
                            if keep_rows {
                                block.extend_from_slice(&scores);
                            }
                        }
                        if keep_rows {
                            blocks.push((chunk.start, block));
                        }
                        progress(chunk.end - chunk.start);
                        (a, blocks, true)
                    },
                )
                .reduce(
                    || (self.accumulator(), Vec::new(), true),
                    |(mut a, mut ba, ca), (b, bb, cb)| {
                        if ca && cb {
                            a.merge(&b);
                            ba.extend(bb);
                        }
                        (a, ba, ca && cb)
                    },
                );
            if !complete {
                return Ok(false);
            }
            acc.merge(&part);
            if let Some(sink) = rows.as_mut() {
                blocks.sort_by_key(|(start, _)| *start);
                for (start, block) in blocks {
                    for (i, reps) in block.chunks(nd).enumerate() {
                        sink(start + i as u64, reps)?;
                    }
                }
            }
        }
        Ok(true)
    }
}
