//! Thin entry point: parse the command line, build the runtime, run, map the
//! outcome to an exit code. Everything else lives in the library.

use std::process::ExitCode;

use gpucharts_mon::cli::Command;

// mimalloc: parsing big API answers and expositions is allocation-bound;
// it is markedly faster than glibc malloc there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Parsing first: `--version`, `--help` and usage errors never pay for a runtime.
    let cli = gpucharts_mon::cli::parse();
    // Fetching and parsing many endpoints uses both cores; everything else
    // is one request or none, where a single-threaded runtime starts faster.
    let parallel = matches!(
        cli.command,
        Command::TestPull(_) | Command::Demo(_) | Command::ServeDemo(_) | Command::Smoke(_)
    );
    let mut builder = if parallel {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("gpucharts-mon: error: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(gpucharts_mon::run(cli)) {
        Ok(code) => code,
        Err(err) => gpucharts_mon::error::report(&err),
    }
}
