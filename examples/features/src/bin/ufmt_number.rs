//! `ufmt::uwriteln!(out, "{} arguments", n)` through `tiny::fmt::Writer` (feature `ufmt`): the small formatter.
#![no_std]
#![no_main]

#[tiny::main]
fn main() {
    let n = tiny::args().len();
    let mut out = tiny::fmt::Writer::new(tiny::STDOUT);
    ufmt::uwriteln!(out, "{} arguments", n).ok();
    let _ = out.finish();
}
