//! The results directory, written atomically: files go to a hidden directory beside the target
//! (`.NAME.partial`), which is renamed into place only when every file is complete. An existing
//! directory is never overwritten unless asked (`--force`), and then only after the new one is
//! complete. A long run keeps a checkpoint in the hidden directory; if the run dies, the
//! checkpoint stays there for `--resume`, and the target itself never exists half-written.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the checkpoint file inside the hidden directory.
pub const CHECKPOINT: &str = "checkpoint.json";
/// Name of the file holding the process id of the run writing the hidden directory.
const OWNER: &str = "owner.pid";

/// `--force` replaces only what this tool wrote: a directory holding its manifest.json (or an
/// empty directory), never a file, the current directory or one containing it.
fn check_replaceable(target: &Path) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::Usage(format!(
            "--force: {} {why}; --force only replaces an earlier results directory. Choose \
             another --out",
            target.display()
        )))
    };
    if !target.is_dir() {
        return refuse("is not a directory");
    }
    if let (Ok(t), Ok(cwd)) = (target.canonicalize(), std::env::current_dir()) {
        if cwd.starts_with(&t) {
            return refuse("is the current directory or contains it");
        }
    }
    let empty = fs::read_dir(target)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    let ours = fs::read_to_string(target.join("manifest.json"))
        .map(|m| m.contains("\"tool\": \"dialogue-wargame\""))
        .unwrap_or(false);
    if !(empty || ours) {
        return refuse("holds no manifest.json written by dialogue-wargame");
    }
    Ok(())
}

/// A working directory without an owner file younger than this may be a run that is just
/// starting (it writes owner.pid right after creating the directory).
fn just_created(tmp: &Path) -> bool {
    !tmp.join(OWNER).exists()
        && fs::metadata(tmp)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() < 30)
}

/// The process id of another live run writing `tmp`, if any (Linux: checked in /proc).
fn live_owner(tmp: &Path) -> Option<u32> {
    let pid: u32 = fs::read_to_string(tmp.join(OWNER))
        .ok()?
        .trim()
        .parse()
        .ok()?;
    // A zombie (state Z) has finished; its entry lingers until its parent reaps it.
    let alive = match fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    };
    (alive && pid != std::process::id()).then_some(pid)
}

/// A results directory being written.
pub struct ResultsDir {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    resumed: bool,
    done: bool,
}

/// The hidden working directory of a target.
pub fn partial_dir(target: &Path) -> PathBuf {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // The name is kept as bytes (OsString): a lossy one could differ from the target's, and
    // two targets could share it.
    let mut name = std::ffi::OsString::from(".");
    name.push(target.file_name().unwrap_or("results".as_ref()));
    name.push(".partial");
    parent.join(name)
}

/// With `--resume` and no `--out`: the default directory whose interrupted run is pending.
pub fn resumable_out_dir(root: &Path, scenario: &str, seed: u64) -> Option<PathBuf> {
    let base = format!("{scenario}-seed{seed}");
    let candidates = std::iter::once(root.join(&base))
        .chain((2..10_000).map(|k| root.join(format!("{base}-{k}"))));
    for c in candidates {
        if partial_dir(&c).exists() && !c.exists() {
            return Some(c);
        }
        if !c.exists() && !partial_dir(&c).exists() {
            return None;
        }
    }
    None
}

