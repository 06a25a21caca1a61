#![no_main]
#[tiny_macros::main]
fn main<T: Default>() {}
