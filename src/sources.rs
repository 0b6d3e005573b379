//! The sources the model rests on: claims of the source analysis (`C1`–`C20`), public facts
//! (`F1`–`F20`) and sources the project added (`S1`, …), as written in `docs/SOURCES.md`.
//!
//! The file is embedded at compile time and parsed once. Each entry there is a `### ID` heading,
//! a bold title line, the text, and a last paragraph starting with `Source:`; the tests below
//! check that every entry follows this format.
//!
//! [`cited`] finds the ids a free-text rationale cites, such as the comments beside the
//! defaults in `scenarios/baseline.toml`:
//!
//! ```
//! use dialogue_wargame::sources;
//! let ids = sources::cited("C14: >30 agreements over ~47 conferences; F13–F15");
//! assert_eq!(ids, ["C14", "F13", "F14", "F15"]);
//! assert!(sources::lookup("C14").is_some());
//! ```

use std::sync::OnceLock;

/// The text of `docs/SOURCES.md`, as compiled in.
pub const DOCUMENT: &str = include_str!("../docs/SOURCES.md");

/// One claim, fact or project-added source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The id, e.g. `C7`, `F13` or `S1`.
    pub id: &'static str,
    /// The title, without the bold markers.
    pub title: &'static str,
    /// The paragraphs between the title and the `Source:` line, trimmed.
    pub text: &'static str,
    /// What follows `Source:`, trimmed.
    pub source: &'static str,
}

/// Every entry, in the order of `docs/SOURCES.md` (claims, then facts, then project sources).
pub fn entries() -> Vec<Entry> {
    all().to_vec()
}

/// The entry with this id (exact, case-sensitive: `C7`, not `c7` or `C07`).
pub fn lookup(id: &str) -> Option<Entry> {
    all().iter().find(|e| e.id == id).copied()
}

/// The ids cited in `text`, in order of first appearance, without duplicates.
///
/// A citation is an upper-case `C`, `F` or `S` followed by digits (`C9`, `F13`, `S1`), with no
/// letter, digit or `_` just before or just after it (so `ECE1`, `F16s` and `F-16` cite
/// nothing). A range of the same kind joined by a hyphen or an en dash, with no spaces
/// (`C14-C16`, `F13–F17`), cites every id from one end to the other. Ids that
/// `docs/SOURCES.md` does not define (`C99`) are ignored, and so is the part of a range beyond
/// the last defined id.
pub fn cited(text: &str) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut add = |id: &'static str| {
        if !out.contains(&id) {
            out.push(id);
        }
    };
    let mut i = 0;
    while i < text.len() {
        let Some(first) = token_at(text, i) else {
            i += 1;
            continue;
        };
        i = first.end;
        let second = dash_len(text, first.end)
            .and_then(|d| token_at(text, first.end + d))
            .filter(|second| second.kind == first.kind);
        match (first.number, second) {
            (
                Some(a),
                Some(Token {
                    number: Some(b),
                    end,
                    ..
                }),
            ) => {
                let (lo, hi) = (a.min(b), a.max(b));
                let mut ids: Vec<(u32, &'static str)> = all()
                    .iter()
                    .filter_map(|e| {
                        let (kind, n) = split_id(e.id)?;
                        (kind == first.kind && (lo..=hi).contains(&n)).then_some((n, e.id))
                    })
                    .collect();
                ids.sort_unstable();
                ids.into_iter().for_each(|(_, id)| add(id));
                i = end;
            }
            _ => {
                if let Some(e) = lookup(&text[first.start..first.end]) {
                    add(e.id);
                }
            }
        }
    }
    out
}

/// The parsed entries, built on first use.
fn all() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| parse(DOCUMENT))
}

