//! `tiny::env::var("HOME")`, printed.
#![no_std]
#![no_main]

#[tiny::main]
fn main() {
    if let Some(home) = tiny::env::var("HOME") {
        tiny::print_bytes(home);
    }
}
