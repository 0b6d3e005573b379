//! Statistical tests with fixed seeds: interval coverage on a closed-form case, the gain from
//! common random numbers, precision stops, and exact shard merges.

use dialogue_wargame::engine::Plan;
use dialogue_wargame::metric::{self, N_METRICS};
use dialogue_wargame::scenario::{self, Override, BASELINE_TOML};
use dialogue_wargame::stats;

use super::util::Dir;

/// A scenario whose status-quo `info_exchange` is Bernoulli(0.3) exactly: one intelligence
/// item, no channel sharing (mandate 0), a reliable US that relays 30% of items instantly.
fn bernoulli_scenario() -> scenario::Scenario {
    let sets = [
        "crisis.intel_items_per_day=0",
        "design.status-quo.security_mandate=0",
        "us.p_transactional=0",
        "us.relay_share_reliable=0.3",
        "us.relay_latency_hours=0",
    ];
    let ov: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    scenario::load_str("bernoulli", BASELINE_TOML, &ov)
        .unwrap()
        .scenario
}

#[test]
fn the_95_percent_interval_covers_the_true_mean_about_95_percent_of_the_time() {
    let sc = bernoulli_scenario();
    let m = metric::index("info_exchange").unwrap();
    let seeds = 300u64;
    let mut covered = 0u64;
    for seed in 0..seeds {
        let plan = Plan::new(&sc, vec![0], 0, 1000 + seed, vec![None; N_METRICS]);
        let mut acc = plan.accumulator();
        plan.run(0..400, &mut acc, None, &|_| {}, &|| false)
            .unwrap();
        let mo = &acc.metric(0, m).moments;
        // The score really is 0/1.
        assert!(mo.min_value() == 0.0 && mo.max_value() == 1.0);
        let (_, _, lo, hi) = stats::mean_interval(mo);
        covered += (lo <= 0.3 && 0.3 <= hi) as u64;
    }
    // Binomial tolerance: 95% of 300 = 285, sd = sqrt(300 × 0.95 × 0.05) = 3.8; allow 3.5 sd.
    let rate = covered as f64 / seeds as f64;
    assert!(
        (271..=299).contains(&covered),
        "coverage {covered}/{seeds} = {rate}"
    );
}

#[test]
fn wilson_interval_covers_a_known_share() {
    // p_best of a design against itself-like copies: in the Bernoulli scenario run two
    // identical designs; each is best in every replication (ties shared), p_best = 0.5 exactly.
    let sc = bernoulli_scenario();
    let plan = Plan::new(&sc, vec![0, 0], 0, 5, vec![None; N_METRICS]);
    let mut acc = plan.accumulator();
    plan.run(0..500, &mut acc, None, &|_| {}, &|| false)
        .unwrap();
    for m in 0..N_METRICS {
        assert_eq!(acc.p_best(0, m), 0.5);
        assert_eq!(acc.p_best(1, m), 0.5);
    }
    let (lo, hi) = stats::wilson(0.3, 1000);
    assert!(lo < 0.3 && hi > 0.3 && hi - lo < 0.06);
}

#[test]
fn paired_intervals_are_much_narrower_than_unpaired_ones() {
    // Common random numbers: every design faces the same world, so the paired difference has
    // far less variance than the difference of two independent means.
    let sc = scenario::load_str("baseline", BASELINE_TOML, &[])
        .unwrap()
        .scenario;
    let n = sc.designs.len();
    let plan = Plan::new(&sc, (0..n).collect(), 0, 3, vec![None; N_METRICS]);
    let mut acc = plan.accumulator();
    plan.run(0..3000, &mut acc, None, &|_| {}, &|| false)
        .unwrap();
    let mut ratios = Vec::new();
    for name in ["info_exchange", "evacuation", "composite"] {
        let m = metric::index(name).unwrap();
        for d in 1..n {
            let (_, se_pair, _, _) = stats::mean_interval(&acc.pair(d, m).diff);
            let (_, se_a, _, _) = stats::mean_interval(&acc.metric(d, m).moments);
            let (_, se_b, _, _) = stats::mean_interval(&acc.metric(0, m).moments);
            let unpaired = (se_a * se_a + se_b * se_b).sqrt();
            ratios.push((name, d, se_pair / unpaired));
        }
    }
    // Every paired interval is narrower, and the typical one less than 40% as wide
    // (measured: 0.07 to 0.91, median about 0.27, on 3000 replications).
    assert!(
        ratios.iter().all(|r| r.2 < 1.0),
        "paired/unpaired se ratios: {ratios:?}"
    );
    let mut sorted: Vec<f64> = ratios.iter().map(|r| r.2).collect();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = sorted[sorted.len() / 2];
    assert!(median < 0.4, "median ratio {median}: {ratios:?}");
}

