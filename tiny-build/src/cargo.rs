//! The only place that reads environment variables or prints `cargo:` lines.

use std::ffi::OsString;
use std::io::Write;

/// Reads a variable that Cargo sets for build scripts (no rerun line: Cargo tracks these).
pub(crate) fn cargo_var(name: &str) -> Option<String> {
    #[allow(clippy::disallowed_methods)] // this module is the one allowed reader
    std::env::var(name).ok()
}

/// Reads a user-facing variable and tells Cargo to rerun the build script when it changes.
pub(crate) fn user_var(out: &CargoOutput, name: &str) -> Option<OsString> {
    out.line(&format!("rerun-if-env-changed={name}"));
    #[allow(clippy::disallowed_methods)] // this module is the one allowed reader
    std::env::var_os(name)
}

/// Reads a variable with no Cargo to talk to: in the link step, in the `tiny-build` command,
/// and for the resolver (whose `Builder` caller prints the rerun lines itself).
pub(crate) fn env_os(name: &str) -> Option<OsString> {
    #[allow(clippy::disallowed_methods)] // this module is the one allowed reader
    std::env::var_os(name)
}

/// Where `cargo:` lines go, and which kinds are printed (as cc-rs's `CargoOutput`).
#[derive(Clone, Debug)]
pub(crate) struct CargoOutput {
    /// Print `cargo:rustc-*` and `cargo:rerun-*` lines.
    pub metadata: bool,
    /// Print `cargo:warning=` lines (only when the user asked for verbose output).
    pub warnings: bool,
}

impl CargoOutput {
    /// Prints one `cargo:` line, if metadata output is on.
    pub fn line(&self, line: &str) {
        if self.metadata {
            let _ = writeln!(std::io::stdout().lock(), "cargo:{line}");
        }
    }

    /// Prints a `cargo:warning=` line, if warnings are on.
    pub fn warning(&self, message: &str) {
        if self.warnings {
            let _ = writeln!(std::io::stdout().lock(), "cargo:warning={message}");
        }
    }
}
