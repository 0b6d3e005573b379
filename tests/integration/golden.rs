//! Golden outputs and value stability.
//!
//! These tests pin exact numbers. They break, on purpose, whenever the model, the random
//! streams or the output format change: a change to them is a deliberate change of results,
//! to be noted in the commit message. Regenerate the golden files with
//! `UPDATE_GOLDEN=1 cargo test --release --test integration golden`.

use dialogue_wargame::engine::{self, Plan};
use dialogue_wargame::metric::N_METRICS;
use dialogue_wargame::scenario;

use super::util::{repo, Dir};

fn check_golden(name: &str, actual: &str) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    if expected != actual {
        let diff: Vec<String> = expected
            .lines()
            .zip(actual.lines())
            .filter(|(a, b)| a != b)
            .take(5)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        panic!(
            "{name} changed (model or format change? regenerate with UPDATE_GOLDEN=1 and say \
             why in the commit):\n{}",
            diff.join("\n")
        );
    }
}

#[test]
fn golden_csvs_of_the_small_scenario() {
    let d = Dir::new();
    let small = repo().join("tests/golden/small.toml");
    d.run(&[
        "run",
        &small.to_string_lossy(),
        "--out",
        "o",
        "--per-replication",
        "-q",
    ])
    .ok();
    for f in [
        "summary.csv",
        "comparison.csv",
        "best.csv",
        "ladder.csv",
        "table.txt",
        "table.md",
    ] {
        check_golden(&format!("small-{f}"), &d.read(&format!("o/{f}")));
    }
    // The first 30 rows of replications.csv.
    let head: String = d
        .read("o/replications.csv")
        .lines()
        .take(31)
        .map(|l| format!("{l}\n"))
        .collect();
    check_golden("small-replications-head.csv", &head);
}

#[test]
fn value_stability_of_the_random_streams() {
    // ChaCha8 keyed by the seed, stream = replication; breaks if the derivation changes.
    let key = engine::replication_key(2049, 0);
    assert_eq!(
        key[..8],
        [0x36, 0x46, 0xcc, 0x95, 0xe6, 0x88, 0x0c, 0xe2],
        "replication key changed: {key:02x?}"
    );
    // FNV-1a of the id with the top bit set.
    assert_eq!(engine::design_stream(""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(engine::design_stream("a"), 0xaf63_dc4c_8601_ec8c);
}

#[test]
fn value_stability_of_one_replication() {
    let loaded = scenario::load_str("baseline", scenario::BASELINE_TOML, &[]).unwrap();
    let sc = &loaded.scenario;
    let plan = Plan::new(
        sc,
        (0..sc.designs.len()).collect(),
        0,
        2049,
        vec![None; N_METRICS],
    );
    let mut out = vec![[0.0; N_METRICS]; sc.designs.len()];
    // Model v2 (issue 8): regenerated when the mechanisms changed; one line per replication
    // and design, the scores in column order.
    let mut text = format!(
        "# model v2 value stability: replication design [{}]\n",
        dialogue_wargame::metric::names()
            .collect::<Vec<_>>()
            .join(", ")
    );
    for rep in [0u64, 1, 999_999] {
        plan.replicate(rep, &mut out);
        for (d, s) in out.iter().enumerate() {
            text.push_str(&format!("{rep} {} {:?}\n", sc.designs[d].id, s));
        }
    }
    check_golden("value-stability.txt", &text);
}
