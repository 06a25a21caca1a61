//! false, `no_std` on libc.
#![no_std]
#![no_main]
#[path = "../libc.rs"]
mod libc;

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    1
}
