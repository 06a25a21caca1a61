//! An index out of bounds: the message formatted with `core::fmt`, as std prints it.
#![no_std]
#![no_main]

#[tiny::main]
fn main() -> u8 {
    let a = [1u8, 2, 3];
    a[tiny::args().len()]
}
