//! `echo [-n] [STRING]...`: writes the arguments separated by spaces, then a newline.
//!
//! As GNU echo, leading arguments made only of `-` and the letters `n`, `e` and `E` are
//! options: `n` leaves out the newline, `E` (no escapes) is the default. `-e` (backslash
//! escapes) is not implemented, so an argument containing `e` ends the options and is printed.
#![no_std]
#![no_main]

use tiny::{STDOUT, write_all};

/// For an option argument, whether it has an `n`; `None` for an argument to print.
fn option(arg: &[u8]) -> Option<bool> {
    let (b'-', flags) = arg.split_first()? else {
        return None;
    };
    let mut n = false;
    for &c in flags {
        match c {
            b'n' => n = true,
            b'E' => {}
            _ => return None,
        }
    }
    (!flags.is_empty()).then_some(n)
}

#[tiny::main]
fn main() -> u8 {
    let mut args = tiny::args();
    args.next(); // the program name
    let mut newline = true;
    let mut words = args.clone();
    while let Some(n) = args.next().and_then(option) {
        newline &= !n;
        words = args.clone();
    }
    let mut sep: &[u8] = b"";
    let mut failed = false;
    for word in words {
        failed |= write_all(STDOUT, sep).is_err() | write_all(STDOUT, word).is_err();
        sep = b" ";
    }
    if newline {
        failed |= write_all(STDOUT, b"\n").is_err();
    }
    failed as u8
}
