//! The results directory, written atomically and safely against crashes.
//!
//! Files go to a hidden working directory beside the target, `.NAME.partial`, which is renamed
//! into place only when every file is complete. An existing directory is never overwritten unless
//! asked (`--force`), and then only after the new one is complete. A long run keeps a checkpoint
//! in the working directory; if the run dies, the checkpoint stays there for `--resume`.
//!
//! Every hidden directory the tool makes holds a marker, `owner.pid`: the process id, the
//! directory's state, a random token and the process's start time. Nothing without a valid
//! marker is ever deleted or moved, and whether the marker's process is alive (not the
//! directory's age) tells a live run from a dead one. The steps, each a place where a crash
//! may stop the process (docs/OUTPUTS.md §1 has the table of what the next run then does):
//!
//! 1. claim: a marker is written in a uniquely named `.NAME.new-TOKEN`, which is renamed to
//!    `.NAME.partial` (`staged`, `claimed`); only one process can win that rename;
//! 2. fill: the run writes its files, and checkpoints, into `.NAME.partial`;
//! 3. commit: every file is flushed (`synced`), the marker says `finished` (`finished`; from
//!    here on the results are never deleted); with `--force`, `.NAME.old` is claimed like
//!    `.NAME.partial` (`old-staged`, `old-claimed`) and the earlier results are moved into it
//!    (`old-moved`); `.NAME.partial` is renamed to NAME (`renamed`), the marker is removed from
//!    NAME (`cleaned`), and `.NAME.old` is deleted;
//! 4. deletion, of anything the tool made: the directory is renamed to a unique
//!    `.NAME.del-TOKEN` (`removing`), its contents are deleted, the marker last (`emptied`).
//!
//! Every run first finishes what a crashed one left beside its target ([`recover`]), and says
//! so on stderr. The environment variable `DIALOGUE_WARGAME_TEST_CRASH_AT=STEP` (a test hook)
//! aborts the process right after the step of that name.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the checkpoint file inside the hidden directory.
pub const CHECKPOINT: &str = "checkpoint.json";
/// The marker of every hidden directory the tool makes (see the module docs).
const OWNER: &str = "owner.pid";
/// The marker being rewritten.
const OWNER_TMP: &str = "owner.pid.tmp";
/// Inside `.NAME.old`: the earlier results a `--force` commit moved aside.
const OLD_RESULTS: &str = "results";
/// The signature in a marker.
const TOOL: &str = "dialogue-wargame";
/// Test hook: abort right after the step named in it.
const CRASH_AT: &str = "DIALOGUE_WARGAME_TEST_CRASH_AT";

/// A step of the protocol has been taken: a crash test may stop the process here.
fn step(name: &str) {
    if std::env::var_os(CRASH_AT).is_some_and(|v| v == name) {
        let _ = writeln!(
            std::io::stderr(),
            "{CRASH_AT}={name}: aborting to simulate a crash"
        );
        std::process::abort();
    }
}

/// Tell the user what was found beside the target and what was done about it.
fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "note: {text}");
}

fn exists(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok()
}

/// Flush a directory's entries (renames, new files) to disk; not every filesystem can.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

fn new_token() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// The hidden names beside a target `PARENT/NAME`.
#[derive(Clone, Debug)]
struct Names {
    parent: PathBuf,
    name: OsString,
}

/// The two kinds of uniquely named hidden directories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `.NAME.new-TOKEN`: a claim being prepared.
    New,
    /// `.NAME.del-TOKEN`: a directory being deleted.
    Del,
}

impl Names {
    fn of(target: &Path) -> Names {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(OsStr::to_os_string)
            .unwrap_or_else(|| "results".into());
        Names { parent, name }
    }

    fn hidden(&self, suffix: &str) -> PathBuf {
        let mut s = OsString::from(".");
        s.push(&self.name);
        s.push(suffix);
        self.parent.join(s)
    }

    /// `.NAME.partial`: the working directory.
    fn partial(&self) -> PathBuf {
        self.hidden(".partial")
    }

    /// `.NAME.old`: where `--force` keeps the earlier results while it renames the new ones in.
    fn old(&self) -> PathBuf {
        self.hidden(".old")
    }

    fn unique(&self, kind: Kind, token: &str) -> PathBuf {
        match kind {
            Kind::New => self.hidden(&format!(".new-{token}")),
            Kind::Del => self.hidden(&format!(".del-{token}")),
        }
    }

