//! The shared routines of the runtime, written once in Rust for the Linux architectures without
//! hand-written ones (x86-64 has its own: `x86_64`): `write_all`, `strlen`, `puts`, `error`,
//! `copy`, the operands, opening a file for reading and its size.

use super::{argv, check, syscall4, syscall5};
use crate::{Errno, Fd};

/// Writes all of `len` bytes at `buf` to `fd`: loops on partial writes.
#[inline(never)]
pub(crate) fn write_all(fd: Fd, mut buf: *const u8, mut len: usize) -> Result<(), Errno> {
    while len != 0 {
        // `n <= len`: the kernel never reports more than it was given.
        let n = super::write(fd, buf, len)?;
        buf = buf.wrapping_add(n);
        len -= n;
    }
    Ok(())
}

/// The length of the NUL-terminated string at `s`.
///
/// # Safety
/// `s` must point to a NUL-terminated string.
#[inline(never)]
pub(crate) unsafe fn strlen(s: *const u8) -> usize {
    let mut len = 0;
    // The loads are volatile so that LLVM keeps this loop instead of calling `strlen`.
    // SAFETY: the caller passes a NUL-terminated string: every byte up to its NUL is readable.
    while unsafe { s.add(len).read_volatile() } != 0 {
        len += 1;
    }
    len
}

/// Writes the NUL-terminated string at `s` to `fd`.
///
/// # Safety
/// `s` must point to a NUL-terminated string.
#[inline(always)]
pub(crate) unsafe fn puts(fd: Fd, s: *const u8) -> Result<(), Errno> {
    // SAFETY: as the caller promises.
    write_all(fd, s, unsafe { strlen(s) })
}

/// Writes `PROGRAM: WHAT: MESSAGE` and a newline to standard error (`PROGRAM` is argv[0], left
/// out when there is none), ignoring write errors.
///
/// # Safety
/// `what` must point to a NUL-terminated string.
#[inline(never)]
pub(crate) unsafe fn error(what: *const u8, e: Errno) {
    let (_, argv) = argv();
    // SAFETY: argv[0] is the kernel's word after argc.
    let program = unsafe { *argv };
    let colon: *const u8 = c": ".as_ptr().cast();
    let parts = [
        program,
        colon,
        what,
        colon,
        crate::strerror::c_message(e.raw() as usize),
        c"\n".as_ptr().cast(),
    ];
    for part in parts {
        if !part.is_null() {
            // SAFETY: each part is a NUL-terminated string: argv[0], C string literals, `what`
            // (the caller's), a line of the message table.
            let _ = unsafe { puts(crate::STDERR, part) };
        }
    }
}

/// Copies `from` to `to` until end of file through the runtime's buffer; a write error ends
/// the program as coreutils end: `PROGRAM: write error: MESSAGE`, exit code 1.
#[inline(never)]
pub(crate) fn copy(from: Fd, to: Fd) -> Result<(), Errno> {
    static mut BUFFER: [u8; crate::io::BUFFER_SIZE] = [0; crate::io::BUFFER_SIZE];
    let buf: *mut u8 = core::ptr::addr_of_mut!(BUFFER).cast();
    loop {
        let n = super::read(from, buf, crate::io::BUFFER_SIZE)?;
        if n == 0 {
            return Ok(());
        }
        if let Err(e) = write_all(to, buf, n) {
            // SAFETY: a C string literal.
            unsafe { error(c"write error".as_ptr().cast(), e) };
            crate::process::exit(1);
        }
    }
}

/// `argv + 1`, or `argv` when `argv[0]` is NULL (`argc` = 0, which Linux allows before 5.18).
#[inline(always)]
pub(crate) fn operands() -> *const *const u8 {
    let (argc, argv) = argv();
    argv.wrapping_add(usize::from(argc != 0))
}

/// Opens `path` for reading: `openat(AT_FDCWD, path, O_RDONLY)` (not every architecture has
/// `open`).
#[inline(always)]
pub(crate) fn open_read(path: *const u8) -> Result<Fd, Errno> {
    use linux_raw_sys::general::{__NR_openat, AT_FDCWD, O_RDONLY};
    // SAFETY: `path` points to a NUL-terminated string (see `io::open`); the kernel reads only
    // it.
    let ret = unsafe {
        syscall4(
            __NR_openat as usize,
            AT_FDCWD as isize as usize,
            path as usize,
            O_RDONLY as usize,
            0,
        )
    };
    check(ret).map(|fd| Fd(fd as i32))
}

/// The size of the regular file open as `fd`, `None` for anything else: `statx` with
/// `AT_EMPTY_PATH` (one layout on every architecture, 64-bit sizes on 32-bit ones too).
#[inline(always)]
pub(crate) fn file_size(fd: Fd) -> Result<Option<u64>, Errno> {
    use linux_raw_sys::general::{
        __NR_statx, AT_EMPTY_PATH, S_IFMT, S_IFREG, STATX_SIZE, STATX_TYPE, statx,
    };
    let mut st = core::mem::MaybeUninit::<statx>::uninit();
    // SAFETY: `st` is a writable `struct statx`; the path is an empty C string.
    check(unsafe {
        syscall5(
            __NR_statx as usize,
            fd.0 as usize,
            c"".as_ptr() as usize,
            AT_EMPTY_PATH as usize,
            (STATX_TYPE | STATX_SIZE) as usize,
            st.as_mut_ptr() as usize,
        )
    })?;
    // SAFETY: the kernel filled the fields asked for: the call succeeded.
    let st = unsafe { st.assume_init() };
    Ok((u32::from(st.stx_mode) & S_IFMT == S_IFREG).then_some(st.stx_size))
}
