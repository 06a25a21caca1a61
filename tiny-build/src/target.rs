//! The target, parsed once from `TARGET` and `CARGO_CFG_TARGET_*` into a [`Spec`].

use crate::Error;

/// Target triples tiny-build can produce programs for.
pub const SUPPORTED: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "x86_64-pc-windows-gnu",
    "x86_64-pc-windows-msvc",
];

/// A CPU architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Arch {
    /// x86-64 (`syscall`).
    X86_64,
}

/// An operating system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Os {
    /// Linux: stable syscall ABI, numbers from `linux-raw-sys`.
    Linux,
    /// Windows: a PE image with no imports; system calls through `ntdll.dll`.
    Windows,
}

/// Everything tiny-build needs to know about the target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The full target triple, e.g. `x86_64-unknown-linux-gnu`.
    pub triple: String,
    /// The CPU architecture.
    pub arch: Arch,
    /// The operating system.
    pub os: Os,
    /// Pointer width in bits.
    pub pointer_width: u32,
    /// The msvc environment: rustc runs the configured linker directly, with `link.exe`-style
    /// arguments, instead of a C compiler driver whose linker tiny-build can interpose.
    pub msvc: bool,
}

impl Spec {
    /// Parses a target from its triple and, when Cargo gave them, the `CARGO_CFG_TARGET_ARCH` and
    /// `CARGO_CFG_TARGET_OS` values (which win over the triple, as for custom target files).
    pub fn new(triple: &str, cfg_arch: Option<&str>, cfg_os: Option<&str>) -> Result<Spec, Error> {
        let unsupported = || Error::UnsupportedTarget {
            triple: triple.to_owned(),
            supported: SUPPORTED,
        };
        let mut parts = triple.split('-');
        let arch = cfg_arch.or(parts.next()).ok_or_else(unsupported)?;
        let os = match cfg_os {
            Some(os) => os,
            None => triple
                .split('-')
                .find(|p| matches!(*p, "linux" | "windows"))
                .ok_or_else(unsupported)?,
        };
        let (arch, pointer_width) = match arch {
            "x86_64" => (Arch::X86_64, 64),
            _ => return Err(unsupported()),
        };
        let os = match os {
            "linux" => Os::Linux,
            "windows" => Os::Windows,
            _ => return Err(unsupported()),
        };
        Ok(Spec {
            triple: triple.to_owned(),
            arch,
            os,
            pointer_width,
            msvc: triple.ends_with("-msvc"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_x86_64() {
        let s = Spec::new("x86_64-unknown-linux-gnu", None, None).unwrap();
        assert_eq!(
            (s.arch, s.os, s.pointer_width),
            (Arch::X86_64, Os::Linux, 64)
        );
        let s = Spec::new("x86_64-unknown-linux-musl", Some("x86_64"), Some("linux")).unwrap();
        assert_eq!(s.os, Os::Linux);
    }

    #[test]
    fn windows_gnu_and_msvc() {
        let s = Spec::new("x86_64-pc-windows-gnu", Some("x86_64"), Some("windows")).unwrap();
        assert_eq!((s.os, s.msvc), (Os::Windows, false));
        let s = Spec::new("x86_64-pc-windows-msvc", None, None).unwrap();
        assert_eq!((s.os, s.msvc), (Os::Windows, true));
        assert!(Spec::new("i686-pc-windows-msvc", None, None).is_err());
    }

    #[test]
    fn unsupported_names_the_target_and_the_list() {
        for t in [
            "wasm32-unknown-unknown",
            "riscv64gc-unknown-linux-gnu",
            "x86_64-apple-darwin",
        ] {
            let e = Spec::new(t, None, None).unwrap_err().to_string();
            assert!(e.contains(t), "{e}");
            assert!(e.contains("x86_64-unknown-linux-gnu"), "{e}");
        }
    }
}
