//! cat, `no_std` on libc: as examples/cat (no options; `-` is standard input), read/write
//! through a 64 KiB buffer.
#![no_std]
#![no_main]
#[path = "../libc.rs"]
mod libc;

use core::ffi::{c_char, c_int};

static mut BUF: [u8; 65536] = [0; 65536];

fn cat(name: &[u8]) -> c_int {
    let fd = libc::open_name(name);
    if fd < 0 {
        return libc::errno();
    }
    // SAFETY: one thread; the buffer is used only here.
    let buf = unsafe { &mut *core::ptr::addr_of_mut!(BUF) };
    let e = loop {
        // SAFETY: `buf` is writable.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break if n < 0 { libc::errno() } else { 0 };
        }
        if !libc::write_all(1, &buf[..n as usize]) {
            libc::error(b"cat", b"write error", libc::errno());
            // SAFETY: ends the process.
            unsafe { libc::_exit(1) }
        }
    };
    if fd != 0 {
        // SAFETY: our descriptor.
        unsafe { libc::close(fd) };
    }
    e
}

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> i32 {
    let mut status = 0;
    let mut any = false;
    for name in libc::args(argc, argv) {
        any = true;
        let e = cat(name);
        if e != 0 {
            libc::error(b"cat", name, e);
            status = 1;
        }
    }
    if !any {
        let e = cat(b"-");
        if e != 0 {
            libc::error(b"cat", b"-", e);
            status = 1;
        }
    }
    status
}
