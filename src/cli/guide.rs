//! What `dialogue-wargame` prints with no arguments: what the tool is, the commands a newcomer
//! needs first, and where the documentation is.

use std::io::{self, Write};
use std::path::Path;

/// The guide, at most 80 columns wide.
const GUIDE: &str = "\
dialogue-wargame {version} compares designs of a Japan-Taiwan security dialogue
(track 2, track 1.5, a parliamentary 2+2, a security conference, ...) in a
Taiwan contingency by Monte Carlo simulation: a TOML scenario in, CSV files out.

First steps:
  dialogue-wargame run
      10,000 replications of the built-in baseline, in a fraction of a second:
      a table on screen, and CSV files in results/
  dialogue-wargame list
      the built-in scenarios, and the designs they compare
  dialogue-wargame explain trade-conference
      a design's values, or a parameter's (beijing.sensitivity), with sources
  dialogue-wargame init my-variant
      write my-variant.toml, a commented scenario to edit and run:
      dialogue-wargame run my-variant.toml

More: sweep EXPERIMENT (many futures at once: every point of an experiment
file, and which design holds up across them; see EXPERIMENTS.md), sensitivity
EXPERIMENT (which assumptions drive the ranking), discover DIR (where a
condition holds), report DIR (charts in one HTML page, an Excel workbook),
tabletop (play one world as a story, for a seminar), validate, merge
(shards), rerun DIR (reproduce a results directory), completions
bash|zsh|fish, man. Every flag, with examples:
  dialogue-wargame help COMMAND
";

/// Print the guide.
pub(super) fn write(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(
        GUIDE
            .replace("{version}", env!("CARGO_PKG_VERSION"))
            .as_bytes(),
    )?;
    // The documents are in the source tree; a binary built from it can say where.
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    writeln!(out)?;
    if docs.join("TUTORIAL.md").is_file() {
        writeln!(out, "Documentation, in {}:", docs.display())?;
        for (file, what) in [
            (
                "TUTORIAL.md",
                "a worked analysis session, first run to finding",
            ),
            ("MODEL.md", "the model, every parameter and its sources"),
            ("OUTPUTS.md", "the output files, column by column"),
        ] {
            writeln!(out, "  {file:<15} {what}")?;
        }
        writeln!(
            out,
            "  and EXPERIMENTS.md, SEMINAR.md (tabletop), PERFORMANCE.md, CLUSTER.md"
        )?;
    } else {
        writeln!(
            out,
            "Documentation: README.md and docs/ (TUTORIAL.md, MODEL.md, OUTPUTS.md, ...) in the"
        )?;
        writeln!(
            out,
            "source tree; `dialogue-wargame man` prints the manual page."
        )?;
    }
    Ok(())
}
