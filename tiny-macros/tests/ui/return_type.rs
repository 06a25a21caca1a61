#![no_main]
#[tiny_macros::main]
fn main() -> usize {
    0
}
