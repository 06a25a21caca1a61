#[tiny_macros::ctor]
fn init(n: u32) {}

fn main() {}
