//! `dialogue-wargame man [COMMAND]`: a manual page in roff, generated from the command-line
//! definitions.

use clap::CommandFactory;

use crate::error::{Error, Result};
use crate::scenario::suggest;

/// Arguments of `man`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Print a manual page (roff, section 1) on standard output: the page of \
dialogue-wargame, which lists the commands, or with COMMAND the page of that command, with \
every flag. It is generated from the same definitions as --help. Costs nothing.",
    after_help = "Examples:\n  dialogue-wargame man | man -l -\n  \
dialogue-wargame man run | man -l -\n  \
dialogue-wargame man > ~/.local/share/man/man1/dialogue-wargame.1"
)]
pub struct Args {
    /// A command whose page to print, e.g. run (default: the page of dialogue-wargame).
    pub command: Option<String>,
}

/// Run `man`.
pub fn run(a: Args) -> Result<()> {
    let mut cli = super::Cli::command().disable_help_subcommand(true);
    // Building names each command's page `dialogue-wargame-COMMAND`.
    cli.build();
    let page = match &a.command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(c) => c.clone(),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                let hint = suggest(name, names.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "man {name}: no such command\n  help: {hint}the commands are {}",
                    names.join(", ")
                )));
            }
        },
    };
    let mut text = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut text)
        .map_err(|e| Error::io("cannot render the manual page", e))?;
    super::to_stdout(|out| out.write_all(&text))
}