    /// The `.NAME.new-TOKEN` and `.NAME.del-TOKEN` among `entries` (a listing of the parent).
    fn unique_dirs(&self, entries: &[(OsString, PathBuf)]) -> Vec<(Kind, PathBuf)> {
        let name = self.name.as_encoded_bytes();
        entries
            .iter()
            .filter_map(|(file, path)| {
                let rest = file
                    .as_encoded_bytes()
                    .strip_prefix(b".")?
                    .strip_prefix(name)?;
                let (kind, hex) = match rest.strip_prefix(b".new-") {
                    Some(hex) => (Kind::New, hex),
                    None => (Kind::Del, rest.strip_prefix(b".del-")?),
                };
                (hex.len() == 16 && hex.iter().all(u8::is_ascii_hexdigit))
                    .then(|| (kind, path.clone()))
            })
            .collect()
    }
}

/// The hidden entries of `parent`.
fn scan(parent: &Path) -> Vec<(OsString, PathBuf)> {
    fs::read_dir(parent)
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().as_encoded_bytes().starts_with(b"."))
                .map(|e| (e.file_name(), e.path()))
                .collect()
        })
        .unwrap_or_default()
}

/// What a hidden directory is for, as its marker says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// `.NAME.partial` of a run that has not finished.
    Working,
    /// `.NAME.partial` holding complete, flushed results; `force`: they may replace NAME.
    Finished { force: bool },
    /// `.NAME.old`: the earlier results a `--force` commit moved aside.
    Old,
}

impl State {
    fn word(self) -> &'static str {
        match self {
            State::Working => "working",
            State::Finished { force: false } => "finished",
            State::Finished { force: true } => "finished-force",
            State::Old => "old",
        }
    }

    fn parse(word: &str) -> Option<State> {
        Some(match word {
            "working" => State::Working,
            "finished" => State::Finished { force: false },
            "finished-force" => State::Finished { force: true },
            "old" => State::Old,
            _ => return None,
        })
    }
}

/// The contents of `owner.pid`: two lines, `PID` and `dialogue-wargame STATE TOKEN START`.
/// The process id stays alone on the first line, as it always was.
#[derive(Clone, Debug)]
struct Marker {
    pid: u32,
    state: State,
    /// 16 hex digits, random: tells this claim from any other.
    token: String,
    /// `BOOT_ID/START_TICKS` of the process on Linux (a pid alone is reused), else `-`.
    start: String,
}

impl Marker {
    /// A marker of this process.
    fn mine(state: State, token: String) -> Marker {
        let pid = std::process::id();
        Marker {
            pid,
            state,
            token,
            start: process_start(pid).unwrap_or_else(|| "-".into()),
        }
    }

    fn text(&self) -> String {
        format!(
            "{}\n{TOOL} {} {} {}\n",
            self.pid,
            self.state.word(),
            self.token,
            self.start
        )
    }

    fn parse(text: &str) -> Option<Marker> {
        let mut lines = text.lines();
        let pid = lines.next()?.trim().parse().ok()?;
        let mut fields = lines.next()?.split_whitespace();
        if fields.next()? != TOOL {
            return None;
        }
        let state = State::parse(fields.next()?)?;
        let token = fields.next()?.to_string();
        let start = fields.next()?.to_string();
        let well_formed = token.len() == 16
            && token.bytes().all(|b| b.is_ascii_hexdigit())
            && fields.next().is_none()
            && lines.next().is_none();
        well_formed.then_some(Marker {
            pid,
            state,
            token,
            start,
        })
    }

    /// The marker of `dir`, if it has a valid one.
    fn read(dir: &Path) -> Option<Marker> {
        Marker::parse(&fs::read_to_string(dir.join(OWNER)).ok()?)
    }

    /// Write the marker into `dir`, replacing any earlier one in a single step.
    fn write(&self, dir: &Path) -> std::io::Result<()> {
        let tmp = dir.join(OWNER_TMP);
        let mut f = fs::File::create(&tmp)?;
        f.write_all(self.text().as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, dir.join(OWNER))?;
        sync_dir(dir);
        Ok(())
    }

    /// Whether the process that wrote the marker is still running.
    fn alive(&self) -> bool {
        process_alive(self.pid, &self.start)
    }
}

/// On Linux: whether process `pid` is a zombie (finished, not yet reaped), and its start time
/// in clock ticks after boot.
fn proc_stat(pid: u32) -> Option<(bool, String)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields after the command: state (3rd of stat), ..., starttime (22nd).
    Some((*fields.first()? == "Z", fields.get(19)?.to_string()))
}

/// `BOOT_ID/START_TICKS` of a running process, on Linux.
fn process_start(pid: u32) -> Option<String> {
    let (_, ticks) = proc_stat(pid)?;
    let boot = fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    Some(format!("{}/{ticks}", boot.trim()))
}

