//! Every command shown in the README and the tutorial runs as shown, in order, in a scratch
//! directory holding a copy of scenarios/ (large replication counts are capped so the test
//! stays quick). Files the tutorial asks the reader to save ("Save this as `NAME`:" before a
//! ```toml block) are saved first, where they appear.

use super::util::{repo, Dir};

/// A step of a document: save a file, or run a command.
enum Step {
    Save(String, String),
    Run(Vec<String>),
}

fn steps(doc: &str) -> Vec<Step> {
    let text = std::fs::read_to_string(repo().join(doc)).unwrap();
    let mut steps = Vec::new();
    let mut block: Option<String> = None; // the fence's language while inside a block
    let mut save_as: Option<String> = None;
    let mut body = String::new();
    for line in text.lines() {
        if let Some(lang) = line.strip_prefix("```") {
            match block.take() {
                Some(kind) => {
                    if kind == "toml" {
                        if let Some(name) = save_as.take() {
                            steps.push(Step::Save(name, std::mem::take(&mut body)));
                        }
                    }
                    body.clear();
                }
                None => block = Some(lang.trim().to_string()),
            }
            continue;
        }
        match block.as_deref() {
            None => {
                if let Some(rest) = line.strip_prefix("Save this as `") {
                    save_as = rest.split('`').next().map(String::from);
                }
            }
            Some("toml") => {
                body.push_str(line);
                body.push('\n');
            }
            Some("sh") => {
                let rest = line
                    .strip_prefix("cargo run --release -- ")
                    .or_else(|| line.strip_prefix("dialogue-wargame "));
                if let Some(rest) = rest {
                    let rest = rest.split(" #").next().unwrap().trim();
                    steps.push(Step::Run(capped(rest)));
                }
            }
            Some(_) => {}
        }
    }
    steps
}

/// A command line split as a shell would split it here: on spaces, except inside double
/// quotes (`--condition "best = executive-2plus2"` is two arguments).
fn words(command: &str) -> Vec<String> {
    let (mut out, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// The command's arguments, with replication counts capped: the commands' shapes are what is
/// tested, not their size.
fn capped(command: &str) -> Vec<String> {
    let mut args = words(command);
    for i in 1..args.len() {
        if args[i - 1] == "-n" || args[i - 1] == "--replications" {
            if let Ok(n) = args[i].parse::<u64>() {
                args[i] = n.min(3000).to_string();
            }
        }
    }
    args
}

/// Copy a folder and its subfolders (scenarios/seminar/, scenarios/experiments/).
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Run a document's steps in a fresh scratch directory; `files` are saved first (files a
/// document assumes the reader has).
fn run_document(doc: &str, min_commands: usize, files: &[(&str, &str)]) -> Dir {
    let steps = steps(doc);
    let commands = steps.iter().filter(|s| matches!(s, Step::Run(_))).count();
    assert!(
        commands >= min_commands,
        "found only {commands} commands in {doc}"
    );
    let d = Dir::new();
    copy_dir(&repo().join("scenarios"), &d.join("scenarios"));
    std::fs::create_dir(d.join("results")).unwrap();
    for (name, body) in files {
        d.write(name, body);
    }
    for step in &steps {
        match step {
            Step::Save(name, body) => {
                d.write(name, body);
            }
            Step::Run(args) => {
                let argv: Vec<&str> = args.iter().map(String::as_str).collect();
                d.run(&argv).ok();
            }
        }
    }
    d
}

#[test]
fn every_readme_command_runs() {
    // The README validates a scenario file the reader wrote.
    let mine =
        "[scenario]\nextends = \"baseline\"\nname = \"mine\"\n\n[beijing]\nsensitivity = 1.5\n";
    let d = run_document("README.md", 10, &[("my-scenario.toml", mine)]);
    // The shard example merged into a complete run.
    assert!(d.join("results/million/summary.csv").exists());
}

#[test]
fn every_experiments_guide_command_runs() {
    let d = run_document("docs/EXPERIMENTS.md", 4, &[]);
    // The shard example merged into the files of one sweep: nine points (1 + 2 × 4).
    assert_eq!(d.read("tornado-merged/points.csv").lines().count(), 1 + 9);
    assert!(d.join("tornado-merged/robustness.csv").exists());
    // The first sweep went to its default folder: 5 × 3 points.
    let points = d.read("results/sensitivity-by-warning-seed2049/points.csv");
    assert_eq!(points.lines().count(), 1 + 15);
}

#[test]
fn every_tutorial_command_runs() {
    run_document("docs/TUTORIAL.md", 10, &[]);
}
