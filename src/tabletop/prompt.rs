//! Telling the story on a stream as it happens, and asking the players at a terminal.

use std::io::{BufRead, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use super::story::{meaning, three};
use super::{Line, Players, Situation, Who};
use crate::error::{Error, Result};
use crate::model::Choice;

/// Write one line of the story: its date, then the text.
pub fn write_line(out: &mut dyn Write, l: &Line) -> std::io::Result<()> {
    writeln!(out, "{:>10}  {}", l.date(), l.text)
}

/// Tells the story on `out` as it happens, and answers through `inner` (the default policy or
/// a decisions file).
pub struct Telling<'o, P: Players> {
    /// Where the story goes.
    pub out: &'o mut dyn Write,
    /// Who answers.
    pub inner: P,
}

impl<P: Players> Players for Telling<'_, P> {
    fn choose(&mut self, s: &Situation, story: &[Line]) -> Result<(Choice, Who)> {
        self.inner.choose(s, story)
    }

    fn told(&mut self, line: &Line) -> Result<()> {
        write_line(self.out, line).map_err(Error::stdout)
    }
}

/// Players at a terminal: each decision is shown with its options and their look-ahead, and the
/// answer read from standard input. Input is read on its own thread so that Ctrl-C is seen
/// within a tenth of a second while the prompt waits.
pub struct Terminal<'o> {
    out: &'o mut dyn Write,
    input: Receiver<std::io::Result<String>>,
}

impl<'o> Terminal<'o> {
    /// Read answers from standard input, write the story and the prompts to `out`.
    pub fn stdin(out: &'o mut dyn Write) -> Terminal<'o> {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let stdin = std::io::stdin();
            for line in stdin.lock().lines() {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Terminal { out, input: rx }
    }

    fn read(&mut self) -> Result<String> {
        loop {
            crate::interrupt::check()?;
            match self.input.recv_timeout(Duration::from_millis(100)) {
                Ok(Ok(line)) => return Ok(line),
                Ok(Err(e)) => return Err(Error::io("cannot read the answer", e)),
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Error::Stopped("the input ended".into()))
                }
            }
        }
    }

    fn show(&mut self, s: &Situation) -> std::io::Result<()> {
        let o = &mut *self.out;
        writeln!(o)?;
        writeln!(
            o,
            "=== DECISION {} ({}) ===",
            s.id,
            super::story::date(s.at)
        )?;
        writeln!(o, "{}", s.question)?;
        for line in &s.state {
            writeln!(o, "  {line}")?;
        }
        if !s.outlook.is_empty() {
            writeln!(
                o,
                "Options, with the mean of {} continuations of this state under each (fresh \
                 draws from here on):",
                s.lookahead
            )?;
        } else {
            writeln!(o, "Options:")?;
        }
        for (i, c) in s.options.iter().enumerate() {
            let look = s
                .outlook
                .iter()
                .find(|l| l.choice == *c)
                .map(|l| {
                    format!(
                        "composite {} | evacuation {} | escalation risk {} | coercion {} ECE/yr  ",
                        three(l.mean.composite),
                        three(l.mean.evacuation),
                        three(l.mean.crisis_escalation),
                        three(l.mean.coercion_rate)
                    )
                })
                .unwrap_or_default();
            writeln!(
                o,
                "  {}) {:<12} {look}{}{}",
                i + 1,
                c.name(),
                meaning(*c),
                if i == 0 { " [default]" } else { "" }
            )?;
        }
        Ok(())
    }

    fn ask(&mut self, s: &Situation) -> std::io::Result<()> {
        write!(
            self.out,
            "Choose 1-{} or a name (Enter = {}): ",
            s.options.len(),
            s.options[0].name()
        )?;
        self.out.flush()
    }
}

/// Read an answer: a number, a name, or nothing for the default.
pub fn parse_answer(s: &Situation, answer: &str) -> Option<Choice> {
    let a = answer.trim();
    if a.is_empty() {
        return Some(s.options[0]);
    }
    if let Ok(k) = a.parse::<usize>() {
        return k.checked_sub(1).and_then(|i| s.options.get(i)).copied();
    }
    s.options
        .iter()
        .find(|c| c.name().eq_ignore_ascii_case(a))
        .copied()
}

impl Players for Terminal<'_> {
    fn choose(&mut self, s: &Situation, _: &[Line]) -> Result<(Choice, Who)> {
        self.show(s).map_err(Error::stdout)?;
        loop {
            self.ask(s).map_err(Error::stdout)?;
            let answer = self.read()?;
            match parse_answer(s, &answer) {
                Some(c) => return Ok((c, Who::Players)),
                None => {
                    let names: Vec<&str> = s.options.iter().map(|c| c.name()).collect();
                    writeln!(
                        self.out,
                        "`{}` is not an option here: type a number from 1 to {} or one of: {}.",
                        answer.trim(),
                        s.options.len(),
                        names.join(", ")
                    )
                    .map_err(Error::stdout)?;
                }
            }
        }
    }

    fn told(&mut self, line: &Line) -> Result<()> {
        write_line(self.out, line)
            .and_then(|()| self.out.flush())
            .map_err(Error::stdout)
    }
}
