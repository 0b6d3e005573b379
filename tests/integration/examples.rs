//! Every command shown in the README runs as shown (with large replication counts capped so
//! the test stays quick), in order, in one scratch directory.

use super::util::{repo, Dir};

fn readme_commands() -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut in_sh = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let Some(rest) = line.strip_prefix("cargo run --release -- ") else {
            continue;
        };
        let rest = rest.split(" #").next().unwrap().trim();
        let mut args: Vec<String> = rest.split_whitespace().map(String::from).collect();
        // Cap replications: the commands' shapes are what is tested, not their size.
        for i in 1..args.len() {
            if args[i - 1] == "-n" || args[i - 1] == "--replications" {
                if let Ok(n) = args[i].parse::<u64>() {
                    args[i] = n.min(3000).to_string();
                }
            }
        }
        out.push(args);
    }
    out
}

#[test]
fn every_readme_command_runs() {
    let cmds = readme_commands();
    assert!(
        cmds.len() >= 10,
        "found only {} commands in README.md",
        cmds.len()
    );
    let d = Dir::new();
    // The README's paths are relative to the repository: give them the files they name.
    std::fs::create_dir(d.join("scenarios")).unwrap();
    for e in std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(e.path(), d.join("scenarios").join(e.file_name())).unwrap();
    }
    d.write(
        "my-scenario.toml",
        "[scenario]\nextends = \"baseline\"\nname = \"mine\"\n\n[beijing]\nsensitivity = 1.5\n",
    );
    std::fs::create_dir(d.join("results")).unwrap();
    for args in &cmds {
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        d.run(&argv).ok();
    }
    // The shard example merged into a complete run.
    assert!(d.join("results/million/summary.csv").exists());
}
