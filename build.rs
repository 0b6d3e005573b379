//! Records the git commit the tool is built from, for manifest.json's `tool_commit`.
//!
//! Built from a git checkout (a `.git` directory, or the `.git` file of a worktree, beside
//! Cargo.toml) with git on the PATH, the commit is `git rev-parse HEAD`; anywhere else (a
//! tarball, a vendored copy, no git) it is `unknown`. Nothing here can fail the build: every
//! failure means `unknown`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = if dir.join(".git").exists() {
        watch_head(&dir);
        git(&dir, &["rev-parse", "HEAD"]).filter(|c| is_commit(c))
    } else {
        None
    };
    println!(
        "cargo:rustc-env=DIALOGUE_WARGAME_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
}

/// Rebuild when HEAD moves: HEAD itself (a checkout of another branch), the branch's ref (a
/// commit), and packed-refs (where `git gc` moves refs). In a worktree these live in the main
/// repository's `.git`, which `git rev-parse --git-path` finds. Only existing files are named:
/// cargo reruns a build script on every build when a watched file is missing.
fn watch_head(dir: &Path) {
    let mut names = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        names.push(branch);
    }
    for name in names {
        if let Some(p) = git(dir, &["rev-parse", "--git-path", &name]) {
            let p = dir.join(p);
            if p.is_file() {
                println!("cargo:rerun-if-changed={}", p.display());
            }
        }
    }
}

/// The trimmed standard output of a successful git command, if any.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// A full commit id: 40 (SHA-1) or 64 (SHA-256) hex digits.
fn is_commit(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}