/// Whether the process that wrote a marker is alive: on Linux, a process with that pid that is
/// not a zombie and started when the marker says (so a pid reused after a crash or a reboot is
/// not mistaken for the run). Elsewhere `ps` is asked; if even that cannot tell, the process is
/// assumed alive, so that nothing it may be using is deleted.
fn process_alive(pid: u32, start: &str) -> bool {
    let me = std::process::id();
    if Path::new("/proc/self/stat").exists() {
        match proc_stat(pid) {
            None | Some((true, _)) => false,
            Some((false, _)) if start == "-" => pid != me,
            Some((false, _)) => process_start(pid).is_some_and(|s| s == start),
        }
    } else {
        let ps = std::process::Command::new("ps")
            .args(["-o", "stat=", "-p", &pid.to_string()])
            .output();
        match ps {
            Ok(o) if o.status.success() => {
                pid != me
                    && !String::from_utf8_lossy(&o.stdout)
                        .trim_start()
                        .starts_with('Z')
            }
            Ok(_) => false,
            Err(_) => true,
        }
    }
}

/// What is at a hidden name.
enum Found {
    Absent,
    /// Something that no valid marker proves the tool made: never deleted or moved.
    NotOurs,
    Ours(Marker),
}

fn inspect(dir: &Path) -> Found {
    match fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Found::Absent,
        Ok(m) if m.is_dir() => Marker::read(dir).map_or(Found::NotOurs, Found::Ours),
        _ => Found::NotOurs,
    }
}

/// Whether `dir` holds nothing but its marker.
fn only_marker(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|d| {
        d.flatten()
            .all(|e| e.file_name() == OWNER || e.file_name() == OWNER_TMP)
    })
}

/// Create `dir` holding only a marker in `state`, atomically: the marker is written in a
/// uniquely named `.NAME.new-TOKEN`, which is then renamed to `dir`. The rename fails if `dir`
/// exists, so of two processes only one gets it: `Ok(None)` for the other.
fn claim(
    dir: &Path,
    names: &Names,
    state: State,
    staged: &str,
    claimed: &str,
) -> std::io::Result<Option<Marker>> {
    let mut attempts = 0;
    loop {
        let marker = Marker::mine(state, new_token());
        let s = names.unique(Kind::New, &marker.token);
        fs::create_dir(&s)?;
        if let Err(e) = marker.write(&s) {
            // Another run cleaning up may take the still-empty directory for a crashed run's:
            // try again under a new name.
            if e.kind() == std::io::ErrorKind::NotFound && attempts < 3 {
                attempts += 1;
                continue;
            }
            let _ = fs::remove_file(s.join(OWNER_TMP));
            let _ = fs::remove_file(s.join(OWNER));
            let _ = fs::remove_dir(&s);
            return Err(e);
        }
        step(staged);
        return match fs::rename(&s, dir) {
            Ok(()) => {
                sync_dir(&names.parent);
                step(claimed);
                Ok(Some(marker))
            }
            Err(e) => {
                let _ = fs::remove_file(s.join(OWNER));
                let _ = fs::remove_dir(&s);
                if exists(dir) {
                    Ok(None)
                } else {
                    Err(e)
                }
            }
        };
    }
}

/// Delete `dir`, proven ours by its marker holding `token`: rename it to a unique
/// `.NAME.del-TOKEN` first, so that no other run can reach it under its old name, check that it
/// is still the same directory, then delete it.
fn remove_ours(dir: &Path, names: &Names, token: &str) -> Result<()> {
    let del = names.unique(Kind::Del, &new_token());
    match fs::rename(dir, &del) {
        Ok(()) => {}
        // Another run cleaning up got there first.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(format!("cannot remove {}", dir.display()), e)),
    }
    step("removing");
    if Marker::read(&del).is_none_or(|m| m.token != token) {
        let _ = fs::rename(&del, dir);
        return Err(Error::Usage(format!(
            "{} was taken over by another run while this one was removing it; it was left alone",
            dir.display()
        )));
    }
    delete_dir(&del)
}

/// Delete a directory: its contents, then its marker (so that until it is empty it still proves
/// whose it is), then the directory itself.
fn delete_dir(dir: &Path) -> Result<()> {
    let fail = |e: std::io::Error| Error::io(format!("cannot remove {}", dir.display()), e);
    for entry in fs::read_dir(dir).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        if entry.file_name() == OWNER {
            continue;
        }
        let path = entry.path();
        if entry.file_type().map_err(fail)?.is_dir() {
            fs::remove_dir_all(&path).map_err(fail)?;
        } else {
            fs::remove_file(&path).map_err(fail)?;
        }
    }
    step("emptied");
    match fs::remove_file(dir.join(OWNER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail(e)),
        _ => {}
    }
    fs::remove_dir(dir).map_err(fail)
}

