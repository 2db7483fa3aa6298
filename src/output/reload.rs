//! reload's progress, one line per step as it happens: results on stdout,
//! what the tool did on the side (signals, skipped checks) on stderr.

use crate::error;
use crate::lifecycle::reload::ReloadStep;
use crate::promapi::reload::ReloadState;

pub fn show(step: ReloadStep) {
    match step {
        ReloadStep::Server {
            index,
            total,
            name,
            url,
        } => crate::outln!("[{}/{total}] {name} ({url})", index + 1),
        ReloadStep::NotValidated(file) => {
            error::warn(format!("--no-check: {} is not validated", file.display()));
        }
        ReloadStep::PromtoolMissing => {
            error::note("promtool is not on PATH; only the built-in checks ran");
        }
        ReloadStep::DryRun {
            how,
            confirm_url,
            lifecycle_api,
        } => {
            crate::outln!("dry run: would {how}, then confirm through {confirm_url}");
            match lifecycle_api {
                Some(true) => crate::outln!(
                    "Prometheus runs with --web.enable-lifecycle: POST /-/reload will work"
                ),
                Some(false) => crate::outln!(
                    "Prometheus runs without --web.enable-lifecycle: POST /-/reload would answer 403"
                ),
                None => {}
            }
        }
        ReloadStep::FallingBackToSignal(pid) => eprintln!(
            "/-/reload answered 403 (lifecycle API disabled); sending SIGHUP to PID {pid} instead"
        ),
        ReloadStep::Signalled(pid) => eprintln!("sent SIGHUP to PID {pid}"),
        ReloadStep::States { before, after } => {
            crate::outln!("config time before: {}", state(&before));
            if let Some(a) = after {
                crate::outln!("config time after:  {}", state(&a));
            }
        }
        ReloadStep::RunningDiffers { file, at } => error::warn(format!(
            "Prometheus runs a different config than {} (differs at {}); was it started with another --config.file?",
            file.display(),
            at.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        )),
        ReloadStep::NotCompared(why) => error::warn(why),
        ReloadStep::Confirmed => crate::outln!("reload confirmed"),
        ReloadStep::RollDone(n) => {
            crate::outln!("all {n} servers reloaded and confirmed, one at a time");
        }
    }
}

fn state(s: &ReloadState) -> String {
    let ok = match s.success {
        Some(true) => "last reload successful",
        Some(false) => "last reload FAILED",
        None => "reload status unknown",
    };
    format!("{} ({ok}, from {})", s.last_config_text, s.source)
}
