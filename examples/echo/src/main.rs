//! `echo [-n] [STRING]...`: writes the arguments separated by spaces, then a newline.
//!
//! As GNU echo, leading arguments made only of `-` and the letters `n`, `e` and `E` are
//! options: `n` leaves out the newline, `E` (no escapes) is the default. `-e` (backslash
//! escapes) is not implemented, so an argument containing `e` ends the options and is printed.
//! A failed write ends it as it ends GNU echo: `echo: write error: MESSAGE`, exit code 1.
#![no_std]
#![no_main]

use tiny::{STDOUT, ZStr, write_all, write_z};

/// For an option argument, whether the newline stays (the argument has no `n`); `None` for an
/// argument to print.
fn option(arg: ZStr) -> Option<bool> {
    let Some((b'-', flags)) = arg.split_first() else {
        return None;
    };
    // At least one letter after the `-`.
    let (mut c, mut rest) = flags.split_first()?;
    let mut newline = true;
    loop {
        match c {
            b'n' => newline = false,
            b'E' => {}
            _ => return None,
        }
        let Some((next, more)) = rest.split_first() else {
            return Some(newline);
        };
        (c, rest) = (next, more);
    }
}

#[tiny::main]
fn main() -> u8 {
    let mut args = tiny::operands();
    // 1 or 0: the length of the newline to write at the end.
    let mut newline = 1u8;
    let mut rest = args.clone();
    while let Some(keeps) = rest.next_z().and_then(option) {
        newline &= keeps as u8;
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
    // Also after a failed write: the exit status is 1 either way.
    let end = &b"\n"[..newline as usize];
    match status.and(write_all(STDOUT, end)) {
        Ok(()) => 0,
        Err(e) => {
            tiny::error(ZStr::new(c"write error"), e);
            1
        }
    }
}
