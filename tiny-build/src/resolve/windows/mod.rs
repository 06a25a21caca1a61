//! Windows: `ntdll.dll` → verified syscall stubs.
//!
//! [`resolve_file`] / [`resolve_bytes`] read an x64 `ntdll.dll` with pelite ([`pe`](self)),
//! take every export named `Nt*` or `Zw*`, and decode its stub with iced-x86. Each export ends up
//! in exactly one place:
//! - [`Resolution::stubs`]: a stub of a known shape (`mov r10, rcx; mov eax, N; …`, see
//!   [`Dispatch`](crate::resolve::Dispatch)), with its number and exact bytes;
//! - [`Resolution::not_syscall`]: an ordinary function that happens to have an `Nt` name (its first
//!   instruction is not `mov r10, rcx` and does not divert control, e.g. Wine's `NtGetTickCount`),
//!   or an export in a non-executable section. These have no number, and asking for one is an
//!   error for the caller to report;
//! - or the whole resolution fails with a [`ResolveError`] naming the file and the export: a
//!   hooked stub (begins with, or reaches, a `jmp`/`call`/`int3`/… where a stub has none), any
//!   other deviation from the known shapes, a truncated stub, an RVA outside the image, a
//!   forwarded export. Never a guess: there is no inference from neighbouring stubs.
//!
//! Sources ([`find_ntdll`], in order): `TINY_NTDLL`, the host's `%SystemRoot%\System32\ntdll.dll`
//! on Windows, Wine's 64-bit `ntdll.dll`; then the embedded [`table`] of known builds, which
//! gives numbers but no stub bytes. The builder's explicit path comes before all of them.

mod decode;
mod pe;
pub mod table;

use std::error::Error as StdError;
use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::resolve::Stub;

pub use table::KnownBuild;

/// Where an `ntdll.dll` (or a table of numbers) came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Source {
    /// A path given explicitly (`Builder::ntdll`, the command line).
    Path,
    /// The `TINY_NTDLL` environment variable.
    EnvVar,
    /// The host's own `%SystemRoot%\System32\ntdll.dll` (Windows hosts).
    Host,
    /// Wine's 64-bit `ntdll.dll`, found in one of [`wine_candidates`].
    Wine,
    /// The embedded table, for this build number.
    Table {
        /// The build number the numbers are for.
        build: u32,
    },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Path => f.write_str("explicit path"),
            Source::EnvVar => f.write_str("TINY_NTDLL"),
            Source::Host => f.write_str("host"),
            Source::Wine => f.write_str("wine"),
            Source::Table { build } => write!(f, "embedded table, build {build}"),
        }
    }
}

/// A file version from the version resource, `major.minor.build.revision` (e.g. 10.0.19041.3636).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileVersion {
    /// Major version (10 for Windows 10 and 11).
    pub major: u16,
    /// Minor version.
    pub minor: u16,
    /// The build number (19041, 22621, …): what [`table::lookup`] takes.
    pub build: u16,
    /// The revision (update) within the build.
    pub revision: u16,
}

impl fmt::Display for FileVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}",
            self.major, self.minor, self.build, self.revision
        )
    }
}

/// What identifies one `ntdll.dll`, so a program pinned to it can check at run time that it runs
/// on the same one (numbers can shift within one build number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Identity {
    /// `IMAGE_FILE_HEADER.TimeDateStamp` (a hash of the contents in reproducible builds).
    pub time_date_stamp: u32,
    /// `IMAGE_OPTIONAL_HEADER.SizeOfImage`.
    pub size_of_image: u32,
    /// `IMAGE_OPTIONAL_HEADER.CheckSum`.
    pub checksum: u32,
    /// FNV-1a (64-bit) over every stub, in name order: the name, a zero byte, the stub bytes.
    pub stubs_hash: u64,
    /// The version resource's file version, if pelite could read one.
    pub file_version: Option<FileVersion>,
    /// Whether this is Wine's ntdll (it exports `wine_get_version`). Wine's numbers are its own,
    /// whatever build its version resource claims.
    pub wine: bool,
}

