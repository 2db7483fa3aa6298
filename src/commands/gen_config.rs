//! `gpucharts-mon gen-config`: prometheus.yml from the inventory and flags.

use std::process::ExitCode;

use crate::Ctx;
use crate::catalogue::ServiceRole;
use crate::cli::GenConfigArgs;
use crate::error;
use crate::inventory::{Inventory, Sourced};
use crate::output::files::{Bundle, WriteOptions, write_bundle};
use crate::promconfig::{self, validate::ConfigError};
use crate::promtool;

pub fn run(args: &GenConfigArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let inv = overlay(ctx.inventory.clone(), args);
    let generated = promconfig::build(&inv).map_err(|e| match e {
        ConfigError::Invalid(msg) => error::usage(msg),
        ConfigError::Internal(msg) => anyhow::anyhow!(msg),
    })?;
    for w in &generated.warnings {
        error::warn(w);
    }
    // Secrets are referenced by file; when such a file is on this host too,
    // say if others can read it.
    let s = &inv.scrape;
    for (file, what) in [
        (&s.basic_auth_password_file, "scrape password file"),
        (&s.bearer_token_file, "scrape bearer token file"),
    ] {
        if let Some(f) = file {
            crate::redact::warn_if_shared(std::path::Path::new(f), what);
        }
    }
    let text = promconfig::render(&generated.config).map_err(anyhow::Error::msg)?;
    let opts = WriteOptions::from(&args.out);
    if args.check {
        // promtool checks a copy in a scratch directory; relative references
        // to the user's files are anchored where the config will live.
        let dir = std::path::absolute(opts.side_dir())?;
        let copy =
            promconfig::render(&generated.config.anchored_at(&dir)).map_err(anyhow::Error::msg)?;
        promtool::enforce(promtool::check_text(
            "config",
            &copy,
            &generated.side_files,
        )?)?;
    }
    write_bundle(
        &Bundle {
            main: text,
            side_files: generated.side_files,
        },
        &opts,
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Flags override the inventory, which overrides the defaults.
fn overlay(mut inv: Inventory, a: &GenConfigArgs) -> Inventory {
    if let Some(e) = &a.environment {
        inv.environment = Sourced::new(e.clone(), "--environment");
    }
    let p = &mut inv.prometheus;
    if let Some(d) = a.scrape_interval {
        p.scrape_interval = Sourced::new(d, "--scrape-interval");
    }
    if let Some(d) = a.evaluation_interval {
        p.evaluation_interval = Sourced::new(d, "--evaluation-interval");
    }
    if let Some(d) = a.scrape_timeout {
        p.scrape_timeout = Some(Sourced::new(d, "--scrape-timeout"));
    }
    p.external_labels.extend(a.external_labels.iter().cloned());
    if a.self_scrape.is_some() {
        p.self_scrape.clone_from(&a.self_scrape);
    }
    p.rule_files.extend(a.rule_files.iter().cloned());
    if !a.alertmanagers.is_empty() {
        inv.alertmanagers.clone_from(&a.alertmanagers);
    }
    for role in ServiceRole::ALL {
        let (instances, flag, docker_service, docker_flag) = match role {
            ServiceRole::Logger => (
                &a.logger,
                "--logger",
                &a.docker_logger_service,
                "--docker-logger-service",
            ),
            ServiceRole::Server => (
                &a.server,
                "--server",
                &a.docker_server_service,
                "--docker-server-service",
            ),
        };
        let svc = inv.service_mut(role);
        if let Some(mode) = a.mode {
            svc.discovery = mode;
        }
        if !instances.is_empty() {
            svc.instances = Some(Sourced::new(instances.clone(), flag));
        }
        if !a.k8s_namespaces.is_empty() {
            svc.k8s_namespaces.clone_from(&a.k8s_namespaces);
        }
        if let Some(l) = &a.k8s_app_label {
            svc.k8s_app_label.clone_from(l);
        }
        if let Some(h) = &a.docker_host {
            svc.docker_host.clone_from(h);
        }
        if let Some(s) = docker_service {
            svc.docker_service = Sourced::new(s.clone(), docker_flag);
        }
    }
    crate::context::apply_scrape_flags(&mut inv.scrape, &a.security);
    inv
}
