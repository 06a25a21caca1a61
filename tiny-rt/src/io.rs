//! Standard streams and file descriptors.

use core::ffi::CStr;
use core::sync::atomic::{AtomicBool, Ordering};

use crate::os;
use crate::{Errno, ZStr};

/// A file descriptor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fd(pub i32);

/// Standard input.
pub const STDIN: Fd = Fd(0);
/// Standard output.
pub const STDOUT: Fd = Fd(1);
/// Standard error.
pub const STDERR: Fd = Fd(2);

/// Writes all of `buf` to `fd`: loops on partial writes. On Linux this is one small shared
/// routine (an interrupted `write` is restarted by the kernel: tiny programs install no signal
/// handlers); elsewhere it also retries when a call reports `EINTR`.
#[cfg(target_os = "linux")]
#[inline(always)]
pub fn write_all(fd: Fd, buf: &[u8]) -> Result<(), Errno> {
    os::write_all(fd, buf.as_ptr(), buf.len())
}

/// Writes all of `buf` to `fd`: loops on partial writes and retries when a signal interrupts
/// the call (`EINTR`).
#[cfg(not(target_os = "linux"))]
#[inline(never)]
pub fn write_all(fd: Fd, buf: &[u8]) -> Result<(), Errno> {
    let mut ptr = buf.as_ptr();
    let mut left = buf.len();
    while left != 0 {
        let n = match os::write(fd, ptr, left) {
            // `n <= left`: the kernel never reports more than it was given.
            Ok(n) => n,
            Err(Errno::INTR) => 0,
            Err(e) => return Err(e),
        };
        ptr = ptr.wrapping_add(n);
        left -= n;
    }
    Ok(())
}

/// Writes all of `s` (without its NUL) to `fd`, as [`write_all`] does: one call that also
/// finds the length.
#[inline(always)]
pub fn write_z(fd: Fd, s: ZStr) -> Result<(), Errno> {
    // SAFETY: a `ZStr` points to a NUL-terminated string.
    unsafe { os::puts(fd, s.as_ptr()) }
}

/// Reads up to `buf.len()` bytes from `fd`; `Ok(0)` means end of file. Where a call can report
/// `EINTR` it is retried; Linux never does here (it restarts an interrupted `read` itself when
/// no signal handler ran, and tiny programs install none).
#[inline(always)]
pub fn read(fd: Fd, buf: &mut [u8]) -> Result<usize, Errno> {
    loop {
        match os::read(fd, buf.as_mut_ptr(), buf.len()) {
            Err(Errno::INTR) if cfg!(not(target_os = "linux")) => {}
            r => return r,
        }
    }
}

/// The size up to which a `write(2)` to a pipe is atomic (POSIX `PIPE_BUF`, 4096 on Linux).
const PIPE_BUF: usize = 4096;

/// Writes `s` to standard output, ignoring errors (a closed or full stdout); see
/// [`print_bytes`].
#[inline(always)]
pub fn print(s: &str) {
    print_bytes(s.as_bytes());
}

/// Writes `s` to standard output, ignoring errors.
///
/// Up to `PIPE_BUF` (4096) bytes are written with a single `write(2)`: to a pipe that is atomic
/// (all or nothing), and terminals and files take the whole buffer unless a signal *handler*
/// interrupts the call — tiny installs none. Longer strings go through [`write_all`]. Use
/// [`write_all`] directly when the program installs signal handlers, writes to a non-blocking
/// descriptor, or needs to see errors. For a string whose length is known at compile time this
/// is the smallest correct print: hello is one `write`.
#[inline(always)]
pub fn print_bytes(s: &[u8]) {
    put(STDOUT, s);
}

/// Writes `s` to standard error, ignoring errors; see [`print_bytes`].
#[inline(always)]
pub fn eprint(s: &str) {
    eprint_bytes(s.as_bytes());
}

/// Writes `s` to standard error, ignoring errors; see [`print_bytes`].
#[inline(always)]
pub fn eprint_bytes(s: &[u8]) {
    put(STDERR, s);
}

#[inline(always)]
fn put(fd: Fd, s: &[u8]) {
    if s.len() <= PIPE_BUF {
        let _ = os::write(fd, s.as_ptr(), s.len());
    } else {
        let _ = write_all(fd, s);
    }
}

/// Opens the file at `path` for reading.
///
/// `path` need not be NUL-terminated (it is copied to the stack with a NUL); a path of 4096
/// bytes or more gives `ENAMETOOLONG`, as the kernel would.
pub fn open(path: &[u8]) -> Result<Fd, Errno> {
    const PATH_MAX: usize = 4096;
    let mut c_path = [0u8; PATH_MAX];
    if path.len() >= PATH_MAX {
        return Err(Errno::NAMETOOLONG);
    }
    for (dst, src) in c_path.iter_mut().zip(path) {
        *dst = *src;
    }
    os::open_read(c_path.as_ptr())
}

/// Opens the file at `path` for reading, without copying the path.
#[inline(always)]
pub fn open_c_str(path: &CStr) -> Result<Fd, Errno> {
    os::open_read(path.as_ptr().cast())
}

/// Opens the file named by `path` (a command-line argument) for reading.
#[inline(always)]
pub fn open_z(path: ZStr) -> Result<Fd, Errno> {
    os::open_read(path.as_ptr())
}

/// Size of the buffer [`buffer`] hands out.
pub const BUFFER_SIZE: usize = 64 * 1024;

