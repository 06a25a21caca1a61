//! Syscall resolution: which number each system call has on the target, and how to enter it.
//!
//! Linux needs no resolution at build time: the generated code names `linux-raw-sys` constants,
//! which rustc evaluates for the target. Windows numbers change with every build, so
//! [`windows`] reads them from an `ntdll.dll`.
//!
//! The shared IR is [`Stub`]: one export, its number, the path its stub takes into the kernel
//! ([`Dispatch`]) and the stub's exact bytes, so code generation can reproduce it byte for byte.

pub mod windows;

use std::fmt;

/// One system-call stub, as found in (and verified against) an `ntdll.dll`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stub {
    /// The export's name, e.g. `NtWriteFile` (or its `Zw` alias).
    pub name: String,
    /// The system call number the stub loads into `eax`.
    pub number: u32,
    /// The path the stub takes into the kernel.
    pub dispatch: Dispatch,
    /// The stub's bytes, from its first instruction to the end of the last instruction of its
    /// shape (both paths of a [`Dispatch::SharedDataTest`] stub, and whatever lies between them).
    /// Wine 8.0's stubs are 32 bytes; Windows 10/11's are 24 (their alignment padding is not part
    /// of the stub); Windows 7's are 11.
    pub bytes: Vec<u8>,
    /// Offset in [`bytes`](Self::bytes) of the little-endian `u32` immediate of `mov eax, N`.
    pub number_offset: usize,
}

/// The path a stub takes into the kernel. Every shape starts `mov r10, rcx; mov eax, N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dispatch {
    /// `mov r10, rcx; mov eax, N; syscall; ret` (Windows Server 2003 to 8.1).
    Syscall,
    /// `mov r10, rcx; mov eax, N; test byte ptr [0x7FFE0308], 1; jne alt; syscall; ret; alt: …`:
    /// `KUSER_SHARED_DATA.SystemCall` (0x7FFE0308) selects the alternative path.
    SharedDataTest {
        /// What runs when the bit is set.
        alt: Alt,
        /// Offset in [`Stub::bytes`] of the `jne` target (where the alternative path begins;
        /// it may begin with a short `jmp` inside the stub, as Wine's does).
        alt_offset: usize,
    },
}

/// The alternative path of a [`Dispatch::SharedDataTest`] stub.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alt {
    /// `int 2Eh; ret` (Windows 10/11).
    Int2e,
    /// `call qword ptr [0x7FFE1000]; ret` (Wine: its syscall dispatcher's address is stored there).
    WineCall,
}

impl Stub {
    /// The stub's bytes with its number replaced by `number`: the exact stub of the same shape
    /// for another function.
    #[must_use]
    pub fn bytes_with_number(&self, number: u32) -> Vec<u8> {
        let mut bytes = self.bytes.clone();
        bytes[self.number_offset..self.number_offset + 4].copy_from_slice(&number.to_le_bytes());
        bytes
    }
}

impl fmt::Display for Dispatch {
    /// Short names used by the `tiny-build syscalls` command: `syscall`, `test+int2e`,
    /// `test+wine-call`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dispatch::Syscall => "syscall",
            Dispatch::SharedDataTest {
                alt: Alt::Int2e, ..
            } => "test+int2e",
            Dispatch::SharedDataTest {
                alt: Alt::WineCall, ..
            } => "test+wine-call",
        })
    }
}
