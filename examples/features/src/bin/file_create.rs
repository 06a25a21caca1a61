//! `tiny::fs::File::create(c"out")` and `write_all`.
#![no_std]
#![no_main]

#[tiny::main]
fn main() -> Result<(), tiny::Errno> {
    tiny::fs::File::create(c"out")?.write_all(b"out\n")
}
