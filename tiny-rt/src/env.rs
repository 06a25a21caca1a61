//! Command-line arguments.

use core::ffi::CStr;

use crate::os;

/// The program's arguments, the program name first, each without its terminating NUL.
pub fn args() -> Args {
    let (_argc, argv) = os::argv();
    Args { next: argv }
}

/// `argv[0]`, the program name as it was started (empty if there is none).
pub(crate) fn program() -> &'static [u8] {
    args().next().unwrap_or_default()
}

/// Iterator over the command-line arguments; see [`args`].
///
/// It walks the NULL-terminated `argv` array (smaller code than counting `argc` down); the
/// length, when asked for, is found by counting the pointers left before the NULL.
#[derive(Clone, Debug)]
pub struct Args {
    next: *const *const u8,
}

impl Args {
    /// The next argument with its terminating NUL, as a C string: a file name that
    /// [`open_c_str`](crate::open_c_str) opens without copying it.
    pub fn next_c_str(&mut self) -> Option<&'static CStr> {
        // SAFETY: `next` walks the argv array the OS placed before the program started; it
        // stops at the NULL that ends the array and never moves past it.
        let arg = unsafe { *self.next };
        if arg.is_null() {
            return None;
        }
        self.next = self.next.wrapping_add(1);
        let mut len = 0;
        // The loads are volatile so that LLVM keeps this loop instead of calling `strlen`: that
        // call would go through the GOT (an 8-byte entry and a longer call instruction).
        // SAFETY: each argv entry is a NUL-terminated string, so every byte up to the NUL is
        // readable.
        while unsafe { arg.add(len).read_volatile() } != 0 {
            len += 1;
        }
        // SAFETY: `arg..=arg+len` was just read, ends with the only NUL, and lives for the
        // whole process.
        Some(unsafe {
            CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(arg, len + 1))
        })
    }
}

impl Iterator for Args {
    type Item = &'static [u8];

    fn next(&mut self) -> Option<&'static [u8]> {
        self.next_c_str().map(CStr::to_bytes)
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
