//! The `lantern` command line: `serve` (the default), `migrate`, `import`, `reindex`, `backup`,
//! `admin create`.

use crate::app::{AppState, Server};
use crate::config::Config;
use crate::content;
use crate::platform::clock::SystemClock;
use crate::platform::telemetry::init_logging;
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser, Debug)]
#[command(name = "lantern", version, about = "Continuous professional development for health workers")]
pub struct Cli {
    /// Configuration file (default: ./lantern.toml if present).
    #[arg(long, env = "LANTERN_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve Lantern (applies migrations and imports `content/` into an empty database first).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Import a content folder (`content/`), a course package folder or .zip, or a course pack
    /// (`/courses/<slug>/pack.zip`, its checksums verified first).
    Import {
        /// A folder such as `content/` or `content/courses/hand-hygiene`, or a .zip.
        path: PathBuf,
    },
    /// Write a course's published version as a package folder (the format `import` reads).
    Export {
        /// The course's slug, e.g. `hand-hygiene`.
        course: String,
        /// The folder to write into; the package becomes `<OUT>/<course>/`.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
    /// Rebuild the search index from the database.
    Reindex,
    /// Write a consistent copy of the SQLite database to PATH while Lantern may keep serving.
    Backup {
        /// Where to write the copy (must not exist).
        path: PathBuf,
    },
    /// Platform administration.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The CPD credit ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum LedgerCommand {
    /// Check every learner's chain of credit entries; name the first entry that does not fit
    /// (exit status 1).
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create a platform admin (or promote an existing account). Without --password-stdin,
    /// prints a one-time link to set the password.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read the password from standard input instead of printing a link.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Runs the command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    init_logging(&config.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let server = Server::build(config).await?;
            let url = server.state().config.public_url();
            tracing::info!(%url, "Lantern is serving");
            println!("Lantern is serving at {url}  (Ctrl-C stops it)");
            server.run().await
        }
        Command::Migrate => {
            AppState::open(config, Arc::new(SystemClock)).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::Import { path } => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let report = content::import_with_progress(&state, &path, |done, total| {
                if terminal {
                    eprint!("\r{}", progress_bar(done, total));
                }
            })
            .await?;
            if terminal {
                eprintln!();
            }
            println!(
                "Imported {}: {} organisation(s) created, {} already present; {} framework version(s) published, {} unchanged; {} course version(s) published, {} unchanged.",
                path.display(),
                report.organisations_created,
                report.organisations_existing,
                report.frameworks_published,
                report.frameworks_unchanged,
                report.courses_published,
                report.courses_unchanged
            );
            Ok(())
        }
        Command::Export { course, out } => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let package =
                state.courses.export(&course).await.map_err(|e| anyhow::anyhow!("{course}: {e}"))?;
            let files = crate::courses::package::write(&package)?;
            let dir = out.join(&package.slug);
            crate::courses::package::write_to_dir(&files, &dir)
                .with_context(|| format!("writing {}", dir.display()))?;
            println!("Exported {course} to {} ({} files).", dir.display(), files.files.len());
            Ok(())
        }
        Command::Reindex => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
            let count = state
                .search
                .rebuild(|done, total| {
                    if terminal {
                        eprint!("\r{}", progress_bar(done, total));
                    }
                })
                .await?;
            if terminal {
                eprintln!();
            }
            println!("Rebuilt the search index with {count} document(s).");
            Ok(())
        }
        Command::Backup { path } => backup(config, path).await,
        Command::Ledger { command: LedgerCommand::Verify } => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let heads = match state.credits.verify_ledger().await.map_err(|e| anyhow::anyhow!("{e}"))? {
                Ok(heads) => heads,
                Err(broken) => return Err(anyhow::anyhow!("the ledger does not verify: {broken}")),
            };
            let checkpoints =
                match state.credits.verify_checkpoints().await.map_err(|e| anyhow::anyhow!("{e}"))? {
                    Ok(count) => count,
                    Err(broken) => return Err(anyhow::anyhow!("the ledger does not verify: {broken}")),
                };
            let entries: i64 = heads.iter().map(|(_, seq, _)| i64::from(*seq)).sum();
            println!(
                "The ledger verifies: {} chains, {entries} entries, {checkpoints} signed checkpoints.",
                heads.len()
            );
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { email, name, password_stdin } } => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let password = if password_stdin {
                let mut text = String::new();
                std::io::stdin().read_to_string(&mut text).context("reading the password")?;
                Some(text.trim_end_matches(['\n', '\r']).to_owned())
            } else {
                None
            };
            match state.accounts.create_platform_admin(&email, &name, password.as_deref()).await {
                Ok(Some(link)) => {
                    println!("Platform admin {email} is ready. Set the password within 24 hours at:\n{link}")
                }
                Ok(None) => println!("Platform admin {email} is ready."),
                Err(crate::accounts::service::AccountsError::Invalid(problems)) => {
                    let lang = crate::platform::ui::Lang::En;
                    let list: Vec<String> =
                        problems.iter().map(|(f, k)| format!("--{f}: {}", lang.t(k))).collect();
                    bail!("{}", list.join("\n"));
                }
                Err(error) => return Err(anyhow::anyhow!("{error}")),
            }
            Ok(())
        }
    }
}

/// `VACUUM INTO` writes a consistent snapshot through SQLite's own reader, so the server keeps
/// serving while it runs.
async fn backup(config: Config, path: PathBuf) -> anyhow::Result<()> {
    if path.exists() {
        bail!("{} already exists; choose a new file", path.display());
    }
    let state = AppState::open(config, Arc::new(SystemClock)).await?;
    if state.db.backend() != DbBackend::Sqlite {
        bail!("backup copies the SQLite database; for PostgreSQL use pg_dump (see deploy/README.md)");
    }
    let target = path.to_str().context("the backup path must be valid UTF-8")?;
    state
        .db
        .write()
        .execute_raw(Statement::from_sql_and_values(DbBackend::Sqlite, "VACUUM INTO ?", [target.into()]))
        .await
        .context("writing the backup")?;
    println!("Backed up the database to {}.", path.display());
    println!(
        "Its signing keys are sealed under {}: keep a copy of that file too, stored apart.",
        state.config.secrets_key_file().display()
    );
    Ok(())
}

/// `[########------------]  12/30` for a terminal line.
fn progress_bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
    format!("[{}{}] {done:>5}/{total}", "#".repeat(filled), "-".repeat(WIDTH - filled))
}
