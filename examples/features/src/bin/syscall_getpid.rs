//! `tiny::syscall!(getpid)`, the result as the exit code.
#![no_std]
#![no_main]

#[tiny::main]
fn main() -> u8 {
    // SAFETY: getpid takes no argument and touches no memory.
    (unsafe { tiny::syscall!(getpid) }) as u8
}
