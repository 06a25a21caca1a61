//! Exit codes and what `main` may return.

use core::sync::atomic::{AtomicI32, Ordering::Relaxed};

use crate::{Errno, Error, Fd, STDOUT, ZStr, os};

/// Ends the process with `code` (the low 8 bits are what a parent sees on Linux), as returning
/// from `main` does: first the [`atexit`](crate::atexit) handlers run, newest first; then, if
/// a [`print!`](crate::print!) or [`println!`](crate::println!) to standard output failed, the
/// program reports it as coreutils do (`PROG: write error: MESSAGE` on standard error) and the
/// exit code is 1.
///
/// What a program does not use costs nothing here: with no `atexit` and no printing macro,
/// this is the bare `exit` system call.
pub fn exit(code: i32) -> ! {
    os::exit(finish(code))
}

/// The error number of the first failed write to standard output by the printing macros;
/// 0 when none failed. Never written in a program that does not use them, and then the
/// check in [`finish`] folds away (LTO sees the static is never stored to).
static OUTPUT_ERROR: AtomicI32 = AtomicI32::new(0);

/// Records a failed write of the printing macros (standard output only, as coreutils'
/// `close_stdout` checks only that).
#[inline(always)]
pub(crate) fn output_failed(fd: Fd, e: Errno) {
    if fd == STDOUT && OUTPUT_ERROR.load(Relaxed) == 0 {
        OUTPUT_ERROR.store(e.raw(), Relaxed);
    }
}

/// The work between `main`'s end (or [`exit`]) and the `exit` system call: the exit code to
/// use.
#[inline(always)]
pub(crate) fn finish(code: i32) -> i32 {
    crate::atexit::run();
    match OUTPUT_ERROR.load(Relaxed) {
        0 => code,
        n => {
            crate::error(ZStr::new(c"write error"), Errno::new(n));
            1
        }
    }
}

/// What `#[tiny::main]` accepts as the return type of `main`, turned into an exit code.
pub trait Termination {
    /// The exit code; for an error, its message is written to standard error first.
    fn report(self) -> i32;
}

impl Termination for () {
    #[inline]
    fn report(self) -> i32 {
        0
    }
}

impl Termination for u8 {
    #[inline]
    fn report(self) -> i32 {
        self as i32
    }
}

impl Termination for i32 {
    #[inline]
    fn report(self) -> i32 {
        self
    }
}

impl<E: Error> Termination for Result<(), E> {
    /// `Ok` exits 0; `Err(e)` prints the error as `PROG: MESSAGE` (see [`Error::report`]) and
    /// exits 1.
    fn report(self) -> i32 {
        match self {
            Ok(()) => 0,
            Err(e) => {
                e.report();
                1
            }
        }
    }
}
