//! Command-line arguments and the environment.
//!
//! The environment: `NAME=VALUE` entries as the program got them.
//!
//! On Linux they are the strings the kernel placed after the arguments (`envp`), bytes as they
//! are. On Windows they come from the process's UTF-16 environment block (the PEB's process
//! parameters), converted once, on first use, to WTF-8: UTF-8 for valid UTF-16, and an unpaired
//! surrogate as its own three-byte sequence, so nothing is lost (what Rust's `OsString` does on
//! Windows). Names are matched case-insensitively (ASCII) on Windows, as Windows does, and
//! exactly on Linux.

use core::ffi::CStr;

use crate::os;

/// The program's arguments, the program name first, each without its terminating NUL.
#[inline(always)]
pub fn args() -> Args {
    let (_argc, argv) = os::argv();
    Args { next: argv }
}

/// The arguments after the program name (`argv[1..]`; all of `argv` when it is empty, as when
/// a program is started with no arguments at all on Linux before 5.18): what a program parses.
#[inline(always)]
pub fn operands() -> Args {
    #[cfg(target_os = "linux")]
    let next = os::operands();
    #[cfg(not(target_os = "linux"))]
    let next = {
        let (argc, argv) = os::argv();
        argv.wrapping_add(usize::from(argc != 0))
    };
    Args { next }
}

/// `argv[0]`, the program name as it was started, NUL-terminated (empty if there is none).
#[cfg(not(target_os = "linux"))] // Linux: `os::error` reads it itself
pub(crate) fn program() -> ZStr {
    args().next_z().unwrap_or(ZStr::new(c""))
}

/// Iterator over the command-line arguments; see [`args`].
///
/// It walks the NULL-terminated `argv` array (smaller code than counting `argc` down); the
/// length, when asked for, is found by counting the pointers left before the NULL.
#[derive(Clone, Debug)]
#[repr(transparent)]
pub struct Args {
    next: *const *const u8,
}

impl Args {
    /// The next argument, as a [`ZStr`]: a thin pointer, whose length is not computed unless
    /// asked for — what a file name needs ([`open_z`](crate::open_z), [`error`](crate::error)).
    #[inline(always)]
    pub fn next_z(&mut self) -> Option<ZStr> {
        // SAFETY: `next` walks the argv array the OS placed before the program started; it
        // stops at the NULL that ends the array and never moves past it.
        let arg = unsafe { *self.next };
        if arg.is_null() {
            return None;
        }
        self.next = self.next.wrapping_add(1);
        // each argv entry is a NUL-terminated string that lives for the whole process
        Some(ZStr(arg))
    }

    /// The next argument with its terminating NUL, as a C string.
    #[inline(always)]
    pub fn next_c_str(&mut self) -> Option<&'static CStr> {
        self.next_z().map(ZStr::as_c_str)
    }
}

/// A NUL-terminated string that lives for the whole program — a command-line argument or a C
/// string literal — held as a single pointer: its length is found only when asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZStr(*const u8);

impl ZStr {
    /// The string of a C string literal.
    #[inline(always)]
    pub const fn new(s: &'static CStr) -> ZStr {
        ZStr(s.as_ptr().cast())
    }

    /// Its bytes, without the NUL.
    #[inline(always)]
    pub fn to_bytes(self) -> &'static [u8] {
        // SAFETY: `self.0` points to a NUL-terminated string that lives for the program (the
        // invariant of `ZStr`).
        unsafe { core::slice::from_raw_parts(self.0, c_len(self.0)) }
    }

    /// As a `CStr`.
    #[inline(always)]
    pub fn as_c_str(self) -> &'static CStr {
        let bytes = self.to_bytes();
        // SAFETY: `bytes` is followed by its NUL, and it holds no other.
        unsafe {
            CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(
                bytes.as_ptr(),
                bytes.len() + 1,
            ))
        }
    }

    /// The pointer to its first byte.
    #[inline(always)]
    pub const fn as_ptr(self) -> *const u8 {
        self.0
    }

    /// Whether it is the empty string.
    #[inline(always)]
    pub fn is_empty(self) -> bool {
        // SAFETY: the NUL, at least, is readable.
        unsafe { *self.0 == 0 }
    }

    /// Its first byte and the rest, `None` when it is empty: a walk over the bytes that needs
    /// no length (`-` is `Some((b'-', rest))` with `rest.is_empty()`).
    #[inline(always)]
    pub fn split_first(self) -> Option<(u8, ZStr)> {
        if self.is_empty() {
            return None;
        }
        // SAFETY: the first byte is not the NUL, so the NUL-terminated rest starts after it.
        Some((unsafe { *self.0 }, ZStr(unsafe { self.0.add(1) })))
    }

    /// Whether it is `-`, the name that stands for standard input.
    #[inline(always)]
    pub fn is_dash(self) -> bool {
        matches!(self.split_first(), Some((b'-', rest)) if rest.is_empty())
    }
}

