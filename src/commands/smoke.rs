//! `gpucharts-mon smoke`: the CI step in one command (see `smoke` for the
//! stages); a summary table, and a JUnit report with a suite per stage.

use std::process::ExitCode;

use crate::Ctx;
use crate::cli::SmokeArgs;
use crate::context;
use crate::error;
use crate::output::junit::render;
use crate::output::smoke::{suites, summary};
use crate::smoke;

pub async fn run(args: &SmokeArgs, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let stages = smoke::run(context::smoke::plan(args, ctx)?).await;
    let suites = suites(&stages);
    crate::out!("{}", summary(&suites, ctx.color));
    if let Some(file) = &args.junit {
        crate::output::files::write_file(file, &render(&suites), true).map_err(error::domain)?;
        eprintln!("wrote {}", file.display());
    }
    Ok(if stages.iter().any(smoke::Stage::failed) {
        ExitCode::from(error::Kind::Failed.code())
    } else {
        ExitCode::SUCCESS
    })
}
