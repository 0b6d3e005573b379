//! `tabletop`: one model, two views (the story's scores are replications.csv's row), the same
//! transcript for the same inputs, scripted decisions that fit or are refused with file and
//! line, decisions that change what follows and not what came before, injects validated with
//! file:line:key, and the interactive prompt driven for real in tmux.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use super::util::{bin, repo, Dir};

const MSEL: &str = "scenarios/seminar/msel.toml";

fn msel() -> String {
    repo().join(MSEL).to_string_lossy().into_owned()
}

/// The row of the transcript's csv block, without the replication and design.
fn transcript_row(text: &str) -> String {
    let mut lines = text.lines().skip_while(|l| *l != "```csv");
    lines.nth(2).expect("a csv row").to_string()
}

/// A decisions file for trade-conference in replication 0 of the baseline that starts with
/// `first` and answers every other decision the play raises (`continue`, `use`, `wait`),
/// found by playing it: which decisions arise depends on the earlier answers.
fn fill_script(d: &Dir, first: &str) -> String {
    let mut answers = first.to_string();
    for _ in 0..8 {
        d.write("fill.txt", &answers);
        let r = d.run(&[
            "tabletop",
            "--design",
            "trade-conference",
            "--decisions",
            "fill.txt",
            "--compare",
            "0",
            "--lookahead",
            "0",
        ]);
        if r.code() == 0 {
            return answers;
        }
        let err = r.stderr();
        let id = err
            .split("no answer for decision `")
            .nth(1)
            .and_then(|s| s.split('`').next())
            .unwrap_or_else(|| panic!("{err}"));
        let option = match id {
            "crisis-channel" => "use",
            "sdf-consent" => "wait",
            _ => "continue",
        };
        answers.push_str(&format!("{id} = {option}\n"));
    }
    panic!("no complete script from {first}");
}

#[test]
fn auto_without_injects_equals_the_rows_of_replications_csv() {
    let d = Dir::new();
    d.run(&[
        "run",
        "-n",
        "8",
        "--seed",
        "11",
        "--per-replication",
        "--out",
        "r",
        "-q",
    ])
    .ok();
    let csv = d.read("r/replications.csv").replace('\r', "");
    let mut checked = 0;
    for design in [
        "status-quo",
        "trade-conference",
        "parliamentary-2plus2",
        "executive-2plus2",
    ] {
        for rep in [0u64, 3, 7] {
            let t = format!("t-{design}-{rep}.md");
            let run = d
                .run(&[
                    "tabletop",
                    "--design",
                    design,
                    "--seed",
                    "11",
                    "--replication",
                    &rep.to_string(),
                    "--auto",
                    "--compare",
                    "0",
                    "--lookahead",
                    "0",
                    "--transcript",
                    &t,
                ])
                .ok();
            assert!(
                run.stdout().contains("STRATEGIC WARNING"),
                "{}",
                run.stdout()
            );
            let row = transcript_row(&d.read(&t));
            let want = csv
                .lines()
                .find(|l| l.starts_with(&format!("{rep},{design},")))
                .expect("row in replications.csv");
            assert_eq!(row, want, "{design} replication {rep}");
            checked += 1;
        }
    }
    assert_eq!(checked, 12);
}

#[test]
fn the_same_inputs_give_a_byte_identical_transcript() {
    let d = Dir::new();
    let answers = fill_script(
        &d,
        "# scripted\nmonth-23-verbal-warning = \"pause\"\nsdf-consent = \"press\"\n",
    );
    d.write("answers.toml", &answers);
    let args = |out: &str| {
        vec![
            "tabletop".to_string(),
            "--design".into(),
            "trade-conference".into(),
            "--decisions".into(),
            "answers.toml".into(),
            "--compare".into(),
            "300".into(),
            "--lookahead".into(),
            "50".into(),
            "--transcript".into(),
            out.into(),
        ]
    };
    let a: Vec<String> = args("a.md");
    d.run(&a.iter().map(String::as_str).collect::<Vec<_>>())
        .ok();
    let text = d.read("a.md");
    let b: Vec<String> = args("b.md");
    d.run(&b.iter().map(String::as_str).collect::<Vec<_>>())
        .ok();
    assert_eq!(text, d.read("b.md"));
    assert!(text.contains("| pause | script |"), "{text}");
    assert!(text.contains("### Improvement plan"));
    assert!(text.contains("### Hot-wash questions"));
    assert!(text.contains("### Turning points"));
    assert!(text.contains("Percentile of 300 runs"));
    // Away from the default policy: the same worlds played with the group's choices.
    assert!(text.contains("Median of the 300 worlds with the group's choices as a policy"));
    // An existing transcript is not replaced without --force.
    d.run(&a.iter().map(String::as_str).collect::<Vec<_>>())
        .code_is(2);
}