/// Remove the `.NAME.new-TOKEN` and `.NAME.del-TOKEN` left by crashed runs. Their unique names
/// never block anything, so what cannot be removed is only reported.
fn clean_unique_dirs(found: &[(Kind, PathBuf)]) {
    for (kind, dir) in found {
        match inspect(dir) {
            Found::Absent => {}
            Found::Ours(m) if m.alive() => {}
            Found::Ours(m) if *kind == Kind::Del || only_marker(dir) => match delete_dir(dir) {
                Ok(()) if *kind == Kind::Del => note(&format!(
                    "finished deleting {}, which an interrupted run (process {}) had begun to \
                     delete",
                    dir.display(),
                    m.pid
                )),
                Ok(()) => note(&format!(
                    "removed {}, left by a run (process {}) that stopped while claiming a \
                     directory",
                    dir.display(),
                    m.pid
                )),
                Err(e) => note(&format!("could not remove {}: {e}", dir.display())),
            },
            Found::Ours(_) => note(&format!(
                "left {} alone: it holds more than a claim, which dialogue-wargame never puts \
                 there",
                dir.display()
            )),
            // Empty: a run stopped the instant after creating it (if the directory is not
            // empty, this fails and it is kept).
            Found::NotOurs if fs::remove_dir(dir).is_ok() => {}
            Found::NotOurs => note(&format!(
                "left {} alone: nothing in it proves that dialogue-wargame made it",
                dir.display()
            )),
        }
    }
}

/// `--force` replaces only what this tool wrote: a directory holding its manifest.json (or an
/// empty directory), never a file, the current directory or one containing it.
fn replaceable(target: &Path) -> std::result::Result<(), &'static str> {
    if !target.is_dir() {
        return Err("is not a directory");
    }
    if let (Ok(t), Ok(cwd)) = (target.canonicalize(), std::env::current_dir()) {
        if cwd.starts_with(&t) {
            return Err("is the current directory or contains it");
        }
    }
    let empty = fs::read_dir(target)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    let ours = fs::read_to_string(target.join("manifest.json"))
        .map(|m| m.contains("\"tool\": \"dialogue-wargame\""))
        .unwrap_or(false);
    if !(empty || ours) {
        return Err("holds no manifest.json written by dialogue-wargame");
    }
    Ok(())
}

/// Move the finished results in `p` (its marker already says so) to `target`: renamed in, or,
/// if `target` exists and `replace` allows it, in place of the earlier results, which are moved
/// aside into `.NAME.old` first and deleted last. Returns whether earlier results were
/// replaced. On any failure the finished results stay in `p`, and the message says so.
fn commit_finished(p: &Path, target: &Path, names: &Names, replace: bool) -> Result<bool> {
    for f in [CHECKPOINT, "checkpoint.json.tmp", OWNER_TMP] {
        let _ = fs::remove_file(p.join(f));
    }
    let (t, pd) = (target.display(), p.display());
    let kept = |what: String, help: &str| {
        Error::Usage(format!(
            "{what}, so the finished results in {pd} were not committed; they are kept there\n  \
             help: {help}"
        ))
    };
    let again = "run the same command with --resume to commit them";
    let io = |what: String, e| {
        Error::io(
            format!("{what} (the finished results stay in {pd}: {again})"),
            e,
        )
    };
    let parent = &names.parent;
    if !exists(target) {
        fs::rename(p, target).map_err(|e| io(format!("cannot rename {pd} to {t}"), e))?;
        sync_dir(parent);
        step("renamed");
        let _ = fs::remove_file(target.join(OWNER));
        sync_dir(target);
        step("cleaned");
        return Ok(false);
    }
    if !replace {
        return Err(kept(
            format!("{t} exists"),
            &format!("move {t} away and {again}, or run it with --force to replace {t}"),
        ));
    }
    if let Err(why) = replaceable(target) {
        return Err(kept(
            format!("{t} {why}"),
            &format!("move {t} away and {again}"),
        ));
    }
    let old = names.old();
    let od = old.display();
    match inspect(&old) {
        Found::Absent => {}
        Found::Ours(m) if m.alive() => {
            return Err(kept(
                format!("another run (process {}) is replacing {t}", m.pid),
                &format!("when it is done, {again}"),
            ))
        }
        Found::Ours(m) if m.state == State::Old && !exists(&old.join(OLD_RESULTS)) => {
            remove_ours(&old, names, &m.token)?
        }
        Found::Ours(_) => {
            return Err(kept(
                format!("{od} holds the earlier results of another interrupted --force commit"),
                &format!("look at {t} and {od}, delete the one you do not need, then {again}"),
            ))
        }
        Found::NotOurs => {
            return Err(kept(
                format!(
                    "{od} is in the way of replacing {t}: nothing in it proves that \
                     dialogue-wargame made it, so it was left alone"
                ),
                &format!("move or delete {od}, then {again}"),
            ))
        }
    }
    let Some(marker) = claim(&old, names, State::Old, "old-staged", "old-claimed")
        .map_err(|e| io(format!("cannot create {od}"), e))?
    else {
        return Err(kept(
            format!("another run is replacing {t}"),
            &format!("when it is done, {again}"),
        ));
    };
    fs::rename(target, old.join(OLD_RESULTS))
        .map_err(|e| io(format!("cannot move {t} aside to {od}"), e))?;
    sync_dir(parent);
    step("old-moved");
    if let Err(e) = fs::rename(p, target) {
        // Put the earlier results back where they were.
        if fs::rename(old.join(OLD_RESULTS), target).is_ok() {
            let _ = remove_ours(&old, names, &marker.token);
        }
        return Err(io(format!("cannot rename {pd} to {t}"), e));
    }
    sync_dir(parent);
    step("renamed");
    let _ = fs::remove_file(target.join(OWNER));
    sync_dir(target);
    step("cleaned");
    remove_ours(&old, names, &marker.token)?;
    sync_dir(parent);
    Ok(true)
}