impl From<&'static CStr> for ZStr {
    #[inline(always)]
    fn from(s: &'static CStr) -> ZStr {
        ZStr::new(s)
    }
}

impl Iterator for Args {
    type Item = &'static [u8];

    #[inline(always)]
    fn next(&mut self) -> Option<&'static [u8]> {
        self.next_z().map(ZStr::to_bytes)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let mut n = 0;
        // SAFETY: as in `next`: every pointer up to and including the ending NULL is readable.
        while !unsafe { *self.next.wrapping_add(n) }.is_null() {
            n += 1;
        }
        (n, Some(n))
    }
}

impl ExactSizeIterator for Args {}

/// The length of the NUL-terminated string at `s`.
///
/// # Safety
/// `s` points to a NUL-terminated string.
#[inline(always)]
pub(crate) unsafe fn c_len(s: *const u8) -> usize {
    #[cfg(target_os = "linux")]
    // SAFETY: as the caller promises.
    return unsafe { os::strlen(s) };
    #[cfg(not(target_os = "linux"))]
    {
        let mut len = 0;
        // The loads are volatile so that LLVM keeps this loop instead of calling `strlen`: that
        // call would go through the GOT (an 8-byte entry and a longer call instruction).
        // SAFETY: every byte up to the NUL is readable.
        while unsafe { s.add(len).read_volatile() } != 0 {
            len += 1;
        }
        len
    }
}

/// The value of the environment variable `name`, `None` when it is not set.
///
/// ```ignore
/// let home = tiny::env::var("HOME").unwrap_or(b"/");
/// ```
pub fn var(name: impl AsRef<[u8]>) -> Option<&'static [u8]> {
    let name = name.as_ref();
    vars().find_map(|(n, v)| same_name(n, name).then_some(v))
}

/// Every `NAME=VALUE` of the environment, in order, as `(name, value)`: the name up to the
/// first `=` after its first byte (a Windows entry such as `=C:=C:\dir` has the name `=C:`),
/// and an entry without `=` as a name with an empty value.
pub fn vars() -> Vars {
    Vars {
        next: os::environ(),
    }
}

/// Iterator over the environment; see [`vars`].
#[derive(Clone, Debug)]
pub struct Vars {
    next: *const *const u8,
}

impl Iterator for Vars {
    type Item = (&'static [u8], &'static [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        // SAFETY: `next` walks a NULL-terminated array of NUL-terminated strings that live
        // for the process (`os::environ`), and stops at the NULL.
        let entry = unsafe { *self.next };
        if entry.is_null() {
            return None;
        }
        self.next = self.next.wrapping_add(1);
        let entry = ZStr(entry).to_bytes();
        let name_len = entry
            .iter()
            .skip(1)
            .position(|&b| b == b'=')
            .map_or(entry.len(), |i| i + 1);
        let (name, rest) = entry.split_at_checked(name_len).unwrap_or((entry, &[]));
        Some((name, rest.get(1..).unwrap_or(&[])))
    }
}

/// Whether the environment's `found` names `wanted` (see [`vars`]).
fn same_name(found: &[u8], wanted: &[u8]) -> bool {
    if cfg!(windows) {
        found.eq_ignore_ascii_case(wanted)
    } else {
        found == wanted
    }
}
