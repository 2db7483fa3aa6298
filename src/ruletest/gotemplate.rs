//! The Go template forms the rules' annotations use (`$labels.NAME`,
//! `$value`, `printf`, `humanize*`), expanded as Prometheus would.

use std::collections::BTreeMap;

use super::RuleTestError;

/// Expand the Go template forms the rules' annotations use, as Prometheus
/// would for an alert with expression labels `labels` and value `value`.
pub(crate) fn expand(
    text: &str,
    labels: &BTreeMap<String, String>,
    value: f64,
) -> Result<String, RuleTestError> {
    expand_text(text, labels, value).map_err(RuleTestError::Template)
}

fn expand_text(
    text: &str,
    labels: &BTreeMap<String, String>,
    value: f64,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "an unclosed {{".to_string())?;
        out.push_str(&pipeline(after[..end].trim(), labels, value)?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

enum Piped {
    Text(String),
    Number(f64),
}

fn pipeline(expr: &str, labels: &BTreeMap<String, String>, value: f64) -> Result<String, String> {
    let mut stages = expr.split('|').map(str::trim);
    let head = stages.next().unwrap_or_default();
    let mut current = if head == "$value" {
        Piped::Number(value)
    } else if let Some(name) = head.strip_prefix("$labels.") {
        Piped::Text(
            labels
                .get(name)
                .cloned()
                .ok_or_else(|| format!("the alert has no label {name}"))?,
        )
    } else {
        return Err(format!("cannot predict {{{{ {expr} }}}}"));
    };
    for stage in stages {
        let Piped::Number(v) = current else {
            return Err(format!("cannot predict {{{{ {expr} }}}} on a label"));
        };
        current = Piped::Text(match stage {
            "humanizeDuration" => humanize_duration(v),
            "humanizePercentage" => format!("{}%", go_g4(v * 100.0)),
            s => match s
                .strip_prefix("printf \"%.")
                .and_then(|p| p.strip_suffix("f\""))
                .and_then(|p| p.parse::<usize>().ok())
            {
                Some(precision) => format!("{v:.precision$}"),
                None => return Err(format!("cannot predict the function {s:?}")),
            },
        });
    }
    Ok(match current {
        Piped::Text(s) => s,
        Piped::Number(v) => go_g(v),
    })
}

/// Go's `%.4g`.
fn go_g4(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return go_g(v);
    }
    let sci = format!("{v:.3e}");
    let exp: i32 = sci
        .rsplit_once('e')
        .and_then(|(_, e)| e.parse().ok())
        .unwrap_or(0);
    if (-4..4).contains(&exp) {
        let decimals = usize::try_from(3 - exp).unwrap_or(0);
        trim_zeros(format!("{v:.decimals$}"))
    } else {
        let (mantissa, _) = sci.split_once('e').unwrap_or((&sci, ""));
        let sign = if exp < 0 { '-' } else { '+' };
        format!(
            "{}e{sign}{:02}",
            trim_zeros(mantissa.to_string()),
            exp.abs()
        )
    }
}

fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Go's `%v` of a float64 for the values these tests produce.
fn go_g(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        v.to_string()
    }
}

/// Prometheus' `humanizeDuration` template function.
fn humanize_duration(v: f64) -> String {
    if !v.is_finite() {
        return go_g4(v);
    }
    if v == 0.0 {
        return "0s".into();
    }
    if v.abs() >= 1.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        let v = v.abs();
        let total = v as i64;
        let (days, hours, minutes, seconds) = (
            total / 86_400,
            (total / 3600) % 24,
            (total / 60) % 60,
            total % 60,
        );
        return if days != 0 {
            format!("{sign}{days}d {hours}h {minutes}m {seconds}s")
        } else if hours != 0 {
            format!("{sign}{hours}h {minutes}m {seconds}s")
        } else if minutes != 0 {
            format!("{sign}{minutes}m {seconds}s")
        } else {
            format!("{sign}{}s", go_g4(v))
        };
    }
    let mut v = v;
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    format!("{}{prefix}s", go_g4(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_formats() {
        assert_eq!(go_g4(975.0), "975");
        assert_eq!(go_g4(2.5), "2.5");
        assert_eq!(go_g4(50.000_000_001), "50");
        assert_eq!(go_g4(123_456.0), "1.235e+05");
        assert_eq!(go_g4(0.000_012_34), "1.234e-05");
        assert_eq!(humanize_duration(5.0), "5s");
        assert_eq!(humanize_duration(0.5), "500ms");
        assert_eq!(humanize_duration(1500.0), "25m 0s");
        assert_eq!(humanize_duration(90_061.0), "1d 1h 1m 1s");
        assert_eq!(humanize_duration(0.000_095), "95us");
    }

    #[test]
    fn expands_the_rules_forms() {
        let l = BTreeMap::from([("exchange".to_string(), "binance".to_string())]);
        assert_eq!(
            expand(
                "{{ $labels.exchange }} at {{ $value | printf \"%.2f\" }}/s, {{ $value | humanizePercentage }}",
                &l,
                0.5
            )
            .unwrap(),
            "binance at 0.50/s, 50%"
        );
        assert!(expand("{{ $labels.nope }}", &l, 1.0).is_err());
        assert!(expand("{{ $value | title }}", &l, 1.0).is_err());
        assert!(expand("{{ $value", &l, 1.0).is_err());
    }
}
