//! `lantern`: see `lantern --help`.

use clap::Parser;
use lantern::cli::{Cli, run};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("lantern: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
