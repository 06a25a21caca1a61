//! Prints `Hello, World!`.
#![no_std]
#![no_main]

#[tiny::main]
fn main() {
    tiny::print("Hello, World!\n");
}