/// Why an `Nt*`/`Zw*` export is not a syscall stub.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotSyscallReason {
    /// An ordinary function: its first instruction (mnemonic and bytes) is not `mov r10, rcx`.
    Function {
        /// E.g. `lea (48 8d a4 24 00 00 00 00)`.
        first_instruction: String,
    },
    /// The export is in a section that is not executable (data, not code).
    NotExecutable,
}

impl fmt::Display for NotSyscallReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotSyscallReason::Function { first_instruction } => {
                write!(
                    f,
                    "a function: it begins with {first_instruction}, not mov r10, rcx"
                )
            }
            NotSyscallReason::NotExecutable => f.write_str("in a section that is not executable"),
        }
    }
}

/// An `Nt*`/`Zw*` export that is not a syscall stub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotSyscall {
    /// The export's name.
    pub name: String,
    /// Its RVA.
    pub rva: u32,
    /// Why it is not a stub.
    pub reason: NotSyscallReason,
}

/// Every `Nt*`/`Zw*` export of one `ntdll.dll`, verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The file (or the name given to [`resolve_bytes`]).
    pub file: PathBuf,
    /// Where the file came from.
    pub source: Source,
    /// What identifies this ntdll.
    pub identity: Identity,
    /// Every export that is a syscall stub, sorted by name (`Nt*` then `Zw*` aliases).
    pub stubs: Vec<Stub>,
    /// Every other `Nt*`/`Zw*` export, sorted by name.
    pub not_syscall: Vec<NotSyscall>,
}

impl Resolution {
    /// The stub of the export `name`, if it is one.
    #[must_use]
    pub fn stub(&self, name: &str) -> Option<&Stub> {
        self.stubs
            .binary_search_by(|s| s.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.stubs[i])
    }

    /// The embedded table's entry for this ntdll's build, if it is a Windows ntdll (not Wine) with
    /// a version resource whose build the table lists.
    #[must_use]
    pub fn known_build(&self) -> Option<&'static KnownBuild> {
        if self.identity.wine {
            return None;
        }
        table::lookup(self.identity.file_version?.build.into())
    }

    /// Functions whose number differs between these stubs and `known` (both know the function):
    /// `(function, number here, number in the table)`. Functions only one side knows are not
    /// listed.
    #[must_use]
    pub fn disagreements(&self, known: &KnownBuild) -> Vec<(&'static str, u32, u32)> {
        known
            .numbers
            .iter()
            .filter_map(|&(name, table)| {
                let here = self.stub(name)?.number;
                (here != table).then_some((name, here, table))
            })
            .collect()
    }
}

/// The result of the default source order: an image's stubs, or the table's numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Stubs read from an `ntdll.dll`.
    Image(Resolution),
    /// Numbers from the embedded table (no stub bytes).
    Table(&'static KnownBuild),
}

impl Resolved {
    /// Where the numbers came from.
    #[must_use]
    pub fn source(&self) -> Source {
        match self {
            Resolved::Image(resolution) => resolution.source,
            Resolved::Table(known) => Source::Table { build: known.build },
        }
    }

    /// The number of `function`, if known.
    #[must_use]
    pub fn number(&self, function: &str) -> Option<u32> {
        match self {
            Resolved::Image(resolution) => resolution.stub(function).map(|s| s.number),
            Resolved::Table(known) => known.number(function),
        }
    }
}

