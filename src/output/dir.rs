//! The results directory, written atomically: files go to a hidden temporary directory beside
//! the target, which is renamed into place only when every file is complete. An existing
//! directory is never overwritten unless asked (`--force`), and then only after the new one is
//! complete.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A results directory being written.
pub struct ResultsDir {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    done: bool,
}

/// The first of `results/NAME-seedS`, `results/NAME-seedS-2`, ... that does not exist.
pub fn default_out_dir(root: &Path, scenario: &str, seed: u64) -> PathBuf {
    let base = format!("{scenario}-seed{seed}");
    let mut candidate = root.join(&base);
    let mut k = 2;
    while candidate.exists() {
        candidate = root.join(format!("{base}-{k}"));
        k += 1;
    }
    candidate
}

impl ResultsDir {
    /// Start writing results for `target`. Fails, before any work, when `target` exists and
    /// `force` is false.
    pub fn create(target: &Path, force: bool) -> Result<ResultsDir> {
        if target.exists() && !force {
            return Err(Error::Usage(format!(
                "{} already exists; refusing to overwrite earlier results. Choose another --out, \
                 leave --out away for a fresh directory under results/, or pass --force to replace it",
                target.display()
            )));
        }
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "results".into());
        let tmp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if tmp.exists() {
            let _ = fs::remove_dir_all(&tmp);
        }
        fs::create_dir(&tmp).map_err(|e| {
            Error::io(
                format!(
                    "cannot write results next to {} (is the directory writable?)",
                    target.display()
                ),
                e,
            )
        })?;
        Ok(ResultsDir {
            target: target.to_path_buf(),
            tmp,
            force,
            done: false,
        })
    }

    /// Path of a file inside the temporary directory.
    pub fn file(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// Where the results will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Make the results visible: fsync, then rename the temporary directory into place.
    pub fn commit(mut self) -> Result<PathBuf> {
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
                    "{} appeared while the run was going; not overwriting it. The results are \
                     in {}",
                    self.target.display(),
                    self.tmp.display()
                )));
            }
            // Move the old results aside first so that at every moment one complete set exists.
            let old = self.tmp.with_extension("old");
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
        self.done = true;
        Ok(self.target.clone())
    }
}

impl Drop for ResultsDir {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.tmp);
        }
    }
}