fn play(d: &Dir, answers: &str, out: &str) -> String {
    d.write("ans.txt", answers);
    d.run(&[
        "tabletop",
        "--design",
        "trade-conference",
        "--decisions",
        "ans.txt",
        "--compare",
        "0",
        "--lookahead",
        "0",
        "--transcript",
        out,
        "--force",
    ])
    .ok();
    d.read(out)
}

fn section<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let a = text.find(from).expect(from);
    let b = text[a..].find(to).map_or(text.len(), |b| a + b);
    &text[a..b]
}

#[test]
fn a_decision_changes_what_follows_and_not_what_came_before() {
    let d = Dir::new();
    let base = "crisis-channel = use\nsdf-consent = wait\n";
    let cont = play(
        &d,
        &format!(
            "month-23-verbal-warning = continue\nmonth-60-diplomatic-protest = continue\n{base}"
        ),
        "cont.md",
    );
    let answers = fill_script(&d, &format!("month-23-verbal-warning = pause\n{base}"));
    let paused = play(&d, &answers, "paused.md");
    // The world and the story before the decision are the same.
    assert_eq!(
        section(&cont, "## The world", "## Turn by turn"),
        section(&paused, "## The world", "## Turn by turn")
    );
    let before = |t: &str| -> String {
        section(t, "## Turn by turn", "## Decisions")
            .lines()
            .take_while(|l| !l.contains("DECISION month-23"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(before(&cont), before(&paused));
    // After it: the pause, then no meeting until the channel resumes.
    let story = section(&paused, "DECISION month-23", "## Decisions");
    assert!(
        story.contains("pauses under its agreed exit terms"),
        "{story}"
    );
    let after_pause = story
        .lines()
        .skip_while(|l| !l.contains("pauses under"))
        .skip(1)
        .find(|l| l.contains("meeting") || l.contains("resumes"))
        .unwrap_or("");
    assert!(
        after_pause.contains("falls due while the channel is halted")
            || after_pause.contains("resumes"),
        "{after_pause}"
    );
    assert_ne!(
        section(&cont, "## Turn by turn", "## Decisions"),
        section(&paused, "## Turn by turn", "## Decisions")
    );
}

#[test]
fn every_option_is_playable_from_a_script() {
    let d = Dir::new();
    // Each coercion option at the first decision (the rest at their defaults), each crisis option.
    for (first, channel, sdf) in [
        ("continue", "use", "wait"),
        ("go-public", "stand-down", "press"),
        ("raise-level", "use", "press"),
        ("pause", "stand-down", "wait"),
    ] {
        let answers = fill_script(
            &d,
            &format!(
                "month-23-verbal-warning = {first}\ncrisis-channel = {channel}\nsdf-consent = {sdf}\n"
            ),
        );
        play(&d, &answers, "x.md");
        let t = d.read("x.md");
        for c in [first, channel, sdf] {
            assert!(t.contains(&format!("| {c} | script |")), "{c}\n{t}");
        }
    }
}

#[test]
fn decision_files_that_do_not_fit_are_refused_with_file_and_line() {
    let d = Dir::new();
    let run = |text: &str| {
        d.write("bad.txt", text);
        d.run(&[
            "tabletop",
            "--design",
            "trade-conference",
            "--decisions",
            "bad.txt",
            "--compare",
            "0",
            "--lookahead",
            "0",
        ])
        .code_is(2)
        .stderr()
    };
    let e = run("# answers\ncrisis-channel = usee\n");
    assert!(
        e.contains("bad.txt:2: crisis-channel: `usee` is not an option"),
        "{e}"
    );
    assert!(e.contains("did you mean `use`?"), "{e}");
    let e = run("month-23-verbal-warning = continue\nmonth-60-diplomatic-protest = continue\n");
    assert!(e.contains("no answer for decision `crisis-channel`"), "{e}");
    let e = run(
        "month-23-verbal-warning = continue\nmonth-60-diplomatic-protest = continue\n\
         crisis-channel = use\nsdf-consent = wait\nmonth-99-economic-coercion = pause\n",
    );
    assert!(
        e.contains("bad.txt:5: month-99-economic-coercion: no such decision arose"),
        "{e}"
    );
    let e = run("month-23-verbal-warning = press\n");
    assert!(
        e.contains("bad.txt:1: month-23-verbal-warning: `press` is not an option at this decision"),
        "{e}"
    );
    let e = run("just words\n");
    assert!(e.contains("bad.txt:1: expected `DECISION = OPTION`"), "{e}");
    let e = run("crisis-channel = use\ncrisis-channel = use\n");
    assert!(
        e.contains("bad.txt:2: crisis-channel: decided twice (first at line 1)"),
        "{e}"
    );
}

#[test]
fn without_a_terminal_it_asks_for_auto_or_decisions() {
    let d = Dir::new();
    let e = d
        .run(&["tabletop", "--design", "trade-conference"])
        .code_is(2)
        .stderr();
    assert!(e.contains("standard input is not a terminal"), "{e}");
    assert!(
        e.contains("--auto") && e.contains("--decisions FILE"),
        "{e}"
    );
    let e = d
        .run(&["tabletop", "--design", "trade-conferense", "--auto"])
        .code_is(2)
        .stderr();
    assert!(e.contains("did you mean `trade-conference`?"), "{e}");
    std::fs::create_dir(d.join("adir")).unwrap();
    let e = d
        .run(&[
            "tabletop",
            "--design",
            "track-2",
            "--auto",
            "--transcript",
            "adir",
        ])
        .code_is(2)
        .stderr();
    assert!(e.contains("is a directory"), "{e}");
    let e = d
        .run(&[
            "tabletop",
            "--design",
            "track-2",
            "--auto",
            "--transcript",
            "no/such/t.md",
        ])
        .code_is(2)
        .stderr();
    assert!(e.contains("no such directory"), "{e}");
    let e = d
        .run(&[
            "tabletop",
            "--design",
            "track-2",
            "--auto",
            "--decisions",
            "x.toml",
        ])
        .code_is(2)
        .stderr();
    assert!(
        e.contains("--auto") || e.contains("cannot be used with"),
        "{e}"
    );
}

#[test]
fn the_example_msel_plays_its_injects_in_run_and_tabletop() {
    let d = Dir::new();
    let m = msel();
    d.run(&["validate", &m]).ok();
    let r = d
        .run(&[
            "tabletop",
            &m,
            "--design",
            "parliamentary-2plus2",
            "--replication",
            "3",
            "--auto",
            "--compare",
            "200",
            "--lookahead",
            "20",
            "--transcript",
            "m.md",
        ])
        .ok();
    let out = r.stdout();
    for id in ["INJECT 1:", "INJECT 3:", "INJECT 5:"] {
        assert!(out.contains(id), "{id}\n{out}");
    }
    assert!(out.contains("percentile"), "{out}");
    assert!(!out.contains("as a policy"), "{out}");
    let t = d.read("m.md");
    assert!(t.contains("without inject 5 (shortened-warning)"), "{t}");
    assert!(
        t.contains(
            "Month 6, inject 1: the MSEL expected the players to decide whether to keep meeting"
        ),
        "{t}"
    );
    // One model: the batch plays the injects too, and the row is the tabletop's.
    d.run(&[
        "run",
        &m,
        "-n",
        "4",
        "--per-replication",
        "--design",
        "parliamentary-2plus2",
        "--out",
        "r",
        "-q",
    ])
    .ok();
    let csv = d.read("r/replications.csv").replace('\r', "");
    let want = csv
        .lines()
        .find(|l| l.starts_with("3,parliamentary-2plus2,"))
        .unwrap();
    assert_eq!(transcript_row(&t), want);
    d.run(&[
        "run",
        "-n",
        "4",
        "--per-replication",
        "--design",
        "parliamentary-2plus2",
        "--out",
        "plain",
        "-q",
    ])
    .ok();
    assert_ne!(
        d.read("plain/replications.csv"),
        d.read("r/replications.csv")
    );
}

#[test]
fn bad_injects_are_refused_with_file_line_and_key() {
    let d = Dir::new();
    let check = |body: &str, want: &[&str]| {
        d.write(
            "v.toml",
            &format!("[scenario]\nextends = \"baseline\"\nname = \"v\"\n\n[[inject]]\n{body}"),
        );
        let e = d.run(&["validate", "v.toml"]).code_is(2).stderr();
        for w in want {
            assert!(e.contains(w), "{w}\n{e}");
        }
    };
    check(
        "id = \"1\"\ntype = \"leak\"\nmonth = 3\nmeetings = 1\ncoercion = 2\n",
        &[
            "v.toml:10",
            "inject.1.coercion",
            "not a key of a leak inject",
            "a leak inject takes: meetings",
        ],
    );
    check(
        "id = \"1\"\ntype = \"leek\"\nmonth = 3\n",
        &["v.toml:7", "inject.1.type", "did you mean `leak`?"],
    );
    check(
        "id = \"1\"\ntype = \"leak\"\nmeetings = 1\n",
        &["inject.1.month", "missing trigger"],
    );
    check(
        "id = \"1\"\ntype = \"live-fire-drill\"\nafter_rung = \"economic-coersion\"\ncoercion = 1\nirritation = 1\n",
        &["v.toml:8", "inject.1.after_rung", "did you mean `economic-coercion`?"],
    );
    check(
        "id = \"1\"\ntype = \"government-change\"\nmonth = 3\n",
        &[
            "inject.1.tolerance_factor",
            "a government-change inject needs it",
        ],
    );
    check(
        "id = \"1\"\ntype = \"shortened-warning\"\nwarning_share = 0.5\nmonth = 2\n",
        &["v.toml:9", "inject.1.month", "takes no trigger"],
    );
    check(
        "id = \"1\"\ntype = \"us-statement\"\nmonth = 3\nposture = \"friendly\"\n",
        &["v.toml:9", "inject.1.posture"],
    );
    let e = d
        .run(&["run", "--set", "inject.1.month=3", "-n", "10"])
        .code_is(2)
        .stderr();
    assert!(e.contains("[[inject]]"), "{e}");
    let keys = d.run(&["list", "--keys"]).ok().stdout();
    assert!(keys.contains("inject.ID.warning_share"), "{keys}");
}

/// tmux, or a skip (a failure when DW_REQUIRE_EXTERNAL=1).
fn tmux_present() -> bool {
    let ok = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("DW_REQUIRE_EXTERNAL").as_deref() != Ok("1"),
            "tmux is required (DW_REQUIRE_EXTERNAL=1) but not installed"
        );
        eprintln!("SKIP: tmux is not installed; the interactive tabletop is not tested");
    }
    ok
}

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }
    fn pane(&self) -> String {
        String::from_utf8_lossy(
            &self
                .cmd(&["capture-pane", "-p", "-J", "-S", "-2000", "-t", "s"])
                .stdout,
        )
        .into_owned()
    }
    /// Wait (polling, at most a minute) until the pane shows `text` `times` times.
    fn wait_for(&self, text: &str, times: usize) -> String {
        let start = Instant::now();
        loop {
            let p = self.pane();
            if p.matches(text).count() >= times {
                return p;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "waited for {text:?} x{times}; the pane shows:\n{p}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "s"];
        args.extend_from_slice(keys);
        self.cmd(&args);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn wait_file(p: &Path) -> String {
    let start = Instant::now();
    loop {
        if let Ok(s) = std::fs::read_to_string(p) {
            if !s.is_empty() {
                return s;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{} never came",
            p.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn start(d: &Dir, name: &str, extra: &str) -> Tmux {
    let t = Tmux {
        socket: format!("dw-tabletop-{}-{name}", std::process::id()),
    };
    let script = format!(
        "cd '{}' && '{}' tabletop --design trade-conference --compare 100 --lookahead 20 \
         --transcript t.md {extra}; echo $? > rc.txt; sleep 60",
        d.path().display(),
        bin().display()
    );
    let out = t.cmd(&[
        "new-session",
        "-d",
        "-s",
        "s",
        "-x",
        "200",
        "-y",
        "50",
        &script,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t
}

#[test]
fn interactive_prompt_re_asks_and_keeps_the_transcript_on_ctrl_c() {
    if !tmux_present() {
        return;
    }
    let d = Dir::new();
    let t = start(&d, "ctrlc", "");
    // The first decision: the situation, the options with their look-ahead, the prompt.
    let p = t.wait_for("Choose 1-4", 1);
    assert!(
        p.contains("=== DECISION month-23-verbal-warning (Month 23) ==="),
        "{p}"
    );
    assert!(
        p.contains("continue") && p.contains("pause") && p.contains("composite"),
        "{p}"
    );
    // A wrong answer is refused with the options, and asked again.
    t.keys(&["banana", "Enter"]);
    let p = t.wait_for("Choose 1-4", 2);
    assert!(p.contains("`banana` is not an option here"), "{p}");
    // A good answer, by number: pause.
    t.keys(&["2", "Enter"]);
    let p = t.wait_for("=== DECISION", 2);
    assert!(
        p.contains("DECISION month-23-verbal-warning: pause (by players)"),
        "{p}"
    );
    // Ctrl-C at the next prompt: a clear exit, the transcript so far kept.
    std::thread::sleep(Duration::from_millis(300));
    t.keys(&["C-c"]);
    let rc = wait_file(&d.join("rc.txt"));
    assert_eq!(rc.trim(), "130");
    let p = t.pane();
    assert!(
        p.contains("error: interrupted; the session was interrupted"),
        "{p}"
    );
    assert!(p.contains("the transcript so far is in t.md"), "{p}");
    let text = d.read("t.md");
    assert!(text.contains("## Interrupted"), "{text}");
    assert!(text.contains("| pause | players |"), "{text}");
    assert!(!text.contains("## Scores"));
}

#[test]
fn interactive_play_to_the_end_by_names_and_enter() {
    if !tmux_present() {
        return;
    }
    let d = Dir::new();
    let t = start(&d, "full", "");
    t.wait_for("Choose 1-4", 1);
    t.keys(&["continue", "Enter"]); // by name
    t.wait_for("=== DECISION", 2);
    t.keys(&["Enter"]); // the default
    t.wait_for("=== DECISION", 3);
    t.keys(&["stand-down", "Enter"]);
    t.wait_for("=== DECISION", 4);
    t.keys(&["2", "Enter"]);
    let rc = wait_file(&d.join("rc.txt"));
    assert_eq!(rc.trim(), "0", "{}", t.pane());
    let text = d.read("t.md");
    assert!(text.contains("| stand-down | players |"), "{text}");
    assert!(text.contains("| press | players |"), "{text}");
    assert!(text.contains("## After-action report"), "{text}");
    // The same answers as a script give the same transcript.
    let answers: String = text
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap()
        .to_string();
    d.write("ans.toml", &answers);
    d.run(&[
        "tabletop",
        "--design",
        "trade-conference",
        "--compare",
        "100",
        "--lookahead",
        "20",
        "--decisions",
        "ans.toml",
        "--transcript",
        "s.md",
    ])
    .ok();
    assert_eq!(
        d.read("s.md")
            .replace("| script |", "| players |")
            .replace("(by script)", "(by players)")
            .replace("the script chose", "the group chose"),
        text
    );
}

#[test]
fn explain_shows_an_inject_key_for_every_inject() {
    let d = Dir::new();
    let out = d.run(&["explain", "inject.ID.type", &msel()]).ok().stdout();
    assert!(
        out.contains("1  \"leak\"") && out.contains("5  \"shortened-warning\""),
        "{out}"
    );
    let out = d.run(&["explain", "inject.ID.month"]).ok().stdout();
    assert!(
        out.contains("none: the scenario has no [[inject]] entries"),
        "{out}"
    );
}

#[test]
fn a_signal_during_the_comparison_keeps_the_finished_play() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    for sig in ["INT", "TERM"] {
        let d = Dir::new();
        let mut child = Command::new(bin())
            .args([
                "tabletop",
                "--design",
                "trade-conference",
                "--auto",
                "--transcript",
                "t.md",
            ])
            .current_dir(d.path())
            .env("DIALOGUE_WARGAME_TEST_PAUSE", "tabletop-compare")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The story ends with the scores; the session then waits at the test hook.
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(lines.any(|l| l.unwrap().contains("Routes close.")));
        let sent = Instant::now();
        let ok = Command::new("kill")
            .args([format!("-{sig}"), child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let out = child.wait_with_output().unwrap();
        assert!(
            sent.elapsed() < Duration::from_secs(3),
            "SIG{sig}: too slow"
        );
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "SIG{sig}: {err}");
        assert!(err.contains("interrupted during the comparison"), "{err}");
        assert!(err.contains("the transcript so far is in t.md"), "{err}");
        let t = d.read("t.md");
        assert!(
            t.contains("## Interrupted") && t.contains("the play itself is complete"),
            "{t}"
        );
        assert!(t.contains("STRATEGIC WARNING"), "{t}");
    }
}