/// Why an `ntdll.dll` could not be resolved. Each message is one lowercase sentence that names
/// the file and, where there is one, the export.
#[derive(Debug)]
#[non_exhaustive]
pub enum ResolveError {
    /// The file could not be read.
    Io {
        /// The file.
        file: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The file is not a PE image.
    NotPe {
        /// The file.
        file: PathBuf,
        /// pelite's reason.
        source: pelite::Error,
    },
    /// The file is a PE image for another machine (only x64 is supported).
    NotX64 {
        /// The file.
        file: PathBuf,
        /// `IMAGE_FILE_HEADER.Machine`, e.g. 0x14c (i386) or 0xaa64 (ARM64).
        machine: u16,
    },
    /// The export directory could not be read.
    BadExports {
        /// The file.
        file: PathBuf,
        /// Which part, e.g. "an export name".
        what: &'static str,
        /// pelite's reason.
        source: pelite::Error,
    },
    /// The image exports nothing named `Nt*`.
    NoNtExports {
        /// The file.
        file: PathBuf,
    },
    /// An `Nt*`/`Zw*` export is forwarded to another DLL.
    Forwarded {
        /// The file.
        file: PathBuf,
        /// The export.
        export: String,
        /// Where it is forwarded (`Dll.Name`).
        target: String,
    },
    /// An export's RVA is not inside any section of the image.
    RvaOutsideImage {
        /// The file.
        file: PathBuf,
        /// The export.
        export: String,
        /// The RVA.
        rva: u32,
    },
    /// The file ends (or the section's data ends) inside an export's stub.
    Truncated {
        /// The file.
        file: PathBuf,
        /// The export.
        export: String,
        /// The export's RVA.
        rva: u32,
        /// The bytes available from the RVA on.
        available: usize,
    },
    /// A stub begins with, or reaches, an instruction that takes control elsewhere (`jmp`, `call`,
    /// `int3`, `push imm; ret`, …): it was patched.
    Hooked {
        /// The file.
        file: PathBuf,
        /// The export.
        export: String,
        /// Offset of the instruction in the stub.
        offset: usize,
        /// The instruction (mnemonic and bytes).
        instruction: String,
    },
    /// A stub begins `mov r10, rcx` but then differs from every known shape.
    UnknownShape {
        /// The file.
        file: PathBuf,
        /// The export.
        export: String,
        /// Offset of the unexpected instruction in the stub.
        offset: usize,
        /// The instruction found (mnemonic and bytes).
        instruction: String,
        /// What the known shapes have there.
        expected: &'static str,
    },
    /// No `ntdll.dll` was found in any default location, and no table build was asked for.
    NotFound {
        /// Every path that was tried.
        searched: Vec<PathBuf>,
    },
    /// The embedded table does not list this build.
    UnknownBuild {
        /// The build asked for.
        build: u32,
    },
}

impl ResolveError {
    /// The file the error is about, if any.
    #[must_use]
    pub fn file(&self) -> Option<&Path> {
        match self {
            ResolveError::Io { file, .. }
            | ResolveError::NotPe { file, .. }
            | ResolveError::NotX64 { file, .. }
            | ResolveError::BadExports { file, .. }
            | ResolveError::NoNtExports { file }
            | ResolveError::Forwarded { file, .. }
            | ResolveError::RvaOutsideImage { file, .. }
            | ResolveError::Truncated { file, .. }
            | ResolveError::Hooked { file, .. }
            | ResolveError::UnknownShape { file, .. } => Some(file),
            ResolveError::NotFound { .. } | ResolveError::UnknownBuild { .. } => None,
        }
    }

