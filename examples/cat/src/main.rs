//! `cat [FILE]...`: copies each file, or standard input for `-` or when there are none, to
//! standard output.
//!
//! As GNU cat: a file that cannot be opened or read gives `cat: NAME: <error>` on standard error
//! and exit code 1, and the other files are still copied; a write error gives
//! `cat: write error: <error>` and exit code 1 at once. Options (`-n`, `-A`, …) are not
//! implemented: every argument other than `-` is a file name.
#![no_std]
#![no_main]

use core::ffi::CStr;

use tiny::{STDIN, STDOUT, error, read_chunk, write_all};

/// Copies one file (`-`: standard input) to standard output; 1 if it could not be opened or
/// read. A write error ends the program.
fn cat(name: &CStr, buf: &mut [u8]) -> u8 {
    let fd = if name == c"-" {
        STDIN
    } else {
        match tiny::open_c_str(name) {
            Ok(fd) => fd,
            Err(e) => {
                error(name.to_bytes(), e);
                return 1;
            }
        }
    };
    let status = loop {
        match read_chunk(fd, buf) {
            Ok([]) => break 0,
            Ok(data) => {
                if let Err(e) = write_all(STDOUT, data) {
                    error(b"write error", e);
                    tiny::exit(1);
                }
            }
            Err(e) => {
                error(name.to_bytes(), e);
                break 1;
            }
        }
    };
    if fd != STDIN {
        let _ = tiny::close(fd);
    }
    status
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let mut args = tiny::args();
    args.next(); // the program name
    let mut name = args.next_c_str().unwrap_or(c"-");
    let mut status = 0;
    loop {
        status |= cat(name, buf);
        match args.next_c_str() {
            Some(next) => name = next,
            None => return status,
        }
    }
}
