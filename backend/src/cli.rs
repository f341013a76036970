//! The `lantern` command line: `serve` (the default), `migrate`, `import`, `reindex`, `backup`,
//! `admin create`.

use crate::app::{AppState, Server};
use crate::config::Config;
use crate::content;
use crate::platform::clock::SystemClock;
use crate::platform::telemetry::init_logging;
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
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
    /// Add a synthetic population on top of the demo content, for load tests and workforce
    /// figures: learners (password "demo learner passphrase"; emails learner-SEED-I@demo.example.org),
    /// accredited courses, enrolments, completions with credits and certificates, self-assessments,
    /// mentors and mentoring requests.
    Demo {
        #[arg(long, default_value_t = 1000)]
        learners: usize,
        #[arg(long, default_value_t = 20)]
        courses: usize,
        /// Another seed makes another population beside this one.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
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
    /// Associations' certificate-signing keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Ask the server on `listen` whether it is alive (`/healthz`); exit status 0 if it is. For
    /// container health checks, where there is no curl.
    Healthcheck,
}

#[derive(Subcommand, Debug)]
pub enum KeysCommand {
    /// Retire an association's signing key: what it signed stays valid, the next certificate is
    /// signed by a new key (published in the association's JWKS).
    Rotate {
        /// The association's slug, e.g. `eanma`.
        association: String,
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
    /// Make an API token for an account and print it (once: only its hash is kept), as
    /// /account/tokens does; for scripts and for services that act as someone.
    Token {
        #[arg(long)]
        email: String,
        /// What the token is for, as the account's token list will show it.
        #[arg(long, default_value = "command line")]
        name: String,
        /// A scope such as `courses:read` or `credits:write`; repeat for more.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// Days until it expires (1 to 366).
        #[arg(long, default_value_t = 30)]
        days: i64,
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
        Command::Demo { learners, courses, seed } => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let started = std::time::Instant::now();
            let population = crate::demo::Population { learners, courses, seed };
            let made = crate::demo::generate(&state, &population, &|step| {
                eprintln!("[{:>6.1} s] {step}", started.elapsed().as_secs_f64());
            })
            .await?;
            println!(
                "Made {} course(s), {} learner(s), {} enrolment(s), {} lesson(s) read, {} completion(s) with credits, \
                 {} self-assessment(s), {} mentor(s), {} mentoring request(s) ({} matched) in {:.1} s. \
                 Sign in as {} with \"{}\".",
                made.courses,
                made.learners,
                made.enrolments,
                made.lessons_read,
                made.completions,
                made.assessments,
                made.mentors,
                made.requests,
                made.matched,
                started.elapsed().as_secs_f64(),
                crate::demo::learner_email(seed, 1),
                crate::demo::DEMO_PASSWORD,
            );
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
        Command::Healthcheck => healthcheck(&config.listen),
        Command::Keys { command: KeysCommand::Rotate { association } } => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            match state.credits.rotate_signing_key(&association).await {
                Ok(Some(kid)) => println!("Retired {kid}; the next certificate is signed by a new key."),
                Ok(None) => {
                    println!("{association} has no signing key yet; its first certificate makes one.")
                }
                Err(crate::credits::service::CreditsError::NotFound) => {
                    bail!("no association {association:?}")
                }
                Err(error) => return Err(anyhow::anyhow!("{error}")),
            }
            Ok(())
        }
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
        Command::Admin { command: AdminCommand::Token { email, name, scopes, days } } => {
            let state = AppState::open(config, Arc::new(SystemClock)).await?;
            let account =
                state.accounts.account_by_email(&email).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let Some(account) = account else { bail!("--email: no account has the address {email}") };
            match state.accounts.create_api_token(account.id, &name, &scopes, days).await {
                Ok((_, secret)) => println!("{secret}"),
                Err(error) => bail!("{}", cli_problems(error)),
            }
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
                Err(error) => bail!("{}", cli_problems(error)),
            }
            Ok(())
        }
    }
}

/// What the accounts service refused, worded for the command line: each problem after the option
/// it is about.
fn cli_problems(error: crate::accounts::service::AccountsError) -> String {
    match error {
        crate::accounts::service::AccountsError::Invalid(problems) => {
            let lang = crate::platform::ui::Lang::En;
            let list: Vec<String> = problems.iter().map(|(f, k)| format!("--{f}: {}", lang.t(k))).collect();
            list.join("\n")
        }
        other => other.to_string(),
    }
}

/// `VACUUM INTO` writes a consistent snapshot through SQLite's own reader, so the server keeps
/// serving while it runs.
async fn backup(config: Config, path: PathBuf) -> anyhow::Result<()> {
    let state = AppState::open(config, Arc::new(SystemClock)).await?;
    state.db.backup_to(&path).await.context("writing the backup")?;
    println!("Backed up the database to {}.", path.display());
    println!(
        "Its signing keys are sealed under {}: keep a copy of that file too, stored apart.",
        state.config.secrets_key_file().display()
    );
    Ok(())
}

/// One `GET /healthz` over a plain TCP connection to the listening address (a wildcard address
/// is asked on loopback), with a short timeout.
fn healthcheck(listen: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::net::{SocketAddr, TcpStream};
    use std::time::Duration;
    let mut address: SocketAddr = listen.parse().with_context(|| format!("listen = {listen:?}"))?;
    if address.ip().is_unspecified() {
        address.set_ip(if address.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    let timeout = Duration::from_secs(3);
    let mut stream =
        TcpStream::connect_timeout(&address, timeout).with_context(|| format!("connecting to {address}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    let mut answer = Vec::new();
    stream.take(4096).read_to_end(&mut answer)?;
    let status_line = answer.split(|b| *b == b'\n').next().unwrap_or_default();
    if status_line.starts_with(b"HTTP/1.1 200") {
        println!("Lantern at {address} is alive.");
        Ok(())
    } else {
        bail!("{address} answered {:?}", String::from_utf8_lossy(status_line).trim_end())
    }
}

/// `[########------------]  12/30` for a terminal line.
fn progress_bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH).min(WIDTH);
    format!("[{}{}] {done:>5}/{total}", "#".repeat(filled), "-".repeat(WIDTH - filled))
}
