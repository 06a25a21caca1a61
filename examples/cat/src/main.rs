//! `cat [FILE]...`: copies each file, or standard input for `-` or when there are none, to
//! standard output.
//!
//! As GNU cat: a file that cannot be opened or read gives `cat: NAME: <error>` on standard error
//! and exit code 1, and the other files are still copied; a write error gives
//! `cat: write error: <error>` and exit code 1 at once. Options (`-n`, `-A`, …) are not
//! implemented: every argument other than `-` is a file name.
#![no_std]
#![no_main]

use tiny::{Errno, STDIN, STDOUT, ZStr, error, read_chunk, write_all};

/// Copies one file (`-`: standard input) to standard output. A write error ends the program.
fn cat(name: ZStr, buf: &mut [u8]) -> Result<(), Errno> {
    let fd = if name.is_dash() {
        STDIN
    } else {
        tiny::open_z(name)?
    };
    let result = loop {
        match read_chunk(fd, buf) {
            Ok([]) => break Ok(()),
            Ok(data) => {
                if let Err(e) = write_all(STDOUT, data) {
                    error(c"write error".into(), e);
                    tiny::exit(1);
                }
            }
            Err(e) => break Err(e),
        }
    };
    if fd != STDIN {
        let _ = tiny::close(fd);
    }
    result
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let mut args = tiny::operands();
    let mut name = args.next_z().unwrap_or(ZStr::new(c"-"));
    let mut status = 0;
    loop {
        if let Err(e) = cat(name, buf) {
            error(name, e);
            status = 1;
        }
        match args.next_z() {
            Some(next) => name = next,
            None => return status,
        }
    }
}
