//! `echo [-n] [STRING]...`: writes the arguments separated by spaces, then a newline.
//!
//! As GNU echo, leading arguments made only of `-` and the letters `n`, `e` and `E` are
//! options: `n` leaves out the newline, `E` (no escapes) is the default. `-e` (backslash
//! escapes) is not implemented, so an argument containing `e` ends the options and is printed.
#![no_std]
#![no_main]

use tiny::{STDOUT, ZStr, write_z};

/// For an option argument, whether it has an `n`; `None` for an argument to print.
fn option(arg: ZStr) -> Option<bool> {
    let Some((b'-', flags)) = arg.split_first() else {
        return None;
    };
    let (mut c, mut rest) = flags.split_first()?;
    let mut n = false;
    loop {
        match c {
            b'n' => n = true,
            b'E' => {}
            _ => return None,
        }
        let Some((next, more)) = rest.split_first() else {
            return Some(n);
        };
        (c, rest) = (next, more);
    }
}

#[tiny::main]
fn main() -> u8 {
    let mut args = tiny::operands();
    let mut no_newline = false;
    let mut rest = args.clone();
    while let Some(n) = rest.next_z().and_then(option) {
        no_newline |= n;
        args = rest.clone();
    }
    let mut sep = c"";
    let mut status = Ok(());
    while let Some(word) = args.next_z() {
        status = write_z(STDOUT, sep.into()).and(write_z(STDOUT, word));
        if status.is_err() {
            break;
        }
        sep = c" ";
    }
    let nl = ZStr::from(c"\n");
    let end = match nl.split_first() {
        Some((_, empty)) if no_newline => empty,
        _ => nl,
    };
    status.and(write_z(STDOUT, end)).is_err() as u8
}