/// The program's I/O buffer, handed out once: the first call returns it, later calls `None`,
/// so it can never be borrowed twice. On Linux it is 64 KiB of `.bss`, which costs no bytes in
/// the file and no code to clear (a stack array would need both, and stack probes); on Windows
/// it comes from the process heap (a flat PE image has no room for `.bss`).
pub fn buffer() -> Option<&'static mut [u8; BUFFER_SIZE]> {
    static TAKEN: AtomicBool = AtomicBool::new(false);
    if TAKEN.swap(true, Ordering::Relaxed) {
        return None;
    }
    // SAFETY: `TAKEN` lets this line run at most once, and `os::buffer_memory` returns
    // `BUFFER_SIZE` writable bytes that live for the process and that nothing else uses, so
    // this is the only reference ever made to them.
    Some(unsafe { &mut *os::buffer_memory().cast::<[u8; BUFFER_SIZE]>() })
}

/// Reports an error the way coreutils do: `PROGRAM: WHAT: MESSAGE` and a newline on standard
/// error, where `PROGRAM` is `argv[0]` as the program was started and `MESSAGE` is
/// [`Errno::message`]. Write errors are ignored. On Linux this is one small shared routine.
#[cfg(target_os = "linux")]
#[inline(always)]
pub fn error(what: ZStr, e: Errno) {
    // SAFETY: a `ZStr` points to a NUL-terminated string.
    unsafe { os::error(what.as_ptr(), e) }
}

/// Reports an error the way coreutils do: `PROGRAM: WHAT: MESSAGE` and a newline on standard
/// error, where `PROGRAM` is `argv[0]` as the program was started and `MESSAGE` is
/// [`Errno::message`]. Write errors are ignored.
#[cfg(not(target_os = "linux"))]
#[inline(never)]
pub fn error(what: ZStr, e: Errno) {
    let colon = c": ".as_ptr().cast();
    // SAFETY: each part is a NUL-terminated string: argv[0] (or ""), C string literals,
    // `what`, and a line of the message table.
    unsafe {
        eputs(crate::env::program().as_ptr());
        eputs(colon);
        eputs(what.as_ptr());
        eputs(colon);
        eputs(crate::strerror::c_message(e.raw() as usize));
        eputs(c"\n".as_ptr().cast());
    }
}

/// Writes the NUL-terminated string at `s` to standard error, ignoring errors.
///
/// # Safety
/// `s` points to a NUL-terminated string.
#[cfg(not(target_os = "linux"))]
#[inline(always)]
unsafe fn eputs(s: *const u8) {
    // SAFETY: as the caller promises.
    unsafe {
        let _ = os::puts(STDERR, s);
    }
}

/// Copies everything `from` gives, up to its end of file, to `to`, through a buffer of
/// [`BUFFER_SIZE`] bytes that the runtime keeps for this (not the one of [`buffer`]). Returns
/// the error of a failed read. A failed write ends the program as coreutils end on a write
/// error: `PROGRAM: write error: MESSAGE` (see [`error`]) and exit code 1. On Linux this is
/// one small shared routine, which lets the kernel copy where it can (`sendfile`, then
/// `splice`; the data does not pass through the program) and reads and writes where it
/// refuses.
#[cfg(target_os = "linux")]
#[inline(always)]
pub fn copy(from: Fd, to: Fd) -> Result<(), Errno> {
    os::copy(from, to)
}

/// Copies everything `from` gives, up to its end of file, to `to`, through a buffer of
/// [`BUFFER_SIZE`] bytes that the runtime keeps for this (not the one of [`buffer`]). Returns
/// the error of a failed read. A failed write ends the program as coreutils end on a write
/// error: `PROGRAM: write error: MESSAGE` (see [`error`]) and exit code 1.
#[cfg(not(target_os = "linux"))]
#[inline(never)]
pub fn copy(from: Fd, to: Fd) -> Result<(), Errno> {
    use core::sync::atomic::AtomicPtr;
    static BUFFER: AtomicPtr<u8> = AtomicPtr::new(core::ptr::null_mut());
    let mut buf = BUFFER.load(Ordering::Relaxed);
    if buf.is_null() {
        buf = os::buffer_memory();
        BUFFER.store(buf, Ordering::Relaxed);
    }
    loop {
        // SAFETY: `buf` is `BUFFER_SIZE` bytes that live for the process, used only here, and
        // a tiny program has one thread: this is the only reference to them while it lives.
        let chunk = read_chunk(from, unsafe { &mut *buf.cast::<[u8; BUFFER_SIZE]>() })?;
        if chunk.is_empty() {
            return Ok(());
        }
        if let Err(e) = write_all(to, chunk) {
            error(ZStr::new(c"write error"), e);
            crate::exit(1);
        }
    }
}

/// Reads from `fd` into `buf`, retrying when a signal interrupts the call; returns the part of
/// `buf` that was filled, empty at end of file.
#[inline(always)]
pub fn read_chunk(fd: Fd, buf: &mut [u8]) -> Result<&[u8], Errno> {
    let n = read(fd, buf)?;
    // SAFETY: the kernel wrote `n <= buf.len()` bytes.
    Ok(unsafe { buf.get_unchecked(..n) })
}

/// The size of the regular file open as `fd`; `Ok(None)` when it is something else (a pipe, a
/// terminal, a directory, a device). What `wc` needs to size its columns as GNU wc does.
pub fn file_size(fd: Fd) -> Result<Option<u64>, Errno> {
    os::file_size(fd)
}

/// Closes `fd`.
#[inline(always)]
pub fn close(fd: Fd) -> Result<(), Errno> {
    os::close(fd)
}
