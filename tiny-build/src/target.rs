//! The target, parsed once from `TARGET` and `CARGO_CFG_TARGET_*` into a [`Spec`].

use crate::Error;

/// Target triples tiny-build can produce programs for.
pub const SUPPORTED: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "i686-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "riscv64gc-unknown-linux-gnu",
    "armv7-unknown-linux-gnueabihf",
    "x86_64-pc-windows-gnu",
    "x86_64-pc-windows-msvc",
];

/// A CPU architecture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Arch {
    /// x86-64 (`syscall`).
    X86_64,
    /// 32-bit x86, i686 (`int 0x80`).
    X86,
    /// AArch64 (`svc #0`).
    Aarch64,
    /// RISC-V 64 (`ecall`).
    Riscv64,
    /// 32-bit ARM, ARMv7 in A32 (`svc #0`).
    Arm,
}

impl Arch {
    /// Rust's `target_arch` name, which the link plan also uses.
    pub fn name(self) -> &'static str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::X86 => "x86",
            Arch::Aarch64 => "aarch64",
            Arch::Riscv64 => "riscv64",
            Arch::Arm => "arm",
        }
    }

    /// The architecture of Rust's `target_arch` name.
    pub fn from_name(name: &str) -> Option<Arch> {
        [
            Arch::X86_64,
            Arch::X86,
            Arch::Aarch64,
            Arch::Riscv64,
            Arch::Arm,
        ]
        .into_iter()
        .find(|a| a.name() == name)
    }

    /// Pointer width in bits: the ELF class.
    pub fn pointer_width(self) -> u32 {
        match self {
            Arch::X86_64 | Arch::Aarch64 | Arch::Riscv64 => 64,
            Arch::X86 | Arch::Arm => 32,
        }
    }
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
        // the triple names `i686` and `riscv64gc`, `target_arch` says `x86` and `riscv64`
        let arch = match arch {
            "i686" => "x86",
            "riscv64gc" => "riscv64",
            a if a.starts_with("armv7") => "arm",
            a => a,
        };
        let arch = Arch::from_name(arch).ok_or_else(unsupported)?;
        let os = match os {
            "linux" => Os::Linux,
            // Windows: x86-64 only
            "windows" if arch == Arch::X86_64 => Os::Windows,
            _ => return Err(unsupported()),
        };
        // Linux: the triples of the list (a custom target of the same architecture too)
        if os == Os::Linux && arch == Arch::Arm && !triple.contains("eabihf") {
            return Err(unsupported());
        }
        let pointer_width = arch.pointer_width();
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
    fn four_more_linux_architectures() {
        for (t, arch, cfg, width) in [
            ("i686-unknown-linux-gnu", Arch::X86, "x86", 32),
            ("aarch64-unknown-linux-gnu", Arch::Aarch64, "aarch64", 64),
            ("riscv64gc-unknown-linux-gnu", Arch::Riscv64, "riscv64", 64),
            ("armv7-unknown-linux-gnueabihf", Arch::Arm, "arm", 32),
        ] {
            for s in [
                Spec::new(t, None, None).unwrap(),
                Spec::new(t, Some(cfg), Some("linux")).unwrap(),
            ] {
                assert_eq!((s.arch, s.os, s.pointer_width), (arch, Os::Linux, width));
            }
            assert_eq!(Arch::from_name(cfg), Some(arch));
            assert!(SUPPORTED.contains(&t));
        }
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
            "x86_64-apple-darwin",
            "i686-pc-windows-gnu",
            "powerpc64le-unknown-linux-gnu",
            "armv7-unknown-linux-gnueabi",
        ] {
            let e = Spec::new(t, None, None).unwrap_err().to_string();
            assert!(e.contains(t), "{e}");
            for supported in SUPPORTED {
                assert!(e.contains(supported), "{e}");
            }
        }
    }
}
