//! Compact numbers for tables: sizes, durations, shares.

/// `512 B`, `3.2 KiB`, `58.0 MiB`.
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / f64::from(1 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}

/// "3.2s", "4m10s", "2h5m": compact ages and durations for tables.
pub fn seconds(secs: f64) -> String {
    if secs < 0.001 {
        return format!("{:.0}µs", secs * 1e6);
    }
    if secs < 1.0 {
        return format!("{:.0}ms", secs * 1e3);
    }
    if secs < 60.0 {
        return format!("{secs:.1}s");
    }
    let s = secs.round() as u64;
    if s < 3600 {
        format!("{}m{}s", s / 60, s % 60)
    } else {
        format!("{}h{}m", s / 3600, (s % 3600) / 60)
    }
}

/// A share as a percentage: one decimal below 10 %.
pub(crate) fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p < 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact() {
        assert_eq!(seconds(0.0123), "12ms");
        assert_eq!(seconds(3.21), "3.2s");
        assert_eq!(seconds(250.0), "4m10s");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(3 << 20), "3.0 MiB");
        assert_eq!(percent(0.0512), "5.1%");
        assert_eq!(percent(0.5), "50%");
    }
}