    /// The export the error is about, if any.
    #[must_use]
    pub fn export(&self) -> Option<&str> {
        match self {
            ResolveError::Forwarded { export, .. }
            | ResolveError::RvaOutsideImage { export, .. }
            | ResolveError::Truncated { export, .. }
            | ResolveError::Hooked { export, .. }
            | ResolveError::UnknownShape { export, .. } => Some(export),
            _ => None,
        }
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolveError::Io { file, source } => {
                write!(f, "cannot read {}: {source}", file.display())
            }
            ResolveError::NotPe { file, source } => {
                write!(f, "{} is not a PE image ({source})", file.display())
            }
            ResolveError::NotX64 { file, machine } => write!(
                f,
                "{} is a PE image for machine {machine:#06x} ({}), not x64 (0x8664); give an x64 ntdll.dll",
                file.display(),
                machine_name(*machine)
            ),
            ResolveError::BadExports { file, what, source } => {
                write!(f, "cannot read {what} of {} ({source})", file.display())
            }
            ResolveError::NoNtExports { file } => write!(
                f,
                "{} exports no Nt* function; is it really ntdll.dll?",
                file.display()
            ),
            ResolveError::Forwarded {
                file,
                export,
                target,
            } => write!(
                f,
                "the export {export} in {} is forwarded to {target}, not a syscall stub",
                file.display()
            ),
            ResolveError::RvaOutsideImage { file, export, rva } => write!(
                f,
                "the export {export} in {} points to RVA {rva:#x}, outside every section of the image",
                file.display()
            ),
            ResolveError::Truncated {
                file,
                export,
                rva,
                available,
            } => write!(
                f,
                "the stub of {export} in {} is truncated: only {available} bytes from RVA {rva:#x}",
                file.display()
            ),
            ResolveError::Hooked {
                file,
                export,
                offset,
                instruction,
            } => write!(
                f,
                "the stub of {export} in {} is hooked: {instruction} at offset {offset}",
                file.display()
            ),
            ResolveError::UnknownShape {
                file,
                export,
                offset,
                instruction,
                expected,
            } => write!(
                f,
                "the stub of {export} in {} has an unknown shape: {instruction} at offset {offset} \
                 where a stub has {expected}",
                file.display()
            ),
            ResolveError::NotFound { searched } => {
                let paths: Vec<String> = searched.iter().map(|p| p.display().to_string()).collect();
                write!(
                    f,
                    "no ntdll.dll found (tried {}); set TINY_NTDLL or Builder::ntdll to an x64 \
                     ntdll.dll, or install wine64/libwine",
                    if paths.is_empty() {
                        "nothing".to_owned()
                    } else {
                        paths.join(", ")
                    }
                )
            }
            ResolveError::UnknownBuild { build } => {
                let builds: Vec<String> = table::builds()
                    .iter()
                    .map(|b| b.build.to_string())
                    .collect();
                write!(
                    f,
                    "the embedded table has no Windows build {build} (it has {}); give that \
                     build's ntdll.dll with TINY_NTDLL or Builder::ntdll",
                    builds.join(", ")
                )
            }
        }
    }
}

impl StdError for ResolveError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ResolveError::Io { source, .. } => Some(source),
            ResolveError::NotPe { source, .. } | ResolveError::BadExports { source, .. } => {
                Some(source)
            }
            _ => None,
        }
    }
}

fn machine_name(machine: u16) -> &'static str {
    match machine {
        0x014c => "i386",
        0x01c4 => "ARMv7",
        0xaa64 => "ARM64",
        0xa641 => "ARM64EC",
        0x0200 => "IA-64",
        0x8664 => "x64",
        _ => "unknown",
    }
}

/// Reads and resolves the `ntdll.dll` at `path` ([`Source::Path`]).
///
/// # Errors
/// Any [`ResolveError`] that names the file: unreadable, not an x64 PE, no `Nt*` exports, or an
/// export that is not a verified stub (see the [module docs](self)).
pub fn resolve_file(path: impl AsRef<Path>) -> Result<Resolution, ResolveError> {
    resolve_file_from(path.as_ref(), Source::Path)
}

/// Reads and resolves the `ntdll.dll` at `path`, recording `source` as its origin.
///
/// # Errors
/// As [`resolve_file`].
pub fn resolve_file_from(path: &Path, source: Source) -> Result<Resolution, ResolveError> {
    let bytes = std::fs::read(path).map_err(|e| ResolveError::Io {
        file: path.to_owned(),
        source: e,
    })?;
    let mut resolution = resolve_bytes(path, &bytes)?;
    resolution.source = source;
    Ok(resolution)
}