/// Finish what crashed runs left beside `target`, saying on stderr what was found and done:
/// remove their unfinished claims and deletions, commit finished results (replacing `target`
/// only if the interrupted run or this one has `--force`), remove a working directory that has
/// no checkpoint, and delete (or, if the new results are gone, restore) earlier results moved
/// aside. Anything whose owner is alive, or that no marker proves ours, is left alone. Returns
/// whether an interrupted commit to `target` was completed.
fn recover(target: &Path, names: &Names, unique: &[(Kind, PathBuf)], force: bool) -> Result<bool> {
    clean_unique_dirs(unique);
    let (p, old) = (names.partial(), names.old());
    let (t, pd, od) = (target.display(), p.display(), old.display());
    let mut completed = false;

    // A commit stopped right after its final rename: the target is complete but for the marker.
    if fs::symlink_metadata(target).is_ok_and(|m| m.is_dir()) {
        if let Some(m) = Marker::read(target) {
            if matches!(m.state, State::Finished { .. }) && !m.alive() {
                let _ = fs::remove_file(target.join(OWNER_TMP));
                fs::remove_file(target.join(OWNER)).map_err(|e| {
                    Error::io(format!("cannot remove {}", target.join(OWNER).display()), e)
                })?;
                note(&format!(
                    "{t} is complete; removed the owner.pid that an interrupted commit (process \
                     {}) left in it",
                    m.pid
                ));
                completed = true;
            }
        }
    }
    let old_results = |m: &Marker| m.state == State::Old && !m.alive();
    if let Found::Ours(m) = inspect(&old) {
        if old_results(&m) && !exists(&old.join(OLD_RESULTS)) {
            remove_ours(&old, names, &m.token)?;
            note(&format!(
                "removed {od}, left empty by an interrupted --force commit (process {})",
                m.pid
            ));
        }
    }
    if let Found::Ours(m) = inspect(&p) {
        match m.state {
            State::Finished { force: forced } if !m.alive() => {
                let replaced = commit_finished(&p, target, names, forced || force)?;
                note(&format!(
                    "finished results of an interrupted commit (process {}) found in {pd}; \
                     committed them to {t}{}",
                    m.pid,
                    if replaced {
                        ", replacing the earlier results there"
                    } else {
                        ""
                    }
                ));
                completed = true;
            }
            State::Working if !m.alive() && !exists(&p.join(CHECKPOINT)) => {
                remove_ours(&p, names, &m.token)?;
                note(&format!(
                    "removed {pd}, left by a run (process {}) that stopped before its first \
                     checkpoint",
                    m.pid
                ));
            }
            _ => {}
        }
    }
    if let Found::Ours(m) = inspect(&old) {
        if old_results(&m) {
            let new_pending = matches!(inspect(&p),
                Found::Ours(pm) if matches!(pm.state, State::Finished { .. }));
            if exists(target) {
                remove_ours(&old, names, &m.token)?;
                note(&format!(
                    "removed {od}: the earlier results that an interrupted --force run \
                     (process {}) replaced with {t}",
                    m.pid
                ));
            } else if !new_pending {
                fs::rename(old.join(OLD_RESULTS), target)
                    .map_err(|e| Error::io(format!("cannot restore {t} from {od}"), e))?;
                sync_dir(&names.parent);
                remove_ours(&old, names, &m.token)?;
                note(&format!(
                    "earlier results restored from {od} to {t}: the --force run (process {}) \
                     that moved them aside was interrupted, and its new results are gone",
                    m.pid
                ));
            }
        }
    }
    Ok(completed)
}