/// Split `doc` into entries at its `### ` headings. Anything the format does not expect is
/// kept as is (an empty title or source, say), for the tests to report.
fn parse(doc: &'static str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(pos) = find_line_start(rest, "### ") {
        let after = &rest[pos + 4..];
        let (heading, body_and_more) = after.split_once('\n').unwrap_or((after, ""));
        // The entry's body runs to the next heading of any level.
        let body_end = find_line_start(body_and_more, "#").unwrap_or(body_and_more.len());
        let body = body_and_more[..body_end].trim();
        let (title_line, after_title) = body.split_once('\n').unwrap_or((body, ""));
        let title = title_line.trim();
        let title = title
            .strip_prefix("**")
            .and_then(|t| t.strip_suffix("**"))
            .unwrap_or(title)
            .trim();
        let (text, source) = match find_line_start(after_title, "Source:") {
            Some(p) => (&after_title[..p], &after_title[p + "Source:".len()..]),
            None => (after_title, ""),
        };
        out.push(Entry {
            id: heading.trim(),
            title,
            text: text.trim(),
            source: source.trim(),
        });
        rest = &body_and_more[body_end..];
    }
    out
}

/// Byte offset of the first line of `s` that starts with `prefix`.
fn find_line_start(s: &str, prefix: &str) -> Option<usize> {
    if s.starts_with(prefix) {
        return Some(0);
    }
    let needle = format!("\n{prefix}");
    s.find(&needle).map(|p| p + 1)
}

/// An id-shaped token in a text: `kind` is `C`, `F` or `S`; `number` is `None` when the digits
/// do not fit a `u32`.
struct Token {
    kind: u8,
    number: Option<u32>,
    start: usize,
    end: usize,
}

