//! Does nothing, successfully: exit code 0.
#![no_std]
#![no_main]

#[tiny::main]
fn main() {}
