//! Go's `regexp` (RE2 syntax) and `Regexp.Expand`, as Prometheus runs them,
//! on top of the `regex` crate. Written by hand because exactness is the
//! point: a relabel rule must keep, drop and rewrite what Prometheus does.
//!
//! Where the two engines read a pattern differently, the pattern is
//! rewritten before it reaches `regex`:
//! - Go's Perl classes and word boundaries are ASCII (`\d` is `[0-9]`, `\w`
//!   `[0-9A-Za-z_]`, `\s` `[\t\n\f\r ]`); the `regex` crate's are Unicode;
//! - `\Q…\E` quotes literally in Go; `regex` has no such syntax;
//! - `\123` is an octal character code in Go (a lone `\1` is an error);
//! - inside a class `&&`, `--` and `~~` are set operations in `regex` and
//!   plain characters in Go.
//!
//! And what Go refuses is refused here (`regex` would accept it): the `x`
//! flag, `\<` `\>` `\b{…}` word assertions, repetition counts over 1000,
//! and escapes of letters Go does not know.

use std::fmt::Write;

/// The largest repetition count Go accepts (`a{1001}` is an error).
const MAX_REPEAT: u32 = 1000;

/// A Go RE2 pattern that the regex crate cannot be given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum RegexError {
    #[error("{0}")]
    Syntax(String),
}

message_into_string!(RegexError);

/// Rewrite a Go regular expression into one the `regex` crate reads the
/// same way, or say why Go would refuse it. `angle_names`: the Go release
/// accepts `(?<name>…)` (Go 1.22 and later: Prometheus 3.x; 2.42 was built
/// with Go 1.19, which knows only `(?P<name>…)`).
pub(crate) fn translate(pattern: &str, angle_names: bool) -> Result<String, RegexError> {
    translate_text(pattern, angle_names).map_err(RegexError::Syntax)
}

