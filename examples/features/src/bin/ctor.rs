//! `#[tiny::ctor]`, the constructor printing a line.
#![no_std]
#![no_main]

#[tiny::ctor]
fn init() {
    tiny::print("init\n");
}

#[tiny::main]
fn main() {}
