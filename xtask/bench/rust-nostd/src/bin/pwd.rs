//! pwd, `no_std` on libc: as examples/pwd (`-P` the default unless `POSIXLY_CORRECT`; `-L`
//! takes `$PWD` when it is absolute, without `.` or `..` components, and names the current
//! directory).
#![no_std]
#![no_main]
#[path = "../libc.rs"]
mod libc;

use core::ffi::{c_char, c_int};

#[link(name = "c")]
unsafe extern "C" {
    fn getenv(name: *const c_char) -> *const c_char;
    fn getcwd(buf: *mut c_char, len: usize) -> *const c_char;
    fn stat(path: *const c_char, st: *mut u8) -> c_int;
}

/// (device, inode) of `path`.
fn id(path: *const c_char) -> Option<(u64, u64)> {
    let mut st = [0u8; 144];
    // SAFETY: `path` is NUL-terminated; `st` is as large as x86-64's `struct stat`.
    (unsafe { stat(path, st.as_mut_ptr()) } == 0).then(|| {
        (
            u64::from_ne_bytes(st[0..8].try_into().unwrap()),
            u64::from_ne_bytes(st[8..16].try_into().unwrap()),
        )
    })
}

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> i32 {
    // SAFETY: NUL-terminated names.
    let mut logical = !unsafe { getenv(c"POSIXLY_CORRECT".as_ptr()) }.is_null();
    let mut operands = false;
    for a in libc::args(argc, argv) {
        if a.len() > 1 && a[0] == b'-' {
            for &c in &a[1..] {
                match c {
                    b'L' => logical = true,
                    b'P' => logical = false,
                    _ => {
                        libc::write_all(2, b"pwd: invalid option -- '");
                        libc::write_all(2, &[c]);
                        libc::write_all(2, b"'\nTry 'pwd --help' for more information.\n");
                        return 1;
                    }
                }
            }
        } else {
            operands = true;
        }
    }
    if operands {
        libc::write_all(2, b"pwd: ignoring non-option arguments\n");
    }
    let mut buf = [0u8; 4096];
    // SAFETY: a NUL-terminated name.
    let env = unsafe { getenv(c"PWD".as_ptr()) };
    let mut name: &[u8] = b"";
    if logical && !env.is_null() {
        // SAFETY: the environment holds NUL-terminated strings.
        let p = unsafe { core::slice::from_raw_parts(env.cast::<u8>(), libc::strlen(env)) };
        let dots = p.split(|&b| b == b'/').any(|c| c == b"." || c == b"..");
        if p.first() == Some(&b'/') && !dots && id(env).is_some() && id(env) == id(c".".as_ptr()) {
            name = p;
        }
    }
    if name.is_empty() {
        // SAFETY: `buf` is writable.
        let cwd = unsafe { getcwd(buf.as_mut_ptr().cast(), buf.len()) };
        if cwd.is_null() {
            libc::error(b"pwd", b"getcwd", libc::errno());
            return 1;
        }
        // SAFETY: getcwd wrote a NUL-terminated name.
        name = unsafe { core::slice::from_raw_parts(cwd.cast::<u8>(), libc::strlen(cwd)) };
    }
    if !libc::write_all(1, name) || !libc::write_all(1, b"\n") {
        let e = libc::errno();
        // SAFETY: strerror returns a NUL-terminated string.
        let msg = unsafe {
            let m = libc::strerror(e);
            core::slice::from_raw_parts(m.cast::<u8>(), libc::strlen(m))
        };
        for part in [&b"pwd: write error: "[..], msg, b"\n"] {
            libc::write_all(2, part);
        }
        return 1;
    }
    0
}
