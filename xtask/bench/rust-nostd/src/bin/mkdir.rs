//! mkdir, `no_std` on libc: as examples/mkdir (`-p`, `-m MODE` octal or symbolic; GNU's
//! messages, names quoted as `'NAME'`).
#![no_std]
#![no_main]
#[path = "../libc.rs"]
mod libc;
#[path = "../mode.rs"]
mod mode;

use core::ffi::{c_char, c_int};

#[link(name = "c")]
unsafe extern "C" {
    fn mkdir(path: *const c_char, mode: u32) -> c_int;
    fn chmod(path: *const c_char, mode: u32) -> c_int;
    fn umask(mask: u32) -> u32;
    fn stat(path: *const c_char, st: *mut u8) -> c_int;
}

/// The mode of `path` (NUL-terminated).
fn mode_of(path: &[u8]) -> Option<u32> {
    let mut st = [0u8; 144];
    // SAFETY: `path` is NUL-terminated; `st` is as large as x86-64's `struct stat`.
    (unsafe { stat(path.as_ptr().cast(), st.as_mut_ptr()) } == 0)
        .then(|| u32::from_ne_bytes(st[24..28].try_into().unwrap()))
}

fn is_dir(path: &[u8]) -> bool {
    mode_of(path).is_some_and(|m| m & 0o170000 == 0o040000)
}

fn report(path: &[u8]) -> bool {
    let e = libc::errno();
    libc::write_all(2, b"mkdir: cannot create directory '");
    libc::write_all(2, &path[..path.len() - 1]);
    // SAFETY: strerror returns a NUL-terminated string.
    let msg = unsafe {
        let m = libc::strerror(e);
        core::slice::from_raw_parts(m.cast::<u8>(), libc::strlen(m))
    };
    for part in [&b"': "[..], msg, b"\n"] {
        libc::write_all(2, part);
    }
    false
}

/// `path` (NUL-terminated) made with `mode`; as GNU's `make_dir_parents` when `-m` names
/// special bits: without group and other write permission, then `chmod`.
fn make_one(path: &[u8], mode: u32, changed: u32) -> bool {
    let special = changed & 0o6000 != 0 || mode & 0o1000 != 0;
    let first = if special { mode & !0o022 } else { mode };
    // SAFETY: NUL-terminated.
    if unsafe { mkdir(path.as_ptr().cast(), first) } != 0 {
        return false;
    }
    if let Some(m) = mode_of(path).filter(|m| special && (m ^ mode) & changed != 0) {
        let keep = 0o6000 & !changed;
        // SAFETY: NUL-terminated.
        unsafe { chmod(path.as_ptr().cast(), mode & !keep | m & keep) };
    }
    true
}

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> i32 {
    let (mut parents, mut spec, mut done) = (false, None, false);
    let mut names = [&b""[..]; 256];
    let mut count = 0;
    let mut args = libc::args(argc, argv);
    let usage = |what: &[u8], c: &[u8]| {
        libc::write_all(2, what);
        libc::write_all(2, c);
        libc::write_all(2, b"'\nTry 'mkdir --help' for more information.\n");
        1
    };
    while let Some(a) = args.next() {
        if done || a.len() < 2 || a[0] != b'-' {
            if count < names.len() {
                names[count] = a;
                count += 1;
            }
            continue;
        }
        if a == b"--" {
            done = true;
            continue;
        }
        let mut i = 1;
        while i < a.len() {
            match a[i] {
                b'p' => parents = true,
                b'm' if i + 1 < a.len() => {
                    spec = Some(&a[i + 1..]);
                    break;
                }
                b'm' => match args.next() {
                    Some(m) => spec = Some(m),
                    None => return usage(b"mkdir: option requires an argument -- '", b"m"),
                },
                c => return usage(b"mkdir: invalid option -- '", &[c]),
            }
            i += 1;
        }
    }
    if count == 0 {
        libc::write_all(
            2,
            b"mkdir: missing operand\nTry 'mkdir --help' for more information.\n",
        );
        return 1;
    }
    // SAFETY: `umask` touches no memory.
    let mask = unsafe { umask(0) };
    let (mode, changed) = match spec {
        None => (0o777, 0),
        Some(s) => match mode::parse(s, mask) {
            Some(m) => m,
            None => {
                libc::write_all(2, b"mkdir: invalid mode '");
                libc::write_all(2, s);
                libc::write_all(2, b"'\n");
                return 1;
            }
        },
    };
    // SAFETY: as above.
    unsafe { umask(if spec.is_some() { 0 } else { mask }) };
    let mut status = 0;
    let mut path = [0u8; 4096];
    for name in &names[..count] {
        if name.len() >= path.len() {
            status = 1;
            continue;
        }
        path[..name.len()].copy_from_slice(name);
        path[name.len()] = 0;
        let ok = (|| {
            if parents {
                for i in 1..name.len() {
                    if path[i] != b'/' {
                        continue;
                    }
                    path[i] = 0;
                    // SAFETY: `umask` touches no memory; `path` is NUL-terminated at `i`.
                    let failed = unsafe {
                        umask(mask & !0o300);
                        let r = mkdir(path.as_ptr().cast(), 0o777);
                        umask(if spec.is_some() { 0 } else { mask });
                        r != 0
                    } && (libc::errno() != 17 || !is_dir(&path[..=i]));
                    if failed {
                        return report(&path[..=i]);
                    }
                    path[i] = b'/';
                }
            }
            let whole = &path[..=name.len()];
            make_one(whole, mode, changed)
                || (parents && libc::errno() == 17 && is_dir(whole))
                || report(whole)
        })();
        if !ok {
            status = 1;
        }
    }
    status
}
