#![no_std]
#![no_main]

use tiny::{STDOUT, write_all};

#[tiny::main]
fn main() -> u8 {
    let mut args = tiny::args();
    args.next(); // the program name
    let mut newline = true;
    let mut sep: &[u8] = b"";
    let mut failed = false;
    'args: for arg in args {
        if sep.is_empty() {
            if let [b'-', flags @ ..] = arg {
                let mut n = false;
                for &c in flags {
                    match c {
                        b'n' => n = true,
                        b'E' => {}
                        _ => {
                            n = false;
                            break;
                        }
                    }
                }
            }
        }
        failed |= write_all(STDOUT, sep).is_err() | write_all(STDOUT, arg).is_err();
        sep = b" ";
    }
    if newline {
        failed |= write_all(STDOUT, b"\n").is_err();
    }
    failed as u8
}
