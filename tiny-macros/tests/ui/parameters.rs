#![no_main]
#[tiny_macros::main]
fn main(argc: i32, argv: *const *const u8) -> i32 {
    argc
}