impl ResultsDir {
    /// Start writing results for `target`. Fails, before any work, when `target` exists and
    /// `force` is false (or, with `force`, when it is not an earlier results directory), when
    /// another live run is writing it, or when an interrupted run left a checkpoint and neither
    /// `resume` nor `force` was given. With `resume`, an existing working directory is kept.
    pub fn create(target: &Path, force: bool, resume: bool) -> Result<ResultsDir> {
        if target.exists() {
            if !force {
                return Err(Error::Usage(format!(
                    "{} already exists; refusing to overwrite earlier results. Choose another \
                     --out, or pass --force to replace it",
                    target.display()
                )));
            }
            check_replaceable(target)?;
        }
        let tmp = partial_dir(target);
        let parent = tmp.parent().map(Path::to_path_buf).unwrap_or_default();
        fs::create_dir_all(&parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        if tmp.exists() {
            if let Some(pid) = live_owner(&tmp) {
                return Err(Error::Usage(format!(
                    "another run (process {pid}) is writing to {}; wait for it to finish or \
                     choose another --out (if no such run exists, delete {})",
                    target.display(),
                    tmp.display()
                )));
            }
            if !tmp.join(CHECKPOINT).exists() && !just_created(&tmp) {
                // A run killed before its first checkpoint: nothing worth keeping.
                fs::remove_dir_all(&tmp)
                    .map_err(|e| Error::io(format!("cannot remove {}", tmp.display()), e))?;
            }
        }
        let resumed = if tmp.exists() {
            if resume {
                true
            } else if force {
                fs::remove_dir_all(&tmp)
                    .map_err(|e| Error::io(format!("cannot remove {}", tmp.display()), e))?;
                false
            } else if tmp.join(CHECKPOINT).exists() {
                return Err(Error::Usage(format!(
                    "an interrupted run to {} left its work in {}; pass --resume to continue it \
                     (same command), or --force to start over",
                    target.display(),
                    tmp.display()
                )));
            } else {
                return Err(Error::Usage(format!(
                    "another run is starting to write {}; choose another --out",
                    target.display()
                )));
            }
        } else if resume {
            return Err(Error::Usage(format!(
                "--resume: nothing to resume for {} (no {}); run without --resume",
                target.display(),
                tmp.display()
            )));
        } else {
            false
        };
        if !resumed {
            // Creating the working directory is the atomic claim on the target.
            fs::create_dir(&tmp).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Error::Usage(format!(
                    "another run is starting to write {}; choose another --out",
                    target.display()
                )),
                _ => Error::io(
                    format!(
                        "cannot write results next to {} (is the directory writable?)",
                        target.display()
                    ),
                    e,
                ),
            })?;
        }
        ResultsDir::claimed(target, tmp, force, resumed)
    }

    /// Start writing results in the first free default directory `root/BASE`, `root/BASE-2`,
    /// ...: a name another run claims at the same moment is skipped, not fought over.
    pub fn create_default(root: &Path, base: &str) -> Result<ResultsDir> {
        fs::create_dir_all(root)
            .map_err(|e| Error::io(format!("cannot create {}", root.display()), e))?;
        for k in 1u32.. {
            let target = match k {
                1 => root.join(base),
                _ => root.join(format!("{base}-{k}")),
            };
            let tmp = partial_dir(&target);
            if target.exists() || tmp.exists() {
                continue;
            }
            match fs::create_dir(&tmp) {
                Ok(()) if target.exists() => {
                    // Another run committed this name between the check and the claim.
                    let _ = fs::remove_dir(&tmp);
                }
                Ok(()) => return ResultsDir::claimed(&target, tmp, false, false),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
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

    fn claimed(target: &Path, tmp: PathBuf, force: bool, resumed: bool) -> Result<ResultsDir> {
        fs::write(tmp.join(OWNER), std::process::id().to_string())
            .map_err(|e| Error::io(format!("cannot write in {}", tmp.display()), e))?;
        Ok(ResultsDir {
            target: target.to_path_buf(),
            tmp,
            force,
            resumed,
            done: false,
        })
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

    /// Make the results visible: drop the checkpoint, fsync, rename into place.
    pub fn commit(mut self) -> Result<PathBuf> {
        let _ = fs::remove_file(self.tmp.join(CHECKPOINT));
        let _ = fs::remove_file(self.tmp.join(OWNER));
        if let Ok(entries) = fs::read_dir(&self.tmp) {
            for entry in entries.flatten() {
                if let Ok(f) = fs::File::open(entry.path()) {
                    f.sync_all().map_err(|e| {
                        Error::io(format!("cannot flush {}", entry.path().display()), e)
                    })?;
                }
            }
        }
        if self.target.exists() {
            if !self.force {
                return Err(Error::Usage(format!(
                    "{} appeared while the run was going; not overwriting it",
                    self.target.display()
                )));
            }
            // Move the old results aside first so that at every moment one complete set exists.
            let old = self.tmp.with_extension("old");
            let _ = fs::remove_dir_all(&old);
            fs::rename(&self.target, &old).map_err(|e| {
                Error::io(format!("cannot move aside {}", self.target.display()), e)
            })?;
            fs::rename(&self.tmp, &self.target)
                .map_err(|e| Error::io(format!("cannot create {}", self.target.display()), e))?;
            let _ = fs::remove_dir_all(&old);
        } else {
            fs::rename(&self.tmp, &self.target)
                .map_err(|e| Error::io(format!("cannot create {}", self.target.display()), e))?;
        }
        if let Some(parent) = self.target.parent() {
            if let Ok(d) = fs::File::open(if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            }) {
                let _ = d.sync_all();
            }
        }
        self.done = true;
        Ok(self.target.clone())
    }
}

impl Drop for ResultsDir {
    /// An abandoned run removes its working directory unless it holds a checkpoint to resume.
    fn drop(&mut self) {
        if !self.done && !self.tmp.join(CHECKPOINT).exists() {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}