/// A results directory being written.
pub struct ResultsDir {
    target: PathBuf,
    names: Names,
    tmp: PathBuf,
    /// The token of this run's marker in `tmp`.
    token: String,
    force: bool,
    resumed: bool,
    /// The marker says finished: the directory is never deleted from here on.
    finished: bool,
}

/// The hidden working directory of a target.
pub fn partial_dir(target: &Path) -> PathBuf {
    Names::of(target).partial()
}

/// Longest overrides part of a default directory name, in bytes, before it is cut and
/// given a checksum.
const MAX_OVERRIDES_NAME: usize = 48;

/// The default name of a results directory: `NAME-seedSEED`, then the overrides as typed
/// (`--set` and the `weights.KEY=W` that `--weights` stands for), joined by `-`, e.g.
/// `baseline-seed2049-beijing.sensitivity=0`. Spaces, quotes, braces and brackets are left
/// out and any other character a file name cannot safely hold (a path separator, a control
/// character, anything not ASCII) becomes `_`; an overrides
/// part longer than 48 bytes is cut and ends in 8 hex digits of its SHA-256, so two different
/// series still get different names.
pub fn default_name(name: &str, seed: u64, overrides: &[String]) -> String {
    let base = format!("{name}-seed{seed}");
    if overrides.is_empty() {
        return base;
    }
    let joined = overrides.join("-");
    let mut part: String = joined
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '{' | '}' | '[' | ']'))
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '=' | '+' | '-' | ',' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if part.len() > MAX_OVERRIDES_NAME {
        let hash = super::checksum::sha256_hex(joined.as_bytes());
        part.truncate(MAX_OVERRIDES_NAME - 9);
        part = format!("{part}~{}", &hash[..8]);
    }
    format!("{base}-{part}")
}

/// With `--resume` and no `--out`: the default directory (named `base`, see
/// [`default_name`]) whose interrupted run is pending.
pub fn resumable_out_dir(root: &Path, base: &str) -> Option<PathBuf> {
    let candidates = std::iter::once(root.join(base))
        .chain((2..10_000).map(|k| root.join(format!("{base}-{k}"))));
    for c in candidates {
        // Interrupted work, or a commit stopped just after its final rename.
        if partial_dir(&c).exists() && !c.exists() || c.join(OWNER).exists() {
            return Some(c);
        }
        if !c.exists() && !partial_dir(&c).exists() {
            return None;
        }
    }
    None
}

impl ResultsDir {
    /// Start writing results for `target`, after finishing what crashed runs left beside it.
    /// Fails, before any work, when `target` exists and `force` is false (or, with `force`, when
    /// it is not an earlier results directory), when another live run is writing it, when an
    /// interrupted run left a checkpoint and `force` was not given, or when a hidden
    /// `.NAME.partial` (or, with `force`, `.NAME.old`) that the tool did not make is in the way.
    pub fn create(target: &Path, force: bool) -> Result<ResultsDir> {
        match ResultsDir::open(target, force, false)? {
            Some(dir) => Ok(dir),
            None => unreachable!("only --resume finds nothing left to do"),
        }
    }

    /// Continue the interrupted run to `target` from its checkpoint, with the same checks as
    /// [`ResultsDir::create`]. `None` if the interrupted run had finished and its commit was
    /// completed now: its results are in `target`.
    pub fn resume(target: &Path, force: bool) -> Result<Option<ResultsDir>> {
        ResultsDir::open(target, force, true)
    }

