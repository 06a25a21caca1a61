#![no_main]
#[tiny_macros::main]
unsafe extern "C" fn main() {}
