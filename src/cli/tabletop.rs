//! `dialogue-wargame tabletop`: play one replication of one design as a story, turn by turn,
//! with the scenario's injects and the players' decisions (docs/SEMINAR.md).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::scenario::suggest;
use crate::tabletop::{self, Mode, Script, Setup};

/// Most replications `--compare` runs: their scores are kept to rank the play among them
/// (about 100 MB at this count).
const MAX_COMPARE: u64 = 1_000_000;

/// Most continuations per option in the look-ahead (each has its own random streams).
const MAX_LOOKAHEAD: u32 = 100_000;

/// Arguments of `tabletop`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Play one replication of one design as a story for a seminar: meetings, \
agreements, Beijing's moves, Tokyo's suspensions, the scenario's injects, the warning, each \
intelligence item and the evacuation day by day, each line with its game date. It is the \
model's own replication: the same seed and replication give the same world as `run`, and with \
--auto (each design's default policy) the scores equal that replication's row of \
replications.csv. At each decision point (Beijing's step up its ladder; at the warning, the \
channel and SDF consent) a terminal shows the situation and the options with a look-ahead, and \
asks; --decisions FILE plays scripted answers. At the end the run is placed in the Monte Carlo \
distribution of the design (--compare N replications, a few seconds for 2,000), and \
--transcript FILE.md writes the log and an after-action skeleton. Costs: the look-ahead runs \
--lookahead continuations per option at each decision.",
    after_help = "Examples:\n  dialogue-wargame tabletop --design trade-conference --auto\n  \
dialogue-wargame tabletop scenarios/seminar/msel.toml --design parliamentary-2plus2 --seed 2049 \
--replication 17\n  dialogue-wargame tabletop --design track-1.5 --decisions answers.toml \
--transcript session.md"
)]
pub struct Args {
    /// Scenario: a file (a path with a /, or a name ending in .toml) or a built-in name
    /// (default: baseline).
    #[arg(value_name = "SCENARIO")]
    pub scenario: Option<std::ffi::OsString>,
    /// The design to play (`list` shows the ids).
    #[arg(long, value_name = "ID")]
    pub design: String,
    /// Master seed (default: the scenario's), as `run --seed`.
    #[arg(long)]
    pub seed: Option<u64>,
    /// The replication (the world) to play, as numbered in replications.csv.
    #[arg(long, default_value_t = 0)]
    pub replication: u64,
    /// Scripted answers: `DECISION = OPTION` lines (the transcript lists a play's decisions).
    #[arg(long, value_name = "FILE", conflicts_with = "auto")]
    pub decisions: Option<PathBuf>,
    /// Take each design's default policy at every decision (what `run` does).
    #[arg(long)]
    pub auto: bool,
    /// Write the transcript and after-action skeleton to this Markdown file.
    #[arg(long, value_name = "FILE.md")]
    pub transcript: Option<PathBuf>,
    /// Replace an existing transcript file.
    #[arg(long)]
    pub force: bool,
    /// Replications of the design to compare the run with (0: no comparison; at most
    /// 1,000,000).
    #[arg(long, value_name = "N", default_value_t = 2000)]
    pub compare: u64,
    /// Continuations per option in the look-ahead at each decision (0: none; at most
    /// 100,000).
    #[arg(long, value_name = "N", default_value_t = 200)]
    pub lookahead: u32,
    /// Override a scenario key, as `run --set`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// Run `tabletop`.
pub fn run(a: Args) -> Result<()> {
    let overrides = super::parse_overrides(&a.set)?;
    let loaded = super::load_scenario(a.scenario.as_deref(), &overrides)?;
    let sc = &loaded.scenario;
    let design = sc.design_index(&a.design).ok_or_else(|| {
        let ids: Vec<&str> = sc.designs.iter().map(|d| d.id.as_str()).collect();
        let help = match suggest(&a.design, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? designs: {}", ids.join(", ")),
            None => format!("designs: {}", ids.join(", ")),
        };
        Error::usage(
            format!(
                "--design {}: no such design in scenario {}",
                a.design, sc.name
            ),
            help,
        )
    })?;
    if a.compare > MAX_COMPARE {
        return Err(Error::usage(
            format!("--compare {}: too many replications", a.compare),
            format!(
                "use at most {MAX_COMPARE} (the comparison keeps every run's scores in memory; \
                 `run` summarises more)"
            ),
        ));
    }
    if a.lookahead > MAX_LOOKAHEAD {
        return Err(Error::usage(
            format!("--lookahead {}: too many continuations", a.lookahead),
            format!("use at most {MAX_LOOKAHEAD} per option (200 give means to about ±0.02)"),
        ));
    }
    if let Some(path) = &a.transcript {
        if path.is_dir() {
            return Err(Error::usage(
                format!("--transcript {}: is a directory", path.display()),
                "name a file, e.g. session.md",
            ));
        }
        if path.exists() && !a.force {
            return Err(Error::usage(
                format!("--transcript {}: the file exists", path.display()),
                "choose another name, or add --force to replace it",
            ));
        }
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if parent.is_some_and(|p| !p.is_dir()) {
            return Err(Error::usage(
                format!("--transcript {}: no such directory", path.display()),
                "create the directory first, or write the transcript elsewhere",
            ));
        }
    }
    let mode =
        match (&a.decisions, a.auto) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::usage(
                        format!("--decisions {}: cannot read it: {e}", path.display()),
                        "name a text file of `DECISION = OPTION` lines",
                    )
                })?;
                Mode::Script(Script::parse(&path.display().to_string(), &text)?)
            }
            (None, true) => Mode::Auto,
            (None, false) if std::io::stdin().is_terminal() => Mode::Terminal,
            (None, false) => return Err(Error::usage(
                "standard input is not a terminal, so the players cannot be asked",
                "use --auto (each design's default policy) or --decisions FILE (scripted answers)",
            )),
        };
    let setup = Setup {
        scenario: sc,
        design,
        seed: a.seed.unwrap_or(sc.seed),
        replication: a.replication,
        lookahead: a.lookahead,
    };
    // Ctrl-C at a prompt or during the comparison keeps the transcript so far.
    let _section = crate::interrupt::cooperative();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = tabletop::session(&setup, mode, a.transcript.as_deref(), a.compare, &mut out)
        .and_then(|()| out.flush().map_err(Error::stdout));
    match result {
        // The reader of the story has gone (`tabletop ... | head`): nothing is wrong.
        Err(e) if e.is_broken_pipe() => Ok(()),
        r => r,
    }
}
