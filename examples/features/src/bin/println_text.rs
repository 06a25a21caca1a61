//! `tiny::println!("Hello, World!")`: `core::fmt` with no argument.
#![no_std]
#![no_main]

#[tiny::main]
fn main() {
    tiny::println!("Hello, World!");
}
