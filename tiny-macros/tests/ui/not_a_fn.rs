#![no_main]
#[tiny_macros::main]
static MAIN: u8 = 0;
