//! Does nothing, unsuccessfully: exit code 1.
#![no_std]
#![no_main]

#[tiny::main]
fn main() -> u8 {
    1
}
