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
    let mut rest = args.clone();
    while let Some(n) = rest.next().and_then(option) {
        newline &= !n;
        args = rest.clone();
    }
    let mut sep: &[u8] = b"";
    let mut status = Ok(());
    for word in args {
        status = write_all(STDOUT, sep).and(write_all(STDOUT, word));
        if status.is_err() {
            break;
        }
        sep = b" ";
    }
    if newline && status.is_ok() {
        status = write_all(STDOUT, b"\n");
    }
    status.is_err() as u8
}
