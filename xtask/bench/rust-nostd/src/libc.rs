//! The few C library functions the programs call, and the panic handler.

#![allow(dead_code)] // each program uses a part

use core::ffi::{c_char, c_int, c_void};

#[link(name = "c")]
unsafe extern "C" {
    pub fn write(fd: c_int, buf: *const c_void, len: usize) -> isize;
    pub fn read(fd: c_int, buf: *mut c_void, len: usize) -> isize;
    pub fn open(path: *const c_char, flags: c_int, ...) -> c_int;
    pub fn close(fd: c_int) -> c_int;
    pub fn fstat(fd: c_int, st: *mut u8) -> c_int;
    pub fn strlen(s: *const c_char) -> usize;
    pub fn strerror(e: c_int) -> *const c_char;
    pub fn __errno_location() -> *mut c_int;
    pub fn _exit(code: c_int) -> !;
}

/// The arguments as byte strings (`argv[1..]`).
pub fn args(argc: c_int, argv: *const *const c_char) -> impl Iterator<Item = &'static [u8]> {
    (1..argc as usize).map(move |i| {
        // SAFETY: the C runtime passes `argc` NUL-terminated strings in `argv`.
        unsafe {
            let p = *argv.add(i);
            core::slice::from_raw_parts(p.cast(), strlen(p))
        }
    })
}

/// Writes all of `b` to `fd`; `false` on an error.
pub fn write_all(fd: c_int, mut b: &[u8]) -> bool {
    while !b.is_empty() {
        // SAFETY: `b` is a live slice.
        let n = unsafe { write(fd, b.as_ptr().cast(), b.len()) };
        if n < 0 {
            return false;
        }
        b = &b[n as usize..];
    }
    true
}

/// `errno`.
pub fn errno() -> c_int {
    // SAFETY: glibc's thread-local errno.
    unsafe { *__errno_location() }
}

/// `PROGRAM: WHAT: strerror(e)` on standard error.
pub fn error(program: &[u8], what: &[u8], e: c_int) {
    // SAFETY: strerror returns a NUL-terminated string.
    let msg = unsafe {
        let m = strerror(e);
        core::slice::from_raw_parts(m.cast::<u8>(), strlen(m))
    };
    for part in [program, b": ", what, b": ", msg, b"\n"] {
        write_all(2, part);
    }
}

/// Opens `name` (`-`: standard input) for reading.
pub fn open_name(name: &[u8]) -> c_int {
    if name == b"-" {
        return 0;
    }
    let mut path = [0u8; 4096];
    if name.len() >= path.len() {
        return -1;
    }
    path[..name.len()].copy_from_slice(name);
    // SAFETY: `path` is NUL-terminated.
    unsafe { open(path.as_ptr().cast(), 0) }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    // SAFETY: ends the process.
    unsafe { _exit(101) }
}
