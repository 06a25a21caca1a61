//! Linux: the system calls the runtime makes itself, and every system call name of each
//! architecture tiny supports (for `tiny::syscall!`'s compile errors; the numbers always come
//! from `linux-raw-sys` compiled for the target).

mod names;

pub use names::{AARCH64, ARM, RISCV64, X86, X86_64};

/// A system call the runtime (`tiny-rt`) declares and the generated file defines as
/// [`sys_symbol!`](crate::sys_symbol) `(name)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuntimeCall {
    /// The kernel's name for it (`write`), which is also the `linux-raw-sys` suffix (`__NR_write`).
    pub name: &'static str,
    /// Number of arguments.
    pub args: usize,
    /// Whether it never returns (`exit`).
    pub noreturn: bool,
    /// Whether the kernel writes memory the caller passes (`read`, `fstat`). The stubs of
    /// the others are `readonly`: the compiler may keep values from memory in registers
    /// across them.
    pub writes_memory: bool,
    /// Whether the first argument is a file descriptor (an `unsigned int` in the kernel): the
    /// stub takes it as a `u32`, which the caller need not widen (the kernel reads 32 bits).
    pub fd_first: bool,
}

impl RuntimeCall {
    const fn new(name: &'static str, args: usize) -> RuntimeCall {
        RuntimeCall {
            name,
            args,
            noreturn: false,
            writes_memory: false,
            fd_first: false,
        }
    }
    const fn fd(mut self) -> RuntimeCall {
        self.fd_first = true;
        self
    }
    const fn writes(mut self) -> RuntimeCall {
        self.writes_memory = true;
        self
    }
}

/// The system calls `tiny-rt` makes itself, sorted by name.
pub const RUNTIME_CALLS: &[RuntimeCall] = &[
    RuntimeCall::new("close", 1).fd(),
    RuntimeCall {
        noreturn: true,
        ..RuntimeCall::new("exit", 1)
    },
    RuntimeCall::new("fstat", 2).fd().writes(),
    RuntimeCall::new("open", 2),
    RuntimeCall::new("read", 3).fd().writes(),
    RuntimeCall::new("write", 3).fd(),
];

/// The system call names of the architecture named by Rust's `target_arch` (`x86_64`, `x86`,
/// `aarch64`, `riscv64`, `arm`), sorted; `None` for an architecture tiny does not know.
pub fn names(target_arch: &str) -> Option<&'static [&'static str]> {
    Some(match target_arch {
        "x86_64" => X86_64,
        "x86" => X86,
        "aarch64" => AARCH64,
        "riscv64" => RISCV64,
        "arm" => ARM,
        _ => return None,
    })
}

/// Every `target_arch` [`names`] knows.
pub const ARCHES: &[&str] = &["x86_64", "x86", "aarch64", "riscv64", "arm"];

/// For a call that some architectures lack, the call that does its work there (`open` →
/// `openat`); the first one the architecture has is the hint.
pub const INSTEAD: &[(&str, &[&str])] = &[
    ("access", &["faccessat", "faccessat2"]),
    ("alarm", &["setitimer"]),
    ("chmod", &["fchmodat"]),
    ("chown", &["fchownat"]),
    ("creat", &["openat"]),
    ("dup2", &["dup3"]),
    ("epoll_create", &["epoll_create1"]),
    ("epoll_wait", &["epoll_pwait"]),
    ("eventfd", &["eventfd2"]),
    ("fork", &["clone"]),
    ("fstat", &["fstat64", "newfstatat", "statx"]),
    ("getdents", &["getdents64"]),
    ("inotify_init", &["inotify_init1"]),
    ("lchown", &["fchownat"]),
    ("link", &["linkat"]),
    ("lseek", &["_llseek"]),
    ("lstat", &["lstat64", "newfstatat", "statx"]),
    ("mkdir", &["mkdirat"]),
    ("mknod", &["mknodat"]),
    ("mmap", &["mmap2"]),
    ("nanosleep", &["clock_nanosleep"]),
    ("newfstatat", &["fstatat64", "statx"]),
    ("open", &["openat"]),
    ("pause", &["ppoll"]),
    ("pipe", &["pipe2"]),
    ("poll", &["ppoll"]),
    ("readlink", &["readlinkat"]),
    ("rename", &["renameat2", "renameat"]),
    ("rmdir", &["unlinkat"]),
    ("select", &["pselect6"]),
    ("signalfd", &["signalfd4"]),
    ("stat", &["stat64", "newfstatat", "statx"]),
    ("symlink", &["symlinkat"]),
    ("time", &["clock_gettime"]),
    ("unlink", &["unlinkat"]),
    ("utime", &["utimensat"]),
    ("utimes", &["utimensat"]),
    ("vfork", &["clone"]),
];

/// What to say when `name` is not a system call of `target_arch`: the call to use instead,
/// when there is one.
pub fn instead(name: &str, target_arch: &str) -> Option<&'static str> {
    let have = names(target_arch)?;
    let (_, options) = INSTEAD.iter().find(|(n, _)| *n == name)?;
    options
        .iter()
        .copied()
        .find(|o| have.binary_search(o).is_ok())
}
