//! The engine: seed streams, the parallel replication runner, batching.
//!
//! Randomness depends only on (master seed, replication index): a ChaCha8 generator keyed by
//! the master seed, on stream number `replication`, yields a 256-bit replication key. Each
//! replication then reads ChaCha8 streams of that key: 1 for the monthly world events, 2 for
//! intelligence items, 16 and up for the world draw (one stream per component, see
//! `model::draw_world`), and for each design a stream numbered by a hash of its id, so a design's numbers do not change when other designs are added, removed
//! or reordered. Aggregation is exact (see `stats`), so the thread count cannot change a bit.
//!
//! The streams several designs read (monthly, intelligence, the status quo's) are computed once
//! per replication into the thread's [`Workspace`] and replayed to each design
//! ([`crate::tape`]): the same numbers as a fresh generator per design, at an eighth of the cost.
//! The intelligence items' world side (value, what the US relay delivers) is computed once
//! per replication too ([`model::crisis::intel_items`]), and again only for a design whose
//! injects left the crisis a different US posture or warning ([`model::crisis_world`]).

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::model::crisis::{self, IntelDraw};
use crate::model::{self, Buildup, Outcome, Scores, World};
use crate::scenario::Scenario;
use crate::stats::RunAccumulator;
use crate::tape::Tape;

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

/// Where the status quo's shared build-up stands in [`Plan::replicate_in`]: its month and
/// its streams' positions.
#[derive(Clone, Copy, Debug, Default)]
struct Cursor {
    month: u32,
    monthly: usize,
    status_quo: usize,
}

impl Cursor {
    /// Run the status quo's build-up `shared` on to month `to` (nothing if it is there).
    /// `spare` stands for the stream a status quo in operation never reads.
    fn advance(
        &mut self,
        to: u32,
        shared: &mut Buildup<'_>,
        monthly: &mut Tape,
        status_quo: &mut Tape,
        spare: &mut Tape,
    ) {
        if to > self.month {
            let mut m = monthly.replay_from(self.monthly);
            let mut s = status_quo.replay_from(self.status_quo);
            shared.run_months(self.month..to, &mut m, &mut s, &mut spare.replay());
            *self = Cursor {
                month: to,
                monthly: m.position(),
                status_quo: s.position(),
            };
        }
    }
}

/// A worker thread's part of a batch in [`Plan::run`].
#[derive(Default)]
struct Slot {
    acc: Option<RunAccumulator>,
    ws: Workspace,
    scores: Vec<Scores>,
    blocks: Vec<(u64, Vec<Scores>)>,
}

/// What one thread reuses from replication to replication: the tapes of the streams that
/// several designs read (so their blocks are computed once per replication) and of the design's
/// own stream (so no generator is built per design). Nothing in it carries over between
/// replications: every tape is reset from the replication's key before it is read.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    monthly: Tape,
    intel: Tape,
    status_quo: Tape,
    own: Tape,
    items: Items,
    /// (month of the fork, design, launch month) in the order the designs leave the shared
    /// build-up.
    order: Vec<(u32, usize, Option<u32>)>,
}

impl Workspace {
    /// An empty workspace; its buffers grow to the longest world they meet, then stay.
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// 32-bit words the ChaCha8 generators computed for the simulation streams so far
    /// (monthly, intelligence and channel streams; the world draw and the replication key are
    /// not counted). Replays of a tape do not count: this is the generator's work.
    pub fn words_drawn(&self) -> u64 {
        [&self.monthly, &self.intel, &self.status_quo, &self.own]
            .iter()
            .map(|t| t.words_drawn())
            .sum()
    }
}

/// A replication's intelligence items and the crisis world they were drawn for.
#[derive(Clone, Debug, Default)]
struct Items {
    list: Vec<IntelDraw>,
    /// [`crisis::intel_key`] of the world they were drawn for; `None`: not drawn yet in this
    /// replication.
    drawn_for: Option<(u64, u32)>,
}