/// Resolves an `ntdll.dll` image held in memory. `file` is only used in errors and recorded in
/// the result; the source is [`Source::Path`]. Accepts any bytes (the fuzz target's entry point):
/// anything that is not an x64 ntdll with verified stubs is an error, never a panic.
///
/// # Errors
/// As [`resolve_file`], except that nothing is read.
pub fn resolve_bytes(file: impl AsRef<Path>, bytes: &[u8]) -> Result<Resolution, ResolveError> {
    let file = file.as_ref();
    let not_pe = |source| ResolveError::NotPe {
        file: file.to_owned(),
        source,
    };
    // pelite needs the image at a particular alignment (see `pe::required_start`); copy it
    // there if it is not.
    let start = pe::required_start(bytes).map_err(not_pe)?;
    let copy;
    let bytes = if (bytes.as_ptr() as usize) % 8 == start {
        bytes
    } else {
        let mut buf = vec![0u8; bytes.len() + 8];
        let at = (buf.as_ptr().align_offset(8) + start) % 8;
        buf[at..at + bytes.len()].copy_from_slice(bytes);
        copy = buf;
        &copy[at..at + bytes.len()]
    };

    let image = pe::open(bytes).map_err(|e| match e {
        pe::OpenError::NotPe(source) => not_pe(source),
        pe::OpenError::NotX64 { machine } => ResolveError::NotX64 {
            file: file.to_owned(),
            machine,
        },
    })?;
    let pe::NtExports { exports, wine } = pe::nt_exports(image)
        .map_err(|e| ResolveError::BadExports {
            file: file.to_owned(),
            what: e.what,
            source: e.source,
        })?
        .unwrap_or(pe::NtExports {
            exports: Vec::new(),
            wine: false,
        });
    if !exports.iter().any(|(name, _)| name.starts_with("Nt")) {
        return Err(ResolveError::NoNtExports {
            file: file.to_owned(),
        });
    }

    let mut stubs = Vec::new();
    let mut not_syscall = Vec::new();
    for (name, target) in exports {
        let rva = match target {
            pe::Target::Rva(rva) => rva,
            pe::Target::Forward(target) => {
                return Err(ResolveError::Forwarded {
                    file: file.to_owned(),
                    export: name,
                    target,
                });
            }
        };
        let code = match pe::code_at(image, rva) {
            pe::Code::Executable(code) => code,
            pe::Code::NotExecutable => {
                not_syscall.push(NotSyscall {
                    name,
                    rva,
                    reason: NotSyscallReason::NotExecutable,
                });
                continue;
            }
            pe::Code::Outside => {
                return Err(ResolveError::RvaOutsideImage {
                    file: file.to_owned(),
                    export: name,
                    rva,
                });
            }
        };
        match decode::shape(code) {
            Ok(shape) => stubs.push(Stub {
                name,
                number: shape.number,
                dispatch: shape.dispatch,
                bytes: code[..shape.len].to_vec(),
                number_offset: shape.number_offset,
            }),
            Err(decode::Mismatch::NotSyscall { first }) => not_syscall.push(NotSyscall {
                name,
                rva,
                reason: NotSyscallReason::Function {
                    first_instruction: first,
                },
            }),
            Err(decode::Mismatch::Hooked { offset, found }) => {
                return Err(ResolveError::Hooked {
                    file: file.to_owned(),
                    export: name,
                    offset,
                    instruction: found,
                });
            }
            Err(decode::Mismatch::Unknown {
                offset,
                found,
                expected,
            }) => {
                return Err(ResolveError::UnknownShape {
                    file: file.to_owned(),
                    export: name,
                    offset,
                    instruction: found,
                    expected,
                });
            }
            Err(decode::Mismatch::Truncated { available, .. }) => {
                return Err(ResolveError::Truncated {
                    file: file.to_owned(),
                    export: name,
                    rva,
                    available,
                });
            }
        }
    }

    let (time_date_stamp, size_of_image, checksum) = pe::header_identity(image);
    let identity = Identity {
        time_date_stamp,
        size_of_image,
        checksum,
        stubs_hash: stubs_hash(&stubs),
        file_version: pe::file_version(image),
        wine,
    };
    Ok(Resolution {
        file: file.to_owned(),
        source: Source::Path,
        identity,
        stubs,
        not_syscall,
    })
}

