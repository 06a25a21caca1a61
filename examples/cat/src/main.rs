//! `cat [FILE]...`: copies each file, or standard input for `-` or when there are none, to
//! standard output.
//!
//! As GNU cat: a file that cannot be opened or read gives `cat: NAME: <error>` on standard error
//! and exit code 1, and the other files are still copied; a write error gives
//! `cat: write error: <error>` and exit code 1 at once (what [`tiny::copy`] does). Options
//! (`-n`, `-A`, …) are not implemented: every argument other than `-` is a file name.
#![no_std]
#![no_main]

use tiny::{Errno, STDIN, STDOUT, ZStr, error};

/// Copies one file (`-`: standard input) to standard output.
#[inline(always)]
fn cat(name: ZStr) -> Result<(), Errno> {
    let fd = if name.is_dash() {
        STDIN
    } else {
        tiny::open_z(name)?
    };
    let result = tiny::copy(fd, STDOUT);
    if fd != STDIN {
        let _ = tiny::close(fd);
    }
    result
}

#[tiny::main]
fn main() -> i32 {
    let mut args = tiny::operands();
    let mut name = args.next_z().unwrap_or(ZStr::new(c"-"));
    let mut status = 0;
    loop {
        if let Err(e) = cat(name) {
            error(name, e);
            status = 1;
        }
        match args.next_z() {
            Some(next) => name = next,
            None => return status,
        }
    }
}