/// The crisis after the build-up `b` in `world` (§8), as [`model::play_crisis`] plays it: in
/// the world the scenario's injects leave (§10), with its intelligence items read from
/// `items`, drawn from the `intel` tape when that world differs from the one they were drawn
/// for. `rng` is the stream of the channel in operation at onset.
fn crisis(
    sc: &Scenario,
    world: &World,
    b: &Buildup<'_>,
    items: &mut Items,
    intel: &mut Tape,
    rng: &mut impl Rng,
) -> Outcome {
    let p = &sc.world;
    let changed;
    let w = if p.injects.is_empty() {
        world
    } else {
        changed = model::crisis_world(p, world, b, &mut ());
        &changed
    };
    let key = crisis::intel_key(w);
    if items.drawn_for != Some(key) {
        crisis::intel_items(p, w, &mut intel.replay(), &mut items.list);
        items.drawn_for = Some(key);
    }
    crisis::score(p, &sc.weights, w, b, &items.list, rng)
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

    /// Simulate replication `rep`, writing design `k`'s scores to `out[k]`. Builds a fresh
    /// [`Workspace`]; loops call [`Plan::replicate_in`] with one they keep.
    pub fn replicate(&self, rep: u64, out: &mut [Scores]) {
        self.replicate_in(rep, out, &mut Workspace::new());
    }

    /// [`Plan::replicate`] with the caller's workspace: no allocation once it has grown.
    ///
    /// Every design lives through the status quo's build-up until its launch month, reading
    /// the same streams (docs/MODEL.md §5), so that common part is simulated once: the status
    /// quo runs month by month, and each design, in order of launch month, is forked from it
    /// at its launch ([`model::Buildup::fork`]) and runs only its own months; designs never
    /// launched take the status quo's crisis (with `launched` = 0). The result is
    /// what [`model::simulate`] gives each design alone, to the bit (tested below against it).
    pub fn replicate_in(&self, rep: u64, out: &mut [Scores], ws: &mut Workspace) {
        let sc = self.scenario;
        let p = &sc.world;
        let key = replication_key(self.seed, rep);
        let world = model::draw_world(p, key);
        let (sq, sq_stream) = self.status_quo;
        let Workspace {
            monthly,
            intel,
            status_quo,
            own,
            items,
            order,
        } = ws;
        monthly.reset(key, STREAM_MONTHLY);
        intel.reset(key, STREAM_INTEL);
        items.drawn_for = None;
        status_quo.reset(key, sq_stream);

        let months = world.buildup_months;
        let sq_design = &sc.designs[sq];
        // The status quo's own build-up: it reads its stream as `own` (it is in operation from
        // month 0); the `status_quo` argument is never read by it.
        let mut shared = Buildup::new(p, sq_design, sq_design, &world);
        order.clear();
        for (k, &d) in self.designs.iter().enumerate() {
            if d != sq {
                let launch = shared.launch_month_of(&sc.designs[d]);
                order.push((launch.map_or(months, |m| m.min(months)), k, launch));
            }
        }
        order.sort_unstable();
        let mut at = Cursor::default();
        // Designs never launched live through the whole status quo's build-up and its crisis:
        // they score exactly as the status quo does, except `launched` (0), so that crisis is
        // played once, after the forks (which come in order of month, these last).
        let mut unlaunched = 0;
        for &(fork_at, k, launch) in order.iter() {
            if fork_at >= months {
                unlaunched += 1;
                continue;
            }
            at.advance(fork_at, &mut shared, monthly, status_quo, own);
            let mut b = shared.fork(&sc.designs[self.designs[k]], launch);
            own.reset(key, self.streams[k]);
            let (mut m, mut o, mut s) = (
                monthly.replay_from(at.monthly),
                own.replay(),
                status_quo.replay_from(at.status_quo),
            );
            b.run_months(at.month..months, &mut m, &mut o, &mut s);
            let rng = if b.launched() { &mut o } else { &mut s };
            out[k] = crisis(sc, &world, &b, items, intel, rng).scores();
        }
        // The status quo itself (a plan may list a design more than once) is the shared
        // build-up, played to the end.
        let has_sq = self.designs.contains(&sq);
        if has_sq || unlaunched > 0 {
            at.advance(months, &mut shared, monthly, status_quo, own);
            let mut s = status_quo.replay_from(at.status_quo);
            let o = crisis(sc, &world, &shared, items, intel, &mut s);
            let never = model::Outcome { launched: 0.0, ..o }.scores();
            for &(fork_at, k, _) in order.iter().filter(|o| o.0 >= months) {
                debug_assert_eq!(fork_at, months);
                out[k] = never;
            }
            if has_sq {
                let scores = o.scores();
                for (o, _) in out.iter_mut().zip(&self.designs).filter(|(_, &d)| d == sq) {
                    *o = scores;
                }
            }
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
        // One slot per worker thread, kept for the whole run: its accumulator (a few MB of
        // histograms, so made once per batch per thread rather than once per task), its
        // workspace and its rows. A thread only ever locks its own slot, once per chunk.
        let threads = rayon::current_num_threads().max(1);
        let slots: Vec<Mutex<Slot>> = (0..threads).map(|_| Mutex::default()).collect();
        let lock = |i: usize| slots[i].lock().unwrap_or_else(|e| e.into_inner());
        for batch in chunks.chunks(BATCH_CHUNKS) {
            if cancelled() {
                return Ok(false);
            }
            let complete = AtomicBool::new(true);
            batch.par_iter().for_each(|chunk| {
                if !complete.load(Ordering::Relaxed) {
                    return;
                }
                let mut guard = lock(rayon::current_thread_index().unwrap_or(0) % threads);
                let slot = &mut *guard;
                let acc = slot.acc.get_or_insert_with(|| self.accumulator());
                slot.scores.resize(nd, [0.0; crate::metric::N_METRICS]);
                let mut block = Vec::new();
                for rep in chunk.clone() {
                    if cancelled() {
                        complete.store(false, Ordering::Relaxed);
                        return;
                    }
                    self.replicate_in(rep, &mut slot.scores, &mut slot.ws);
                    acc.add(&slot.scores);
                    if keep_rows {
                        block.extend_from_slice(&slot.scores);
                    }
                }
                if keep_rows {
                    slot.blocks.push((chunk.start, block));
                }
                progress(chunk.end - chunk.start);
            });
            if !complete.load(Ordering::Relaxed) {
                return Ok(false);
            }
            // Integer sums: merging the threads' parts in any order gives the same bits.
            let mut blocks = Vec::new();
            for i in 0..threads {
                let mut slot = lock(i);
                if let Some(part) = slot.acc.take() {
                    acc.merge(&part);
                }
                blocks.append(&mut slot.blocks);
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::N_METRICS;
    use crate::scenario::{load_str, Override, BUILTIN};

    fn stream(key: [u8; 32], n: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(n);
        rng
    }

    /// Each design simulated alone, on fresh generators, as `model::simulate` documents it:
    /// what the engine's shared streams, shared status quo and forks must reproduce exactly.
    fn reference(plan: &Plan<'_>, rep: u64) -> Vec<Scores> {
        let sc = plan.scenario;
        let key = replication_key(plan.seed, rep);
        let world = model::draw_world(&sc.world, key);
        let (sq, sq_stream) = plan.status_quo;
        (0..plan.designs.len())
            .map(|k| {
                model::simulate(
                    &sc.world,
                    &sc.weights,
                    &sc.designs[plan.designs[k]],
                    &sc.designs[sq],
                    &world,
                    model::Streams {
                        monthly: &mut stream(key, STREAM_MONTHLY),
                        intel: &mut stream(key, STREAM_INTEL),
                        design: &mut stream(key, plan.streams[k]),
                        status_quo: &mut stream(key, sq_stream),
                    },
                )
                .scores()
            })
            .collect()
    }

    fn bits(rows: &[Scores]) -> Vec<[u64; N_METRICS]> {
        rows.iter().map(|r| r.map(f64::to_bits)).collect()
    }

    /// The example MSEL (injects at fixed months, after a rung and at the warning), and injects
    /// whose effects differ from design to design: a US statement and a new government once
    /// Beijing climbs (so the crisis's US posture, hence its intelligence items, depends on the
    /// design), and a leak and a drill in month 0, when the status quo takes office.
    const INJECTS: [(&str, &str); 2] = [
        (
            "seminar/msel.toml",
            include_str!("../scenarios/seminar/msel.toml"),
        ),
        (
            "injects-by-rung",
            r#"
[scenario]
extends = "baseline"
name = "injects-by-rung"
[[inject]]
id = "a"
type = "leak"
month = 0
meetings = 3
[[inject]]
id = "b"
type = "live-fire-drill"
month = 0
coercion = 0.5
irritation = 2
[[inject]]
id = "c"
type = "us-statement"
after_rung = "diplomatic-protest"
posture = "transactional"
[[inject]]
id = "d"
type = "government-change"
after_rung = "economic-coercion"
tolerance_factor = 0.5
[[inject]]
id = "e"
type = "us-statement"
month = 40
posture = "reliable"
[[inject]]
id = "f"
type = "shortened-warning"
warning_share = 0.3
"#,
        ),
    ];

    #[test]
    fn the_engine_gives_every_design_what_it_gets_alone() {
        // Every built-in scenario and two with injects, and worlds where everything launches
        // early, late or never; the designs in their order, reversed, without the status quo,
        // and listed twice.
        let variants: &[&[&str]] = &[
            &[],
            &["beijing.sensitivity=0"],
            &["tokyo.launch_share=100", "tokyo.tolerance=0.05"],
            &["tokyo.launch_lag_months=0"],
            &["tokyo.launch_lag_months=500", "beijing.sensitivity=0"],
        ];
        let mut ws = Workspace::new();
        let mut checked = 0;
        let mut redrawn = 0;
        for (name, text) in BUILTIN.iter().chain(&INJECTS) {
            for sets in variants {
                let ov: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
                let sc = load_str(name, text, &ov).unwrap().scenario;
                let n = sc.designs.len();
                let sq = sc.design_index(&sc.status_quo).unwrap();
                let other = (sq + 1) % n;
                let orders: [Vec<usize>; 4] = [
                    (0..n).collect(),
                    (0..n).rev().collect(),
                    (0..n).filter(|&d| d != sq).collect(),
                    vec![sq, other, sq, other],
                ];
                for designs in orders {
                    let plan = Plan::new(&sc, designs, 0, 11, vec![None; N_METRICS]);
                    let mut out = vec![[0.0; N_METRICS]; plan.designs.len()];
                    for rep in 0..40 {
                        plan.replicate_in(rep, &mut out, &mut ws);
                        assert_eq!(bits(&out), bits(&reference(&plan, rep)), "{name} {sets:?}");
                        checked += 1;
                        // Designs whose injects left the crisis another US posture than the
                        // status quo's: the case that redraws the intelligence items.
                        let posture = |d: usize| {
                            let w = model::draw_world(&sc.world, replication_key(11, rep));
                            let sqd = &sc.designs[sq];
                            let mut b = Buildup::new(&sc.world, &sc.designs[d], sqd, &w);
                            let key = replication_key(11, rep);
                            b.run(
                                &mut stream(key, STREAM_MONTHLY),
                                &mut stream(key, design_stream(&sc.designs[d].id)),
                                &mut stream(key, design_stream(&sqd.id)),
                            );
                            b.transactional
                        };
                        if !sc.world.injects.is_empty()
                            && plan.designs.iter().any(|&d| posture(d) != posture(sq))
                        {
                            redrawn += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(checked, (BUILTIN.len() + INJECTS.len()) * 5 * 4 * 40);
        assert!(
            redrawn > 0,
            "no design met another US posture than the status quo's"
        );
    }
}
