//! `extern crate alloc` and a `Vec` that grows (the heap, on by default): each argument's length as a digit.
#![no_std]
#![no_main]
extern crate alloc;

#[tiny::main]
fn main() {
    let mut lengths = alloc::vec::Vec::new();
    for arg in tiny::args() {
        lengths.push(b'0' + arg.len() as u8);
    }
    tiny::print_bytes(&lengths);
}
