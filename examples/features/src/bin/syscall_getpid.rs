//! `tiny::syscall!(getpid)`, the result as the exit code.
#![no_std]
#![no_main]

#[tiny::main]
fn main() -> u8 {
    (unsafe { tiny::syscall!(getpid) }) as u8
}
