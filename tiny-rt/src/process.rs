//! Exit codes and what `main` may return.

use crate::{Error, eprint, os};

/// Ends the process with `code` (the low 8 bits are what a parent sees on Linux).
pub fn exit(code: i32) -> ! {
    os::exit(code)
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
    /// `Ok` exits 0; `Err(e)` prints `Error: <message>` and a newline to stderr and exits 1.
    fn report(self) -> i32 {
        match self {
            Ok(()) => 0,
            Err(e) => {
                eprint("Error: ");
                eprint(e.message());
                eprint("\n");
                1
            }
        }
    }
}
