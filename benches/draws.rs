//! The engine against the bare cost of its random numbers, on one thread (scripts/bench.sh
//! reads these lines; docs/PERFORMANCE.md explains them).
//!
//! Prints, for the baseline scenario:
//! - `engine_ns_per_design_replication`: `Plan::replicate_in` in a loop on one thread (the
//!   model and its streams, no accumulation), in CPU time of this thread (Linux's
//!   /proc/thread-self/schedstat, so that other processes on the machine do not count; wall
//!   time where that file is missing);
//! - `words_per_design_replication`: 32-bit ChaCha8 words the generators computed, counting
//!   whole refills: the replication key (one refill), the world draw ([`WORLD_STREAMS`]
//!   streams of one refill each) and the tapes of the monthly, intelligence, status-quo and
//!   design streams (the workspace counts them; replays are free and not counted);
//! - `bare_ns_per_word`: ChaCha8Rng filling a 4 KiB buffer, per word (its best case), in the
//!   same CPU time;
//! - `bare_ns_per_design_replication` and `engine_over_bare`: the two together.
//!
//! `cargo bench --bench draws -- [REPLICATIONS]` (default 20,000).

use std::hint::black_box;
use std::time::Instant;

use dialogue_wargame::engine::{Plan, Workspace};
use dialogue_wargame::metric::N_METRICS;
use dialogue_wargame::model::WORLD_STREAMS;
use dialogue_wargame::scenario::{self, BASELINE_TOML};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Words in one rand_chacha refill (four 64-byte blocks).
const REFILL: u64 = 64;

/// A clock of this thread's CPU time in nanoseconds, or of wall time without schedstat.
struct Clock(Instant);

impl Clock {
    fn start() -> Clock {
        Clock(Instant::now())
    }

    fn cpu_ns() -> Option<f64> {
        let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        s.split_whitespace().next()?.parse().ok()
    }

    /// This thread's CPU time so far in nanoseconds (wall time since the start without
    /// schedstat); differences of two readings time what ran between them.
    fn now(&self) -> f64 {
        Clock::cpu_ns().unwrap_or_else(|| self.0.elapsed().as_secs_f64() * 1e9)
    }
}

fn main() {
    let clock = Clock::start();
    println!(
        "clock: {}",
        if Clock::cpu_ns().is_some() {
            "thread CPU time"
        } else {
            "wall time"
        }
    );
    let reps: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20_000);
    let loaded = scenario::load_str("baseline", BASELINE_TOML, &[]).expect("baseline loads");
    let sc = &loaded.scenario;
    let n = sc.designs.len();
    let plan = Plan::new(sc, (0..n).collect(), 0, 2049, vec![None; N_METRICS]);
    let mut out = vec![[0.0; N_METRICS]; n];
    let mut ws = Workspace::new();
    // Warm up (the workspace's buffers grow to their size), then count from zero.
    for rep in 0..200 {
        plan.replicate_in(rep, &mut out, &mut ws);
    }
    let mut ws = Workspace::new();
    let started = clock.now();
    for rep in 0..reps {
        plan.replicate_in(black_box(rep), &mut out, &mut ws);
        black_box(&out);
    }
    let engine_ns = (clock.now() - started) / (reps * n as u64) as f64;
    let tapes = ws.words_drawn() as f64 / reps as f64;
    let per_replication = REFILL as f64 + (WORLD_STREAMS * REFILL) as f64 + tapes;
    let words = per_replication / n as f64;

    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut buf = [0u8; 4096];
    let total_words: u64 = 1 << 25;
    let started = clock.now();
    for _ in 0..total_words / 1024 {
        rng.fill_bytes(&mut buf);
        black_box(&buf);
    }
    let bare_ns = (clock.now() - started) / total_words as f64;

    println!("replications: {reps}");
    println!("designs: {n}");
    println!("engine_ns_per_design_replication: {engine_ns:.1}");
    println!("words_per_replication: {per_replication:.1}");
    println!("words_per_design_replication: {words:.1}");
    println!("bare_ns_per_word: {bare_ns:.3}");
    println!("bare_ns_per_design_replication: {:.1}", words * bare_ns);
    println!("engine_over_bare: {:.2}", engine_ns / (words * bare_ns));
}
