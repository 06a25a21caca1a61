//! `panic!("…")` with a plain message: `panicked at FILE:LINE:COL:` and the message, no `core::fmt`.
#![no_std]
#![no_main]

#[tiny::main]
fn main() {
    if tiny::args().len() > 5 {
        panic!("too many arguments");
    }
}