fn translate_text(pattern: &str, angle_names: bool) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    // Depth of open bracket classes (`regex` nests them; Go does not, so
    // only the outermost counts).
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    return Err("trailing backslash at end of expression".into());
                };
                i += 2;
                match next {
                    'Q' => {
                        // Literal text up to `\E` (or the end).
                        let mut lit = String::new();
                        while i < chars.len() {
                            if chars[i] == '\\' && chars.get(i + 1) == Some(&'E') {
                                i += 2;
                                break;
                            }
                            lit.push(chars[i]);
                            i += 1;
                        }
                        for ch in lit.chars() {
                            push_literal(&mut out, ch, in_class);
                        }
                    }
                    'd' | 'D' | 'w' | 'W' | 's' | 'S' => {
                        out.push_str(perl_class(next, in_class));
                    }
                    'b' | 'B' if !in_class => {
                        if chars.get(i) == Some(&'{') {
                            return Err(format!("invalid escape sequence: `\\{next}{{`"));
                        }
                        // Go's word boundary is ASCII.
                        let _ = write!(out, "(?-u:\\{next})");
                    }
                    '0'..='7' => {
                        // Go: `\0` starts an octal code; `\1`-`\7` only when
                        // another octal digit follows (else a backreference,
                        // which RE2 does not support).
                        let mut digits = String::from(next);
                        while digits.len() < 3
                            && chars.get(i).is_some_and(|d| ('0'..='7').contains(d))
                        {
                            digits.push(chars[i]);
                            i += 1;
                        }
                        if next != '0' && digits.len() == 1 {
                            return Err(format!("invalid escape sequence: `\\{next}`"));
                        }
                        let code = u32::from_str_radix(&digits, 8).unwrap_or(0);
                        let ch = char::from_u32(code).unwrap_or('\0');
                        push_literal(&mut out, ch, in_class);
                    }
                    '8' | '9' => return Err(format!("invalid escape sequence: `\\{next}`")),
                    // What Go knows, the same way in `regex`.
                    'A' | 'z' | 'a' | 'f' | 't' | 'n' | 'r' | 'v' | 'x' | 'p' | 'P' => {
                        out.push('\\');
                        out.push(next);
                    }
                    'b' => out.push_str("\\x08"),
                    // Go: an escaped non-word character is itself (`\<` is
                    // `<`, where `regex` reads a word-start assertion).
                    c if c.is_ascii_punctuation() => push_literal(&mut out, c, in_class),
                    other => return Err(format!("invalid escape sequence: `\\{other}`")),
                }
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                i += 1;
                // A leading `^` and a leading `]` are part of the class head.
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
                continue;
            }
            '[' if in_class => {
                // `[:alpha:]` is a POSIX class in both; any other `[` inside
                // a class is a plain character in Go, a nested class in
                // `regex`.
                if chars.get(i + 1) == Some(&':')
                    && let Some(end) = (i + 2..chars.len().saturating_sub(1))
                        .find(|&j| chars[j] == ':' && chars[j + 1] == ']')
                {
                    out.extend(&chars[i..end + 2]);
                    i = end + 2;
                    continue;
                }
                out.push_str("\\[");
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.get(i + 1) == Some(&'-') => {
                out.push_str("\\-");
            }
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                check_group(&chars[i..], angle_names)?;
                out.push(c);
            }
            '{' if !in_class => {
                // Not a repetition (`{,2}`, a lone `{`): Go reads it
                // literally, `regex` refuses it.
                if check_repeat(&chars[i..])? {
                    out.push(c);
                } else {
                    out.push_str("\\{");
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// A character as a literal, inside or outside a class.
fn push_literal(out: &mut String, ch: char, in_class: bool) {
    let special = if in_class {
        "\\]^-[&~"
    } else {
        "\\.+*?()|[]{}^$#&-~"
    };
    if special.contains(ch) || ch.is_whitespace() {
        let _ = write!(out, "\\x{{{:x}}}", ch as u32);
    } else {
        out.push(ch);
    }
}

/// Go's ASCII Perl classes.
fn perl_class(c: char, in_class: bool) -> &'static str {
    match (c, in_class) {
        ('d', false) => "[0-9]",
        ('d', true) => "0-9",
        ('D', _) => "[^0-9]",
        ('w', false) => "[0-9A-Za-z_]",
        ('w', true) => "0-9A-Za-z_",
        ('W', _) => "[^0-9A-Za-z_]",
        ('s', false) => "[\\t\\n\\x0C\\r ]",
        ('s', true) => "\\t\\n\\x0C\\r ",
        _ => "[^\\t\\n\\x0C\\r ]",
    }
}

/// `(?flags)`, `(?flags:…)`, `(?P<name>…)`, `(?<name>…)`: Go knows the
/// flags `i m s U` only.
fn check_group(rest: &[char], angle_names: bool) -> Result<(), String> {
    let body: String = rest
        .iter()
        .skip(2)
        .take_while(|c| !matches!(c, ')' | ':'))
        .collect();
    if body.starts_with("P<") || angle_names && body.starts_with('<') {
        return Ok(());
    }
    if let Some(bad) = body
        .chars()
        .find(|c| !matches!(c, 'i' | 'm' | 's' | 'U' | '-'))
    {
        return Err(format!("invalid or unsupported Perl syntax: `(?{bad}`"));
    }
    Ok(())
}

/// Is this `{` a repetition (`{n}`, `{n,}`, `{n,m}`)? Counts over 1000
/// are an error, as in Go.
fn check_repeat(rest: &[char]) -> Result<bool, String> {
    let Some(end) = rest.iter().position(|c| *c == '}') else {
        return Ok(false);
    };
    let body: String = rest[1..end].iter().collect();
    let counts: Vec<&str> = body.split(',').collect();
    let digits = |n: &str| n.bytes().all(|b| b.is_ascii_digit());
    if counts.len() > 2 || counts[0].is_empty() || !counts.iter().all(|n| digits(n)) {
        return Ok(false);
    }
    for n in counts.iter().filter(|n| !n.is_empty()) {
        if n.parse::<u32>().map_or(true, |n| n > MAX_REPEAT) {
            return Err(format!("invalid repeat count: `{{{body}}}`"));
        }
    }
    Ok(true)
}

/// Go's `Regexp.Expand`: `$name` and `${name}`, a name being the longest
/// run of Unicode letters, digits and `_`; a name of digits without a
/// leading zero is a group number, any other name a named group; unknown or
/// unmatched groups are empty; `$$` is `$`; a malformed `${` is literal.
pub(crate) fn expand(template: &str, caps: &regex::Captures, names: &[Option<&str>]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let (brace, body) = match rest.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let len: usize = body
            .char_indices()
            .find(|(_, c)| !(c.is_alphabetic() || c.is_numeric() || *c == '_'))
            .map_or(body.len(), |(i, _)| i);
        let name = &body[..len];
        let closed = !brace || body[len..].starts_with('}');
        if name.is_empty() || !closed {
            out.push('$');
            continue;
        }
        rest = &body[len + usize::from(brace)..];
        let number = (name.bytes().all(|b| b.is_ascii_digit())
            && !(name.starts_with('0') && name.len() > 1))
            .then(|| name.parse::<usize>().ok())
            .flatten();
        let group = match number {
            Some(n) => caps.get(n),
            None => names
                .iter()
                .position(|n| *n == Some(name))
                .and_then(|i| caps.get(i)),
        };
        if let Some(m) = group {
            out.push_str(m.as_str());
        }
    }
    out.push_str(rest);
    out
}

