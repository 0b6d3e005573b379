//! Speed of the baseline scenario: one replication of all eight designs (with a kept workspace),
//! the world draw, one bare ChaCha8 refill for scale, and a batch of 16,384 replications
//! through the parallel engine with exact accumulation.
//! Run with `cargo bench --bench baseline`; `scripts/bench.sh` measures whole runs and the
//! figures of docs/PERFORMANCE.md.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use dialogue_wargame::engine::{self, Plan, Workspace};
use dialogue_wargame::metric::N_METRICS;
use dialogue_wargame::model;
use dialogue_wargame::scenario::{self, BASELINE_TOML};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn bench(c: &mut Criterion) {
    let loaded = scenario::load_str("baseline", BASELINE_TOML, &[]).expect("baseline loads");
    let sc = &loaded.scenario;
    let n = sc.designs.len();
    let plan = Plan::new(sc, (0..n).collect(), 0, 2049, vec![None; N_METRICS]);

    let mut g = c.benchmark_group("baseline");
    g.throughput(Throughput::Elements(1));
    let mut out = vec![[0.0; N_METRICS]; n];
    let mut rep = 0u64;
    let mut ws = Workspace::new();
    g.bench_function("one replication, 8 designs", |b| {
        b.iter(|| {
            rep += 1;
            plan.replicate_in(black_box(rep), &mut out, &mut ws);
            black_box(&out);
        })
    });
    g.bench_function("bare ChaCha8, 64 words", |b| {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut buf = [0u8; 256];
        b.iter(|| {
            rng.fill_bytes(&mut buf);
            black_box(&buf);
        })
    });
    g.bench_function("world draw", |b| {
        b.iter(|| {
            rep += 1;
            let key = engine::replication_key(2049, black_box(rep));
            black_box(model::draw_world(&sc.world, key))
        })
    });
    let mut acc = plan.accumulator();
    g.bench_function("accumulate one replication", |b| {
        plan.replicate(1, &mut out);
        b.iter(|| acc.add(black_box(&out)))
    });
    g.throughput(Throughput::Elements(16_384));
    g.sample_size(10);
    g.bench_function("16384 replications, all threads", |b| {
        b.iter(|| {
            let mut acc = plan.accumulator();
            plan.run(0..16_384, &mut acc, None, &|_| {}, &|| false)
                .unwrap();
            black_box(acc.replications())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
