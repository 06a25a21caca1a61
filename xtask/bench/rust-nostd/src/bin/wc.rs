//! wc, `no_std` on libc: as examples/wc (`-l`, `-w`, `-c`, GNU's C-locale words and column
//! width).
#![no_std]
#![no_main]
#[path = "../libc.rs"]
mod libc;

use core::ffi::{c_char, c_int};

static mut BUF: [u8; 65536] = [0; 65536];

/// `n` right-aligned in `width` columns, written after `sep`.
fn number(sep: &[u8], n: u64, width: usize) {
    let mut digits = [b' '; 24];
    let mut i = digits.len();
    let mut v = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let start = i.min(digits.len() - width.min(20));
    libc::write_all(1, sep);
    libc::write_all(1, &digits[start..]);
}

fn line(show: u32, width: usize, n: &[u64; 3], name: Option<&[u8]>) {
    let mut sep: &[u8] = b"";
    for (i, &v) in n.iter().enumerate() {
        if show >> i & 1 != 0 {
            number(sep, v, width);
            sep = b" ";
        }
    }
    if let Some(name) = name {
        libc::write_all(1, b" ");
        libc::write_all(1, name);
    }
    libc::write_all(1, b"\n");
}

/// The counts of `fd`, and the error that ended the reading.
fn count(fd: c_int) -> ([u64; 3], c_int) {
    // SAFETY: one thread; the buffer is used only here.
    let buf = unsafe { &mut *core::ptr::addr_of_mut!(BUF) };
    let mut n = [0u64; 3];
    let mut in_word = false;
    loop {
        // SAFETY: `buf` is writable.
        let got = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if got <= 0 {
            return (n, if got < 0 { libc::errno() } else { 0 });
        }
        n[2] += got as u64;
        for &b in &buf[..got as usize] {
            n[0] += u64::from(b == b'\n');
            let printable = b.wrapping_sub(b'!') < 94;
            let space = b == b' ' || b.wrapping_sub(b'\t') < 5;
            n[1] += u64::from(printable && !in_word);
            in_word = (in_word || printable) && !space;
        }
    }
}

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> i32 {
    let mut show = 0;
    let mut options = true;
    let mut files = 0;
    let is_file = |a: &[u8], options: bool| !options || a.len() < 2 || a[0] != b'-';
    for a in libc::args(argc, argv) {
        if options && a == b"--" {
            options = false;
        } else if is_file(a, options) {
            files += 1;
        } else {
            for &c in &a[1..] {
                show |= match c {
                    b'l' => 1,
                    b'w' => 2,
                    b'c' => 4,
                    _ => {
                        libc::write_all(2, b"wc: invalid option -- '");
                        libc::write_all(2, &[c]);
                        libc::write_all(2, b"'\nTry 'wc --help' for more information.\n");
                        return 1;
                    }
                };
            }
        }
    }
    if show == 0 {
        show = 7;
    }
    // the files, in order (`-` when none)
    let names = || {
        let mut options = true;
        libc::args(argc, argv)
            .filter(move |a| {
                if options && *a == b"--" {
                    options = false;
                    return false;
                }
                is_file(a, options)
            })
            .chain((files == 0).then_some(&b"-"[..]))
    };
    let (mut size, mut width) = (0u64, 1usize);
    for name in names() {
        let fd = libc::open_name(name);
        if fd < 0 {
            continue;
        }
        let mut st = [0u8; 144];
        // SAFETY: `st` is as large as x86-64's `struct stat`.
        if unsafe { libc::fstat(fd, st.as_mut_ptr()) } == 0 {
            let mode = u32::from_ne_bytes(st[24..28].try_into().unwrap());
            if mode & 0o170000 == 0o100000 {
                size += u64::from_ne_bytes(st[48..56].try_into().unwrap());
            } else {
                width = 7;
            }
        }
        if fd != 0 {
            // SAFETY: our descriptor.
            unsafe { libc::close(fd) };
        }
    }
    if files > 1 || show & (show - 1) != 0 {
        let mut digits = 1;
        while size >= 10 {
            size /= 10;
            digits += 1;
        }
        width = width.max(digits);
    } else {
        width = 1;
    }
    let (mut total, mut status) = ([0u64; 3], 0);
    for name in names() {
        let fd = libc::open_name(name);
        if fd < 0 {
            libc::error(b"wc", name, libc::errno());
            status = 1;
            continue;
        }
        let (n, e) = count(fd);
        if e != 0 {
            libc::error(b"wc", name, e);
            status = 1;
        }
        if fd != 0 {
            // SAFETY: our descriptor.
            unsafe { libc::close(fd) };
        }
        line(show, width, &n, (files > 0).then_some(name));
        for i in 0..3 {
            total[i] += n[i];
        }
    }
    if files > 1 {
        line(show, width, &total, Some(b"total"));
    }
    status
}