#[test]
fn precision_stop_meets_its_target() {
    let d = Dir::new();
    let precise = |out: &str| {
        d.run(&[
            "run",
            "-n",
            "500",
            "--precision",
            "evacuation=0.01",
            "--max-replications",
            "50000",
            "--out",
            out,
            "-q",
        ])
        .ok()
    };
    // The largest 95% half-width of evacuation over designs, and the replications run.
    let worst_half_width = |out: &str| -> (f64, u64) {
        let summary = d.read(&format!("{out}/summary.csv"));
        let mut worst = 0.0f64;
        let mut n = 0;
        for line in summary.lines().filter(|l| l.contains(",evacuation,")) {
            let f: Vec<&str> = line.split(',').collect();
            let (lo, hi): (f64, f64) = (f[6].parse().unwrap(), f[7].parse().unwrap());
            worst = worst.max((hi - lo) / 2.0);
            n = f[2].parse().unwrap();
        }
        (worst, n)
    };
    precise("p");
    let manifest = d.read("p/manifest.json");
    assert!(manifest.contains("\"met\": true"), "{manifest}");
    let (worst, n) = worst_half_width("p");
    assert!(worst <= 0.01 + 1e-6, "half-width {worst}");
    assert!(
        n > 500 && n % 500 == 0,
        "ran {n} replications in batches of 500"
    );
    // One batch fewer would not have met it.
    d.run(&["run", "-n", &(n - 500).to_string(), "--out", "q", "-q"])
        .ok();
    let (fewer, _) = worst_half_width("q");
    assert!(fewer > 0.01, "{fewer}");
    // Deterministic: the same command gives the same bytes.
    precise("p2");
    d.assert_same_csvs("p", "p2", false);
}

#[test]
fn merged_shards_equal_one_run_byte_for_byte() {
    let d = Dir::new();
    let n = "2345";
    d.run(&[
        "run",
        "-n",
        n,
        "--out",
        "full",
        "--per-replication",
        "-q",
        "--threads",
        "1",
    ])
    .ok();
    for k in 1..=3 {
        d.run(&[
            "run",
            "-n",
            n,
            "--shard",
            &format!("{k}/3"),
            "--out",
            &format!("s{k}"),
            "--per-replication",
            "-q",
        ])
        .ok();
    }
    d.run(&["merge", "s2", "s3", "s1", "--out", "merged", "-q"])
        .ok();
    d.assert_same_csvs("full", "merged", true);
    // Shards that do not belong together are refused.
    let r = d.run(&["merge", "s1", "s2", "--out", "bad"]).code_is(2);
    assert!(r.stderr().contains("missing [3/3]"), "{}", r.stderr());
    d.run(&[
        "run", "-n", n, "--shard", "3/3", "--seed", "9", "--out", "other", "-q",
    ])
    .ok();
    let r = d
        .run(&["merge", "s1", "s2", "other", "--out", "bad"])
        .code_is(2);
    assert!(r.stderr().contains("seed differs"), "{}", r.stderr());
    d.run(&[
        "run",
        "-n",
        n,
        "--shard",
        "3/3",
        "--set",
        "beijing.sensitivity=2",
        "--out",
        "other2",
        "-q",
    ])
    .ok();
    let r = d
        .run(&["merge", "s1", "s2", "other2", "--out", "bad"])
        .code_is(2);
    assert!(
        r.stderr().contains("scenario or --set overrides differs"),
        "{}",
        r.stderr()
    );
    d.run(&["merge", "full", "--out", "bad"]).code_is(2);
    assert!(!d.join("bad").exists());
}
