#![no_main]
#[tiny_macros::main]
async fn main() {}
