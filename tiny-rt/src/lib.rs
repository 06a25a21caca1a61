//! `tiny` — the `no_std` runtime of tiny programs.
//!
//! A program uses it together with the `tiny-build` build-script helper:
//!
//! ```ignore
//! #![cfg_attr(not(test), no_std)]
//! #![no_main]
//!
//! #[tiny::main]
//! fn main() -> u8 {
//!     tiny::print("Hello, World!\n");
//!     0
//! }
//! ```
//!
//! `#[tiny::main]` includes the code that `tiny-build` generated for the target (the entry point
//! and the system call stubs) into the program; this crate holds everything that does not depend
//! on resolved syscall numbers: stdio, arguments, exit codes and the panic handler.
//!
//! Nothing here allocates. What a program does not call costs no bytes: the link plan keeps only
//! what is reachable from the entry point.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn, missing_docs)]
#![warn(clippy::undocumented_unsafe_blocks)]

#[cfg(feature = "heap")]
extern crate alloc;

mod atexit;
pub mod env;
mod error;
pub mod fmt;
pub mod fs;
pub mod heap;
mod io;
pub mod mem;
pub mod opt;
mod os;
#[cfg(not(test))] // a host test harness (clippy --all-targets) has std's
mod panic;
mod process;
mod strerror;
pub mod sys;

pub use atexit::{ATEXIT_MAX, atexit};
pub use env::{Args, ZStr, args, operands};
pub use error::{Errno, Error, Failure};
pub use heap::Heap;
pub use io::{
    BUFFER_SIZE, Fd, STDERR, STDIN, STDOUT, buffer, close, copy, eprint, eprint_bytes, error,
    file_size, open, open_c_str, open_z, print, print_bytes, read, read_chunk, write_all, write_z,
};
pub use process::{Termination, exit};
#[doc(inline)]
pub use tiny_macros::nt;
pub use tiny_macros::{ctor, main, syscall, try_syscall};

/// `format!` with the heap (`alloc::format!`): a `String` made with `core::fmt`.
#[cfg(feature = "heap")]
pub use alloc::format;

/// Items used by the code that `#[tiny::main]` and `tiny-build` generate. Not a public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(target_os = "linux")]
    pub use linux_raw_sys;

    pub use crate::__tiny_ctor_piece as ctor_piece;
    pub use crate::os::enter_ctor;
    #[cfg(target_os = "linux")]
    pub use crate::os::{
        contract, syscall0, syscall1, syscall2, syscall3, syscall4, syscall5, syscall6,
    };

    pub use crate::os::start;
    #[cfg(windows)]
    pub use crate::os::{
        check_pinned, check_table, init, listed, refuse_quietly, unusable_checked, unusable_runtime,
    };
    pub use crate::process::Termination;
}
