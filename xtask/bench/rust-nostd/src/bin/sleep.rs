//! sleep, `no_std` on libc: as examples/sleep (`strtod` numbers with an optional `s`, `m`,
//! `h`, `d` suffix, summed; GNU's messages).
#![no_std]
#![no_main]
#[path = "../libc.rs"]
mod libc;

use core::ffi::{c_char, c_int, c_long};

#[repr(C)]
struct Timespec {
    sec: c_long,
    nsec: c_long,
}

#[link(name = "c")]
unsafe extern "C" {
    fn strtod(s: *const c_char, end: *mut *mut c_char) -> f64;
    fn nanosleep(t: *const Timespec, rest: *mut Timespec) -> c_int;
}

fn try_help() -> i32 {
    libc::write_all(2, b"Try 'sleep --help' for more information.\n");
    1
}

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> i32 {
    if let Some(a) = libc::args(argc, argv).find(|a| a.len() > 1 && a[0] == b'-') {
        libc::write_all(2, b"sleep: invalid option -- '");
        libc::write_all(2, &a[1..2]);
        libc::write_all(2, b"'\n");
        return try_help();
    }
    if argc < 2 {
        libc::write_all(2, b"sleep: missing operand\n");
        return try_help();
    }
    let (mut total, mut bad) = (0f64, false);
    for i in 1..argc as usize {
        // SAFETY: argv holds argc NUL-terminated strings.
        let (arg, s, end) = unsafe {
            let arg = *argv.add(i);
            let mut end = core::ptr::null_mut();
            let s = strtod(arg, &mut end);
            (arg, s, end.cast_const())
        };
        // SAFETY: `end` points into the argument, at most at its NUL.
        let (suffix, next) = unsafe { (*end as u8, *end.add((*end != 0) as usize) as u8) };
        let scale = match suffix {
            0 => 1.0,
            b's' => 1.0,
            b'm' => 60.0,
            b'h' => 3600.0,
            b'd' => 86400.0,
            _ => -1.0,
        };
        if end == arg || next != 0 || scale < 0.0 || s.is_nan() || s < 0.0 {
            let a = libc::args(argc, argv).nth(i - 1).unwrap_or(b"");
            libc::write_all(2, b"sleep: invalid time interval '");
            libc::write_all(2, a);
            libc::write_all(2, b"'\n");
            bad = true;
            continue;
        }
        total += s * scale;
    }
    if bad {
        return try_help();
    }
    let sec = if total >= 9e18 { 9e18 } else { total } as c_long;
    let mut nsec = ((total - sec as f64) * 1e9) as c_long;
    if (nsec as f64) < (total - sec as f64) * 1e9 {
        nsec += 1;
    }
    let mut t = Timespec { sec, nsec };
    // SAFETY: `t` is a valid timespec, read and written by the kernel.
    while unsafe { nanosleep(&t, &mut t) } != 0 {}
    0
}
