//! tiny-build: the build-script half of [tiny](https://example.invalid/tiny).
//!
//! A program's `build.rs` is one line:
//!
//! ```no_run
//! tiny_build::Builder::new().emit().expect("tiny-build");
//! ```
//!
//! `emit` does three things:
//! 1. parses the target (`TARGET`, `CARGO_CFG_TARGET_*`) into a [`Spec`], refusing targets it
//!    cannot build for;
//! 2. writes `OUT_DIR/tiny.rs` — the entry point and the syscall stubs — which `#[tiny::main]`
//!    includes into the program (only when its contents changed);
//! 3. prints the link plan: `cargo:rustc-link-arg-bins=…` lines that route rustc's link step
//!    through this build script (see [`link`]), which lays out the final image
//!    ([`layout`]): overlapping ELF headers, code and data in header bytes the kernel ignores,
//!    no section headers, no padding.
//!
//! # Environment variables read
//! - `TARGET`, `HOST`, `OUT_DIR`, `RUSTC`, `RUSTC_LINKER`, `CARGO_CFG_TARGET_ARCH`, `CARGO_CFG_TARGET_OS`: set by
//!   Cargo (override with [`Builder::target`], [`Builder::out_dir`]).
//! - `TINY_VERBOSE`: when set to anything but `0`, print what tiny-build chose as
//!   `cargo:warning` lines and the link commands (default: quiet; [`Builder::verbose`]).
//! - `PATH`: searched for `ld.lld` when the toolchain has no `rust-lld`, and for mingw-w64's
//!   `x86_64-w64-mingw32-gcc` (the linker rustc runs for `x86_64-pc-windows-gnu`).
//! - `TINY_WINDOWS_MODE`: `runtime` (default), `pinned` or `table` ([`Builder::windows_mode`]).
//! - `TINY_PINNED_CHECK`: `0` turns off a `Pinned` program's start-up check of the loaded
//!   ntdll ([`Builder::pinned_check`]).
//! - `TINY_REFUSAL`: `message` (default) or `exit-code`: how a Windows program refuses to run
//!   ([`Builder::refusal`]).
//! - `TINY_NTDLL`, `SystemRoot`: the `ntdll.dll` a `Pinned` program is pinned to
//!   ([`Builder::ntdll`]).
//! - `TINY_LINK_PLAN`: set by tiny-build itself for the link step; never set it by hand.
#![deny(missing_docs)]

mod cargo;
pub mod codegen;
mod error;
mod interpose;
pub mod layout;
pub mod link;
pub mod resolve;
pub mod target;

use std::path::{Path, PathBuf};

pub use codegen::windows::Refusal;
pub use error::Error;
use error::IoContext;
pub use interpose::{Invocation, is_linker_invocation, link_main, parse_args};
pub use link::LinkPlan;
pub use target::Spec;

use cargo::CargoOutput;

/// How a Windows program reaches the kernel (see DESIGN.md, "modes for Windows").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum WindowsMode {
    /// Find the loaded ntdll through the PEB at run time and call its own stubs: runs on every
    /// Windows build and under Wine. The default.
    #[default]
    Runtime,
    /// Copy the stubs of the ntdll resolved at build time (see [`Builder::ntdll`]) into the
    /// program; at start the program checks that the loaded ntdll is that one
    /// (`TimeDateStamp` and `SizeOfImage`) and otherwise writes
    /// `tiny: ntdll.dll is not the one this program was pinned to` to stderr and exits with
    /// `STATUS_REVISION_MISMATCH` (0xC0000059) without calling any copy.
    Pinned,
    /// Call the kernel with numbers from tiny-build's embedded per-build table (j00ru's public
    /// tables, Windows 10 1507 to Windows 11 25H2), for the system calls whose number is the
    /// same in every one of those builds (103 of them; `tiny-build table` lists them, and a
    /// verbose build says so); the others, and the `Rtl*` functions, are called through the
    /// loaded ntdll as in `Runtime`. At start the program reads the kernel's build
    /// number (`KUSER_SHARED_DATA.NtBuildNumber`) and refuses a build the table does not list,
    /// and a system whose stubs do not use `syscall` (`KUSER_SHARED_DATA.SystemCall`: Wine, or
    /// Windows set up for `int 2Eh`): it writes `tiny: …` to stderr and exits with
    /// `STATUS_NOT_SUPPORTED` (0xC00000BB) without making a numbered system call.
    Table,
}

