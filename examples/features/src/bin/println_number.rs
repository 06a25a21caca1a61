//! `tiny::println!("{n} arguments")`: `core::fmt` with a number.
#![no_std]
#![no_main]

#[tiny::main]
fn main() {
    let n = tiny::args().len();
    tiny::println!("{n} arguments");
}