/// Characters that may not touch a citation on either side.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The token starting at byte `i` of `text`, if there is one. `i` need not be a char boundary.
fn token_at(text: &str, i: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let kind = *bytes.get(i)?;
    if !matches!(kind, b'C' | b'F' | b'S') {
        return None;
    }
    // `kind` is ASCII, so `i` and `i + 1` are char boundaries.
    if text[..i].chars().next_back().is_some_and(is_word_char) {
        return None;
    }
    let digits = bytes[i + 1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let end = i + 1 + digits;
    if text[end..].chars().next().is_some_and(is_word_char) {
        return None;
    }
    Some(Token {
        kind,
        number: text[i + 1..end].parse().ok(),
        start: i,
        end,
    })
}

/// Length in bytes of a range dash (hyphen or en dash) at byte `i`, if there is one.
fn dash_len(text: &str, i: usize) -> Option<usize> {
    let c = text.get(i..)?.chars().next()?;
    matches!(c, '-' | '–').then(|| c.len_utf8())
}

/// `("C", 7)` from `"C7"`.
fn split_id(id: &str) -> Option<(u8, u32)> {
    let kind = *id.as_bytes().first()?;
    let number = id.get(1..)?.parse().ok()?;
    Some((kind, number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_claim_and_fact_is_present_and_complete() {
        for kind in ["C", "F"] {
            for n in 1..=20 {
                let id = format!("{kind}{n}");
                let e = lookup(&id).unwrap_or_else(|| panic!("{id} missing from SOURCES.md"));
                assert!(!e.title.is_empty(), "{id}: empty title");
                assert!(!e.text.is_empty(), "{id}: empty text");
                assert!(!e.source.is_empty(), "{id}: empty source");
            }
        }
    }

    #[test]
    fn every_entry_follows_the_format() {
        let entries = entries();
        assert!(lookup("S1").is_some() && lookup("S2").is_some());
        let mut seen = HashSet::new();
        for e in &entries {
            assert!(seen.insert(e.id), "{}: duplicate id", e.id);
            let (kind, n) = split_id(e.id).unwrap_or_else(|| panic!("bad id {:?}", e.id));
            assert!(
                matches!(kind, b'C' | b'F' | b'S') && n >= 1,
                "bad id {}",
                e.id
            );
            assert_eq!(e.id, format!("{}{n}", kind as char), "id not canonical");
            assert!(!e.title.is_empty() && !e.text.is_empty() && !e.source.is_empty());
            assert!(
                !e.title.contains('\n') && !e.title.contains("**"),
                "{}: title",
                e.id
            );
            for field in [e.title, e.text, e.source] {
                assert_eq!(field, field.trim(), "{}: untrimmed field", e.id);
                assert!(
                    !field.contains("\nSource:") && !field.contains("\n#"),
                    "{}",
                    e.id
                );
            }
            // The title line is bold in the file.
            let heading = format!("### {}\n**{}**\n", e.id, e.title);
            assert!(DOCUMENT.contains(&heading), "{}: heading and title", e.id);
        }
        // Claims, then facts, then project sources, each in numeric order.
        let order: Vec<(u8, u32)> = entries.iter().filter_map(|e| split_id(e.id)).collect();
        let rank = |k: u8| match k {
            b'C' => 0,
            b'F' => 1,
            _ => 2,
        };
        assert!(order
            .windows(2)
            .all(|w| (rank(w[0].0), w[0].1) < (rank(w[1].0), w[1].1)));
        // Every `### ` heading in the file became an entry.
        let headings = DOCUMENT.lines().filter(|l| l.starts_with("### ")).count();
        assert_eq!(headings, entries.len());
    }

    #[test]
    fn single_ids_in_order_without_duplicates() {
        assert_eq!(
            cited("C9 and F3; then C9 again, F3, S1."),
            ["C9", "F3", "S1"]
        );
        assert_eq!(cited("(C1) [F20] C20, 'S2'"), ["C1", "F20", "C20", "S2"]);
        assert_eq!(cited("C7:F4/S1"), ["C7", "F4", "S1"]);
        assert!(cited("").is_empty());
    }

    #[test]
    fn ranges_expand_with_hyphen_and_en_dash() {
        assert_eq!(cited("C14-C16"), ["C14", "C15", "C16"]);
        assert_eq!(cited("see C14–C16."), ["C14", "C15", "C16"]);
        assert_eq!(cited("F13–F17"), ["F13", "F14", "F15", "F16", "F17"]);
        assert_eq!(cited("C16–C14"), ["C14", "C15", "C16"]);
        assert_eq!(cited("C3-C3"), ["C3"]);
        // Ranges overlapping earlier ids add only the new ones.
        assert_eq!(cited("C15, C14–C16"), ["C15", "C14", "C16"]);
        // Different kinds are not a range.
        assert_eq!(cited("C14–F3"), ["C14", "F3"]);
        // Spaces around the dash, or an em dash, are not a range.
        assert_eq!(cited("C14 – C16"), ["C14", "C16"]);
        assert_eq!(cited("C14—C16"), ["C14", "C16"]);
        // A chain: one range, then a single id.
        assert_eq!(cited("C1-C2-C4"), ["C1", "C2", "C4"]);
    }

    #[test]
    fn word_boundaries() {
        assert!(cited("ECE1 F16s xC3 C3x C_3 _C3 C3_ F-16 C 3 c3 f13 CF13").is_empty());
        assert!(cited("éC1 C1é 3C1 C1２").is_empty());
        assert_eq!(cited("F16, not F16s"), ["F16"]);
        assert_eq!(cited("C14-C16s"), ["C14"]);
        assert_eq!(cited("«C2»"), ["C2"]);
    }

    #[test]
    fn unknown_ids_are_ignored() {
        assert!(cited("C99 F0 S999 C0-C0 X1").is_empty());
        assert_eq!(cited("C99, C5"), ["C5"]);
        assert_eq!(cited("C19–C25"), ["C19", "C20"]);
        assert!(cited("C21–C99").is_empty());
        assert!(lookup("C99").is_none() && lookup("c7").is_none() && lookup("").is_none());
        assert!(lookup("C07").is_none());
    }

    #[test]
    fn a_real_rationale() {
        assert_eq!(
            cited("C14: >30 significant trade agreements over ~47 conferences; F13-F15"),
            ["C14", "F13", "F14", "F15"]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        let huge = "C99999999999999999999999999999";
        for s in [
            "C",
            "C-",
            "C1-",
            "C1–",
            "–C1",
            "C1-C",
            "C1–é",
            "é",
            "ÉC",
            "C1–C99999999999999999999999",
            huge,
            "\u{0}C1\u{0}",
            "C1\r\nF2",
            "🙂C1🙂 C2🙂",
        ] {
            let _ = cited(s);
        }
        assert_eq!(cited("C1–C99999999999999999999999"), ["C1"]);
        assert_eq!(cited("\u{0}C1\u{0} 🙂C2🙂"), ["C1", "C2"]);
        let long = "C1-C20 F1–F20 ".repeat(10_000);
        assert_eq!(cited(&long).len(), 40);
    }
}