/// Configures and runs tiny-build from a build script; see the crate docs.
#[derive(Clone, Debug)]
pub struct Builder {
    target: Option<String>,
    out_dir: Option<PathBuf>,
    verbose: Option<bool>,
    cargo_metadata: bool,
    ntdll: Option<PathBuf>,
    windows_mode: Option<WindowsMode>,
    pinned_check: Option<bool>,
    refusal: Option<Refusal>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

/// What [`Builder::plan`] decided: the generated source and the link plan, before any I/O.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The parsed target.
    pub spec: Spec,
    /// Contents of `OUT_DIR/tiny.rs`.
    pub source: String,
    /// A `Pinned` Windows program: the ntdll it is pinned to.
    pub pinned_ntdll: Option<PathBuf>,
}

impl Builder {
    /// A builder with every setting taken from the environment Cargo gives build scripts.
    ///
    /// When the build script was started as the link step (see [`link`]), this runs the link
    /// step and exits the process instead of returning.
    pub fn new() -> Builder {
        interpose::intercept();
        Builder {
            target: None,
            out_dir: None,
            verbose: None,
            cargo_metadata: true,
            ntdll: None,
            windows_mode: None,
            pinned_check: None,
            refusal: None,
        }
    }

    /// The target triple. Default: `TARGET`.
    pub fn target(&mut self, triple: &str) -> &mut Builder {
        self.target = Some(triple.to_owned());
        self
    }

