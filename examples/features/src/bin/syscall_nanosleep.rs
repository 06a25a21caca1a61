//! `tiny::syscall!(nanosleep, &t, 0)` with a `__kernel_timespec`.
#![no_std]
#![no_main]

#[tiny::main]
fn main() -> u8 {
    let t = tiny::sys::__kernel_timespec {
        tv_sec: 0,
        tv_nsec: 1000,
    };
    // SAFETY: `t` is a live `__kernel_timespec` the kernel only reads; no remainder is asked for.
    (unsafe { tiny::syscall!(nanosleep, &t, 0usize) }) as u8
}
