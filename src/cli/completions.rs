//! `dialogue-wargame completions SHELL`: a shell completion script, generated from the
//! command-line definitions so that it never falls behind them.

use clap::CommandFactory;

use crate::error::Result;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Print a completion script for bash, zsh or fish on standard output: \
commands, flags and their values complete with Tab. It is generated from the same definitions \
as --help, so it lists exactly the commands and flags of this version. Costs nothing.",
    after_help = "To install, add one line to your shell's startup file, then open a new \
shell:\n  \
~/.bashrc:                   source <(dialogue-wargame completions bash)\n  \
~/.zshrc (after compinit):   source <(dialogue-wargame completions zsh)\n  \
~/.config/fish/config.fish:  dialogue-wargame completions fish | source\n\n\
Examples:\n  dialogue-wargame completions bash > dialogue-wargame.bash\n  \
dialogue-wargame completions zsh > ~/.zfunc/_dialogue-wargame"
)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells a script is written for.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Shell {
    /// GNU bash.
    Bash,
    /// zsh.
    Zsh,
    /// fish.
    Fish,
}

/// Run `completions`.
pub fn run(a: Args) -> Result<()> {
    let shell = match a.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    // clap_complete panics on a failed write; into memory it cannot fail, and the script is a
    // few kilobytes. The standard output then gets the house treatment of a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(
        shell,
        &mut super::Cli::command(),
        "dialogue-wargame",
        &mut script,
    );
    super::to_stdout(|out| out.write_all(&script))
}