    fn open(target: &Path, force: bool, resume: bool) -> Result<Option<ResultsDir>> {
        let names = Names::of(target);
        fs::create_dir_all(&names.parent)
            .map_err(|e| Error::io(format!("cannot create {}", names.parent.display()), e))?;
        let unique = names.unique_dirs(&scan(&names.parent));
        let completed = recover(target, &names, &unique, force)?;
        let p = names.partial();
        let (t, pd) = (target.display(), p.display());
        let found = inspect(&p);
        if resume && matches!(found, Found::Absent) {
            if completed && exists(target) {
                note(&format!(
                    "nothing left to resume: the interrupted run had finished, and its results \
                     are in {t}"
                ));
                return Ok(None);
            }
            return Err(Error::Usage(if exists(target) {
                format!(
                    "--resume: nothing to resume for {t}: there is no {pd}, and {t} holds \
                     finished results"
                )
            } else {
                format!("--resume: nothing to resume for {t} (no {pd}); run without --resume")
            }));
        }
        if exists(target) {
            if !force {
                return Err(Error::Usage(format!(
                    "{t} already exists{}; refusing to overwrite earlier results. Choose another \
                     --out, or pass --force to replace it",
                    if completed {
                        " (it holds the interrupted run's results, committed above)"
                    } else {
                        ""
                    }
                )));
            }
            if let Err(why) = replaceable(target) {
                return Err(Error::Usage(format!(
                    "--force: {t} {why}; --force only replaces an earlier results directory. \
                     Choose another --out"
                )));
            }
            let old = names.old();
            match inspect(&old) {
                Found::Absent => {}
                Found::NotOurs => {
                    return Err(in_the_way(
                        &old,
                        target,
                        "--force needs that name to move the earlier results aside",
                    ))
                }
                Found::Ours(m) if m.alive() => {
                    return Err(Error::Usage(format!(
                        "another run (process {}) is replacing {t}; wait for it to finish or \
                         choose another --out",
                        m.pid
                    )))
                }
                // recover() leaves a dead run's .NAME.old only when it cannot tell what to do.
                Found::Ours(_) => {
                    return Err(Error::Usage(format!(
                        "{} holds earlier results moved aside by an interrupted --force run, \
                         and {t} exists too; look at both and delete the one you do not need",
                        old.display()
                    )))
                }
            }
        }
        match found {
            Found::Absent => {}
            Found::NotOurs => {
                return Err(in_the_way(
                    &p,
                    target,
                    "it is the working directory of runs to that --out",
                ))
            }
            Found::Ours(m) if m.alive() => {
                return Err(Error::Usage(format!(
                    "another run (process {}) is writing to {t}; wait for it to finish or choose \
                     another --out (if process {} is not a dialogue-wargame run, move {pd} away)",
                    m.pid, m.pid
                )))
            }
            // recover() left only working directories with a checkpoint.
            Found::Ours(m) if m.state == State::Working => {
                if resume {
                    let mine = Marker::mine(State::Working, new_token());
                    mine.write(&p)
                        .map_err(|e| Error::io(format!("cannot write in {pd}"), e))?;
                    return Ok(Some(ResultsDir::new(
                        target, names, mine.token, force, true,
                    )));
                }
                if !force {
                    return Err(Error::Usage(format!(
                        "an interrupted run to {t} left its work in {pd}; pass --resume to \
                         continue it (same command), or --force to start over"
                    )));
                }
                remove_ours(&p, &names, &m.token)?;
                note(&format!(
                    "discarded the interrupted run's work in {pd} (process {}), as --force asks",
                    m.pid
                ));
            }
            // Finished results recover() could not commit (it said why), or a marker in a
            // state that does not belong there.
            Found::Ours(m) => {
                return Err(Error::Usage(format!(
                    "{pd} (marked `{}` by process {}) is in the way of {t}; it was left alone\n  \
                     help: look inside, then move it away or choose another --out",
                    m.state.word(),
                    m.pid
                )))
            }
        }
        match claim(&p, &names, State::Working, "staged", "claimed") {
            Ok(Some(m)) => Ok(Some(ResultsDir::new(target, names, m.token, force, false))),
            Ok(None) => Err(Error::Usage(format!(
                "another run is starting to write {t}; choose another --out"
            ))),
            Err(e) => Err(Error::io(
                format!("cannot write results next to {t} (is the directory writable?)"),
                e,
            )),
        }
    }

    /// Start writing results in the first free default directory `root/BASE`, `root/BASE-2`,
    /// ...: a name another run claims at the same moment is skipped, not fought over, and so is
    /// a name whose interrupted work waits for `--resume` or whose hidden directory the tool did
    /// not make.
    pub fn create_default(root: &Path, base: &str) -> Result<ResultsDir> {
        fs::create_dir_all(root)
            .map_err(|e| Error::io(format!("cannot create {}", root.display()), e))?;
        let entries = scan(root);
        for k in 1u32.. {
            let target = match k {
                1 => root.join(base),
                _ => root.join(format!("{base}-{k}")),
            };
            let names = Names::of(&target);
            if let Err(e) = recover(&target, &names, &names.unique_dirs(&entries), false) {
                note(&format!("skipping {}: {e}", target.display()));
                continue;
            }
            if exists(&target) {
                continue;
            }
            let p = names.partial();
            match inspect(&p) {
                Found::Absent => {}
                Found::NotOurs => {
                    note(&format!(
                        "left {} alone: nothing in it proves that dialogue-wargame made it; not \
                         using the name {}",
                        p.display(),
                        target.display()
                    ));
                    continue;
                }
                // A live run, or interrupted work waiting for --resume.
                Found::Ours(_) => continue,
            }
            match claim(&p, &names, State::Working, "staged", "claimed") {
                Ok(Some(m)) if exists(&target) => {
                    // Another run committed this name between the check and the claim.
                    let _ = remove_ours(&p, &names, &m.token);
                }
                Ok(Some(m)) => return Ok(ResultsDir::new(&target, names, m.token, false, false)),
                Ok(None) => {}
                Err(e) => {
                    return Err(Error::io(
                        format!(
                            "cannot write results in {} (is the directory writable?)",
                            root.display()
                        ),
                        e,
                    ))
                }
            }
        }
        unreachable!("u32 names run out")
    }

