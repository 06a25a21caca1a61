#![no_main]
#[tiny_macros::main]
fn main() -> Result<u8, &'static str> {
    Ok(0)
}
