//! Keeping secrets out of everything the tool prints: URL user-info is shown
//! as `user:***@`, never with its password; a file named as a secret must
//! not be readable by others.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use reqwest::Url;

/// `url` for display: a password becomes `***` (`http://admin:***@host/`).
pub fn url(u: &Url) -> String {
    if u.password().is_none() {
        return u.to_string();
    }
    let mut shown = u.clone();
    // Setting a password only fails for URLs that cannot have one, and those
    // have none to hide.
    let _ = shown.set_password(Some("***"));
    shown.to_string()
}

/// The same for URL text that may not parse: the part between `://` and
/// the `@` of the authority loses everything after its first `:`.
pub(crate) fn url_text(text: &str) -> String {
    if let Ok(u) = Url::parse(text) {
        return url(&u);
    }
    let Some(scheme_end) = text.find("://") else {
        return text.to_string();
    };
    let rest = &text[scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return text.to_string();
    };
    let userinfo = &rest[..at];
    let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
    let shown_info = if userinfo.contains(':') {
        format!("{user}:***")
    } else {
        user.to_string()
    };
    format!("{}{shown_info}{}", &text[..scheme_end + 3], &rest[at..])
}

/// The warning for a password, token or key file its group or others can
/// read (as ssh warns for keys): a secret the whole host can read.
pub(crate) fn shared_secret(path: &Path, what: &str) -> Option<String> {
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (mode & 0o077 != 0).then(|| {
        format!(
            "{what} {} is readable by {} (mode {:04o}); chmod 600 it",
            path.display(),
            if mode & 0o007 != 0 {
                "everyone"
            } else {
                "its group"
            },
            mode & 0o7777
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        let u = Url::parse("http://admin:secret@host:9092/x").unwrap();
        assert_eq!(url(&u), "http://admin:***@host:9092/x");
        let plain = Url::parse("http://host:9092/").unwrap();
        assert_eq!(url(&plain), "http://host:9092/");
        assert_eq!(
            url_text("http://admin:s3cr3t@[bad/metrics"),
            "http://admin:***@[bad/metrics"
        );
        assert_eq!(url_text("no url here"), "no url here");
        assert!(!url_text("https://u:p@h:1/").contains(":p@"));
    }
}