/// Go's `unicode.ToLower`/`ToUpper` of one rune (simple case mapping,
/// which `strings.ToLower`/`ToUpper` apply rune by rune): the full mapping
/// when it is one character, else the few simple mappings that differ.
pub(crate) fn simple_case(c: char, upper: bool) -> char {
    let mut full = if upper {
        c.to_uppercase().collect::<Vec<char>>()
    } else {
        c.to_lowercase().collect::<Vec<char>>()
    };
    if full.len() == 1 {
        return full.remove(0);
    }
    let code = c as u32;
    let simple = match (upper, code) {
        (false, 0x130) => 0x69,
        // Greek with ypogegrammeni: to the capital with prosgegrammeni.
        (true, 0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7) => code + 8,
        (true, 0x1FB3) => 0x1FBC,
        (true, 0x1FC3) => 0x1FCC,
        (true, 0x1FF3) => 0x1FFC,
        _ => code,
    };
    char::from_u32(simple).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn go(re: &str) -> regex::Regex {
        regex::Regex::new(&format!("^(?:{})$", translate(re, true).unwrap())).unwrap()
    }

    #[test]
    fn classes_are_ascii_as_in_go() {
        assert!(go("\\d+").is_match("123"));
        assert!(!go("\\d+").is_match("١٢٣"));
        assert!(!go("\\w+").is_match("é"));
        assert!(go("\\W").is_match("é"));
        assert!(!go("a\\sb").is_match("a\u{2003}b"));
        assert!(go("[\\d\\s]+").is_match("1 2"));
        assert!(go("[^\\d]").is_match("x"));
        // No ASCII word character, so no boundary at all.
        assert!(!go(".*\\b.*").is_match("é"));
        assert!(go(".*\\b.*").is_match("a"));
    }

    #[test]
    fn go_only_syntax_is_read_as_go_reads_it() {
        assert!(go("\\Q.*\\E").is_match(".*"));
        assert!(!go("\\Q.*\\E").is_match("ab"));
        assert!(go("\\101").is_match("A"));
        assert!(go("[a&&b]").is_match("&"));
        assert!(go("[[:alpha:]]+").is_match("abc"));
        assert!(go("a{2}").is_match("aa"));
        assert!(go("a{,2}").is_match("a{,2}"));
        assert!(go("\\<a\\>").is_match("<a>"));
    }

    #[test]
    fn what_go_refuses_is_refused() {
        for bad in ["(?x)a", "a{1001}", "\\1", "\\8", "\\q", "\\b{start}", "a\\"] {
            assert!(translate(bad, true).is_err(), "{bad}");
        }
        assert!(translate("(?<n>a)", false).is_err());
        assert!(translate("(?<n>a)", true).is_ok());
    }

    #[test]
    fn hostile_patterns_never_panic() {
        for p in [
            "\\Q",
            "\\Q\\",
            "[",
            "[[:",
            "[[:alpha",
            "(?",
            "(?P<",
            "{",
            "a{",
            "a{1,",
            "\\0",
            "\\08",
            "é\\Qé\\E[é-ü]{2}",
            "\\\\\\",
            "[^]",
            "[]]",
            "((((",
            "\\p",
            "\\x",
            "\\x{",
            "a{99999999999}",
        ] {
            if let Ok(t) = translate(p, true) {
                let _ = regex::Regex::new(&t);
            }
        }
        let re = regex::Regex::new("(é)").unwrap();
        let caps = re.captures("é").unwrap();
        let names: Vec<Option<&str>> = re.capture_names().collect();
        for t in ["$", "${", "${é", "$é}", "${1", "$$$", "é$1é", "${}"] {
            let _ = expand(t, &caps, &names);
        }
    }

    #[test]
    fn expand_follows_go() {
        let re = regex::Regex::new("(a)(?P<n>b)?").unwrap();
        let caps = re.captures("a").unwrap();
        let names: Vec<Option<&str>> = re.capture_names().collect();
        for (t, want) in [
            ("$1", "a"),
            ("${1}y", "ay"),
            ("$1y", ""),
            ("$1é", ""),
            ("$01", ""),
            ("y${1-}", "y${1-}"),
            ("$$1", "$1"),
            ("$n", ""),
            ("x$", "x$"),
        ] {
            assert_eq!(expand(t, &caps, &names), want, "{t}");
        }
    }

    #[test]
    fn case_mapping_is_simple() {
        assert_eq!(simple_case('İ', false), 'i');
        assert_eq!(simple_case('ᾳ', true), 'ᾼ');
        assert_eq!(simple_case('ß', true), 'ß');
        assert_eq!(simple_case('A', false), 'a');
    }
}