/// FNV-1a, 64-bit: stable across Rust versions and platforms, unlike `DefaultHasher`.
fn stubs_hash(stubs: &[Stub]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for stub in stubs {
        for &byte in stub.name.as_bytes().iter().chain(&[0]).chain(&stub.bytes) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
        }
    }
    hash
}

/// The only place this module reads the environment: `TINY_NTDLL` and `SystemRoot`, through
/// `cargo.rs` (the `Builder` prints their `rerun-if-env-changed` lines, see
/// [`ENV_VARS`]).
fn env_var(name: &str) -> Option<OsString> {
    crate::cargo::env_os(name).filter(|value| !value.is_empty())
}

/// The environment variables the default source order reads.
pub const ENV_VARS: &[&str] = &["TINY_NTDLL", "SystemRoot"];

/// Wine's 64-bit `ntdll.dll` in the usual places (Debian and Ubuntu packages, WineHQ builds in
/// `/opt/wine*`), in the order they are tried.
#[must_use]
pub fn wine_candidates() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = [
        "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/ntdll.dll",
        "/usr/lib/wine/x86_64-windows/ntdll.dll",
        "/usr/lib64/wine/x86_64-windows/ntdll.dll",
        "/usr/local/lib/wine/x86_64-windows/ntdll.dll",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    // /opt/wine*/lib*/wine/x86_64-windows/ntdll.dll, sorted so the order is stable.
    let mut opt = Vec::new();
    for dir in read_dir_sorted(Path::new("/opt")) {
        if !dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("wine"))
        {
            continue;
        }
        for lib in read_dir_sorted(&dir) {
            if lib
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("lib"))
            {
                opt.push(lib.join("wine/x86_64-windows/ntdll.dll"));
            }
        }
    }
    paths.extend(opt);
    paths
}

fn read_dir_sorted(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// The host's own `ntdll.dll` (Windows hosts only).
fn host_ntdll() -> Option<PathBuf> {
    if !cfg!(windows) {
        return None;
    }
    let root = env_var("SystemRoot").map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from);
    Some(root.join("System32").join("ntdll.dll"))
}

/// The `ntdll.dll` the default source order picks, and where it came from: `TINY_NTDLL` (even if
/// the file does not exist, so the error names it rather than silently using another), the
/// host's own on Windows, then Wine's. `None` if none exists.
#[must_use]
pub fn find_ntdll() -> Option<(PathBuf, Source)> {
    if let Some(path) = env_var("TINY_NTDLL") {
        return Some((PathBuf::from(path), Source::EnvVar));
    }
    if let Some(path) = host_ntdll().filter(|p| p.is_file()) {
        return Some((path, Source::Host));
    }
    wine_candidates()
        .into_iter()
        .find(|p| p.is_file())
        .map(|path| (path, Source::Wine))
}

/// The default source order: [`find_ntdll`], then the embedded table for `table_build` if one is
/// given. A file that is found but refused is an error; it does not fall through to the table.
///
/// # Errors
/// The found file's [`ResolveError`]; [`ResolveError::UnknownBuild`] if the table does not list
/// `table_build`; [`ResolveError::NotFound`] if there is neither a file nor a build.
pub fn resolve_default(table_build: Option<u32>) -> Result<Resolved, ResolveError> {
    if let Some((path, source)) = find_ntdll() {
        return resolve_file_from(&path, source).map(Resolved::Image);
    }
    match table_build {
        Some(build) => table::lookup(build)
            .map(Resolved::Table)
            .ok_or(ResolveError::UnknownBuild { build }),
        None => {
            let mut searched: Vec<PathBuf> = host_ntdll().into_iter().collect();
            searched.extend(wine_candidates());
            Err(ResolveError::NotFound { searched })
        }
    }
}
