//! The one public error type of tiny-build.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::resolve::windows::ResolveError;

/// Everything that can go wrong in a build script or in the link step.
///
/// `Display` is one sentence that names the file or target and, where there is one, the setter
/// or environment variable that fixes it.
///
/// `Debug` prints the same sentence, so that a build script's `.expect("tiny-build")` shows it
/// as it is.
#[non_exhaustive]
pub enum Error {
    /// The target triple is not one tiny-build can produce programs for.
    UnsupportedTarget {
        /// The triple that was asked for.
        triple: String,
        /// The triples that are supported.
        supported: &'static [&'static str],
    },
    /// A variable that Cargo sets for build scripts is missing.
    MissingEnv {
        /// The variable.
        var: &'static str,
        /// The `Builder` setter that supplies the value instead.
        setter: &'static str,
    },
    /// Reading or writing a file failed.
    Io {
        /// What was being done (`"write"`, `"read"`, …).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// A program tiny-build needs is not installed.
    MissingTool {
        /// What was looked for.
        tool: String,
        /// How to install it.
        hint: &'static str,
    },
    /// The linker ran and failed.
    LinkFailed {
        /// The command line that failed.
        command: String,
        /// What the linker printed.
        output: String,
    },
    /// The linked program cannot be laid out as a tiny image.
    Layout {
        /// The program being linked.
        file: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The msvc target needs `tiny-build` as its linker, and Cargo has another one (or none).
    LinkerNotConfigured {
        /// The target triple.
        triple: String,
        /// The linker Cargo is set to use, if any.
        found: Option<String>,
    },
    /// An environment variable has a value tiny-build does not know.
    BadSetting {
        /// The variable.
        var: &'static str,
        /// Its value.
        value: String,
        /// What it may be.
        expected: &'static str,
    },
    /// `Pinned` mode needs the stubs of an `ntdll.dll` file, and only the table was found.
    PinnedNeedsFile {
        /// The Windows build the table matched.
        build: u32,
    },
    /// The ntdll a program is pinned to lacks a system call the runtime makes.
    PinnedStubMissing {
        /// The ntdll.
        file: PathBuf,
        /// The export.
        export: String,
    },
    /// A `Pinned` program calls (with `tiny::nt!`) functions its ntdll has no stub for.
    PinnedCallMissing {
        /// The ntdll the program is pinned to.
        file: PathBuf,
        /// The functions, sorted.
        functions: Vec<String>,
    },
    /// A link-plan file written by the build script could not be understood.
    BadPlan {
        /// The plan file.
        file: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// An `ntdll.dll` could not be resolved into syscall stubs.
    Resolve(ResolveError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnsupportedTarget { triple, supported } => write!(
                f,
                "unsupported target `{triple}`: tiny-build supports {}",
                supported.join(", ")
            ),
            Error::MissingEnv { var, setter } => write!(
                f,
                "environment variable {var} is not set (tiny-build runs from a build script, where Cargo sets it; outside one, call `Builder::{setter}`)"
            ),
            Error::Io {
                action,
                path,
                source,
            } => {
                write!(f, "cannot {action} {}: {source}", path.display())
            }
            Error::MissingTool { tool, hint } => write!(f, "{tool} not found: {hint}"),
            Error::LinkFailed { command, output } => {
                write!(f, "the linker failed: {command}\n{output}")
            }
            Error::Layout { file, problem } => {
                write!(
                    f,
                    "cannot lay out {} as a tiny image: {problem}",
                    file.display()
                )
            }
            Error::LinkerNotConfigured { triple, found } => write!(
                f,
                "the {triple} target needs tiny-build as its linker (found {}): install it with `cargo install --path <tiny>/tiny-build` and add to .cargo/config.toml:\n[target.{triple}]\nlinker = \"tiny-build\"",
                found
                    .as_deref()
                    .unwrap_or("none, so rustc would run link.exe")
            ),
            Error::BadSetting {
                var,
                value,
                expected,
            } => {
                write!(f, "{var} is `{value}`; expected {expected}")
            }
            Error::PinnedNeedsFile { build } => write!(
                f,
                "Pinned mode copies the stubs of an ntdll.dll file, and only the table of Windows build {build} was found: set `Builder::ntdll` or TINY_NTDLL"
            ),
            Error::PinnedStubMissing { file, export } => write!(
                f,
                "{} has no syscall stub `{export}`, which a Pinned program needs",
                file.display()
            ),
            Error::PinnedCallMissing { file, functions } => write!(
                f,
                "the program calls {} with tiny::nt!, but {} (the ntdll this Pinned program is \
                 pinned to) has no system call stub of that name; build in Runtime mode to call \
                 it through the loaded ntdll (`TINY_WINDOWS_MODE=runtime`)",
                functions.join(", "),
                file.display()
            ),
            Error::BadPlan { file, problem } => {
                write!(
                    f,
                    "bad link plan {}: {problem} (rerun the build script: `cargo clean -p <your crate>`)",
                    file.display()
                )
            }
            Error::Resolve(e) => e.fmt(f),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Resolve(e) => Some(e),
            _ => None,
        }
    }
}

impl From<ResolveError> for Error {
    fn from(e: ResolveError) -> Self {
        Error::Resolve(e)
    }
}

/// `io::Result` → `Result<_, Error>` naming the file and the action.
pub(crate) trait IoContext<T> {
    fn at(self, action: &'static str, path: impl Into<PathBuf>) -> Result<T, Error>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, action: &'static str, path: impl Into<PathBuf>) -> Result<T, Error> {
        self.map_err(|source| Error::Io {
            action,
            path: path.into(),
            source,
        })
    }
}
