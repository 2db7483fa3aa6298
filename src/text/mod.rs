//! Text for people: what makes a peer's text safe to show (terminals,
//! XML) and compact numbers. A leaf every layer may use; it writes nothing.

pub mod human;

/// Text from a peer (labels, `lastError`, error bodies, health answers,
/// parse-error excerpts), made safe for a terminal: control characters
/// (C0 but the line feed, DEL, C1) and Unicode bidi controls are shown as
/// `\u{1b}`-style escapes, never interpreted, so a peer cannot move the
/// cursor, recolour, overwrite a line or reorder what is shown.
pub(crate) fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c != '\n' && terminal_unsafe(c);
    if !s.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A character a terminal acts on rather than shows: C0 and C1 controls
/// (line feed included) and the bidirectional overrides and isolates.
pub(crate) fn terminal_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text for an XML 1.0 attribute or element: markup characters as entities;
/// characters XML 1.0 forbids (U+FFFE, U+FFFF) and every terminal-unsafe
/// one but tab and line feed (carriage return and bidi controls included)
/// written as visible `\u{..}` text, as tables show them, so the report
/// always parses and never rewrites a CI log.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            c if terminal_unsafe(c) || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                out.push_str(&c.escape_unicode().to_string());
            }
            c => out.push(c),
        }
    }
    out
}
