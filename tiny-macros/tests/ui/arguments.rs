#![no_main]
#[tiny_macros::main(stack = 4096)]
fn main() {}
