//! echo, `no_std` on libc: as examples/echo (leading `-n`/`-E` options, no `-e`).
#![no_std]
#![no_main]
#[path = "../libc.rs"]
mod libc;

use core::ffi::{c_char, c_int};

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> i32 {
    let mut args = libc::args(argc, argv).peekable();
    let mut newline = true;
    while let Some(a) = args.peek() {
        if a.len() < 2 || a[0] != b'-' || !a[1..].iter().all(|c| matches!(c, b'n' | b'E')) {
            break;
        }
        newline &= !a.contains(&b'n');
        args.next();
    }
    let mut sep: &[u8] = b"";
    for a in args {
        if !libc::write_all(1, sep) || !libc::write_all(1, a) {
            return 1;
        }
        sep = b" ";
    }
    (newline && !libc::write_all(1, b"\n")) as i32
}