    fn new(target: &Path, names: Names, token: String, force: bool, resumed: bool) -> ResultsDir {
        ResultsDir {
            target: target.to_path_buf(),
            tmp: names.partial(),
            names,
            token,
            force,
            resumed,
            finished: false,
        }
    }

    /// Whether an interrupted run's working directory was picked up.
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// Path of a file inside the working directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// The working directory.
    pub fn work_dir(&self) -> &Path {
        &self.tmp
    }

    /// Where the results will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Make the results visible: flush every file, mark them finished (from then on they are
    /// never deleted; a crash leaves them for the next run to commit), rename them into place.
    pub fn commit(mut self) -> Result<PathBuf> {
        if Marker::read(&self.tmp).is_none_or(|m| m.token != self.token) {
            self.finished = true; // not ours any more: leave it alone
            return Err(Error::Usage(format!(
                "{} was taken over by another run while this one was going; these results were \
                 not committed",
                self.tmp.display()
            )));
        }
        for entry in fs::read_dir(&self.tmp)
            .map_err(|e| Error::io(format!("cannot read {}", self.tmp.display()), e))?
            .flatten()
        {
            if let Ok(f) = fs::File::open(entry.path()) {
                f.sync_all().map_err(|e| {
                    Error::io(format!("cannot flush {}", entry.path().display()), e)
                })?;
            }
        }
        step("synced");
        Marker::mine(State::Finished { force: self.force }, self.token.clone())
            .write(&self.tmp)
            .map_err(|e| Error::io(format!("cannot write in {}", self.tmp.display()), e))?;
        self.finished = true;
        step("finished");
        commit_finished(&self.tmp, &self.target, &self.names, self.force)?;
        Ok(self.target.clone())
    }
}

/// The error for a hidden name that the tool did not make and will not touch.
fn in_the_way(hidden: &Path, target: &Path, why: &str) -> Error {
    Error::Usage(format!(
        "{} is in the way of {}: nothing in it proves that dialogue-wargame made it ({why}), so \
         it was left alone\n  help: move or delete {}, or choose another --out",
        hidden.display(),
        target.display(),
        hidden.display()
    ))
}

impl Drop for ResultsDir {
    /// An abandoned run removes its working directory unless it holds a checkpoint to resume or
    /// finished results.
    fn drop(&mut self) {
        if !self.finished && !self.tmp.join(CHECKPOINT).exists() {
            let _ = remove_ours(&self.tmp, &self.names, &self.token);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::default_name;

    #[test]
    fn default_names_read_as_the_overrides_were_typed() {
        assert_eq!(default_name("baseline", 2049, &[]), "baseline-seed2049");
        assert_eq!(
            default_name("baseline", 2049, &["beijing.sensitivity=0".into()]),
            "baseline-seed2049-beijing.sensitivity=0"
        );
        assert_eq!(
            default_name(
                "short-warning",
                7,
                &["a.b=1".into(), "weights.evacuation=2".into()]
            ),
            "short-warning-seed7-a.b=1-weights.evacuation=2"
        );
        // No separators, quotes, spaces or non-ASCII in a file name.
        let n = default_name("b", 1, &["k=\"x/y z\u{e9}\"".into()]);
        assert_eq!(n, "b-seed1-k=x_yz_");
        // Long series are cut, and two different ones keep different names.
        let long = |v: &str| {
            default_name(
                "b",
                1,
                &[
                    format!("design.trade-conference.visibility={v}"),
                    "design.track-2.visibility=0.123456".into(),
                ],
            )
        };
        let (a, b) = (long("0.1"), long("0.2"));
        assert_ne!(a, b);
        assert!(a.len() <= "b-seed1-".len() + 48, "{a}");
        assert!(a.contains('~'));
    }
}
