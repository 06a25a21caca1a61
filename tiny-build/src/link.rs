//! The link plan: what the build script arranges so that rustc's link step produces the tiny
//! image, kept as data; printing it is [`LinkPlan::cargo_lines`].
//!
//! rustc links Linux programs through the C compiler driver (`cc`). The plan makes the driver
//! run tiny-build's own linker step instead of the real linker: `-fuse-ld=bfd` with `-B<dir>`,
//! where `<dir>/ld.bfd` is a link to the build script itself. When the build script starts under
//! that name, [`crate::Builder::new`] runs the link step (`crate::interpose`) instead of the
//! build script: it links twice with `rust-lld` and writes the final image.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::target::{Arch, Os, Spec};

/// Environment variable that carries the plan file's path from the build script to the link
/// step (set with `cargo:rustc-env`, which rustc passes on to the linker).
pub const PLAN_VAR: &str = "TINY_LINK_PLAN";
/// The program the compiler driver runs from the `-B` directory, and the `-fuse-ld=` value
/// that makes it look there.
///
/// Linux: GNU ld's name, `ld.bfd` (rustc's own `-B` directory, searched first, holds only
/// `ld.lld`). mingw-w64: Debian's driver runs its configured `x86_64-w64-mingw32-ld*` without
/// searching `-B` for the linker, but it does search `-B` for `collect2`, the program that
/// runs the linker: tiny-build's link step takes that name.
pub fn ld_name(os: Os) -> (Option<&'static str>, &'static str) {
    match (os, cfg!(windows)) {
        (Os::Linux, false) => (Some("bfd"), "ld.bfd"),
        (Os::Linux, true) => (Some("bfd"), "ld.bfd.exe"),
        (Os::Windows, false) => (None, "collect2"),
        (Os::Windows, true) => (None, "collect2.exe"),
    }
}

/// Every name [`ld_name`] gives: the link step answers to all of them.
pub const LD_NAMES: &[&str] = &["ld.bfd", "ld.bfd.exe", "collect2", "collect2.exe"];

/// What the link step needs to know, written to `OUT_DIR/tiny/link-plan` by the build script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkPlan {
    /// Target triple (for messages).
    pub triple: String,
    /// Target architecture.
    pub arch: Arch,
    /// Target operating system: ELF or PE image.
    pub os: Os,
    /// rustc runs the linker itself (msvc): no compiler driver arguments.
    pub msvc: bool,
    /// The real linker: `rust-lld` (with `-flavor gnu`) or `ld.lld`.
    pub linker: PathBuf,
    /// Whether the linker is `rust-lld`, which needs `-flavor gnu`.
    pub rust_lld: bool,
    /// Directory holding `ld.bfd` (the build script under that name).
    pub wrapper_dir: PathBuf,
    /// Print the linker commands and the layout to stderr.
    pub verbose: bool,
    /// A `Pinned` Windows program: the ntdll it is pinned to (named when the program calls a
    /// function that ntdll lacks).
    pub pinned_ntdll: Option<PathBuf>,
}

impl LinkPlan {
    /// A plan for `spec`, using `linker`.
    pub fn new(spec: &Spec, linker: PathBuf, wrapper_dir: PathBuf, verbose: bool) -> LinkPlan {
        let rust_lld = linker.file_stem().is_some_and(|s| s == "rust-lld");
        LinkPlan {
            triple: spec.triple.clone(),
            arch: spec.arch,
            os: spec.os,
            msvc: spec.msvc,
            linker,
            rust_lld,
            wrapper_dir,
            verbose,
            pinned_ntdll: None,
        }
    }

    /// The arguments for the C compiler driver, each with the reason it is there (none for the
    /// msvc target, where rustc runs `tiny-build` as the linker itself).
    pub fn driver_args(&self) -> Vec<(String, &'static str)> {
        if self.msvc {
            return Vec::new();
        }
        let fuse = ld_name(self.os).0.map(|f| {
            (
                format!("-fuse-ld={f}"),
                "look for the linker under the name ld.bfd…",
            )
        });
        fuse.into_iter()
            .chain([
                (
                    format!("-B{}/", self.wrapper_dir.display()),
                    "…in this directory first: tiny-build's link step",
                ),
                (
                    "-nostartfiles".into(),
                    "no C runtime start files: the entry point is tiny's `_start`",
                ),
                ("-nostdlib".into(), "no libc or libgcc"),
                ("-static".into(), "no dynamic loader"),
            ])
            .collect()
    }

    /// The `cargo:` lines that install the plan (without the `cargo:` prefix).
    pub fn cargo_lines(&self, plan_file: &Path) -> Vec<String> {
        let mut lines: Vec<String> = self
            .driver_args()
            .into_iter()
            .map(|(a, _)| format!("rustc-link-arg-bins={a}"))
            .collect();
        lines.push(format!("rustc-env={PLAN_VAR}={}", plan_file.display()));
        lines
    }

    /// The plan as `key=value` lines.
    pub fn to_text(&self) -> String {
        let mut s = String::from("# tiny-build link plan, read by the link step\n");
        let _ = writeln!(s, "triple={}", self.triple);
        let _ = writeln!(s, "arch={}", arch_name(self.arch));
        let _ = writeln!(s, "os={}", os_name(self.os));
        let _ = writeln!(s, "msvc={}", self.msvc);
        let _ = writeln!(s, "linker={}", self.linker.display());
        let _ = writeln!(s, "rust_lld={}", self.rust_lld);
        let _ = writeln!(s, "wrapper_dir={}", self.wrapper_dir.display());
        let _ = writeln!(s, "verbose={}", self.verbose);
        if let Some(ntdll) = &self.pinned_ntdll {
            let _ = writeln!(s, "pinned_ntdll={}", ntdll.display());
        }
        s
    }

