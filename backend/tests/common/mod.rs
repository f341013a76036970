//! What the process-level tests (`kill.rs`, `kill_mail.rs`) share.

use std::path::Path;
use std::process::{Command, Stdio};

/// The real `lantern` binary on a data folder of the test's own, with only the test's
/// configuration: a LANTERN_* variable of the caller's would be read too. Output is not shown;
/// stderr is piped for the caller to read if it waits for the command.
pub fn lantern(data: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lantern"));
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("LANTERN_")) {
        command.env_remove(name);
    }
    command
        .args(args)
        .env("LANTERN_DATA_DIR", data)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}
