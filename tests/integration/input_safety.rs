//! Inputs that used to be accepted silently, crash the binary, or be blamed on the wrong
//! place (issue 12 items 4, 5, 7 and 8), where the malformed-input corpus cannot hold them:
//! arguments too long for an `.args` line, several files, results directories to tamper with.

use super::util::Dir;

#[test]
fn an_absurdly_deep_set_path_is_refused_without_a_crash() {
    // 50,000 parts once overflowed the stack while the path was walked (exit 134).
    let d = Dir::new();
    let set = format!("{}b=1", "a.".repeat(50_000));
    let r = d.run(&["validate", "baseline", "--set", &set]).code_is(2);
    let err = r.stderr();
    assert!(
        err.starts_with("error: --set a.a.a.…: the key path has 50001 parts"),
        "{}",
        &err[..err.len().min(300)]
    );
    assert!(err.len() < 1000, "the message repeats the whole path");
}