    /// Parses [`LinkPlan::to_text`] output; `file` is named in errors.
    pub fn from_text(text: &str, file: &Path) -> Result<LinkPlan, Error> {
        let bad = |problem: String| Error::BadPlan {
            file: file.to_owned(),
            problem,
        };
        let get = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
                .ok_or_else(|| bad(format!("no `{key}` line")))
        };
        let arch = match get("arch")? {
            "x86_64" => Arch::X86_64,
            other => return Err(bad(format!("unknown arch `{other}`"))),
        };
        let os = match get("os")? {
            "linux" => Os::Linux,
            "windows" => Os::Windows,
            other => return Err(bad(format!("unknown os `{other}`"))),
        };
        Ok(LinkPlan {
            triple: get("triple")?.to_owned(),
            arch,
            os,
            msvc: get("msvc")? == "true",
            linker: get("linker")?.into(),
            rust_lld: get("rust_lld")? == "true",
            wrapper_dir: get("wrapper_dir")?.into(),
            verbose: get("verbose")? == "true",
            pinned_ntdll: get("pinned_ntdll").ok().map(PathBuf::from),
        })
    }
}

fn os_name(os: Os) -> &'static str {
    match os {
        Os::Linux => "linux",
        Os::Windows => "windows",
    }
}

fn arch_name(arch: Arch) -> &'static str {
    match arch {
        Arch::X86_64 => "x86_64",
    }
}

/// Finds the linker: the `rust-lld` that ships with the toolchain (in the sysroot, for the host),
/// else `ld.lld` on `PATH`.
pub fn find_linker(
    sysroot: Option<&Path>,
    host: Option<&str>,
    path: Option<&std::ffi::OsStr>,
) -> Result<PathBuf, Error> {
    let exe = if cfg!(windows) { ".exe" } else { "" };
    if let (Some(sysroot), Some(host)) = (sysroot, host) {
        let p = sysroot
            .join("lib/rustlib")
            .join(host)
            .join("bin")
            .join(format!("rust-lld{exe}"));
        if p.is_file() {
            return Ok(p);
        }
    }
    if let Some(path) = path {
        for dir in std::env::split_paths(path) {
            let p = dir.join(format!("ld.lld{exe}"));
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err(Error::MissingTool {
        tool: "rust-lld (in the Rust sysroot) or ld.lld".into(),
        hint: "install the toolchain's rust-lld (`rustup component add llvm-tools` or a rustup toolchain) or LLVM's lld (`apt-get install lld`)",
    })
}

/// Whether `program` can be run: a path to a file, or a name found in `path` (`PATH`).
pub fn on_path(program: &Path, path: Option<&std::ffi::OsStr>) -> bool {
    if program.components().count() > 1 {
        return program.is_file();
    }
    let exe = if cfg!(windows) { ".exe" } else { "" };
    path.is_some_and(|path| {
        std::env::split_paths(path).any(|dir| {
            dir.join(program).is_file() || dir.join(format!("{}{exe}", program.display())).is_file()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_found_on_path_or_by_path() {
        let dir = std::env::temp_dir().join(format!("tiny-on-path-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("tool"), "").unwrap();
        let path = std::env::join_paths([Path::new("/nonexistent"), &dir]).unwrap();
        assert!(on_path(Path::new("tool"), Some(&path)));
        assert!(!on_path(Path::new("other-tool"), Some(&path)));
        assert!(!on_path(Path::new("tool"), None));
        assert!(on_path(&dir.join("tool"), None));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn plan_round_trips_through_text() {
        let spec = Spec::new("x86_64-unknown-linux-gnu", None, None).unwrap();
        let mut plan = LinkPlan::new(&spec, "/x/rust-lld".into(), "/out/tiny".into(), false);
        assert!(plan.rust_lld);
        let back = LinkPlan::from_text(&plan.to_text(), Path::new("plan")).unwrap();
        assert_eq!(plan, back);
        plan.pinned_ntdll = Some("/wine/ntdll.dll".into());
        let back = LinkPlan::from_text(&plan.to_text(), Path::new("plan")).unwrap();
        assert_eq!(plan, back);
        let err = LinkPlan::from_text("arch=x86_64\n", Path::new("/o/plan"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("/o/plan") && err.contains("no `"), "{err}");
    }

    #[test]
    fn cargo_lines_interpose_the_linker() {
        let spec = Spec::new("x86_64-unknown-linux-gnu", None, None).unwrap();
        let plan = LinkPlan::new(&spec, "/x/ld.lld".into(), "/out/tiny".into(), false);
        let lines = plan.cargo_lines(Path::new("/out/tiny/link-plan"));
        assert!(lines.contains(&"rustc-link-arg-bins=-fuse-ld=bfd".to_string()));
        assert!(lines.contains(&"rustc-link-arg-bins=-B/out/tiny/".to_string()));
        assert!(lines.contains(&"rustc-env=TINY_LINK_PLAN=/out/tiny/link-plan".to_string()));
    }
}
