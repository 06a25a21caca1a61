//! Baseline: a `main` that does nothing (the `true` example).
#![no_std]
#![no_main]

#[tiny::main]
fn main() {}