    /// Where `tiny.rs` and the link plan go. Default: `OUT_DIR`.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Builder {
        self.out_dir = Some(dir.into());
        self
    }

    /// Print what was chosen (`cargo:warning` lines) and the link commands. Default: whether
    /// `TINY_VERBOSE` is set to something other than `0`.
    pub fn verbose(&mut self, verbose: bool) -> &mut Builder {
        self.verbose = Some(verbose);
        self
    }

    /// Print `cargo:` lines (link arguments, rerun rules). Default: `true`; turn off to use
    /// tiny-build outside a build script.
    pub fn cargo_metadata(&mut self, on: bool) -> &mut Builder {
        self.cargo_metadata = on;
        self
    }

    /// The `ntdll.dll` to resolve Windows system calls from. Default: `TINY_NTDLL`, else the
    /// host's `%SystemRoot%\System32\ntdll.dll` on Windows, else Wine's 64-bit `ntdll.dll`, else
    /// the embedded table of known builds (see [`resolve::windows::resolve_default`]).
    pub fn ntdll(&mut self, path: impl Into<PathBuf>) -> &mut Builder {
        self.ntdll = Some(path.into());
        self
    }

    /// How Windows programs reach the kernel. Default: `TINY_WINDOWS_MODE` (`runtime`,
    /// `pinned` or `table`), else [`WindowsMode::Runtime`].
    pub fn windows_mode(&mut self, mode: WindowsMode) -> &mut Builder {
        self.windows_mode = Some(mode);
        self
    }

    fn mode(&self, out: &CargoOutput) -> Result<WindowsMode, Error> {
        if let Some(mode) = self.windows_mode {
            return Ok(mode);
        }
        match cargo::user_var(out, "TINY_WINDOWS_MODE")
            .as_ref()
            .and_then(|v| v.to_str())
        {
            None | Some("" | "runtime") => Ok(WindowsMode::Runtime),
            Some("pinned") => Ok(WindowsMode::Pinned),
            Some("table") => Ok(WindowsMode::Table),
            Some(other) => Err(Error::BadSetting {
                var: "TINY_WINDOWS_MODE",
                value: other.to_owned(),
                expected: "runtime, pinned or table",
            }),
        }
    }

    /// The stubs a `Pinned` program copies, from the configured ntdll.
    fn pinning(&self) -> Result<codegen::windows::Pinning, Error> {
        let resolution = match self.resolve_ntdll()? {
            resolve::windows::Resolved::Image(r) => r,
            resolve::windows::Resolved::Table(known) => {
                return Err(Error::PinnedNeedsFile { build: known.build });
            }
        };
        let mut stubs = Vec::new();
        for name in codegen::windows::WINDOWS_SYSCALLS {
            let stub = resolution
                .stub(name)
                .ok_or_else(|| Error::PinnedStubMissing {
                    file: resolution.file.clone(),
                    export: (*name).to_owned(),
                })?;
            stubs.push(((*name).to_owned(), stub.bytes.clone()));
        }
        // every other function `tiny::nt!` may name, where this ntdll has it
        for name in tiny_abi::windows::NT_NAMES {
            if !codegen::windows::WINDOWS_SYSCALLS.contains(name)
                && let Some(stub) = resolution.stub(name)
            {
                stubs.push(((*name).to_owned(), stub.bytes.clone()));
            }
        }
        Ok(codegen::windows::Pinning {
            file: resolution.file.clone(),
            time_date_stamp: resolution.identity.time_date_stamp,
            size_of_image: resolution.identity.size_of_image,
            stubs,
            check: self.check_pinned()?,
        })
    }

    /// Whether a `Pinned` program checks at start that the loaded ntdll is the one it was
    /// pinned to. Default: `TINY_PINNED_CHECK` (`1` or `0`), else yes.
    ///
    /// Turning the check off is for systems whose `ntdll.dll` the builder controls: the program
    /// no longer carries the identity check, the refusal message or (when it calls nothing but
    /// pinned system calls) the export lookup, and started with another ntdll it would make
    /// its pinned system calls anyway, whatever they mean there.
    pub fn pinned_check(&mut self, check: bool) -> &mut Builder {
        self.pinned_check = Some(check);
        self
    }

    /// How a Windows program refuses to run (a `Pinned` program on another ntdll, a `Table`
    /// program on an unlisted build or under Wine, a missing or hooked export): with the
    /// `tiny: …` message and the mode's exit code, or by exit code only, which is smaller (see
    /// [`Refusal`]). Default: `TINY_REFUSAL` (`message` or `exit-code`), else
    /// [`Refusal::Message`].
    pub fn refusal(&mut self, refusal: Refusal) -> &mut Builder {
        self.refusal = Some(refusal);
        self
    }

    fn refusal_setting(&self, out: &CargoOutput) -> Result<Refusal, Error> {
        if let Some(refusal) = self.refusal {
            return Ok(refusal);
        }
        match cargo::user_var(out, "TINY_REFUSAL")
            .as_ref()
            .and_then(|v| v.to_str())
        {
            None | Some("" | "message") => Ok(Refusal::Message),
            Some("exit-code") => Ok(Refusal::ExitCode),
            Some(other) => Err(Error::BadSetting {
                var: "TINY_REFUSAL",
                value: other.to_owned(),
                expected: "message (the default) or exit-code",
            }),
        }
    }

    fn check_pinned(&self) -> Result<bool, Error> {
        if let Some(check) = self.pinned_check {
            return Ok(check);
        }
        let out = self.output();
        match cargo::user_var(&out, "TINY_PINNED_CHECK")
            .as_ref()
            .and_then(|v| v.to_str())
        {
            None | Some("" | "1") => Ok(true),
            Some("0") => Ok(false),
            Some(other) => Err(Error::BadSetting {
                var: "TINY_PINNED_CHECK",
                value: other.to_owned(),
                expected: "1 (check the loaded ntdll, the default) or 0 (trust it)",
            }),
        }
    }

    /// Resolves the Windows system calls from the configured `ntdll.dll` (see
    /// [`Builder::ntdll`]), printing `rerun-if-changed` for the file used and
    /// `rerun-if-env-changed` for the variables read, and, when verbose, where the numbers
    /// came from.
    pub fn resolve_ntdll(&self) -> Result<resolve::windows::Resolved, Error> {
        let mut out = self.output();
        out.warnings = self.verbose.unwrap_or(false);
        let resolved = match &self.ntdll {
            Some(path) => resolve::windows::Resolved::Image(resolve::windows::resolve_file_from(
                path,
                resolve::windows::Source::Path,
            )?),
            None => {
                for var in resolve::windows::ENV_VARS {
                    out.line(&format!("rerun-if-env-changed={var}"));
                }
                resolve::windows::resolve_default(None)?
            }
        };
        match &resolved {
            resolve::windows::Resolved::Image(r) => {
                out.line(&format!("rerun-if-changed={}", r.file.display()));
                out.warning(&format!(
                    "tiny-build: {} syscall stubs from {} ({:?})",
                    r.stubs.len(),
                    r.file.display(),
                    r.source
                ));
            }
            resolve::windows::Resolved::Table(known) => {
                out.warning(&format!(
                    "tiny-build: syscall numbers of Windows build {} from the embedded table",
                    known.build
                ));
            }
        }
        Ok(resolved)
    }

    /// Verbose: which `Nt*` functions a `Table` program calls by number (the link step says
    /// which of them the program kept).
    fn table_note(&self, table: &codegen::windows::Table) {
        let mut out = self.output();
        out.warnings = self
            .verbose
            .unwrap_or_else(|| cargo::user_var(&out, "TINY_VERBOSE").is_some_and(|v| v != "0"));
        let names: Vec<String> = table
            .numbers
            .iter()
            .map(|(name, number)| format!("{name} {number:#x}"))
            .collect();
        out.warning(&format!(
            "tiny-build: Table mode: {} builds ({}–{}); {} Nt* functions by number (the same in \
             every one of them): {}; every other Nt* function through the loaded ntdll",
            table.builds.len(),
            table.builds.first().copied().unwrap_or_default(),
            table.builds.last().copied().unwrap_or_default(),
            names.len(),
            names.join(", ")
        ));
    }

    fn output(&self) -> CargoOutput {
        CargoOutput {
            metadata: self.cargo_metadata,
            warnings: false,
        }
    }

    fn spec(&self) -> Result<Spec, Error> {
        let triple = match &self.target {
            Some(t) => t.clone(),
            None => cargo::cargo_var("TARGET").ok_or(Error::MissingEnv {
                var: "TARGET",
                setter: "target",
            })?,
        };
        // Cargo's cfg values describe the target exactly (custom target files included), but
        // only for the target Cargo is building for.
        let from_cargo = self.target.is_none();
        let arch = from_cargo
            .then(|| cargo::cargo_var("CARGO_CFG_TARGET_ARCH"))
            .flatten();
        let os = from_cargo
            .then(|| cargo::cargo_var("CARGO_CFG_TARGET_OS"))
            .flatten();
        Spec::new(&triple, arch.as_deref(), os.as_deref())
    }

    /// Decides everything: the target and the generated code. Nothing is written; only a
    /// `Pinned` Windows program reads a file (the `ntdll.dll` it is pinned to).
    pub fn plan(&self) -> Result<Plan, Error> {
        let spec = self.spec()?;
        let calls = match spec.os {
            target::Os::Windows => match self.mode(&self.output())? {
                WindowsMode::Runtime => codegen::windows::Calls::Runtime,
                WindowsMode::Pinned => codegen::windows::Calls::Pinned(self.pinning()?),
                WindowsMode::Table => {
                    codegen::windows::Calls::Table(codegen::windows::Table::embedded())
                }
            },
            _ => codegen::windows::Calls::Runtime,
        };
        let refusal = match spec.os {
            target::Os::Windows => self.refusal_setting(&self.output())?,
            _ => Refusal::Message,
        };
        let source = codegen::generate_windows(&spec, &calls, refusal);
        let pinned_ntdll = match &calls {
            codegen::windows::Calls::Pinned(pin) => Some(pin.file.clone()),
            _ => None,
        };
        if let codegen::windows::Calls::Table(table) = &calls {
            self.table_note(table);
        }
        Ok(Plan {
            spec,
            source,
            pinned_ntdll,
        })
    }

    /// Writes `OUT_DIR/tiny.rs`, installs the link step and prints the `cargo:` lines.
    pub fn emit(&self) -> Result<(), Error> {
        let mut out = self.output();
        let verbose = match self.verbose {
            Some(v) => v,
            None => cargo::user_var(&out, "TINY_VERBOSE").is_some_and(|v| v != "0"),
        };
        out.warnings = verbose;
        let plan = self.plan()?;
        if plan.spec.msvc {
            // rustc runs the configured linker itself; it must be tiny-build's link step.
            let found = cargo::cargo_var("RUSTC_LINKER");
            let is_tiny = found
                .as_deref()
                .is_some_and(|l| Path::new(l).file_stem().is_some_and(|s| s == "tiny-build"));
            if !is_tiny {
                return Err(Error::LinkerNotConfigured {
                    triple: plan.spec.triple.clone(),
                    found,
                });
            }
        }
        if plan.spec.os == target::Os::Windows && !plan.spec.msvc {
            // rustc runs mingw-w64's compiler driver, which runs the link step as `collect2`.
            let driver = cargo::cargo_var("RUSTC_LINKER")
                .unwrap_or_else(|| "x86_64-w64-mingw32-gcc".to_owned());
            let path = cargo::user_var(&out, "PATH");
            if !link::on_path(Path::new(&driver), path.as_deref()) {
                return Err(Error::MissingTool {
                    tool: format!("{driver} (the linker rustc runs for {})", plan.spec.triple),
                    hint: "install mingw-w64 (Debian/Ubuntu: `apt-get install gcc-mingw-w64-x86-64`)",
                });
            }
        }
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => cargo::cargo_var("OUT_DIR")
                .ok_or(Error::MissingEnv {
                    var: "OUT_DIR",
                    setter: "out_dir",
                })?
                .into(),
        };
        write_if_changed(&out_dir.join("tiny.rs"), plan.source.as_bytes())?;

        let sysroot = cargo::cargo_var("RUSTC").and_then(|rustc| sysroot(&rustc));
        let host = cargo::cargo_var("HOST");
        let linker = link::find_linker(
            sysroot.as_deref(),
            host.as_deref(),
            cargo::user_var(&out, "PATH").as_deref(),
        )?;
        let wrapper_dir = out_dir.join("tiny");
        std::fs::create_dir_all(&wrapper_dir).at("create", &wrapper_dir)?;
        install_link_step(&wrapper_dir.join(link::ld_name(plan.spec.os).1))?;
        let mut link_plan = LinkPlan::new(&plan.spec, linker, wrapper_dir.clone(), verbose);
        link_plan.pinned_ntdll = plan.pinned_ntdll.clone();
        let plan_file = wrapper_dir.join("link-plan");
        write_if_changed(&plan_file, link_plan.to_text().as_bytes())?;

        out.warning(&format!(
            "tiny-build: target {}, linker {}",
            plan.spec.triple,
            link_plan.linker.display()
        ));
        out.line("rerun-if-changed=build.rs");
        for line in link_plan.cargo_lines(&plan_file) {
            out.line(&line);
        }
        Ok(())
    }
}

/// `rustc --print sysroot`.
fn sysroot(rustc: &str) -> Option<PathBuf> {
    let out = std::process::Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// Makes `path` the build script itself (a hard link, else a copy), so the compiler driver can
/// start it as the linker.
fn install_link_step(path: &Path) -> Result<(), Error> {
    let me = std::env::current_exe().at("find", "the build script")?;
    let _ = std::fs::remove_file(path);
    if std::fs::hard_link(&me, path).is_err() {
        std::fs::copy(&me, path).at("copy the build script to", path)?;
    }
    Ok(())
}

/// Writes `bytes` unless the file already holds exactly them (keeps mtimes, avoids rebuilds).
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).at("write", path)
}
