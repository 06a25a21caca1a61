//! Linux: system calls through the stubs that `tiny-build` generated into the program.
//!
//! # Safety
//!
//! The `__tiny_sys_*` functions are defined by the generated code (`OUT_DIR/tiny.rs`, included by
//! `#[tiny::main]`); each performs exactly the named Linux system call with its arguments in the
//! kernel's registers and returns the raw result (`-errno` on failure). The wrappers here pass
//! only pointers and lengths taken from live Rust slices or from the kernel-provided stack.

use core::sync::atomic::{AtomicPtr, Ordering};

use crate::{Errno, Fd};

unsafe extern "Rust" {
    fn __tiny_sys_read(fd: usize, buf: usize, len: usize) -> isize;
    fn __tiny_sys_write(fd: usize, buf: usize, len: usize) -> isize;
    fn __tiny_sys_openat(dirfd: usize, path: usize, flags: usize, mode: usize) -> isize;
    fn __tiny_sys_newfstatat(dirfd: usize, path: usize, stat: usize, flags: usize) -> isize;
    fn __tiny_sys_close(fd: usize) -> isize;
    fn __tiny_sys_exit(code: usize) -> !;
}

/// Error numbers, from `linux-raw-sys` for the target (their messages: `crate::strerror`).
pub(crate) mod errno {
    use linux_raw_sys::errno as e;

    pub(crate) const EINTR: i32 = e::EINTR as i32;
    pub(crate) const ENOENT: i32 = e::ENOENT as i32;
    pub(crate) const ENAMETOOLONG: i32 = e::ENAMETOOLONG as i32;
    pub(crate) const EACCES: i32 = e::EACCES as i32;
    pub(crate) const EISDIR: i32 = e::EISDIR as i32;
    pub(crate) const ENOTDIR: i32 = e::ENOTDIR as i32;
    pub(crate) const EIO: i32 = e::EIO as i32;
    pub(crate) const ENOSPC: i32 = e::ENOSPC as i32;
}

/// Turns a raw syscall result into `Ok(value)` or `Err(errno)`.
#[inline(always)]
fn check(ret: isize) -> Result<usize, Errno> {
    if ret < 0 {
        Err(Errno::from_negated(ret))
    } else {
        Ok(ret as usize)
    }
}

#[inline(always)]
pub(crate) fn read(fd: Fd, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: `buf..buf+len` is a writable slice owned by the caller (see `io::read`).
    check(unsafe { __tiny_sys_read(fd.0 as usize, buf as usize, len) })
}

#[inline(always)]
pub(crate) fn write(fd: Fd, buf: *const u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: `buf..buf+len` is a readable slice owned by the caller (see `io::write_all`).
    check(unsafe { __tiny_sys_write(fd.0 as usize, buf as usize, len) })
}

#[inline(always)]
pub(crate) fn open_read(path: *const u8) -> Result<Fd, Errno> {
    let at_fdcwd = linux_raw_sys::general::AT_FDCWD as isize as usize;
    let flags = (linux_raw_sys::general::O_RDONLY | linux_raw_sys::general::O_CLOEXEC) as usize;
    // SAFETY: `path` points to a NUL-terminated string on the caller's stack (see `io::open`).
    check(unsafe { __tiny_sys_openat(at_fdcwd, path as usize, flags, 0) }).map(|fd| Fd(fd as i32))
}

/// The size of the regular file open as `fd`, `None` for anything else (pipe, terminal,
/// directory, device): `fstatat(fd, "", AT_EMPTY_PATH)`, as glibc's `fstat` does.
pub(crate) fn file_size(fd: Fd) -> Result<Option<u64>, Errno> {
    use linux_raw_sys::general::{AT_EMPTY_PATH, S_IFMT, S_IFREG, stat};
    let mut st = core::mem::MaybeUninit::<stat>::zeroed();
    // SAFETY: `st` is a writable `struct stat`; the path is an empty C string.
    check(unsafe {
        __tiny_sys_newfstatat(
            fd.0 as usize,
            c"".as_ptr() as usize,
            st.as_mut_ptr() as usize,
            AT_EMPTY_PATH as usize,
        )
    })?;
    // SAFETY: zero-initialized, and filled by the kernel on success.
    let st = unsafe { st.assume_init() };
    Ok((st.st_mode & S_IFMT == S_IFREG).then_some(st.st_size as u64))
}

#[inline(always)]
pub(crate) fn close(fd: Fd) -> Result<(), Errno> {
    // SAFETY: closing a descriptor touches no memory of ours.
    check(unsafe { __tiny_sys_close(fd.0 as usize) }).map(drop)
}

#[inline(always)]
pub(crate) fn exit(code: i32) -> ! {
    // SAFETY: `exit` ends the process; tiny programs have a single thread.
    unsafe { __tiny_sys_exit(code as usize) }
}

/// Memory for `io::buffer`: 64 KiB of `.bss`, called for once.
pub(crate) fn buffer_memory() -> *mut u8 {
    static mut BUFFER: [u8; crate::io::BUFFER_SIZE] = [0; crate::io::BUFFER_SIZE];
    core::ptr::addr_of_mut!(BUFFER).cast()
}

/// The initial stack pointer, saved by [`start`] for [`argv`]. Its name is known to the link
/// step (`tiny_build::layout::ARGS_MARKER`): when no code reads it, the optimizer drops it and
/// the entry point skips passing the stack pointer.
static TINY_ARGV_SP: AtomicPtr<usize> = AtomicPtr::new(core::ptr::null_mut());

/// `(argc, argv)` from the stack the kernel set up: `[argc, argv[0], …, argv[argc-1], NULL, envp…]`.
pub(crate) fn argv() -> (usize, *const *const u8) {
    let sp = TINY_ARGV_SP.load(Ordering::Relaxed);
    // SAFETY: `sp` is the kernel-provided initial stack pointer, saved by `start` before any
    // program code runs; its first word is argc and the argv array follows.
    unsafe { (*sp, sp.add(1) as *const *const u8) }
}

/// The Rust side of the entry point: records the stack, runs `main`, exits with its code.
///
/// # Safety
/// `sp` must be the stack pointer the kernel passed to the ELF entry point, and this must be
/// called once, from the generated entry glue.
#[inline(always)]
pub unsafe fn start(sp: *const usize, main: fn() -> i32) -> ! {
    TINY_ARGV_SP.store(sp as *mut usize, Ordering::Relaxed);
    exit(main())
}
