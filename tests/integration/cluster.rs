//! Cluster runs (issue 13): examples/slurm/ driven for real by tests/cluster/slurm-local.sh on a
//! one-node Slurm it starts here (munged, slurmctld, slurmd on localhost), checking that the
//! merged shards of a job array equal an unsharded run byte for byte, and likewise for a sweep
//! (`sweep --shard K/N`, then `merge`). Where slurmd cannot
//! start, the script runs the same shard and merge scripts under GNU parallel instead and says
//! why. Skips with the reason when Slurm is not installed, unless DW_REQUIRE_EXTERNAL=1.

use std::process::Command;

use super::util::{bin, repo};

#[test]
fn slurm_job_arrays_and_their_merge_jobs_give_the_unsharded_run_and_sweep() {
    let script = repo().join("tests/cluster/slurm-local.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg(bin())
        .args(["3000", "3"])
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let required = std::env::var("DW_REQUIRE_EXTERNAL").is_ok_and(|v| v == "1");
    match out.status.code() {
        Some(77) if !required => {
            eprintln!("skipped: {}", stderr.trim());
            return;
        }
        Some(0) => {}
        _ => panic!(
            "{} failed ({:?})\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
            script.display(),
            out.status
        ),
    }
    let mode = stdout
        .lines()
        .find(|l| l.starts_with("mode: "))
        .unwrap_or("mode: unknown");
    // Printed so that a CI log shows whether Slurm itself ran, or why it could not.
    eprintln!("{mode}");
    for what in ["run", "sweep"] {
        assert!(
            stdout.contains(&format!("equal the unsharded {what} (")),
            "no comparison of the {what} reported\n{stdout}\n{stderr}"
        );
    }
}

#[test]
fn the_gnu_parallel_one_liner_gives_the_unsharded_results() {
    if Command::new("parallel").arg("--version").output().is_err() {
        let required = std::env::var("DW_REQUIRE_EXTERNAL").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "GNU parallel is required (DW_REQUIRE_EXTERNAL=1)"
        );
        eprintln!("skipped: GNU parallel not found (apt-get install parallel)");
        return;
    }
    let doc = std::fs::read_to_string(repo().join("docs/CLUSTER.md")).unwrap();
    let line = doc
        .lines()
        .find(|l| l.starts_with("parallel "))
        .expect("docs/CLUSTER.md shows a parallel one-liner");
    assert!(line.contains("-n 1000000"), "{line}");
    let line = line.replace("-n 1000000", "-n 2000");
    let d = super::util::Dir::new();
    let dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-c", &line])
        .current_dir(d.tmp.path())
        .env("PATH", path)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{line}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    d.run(&["run", "baseline", "-n", "2000", "--out", "one", "-q"])
        .ok();
    for f in ["summary.csv", "comparison.csv", "best.csv", "ladder.csv"] {
        assert_eq!(
            d.read(&format!("results/million/{f}")),
            d.read(&format!("one/{f}")),
            "{f} of the merged shards differs from the unsharded run"
        );
    }
}
