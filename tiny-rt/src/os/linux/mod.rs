//! Linux: system calls through the stubs that `tiny-build` generated into the program.
//!
//! This module is written once for every architecture; what one architecture needs apart is in
//! its own module: `x86_64` (hand-written routines with register conventions of their own for
//! `write_all`, `error`, `copy`, `strlen`, the operands), and for `x86`, `aarch64`, `riscv64`
//! and `arm` their constants and `#[tiny::ctor]` entry piece, with the shared routines written
//! once in Rust (`portable`).
//!
//! # Safety
//!
//! The `__tiny_sys_*` functions are defined by the generated code (`OUT_DIR/tiny.rs`, included by
//! `#[tiny::main]`); each performs exactly the named Linux system call with its arguments in the
//! kernel's registers and returns the raw result (`-errno` on failure). The wrappers here pass
//! only pointers and lengths taken from live Rust slices or from the kernel-provided stack.

use crate::{Errno, Fd};

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
use x86_64 as arch;
#[cfg(target_arch = "x86_64")]
pub(crate) use x86_64::{copy, error, operands, puts, strlen, write_all};

#[cfg(target_arch = "x86")]
mod x86;
#[cfg(target_arch = "x86")]
use x86 as arch;

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "aarch64")]
use aarch64 as arch;

#[cfg(target_arch = "riscv64")]
mod riscv64;
#[cfg(target_arch = "riscv64")]
use riscv64 as arch;

#[cfg(target_arch = "arm")]
mod arm;
#[cfg(target_arch = "arm")]
use arm as arch;

#[cfg(not(any(
    target_arch = "x86_64",
    target_arch = "x86",
    target_arch = "aarch64",
    target_arch = "riscv64",
    target_arch = "arm"
)))]
compile_error!(
    "tiny-rt: this Linux architecture is not supported (supported: x86_64, x86, aarch64, riscv64, arm)"
);

#[cfg(not(target_arch = "x86_64"))]
mod portable;
#[cfg(not(target_arch = "x86_64"))]
pub(crate) use portable::{copy, error, file_size, open_read, operands, puts, strlen, write_all};

/// Declares the functions the generated code defines, and for each a type alias of the same
/// name that the generated file checks its definition against (the `tiny-build` ↔ `tiny-rt`
/// contract; the symbols are spelled by `tiny-abi`).
macro_rules! contract {
    ($($(#[$doc:meta])* $sym:ident = $link:expr, fn($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        /// The types of the functions the generated code (`OUT_DIR/tiny.rs`) defines: it checks
        /// at compile time that each of its functions has the type named after its symbol.
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        pub mod contract {
            $($(#[$doc])* pub type $sym = unsafe fn($($ty),*) -> $ret;)*
        }
        unsafe extern "Rust" {
            $($(#[$doc])* #[link_name = $link] fn $sym($($arg: $ty),*) -> $ret;)*
        }
    };
}

contract! {
    /// `read(fd, buf, len)`.
    __tiny_sys_read = tiny_abi::sys_symbol!("read"), fn(fd: u32, buf: usize, len: usize) -> isize;
    /// `write(fd, buf, len)`.
    __tiny_sys_write = tiny_abi::sys_symbol!("write"), fn(fd: u32, buf: usize, len: usize) -> isize;
    /// `open(path, flags)` (x86-64; the others open with `openat`).
    #[cfg(target_arch = "x86_64")]
    __tiny_sys_open = tiny_abi::sys_symbol!("open"), fn(path: usize, flags: usize) -> isize;
    /// `fstat(fd, stat)` (x86-64; the others ask `statx`).
    #[cfg(target_arch = "x86_64")]
    __tiny_sys_fstat = tiny_abi::sys_symbol!("fstat"), fn(fd: u32, stat: usize) -> isize;
    /// `close(fd)`.
    __tiny_sys_close = tiny_abi::sys_symbol!("close"), fn(fd: u32) -> isize;
    /// `exit(code)`.
    __tiny_sys_exit = tiny_abi::sys_symbol!("exit"), fn(code: usize) -> !;
    /// Any system call with no argument (`tiny::syscall!`).
    __tiny_syscall0 = tiny_abi::syscall_symbol!(0), fn(nr: usize) -> isize;
    /// Any system call with 1 argument.
    __tiny_syscall1 = tiny_abi::syscall_symbol!(1), fn(nr: usize, a0: usize) -> isize;
    /// Any system call with 2 arguments.
    __tiny_syscall2 = tiny_abi::syscall_symbol!(2), fn(nr: usize, a0: usize, a1: usize) -> isize;
    /// Any system call with 3 arguments.
    __tiny_syscall3 = tiny_abi::syscall_symbol!(3),
        fn(nr: usize, a0: usize, a1: usize, a2: usize) -> isize;
    /// Any system call with 4 arguments.
    __tiny_syscall4 = tiny_abi::syscall_symbol!(4),
        fn(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize) -> isize;
    /// Any system call with 5 arguments.
    __tiny_syscall5 = tiny_abi::syscall_symbol!(5),
        fn(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize, a4: usize) -> isize;
    /// Any system call with 6 arguments.
    __tiny_syscall6 = tiny_abi::syscall_symbol!(6),
        fn(nr: usize, a0: usize, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> isize;
}

/// `tiny::syscall!`'s entries `syscall0` … `syscall6`: the system call `nr` with its arguments,
/// raw result.
macro_rules! any_syscall {
    ($($name:ident => $sym:ident($($a:ident),*);)*) => {$(
        /// `tiny::syscall!`'s entry for this many arguments: the system call `nr`, raw result.
        ///
        /// # Safety
        ///
        /// `nr` is a system call number of the target and the arguments are valid for it
        /// (pointers the kernel reads or writes point to memory the caller owns, and the call
        /// does not break what Rust assumes about the process, e.g. by unmapping memory still
        /// in use).
        #[doc(hidden)]
        #[inline(always)]
        pub unsafe fn $name(nr: usize, $($a: usize),*) -> isize {
            // SAFETY: the caller's duty (above); the stub passes its arguments unchanged.
            unsafe { $sym(nr, $($a),*) }
        }
    )*};
}

any_syscall! {
    syscall0 => __tiny_syscall0();
    syscall1 => __tiny_syscall1(a0);
    syscall2 => __tiny_syscall2(a0, a1);
    syscall3 => __tiny_syscall3(a0, a1, a2);
    syscall4 => __tiny_syscall4(a0, a1, a2, a3);
    syscall5 => __tiny_syscall5(a0, a1, a2, a3, a4);
    syscall6 => __tiny_syscall6(a0, a1, a2, a3, a4, a5);
}

/// The size-class allocator of [`crate::Heap`], over [`map`], [`unmap`] and [`remap`].
#[path = "../../heap/classes.rs"]
pub(crate) mod heap;

/// The page size the heap maps by (the architecture's: `map`'s trimming relies on it being the
/// kernel's page size).
const PAGE: usize = arch::PAGE;

/// `len` bytes (a multiple of the page size) of new zeroed memory aligned to `align` (a power
/// of two): `mmap`, and when `align` is above the page size, a mapping `align - PAGE` bytes
/// longer whose ends around the aligned part are unmapped again. Null when the kernel refuses.
#[inline(never)]
fn map(len: usize, align: usize) -> *mut u8 {
    let extra = align.max(PAGE) - PAGE;
    let p = mmap_anonymous(len.wrapping_add(extra));
    if failed_map(p) {
        return core::ptr::null_mut();
    }
    let p = p as usize;
    // `p` itself when `align` is at most the page size (`p` is page-aligned)
    let aligned = (p + align - 1) & !(align - 1);
    if extra != 0 {
        // SAFETY: both ranges lie inside the mapping just made, around `aligned..aligned +
        // len`, and nothing uses them (an empty range is refused with EINVAL, harmlessly).
        unsafe {
            unmap(p as *mut u8, aligned - p);
            unmap((aligned + len) as *mut u8, p + extra - aligned);
        }
    }
    aligned as *mut u8
}

/// Whether a raw `mmap`/`mremap` result is an error (`-errno`) rather than an address. On 64-bit
/// architectures user addresses are below 2^63: any negative value. On 32-bit ones the kernel
/// maps above 2 GiB too (an i686 program on x86-64 gets addresses near 4 GiB), so only the
/// error range, -4095..=-1, is one.
#[inline(always)]
fn failed_map(ret: isize) -> bool {
    if cfg!(target_pointer_width = "64") {
        ret < 0
    } else {
        ret as usize > -4096isize as usize
    }
}

/// Unmaps `len` bytes at `ptr` (`munmap`).
///
/// # Safety
///
/// `ptr..ptr + len` is mapped memory that nothing uses any more.
#[inline(never)]
unsafe fn unmap(ptr: *mut u8, len: usize) {
    // SAFETY: as the caller promises.
    unsafe {
        syscall2(
            linux_raw_sys::general::__NR_munmap as usize,
            ptr as usize,
            len,
        )
    };
}

/// Resizes the mapping of `old` bytes at `ptr` to `new` bytes (`mremap` with
/// `MREMAP_MAYMOVE`: in place when the kernel can, else its pages move elsewhere, uncopied):
/// the mapping's address, or null (then it is unchanged).
///
/// # Safety
///
/// `ptr..ptr + old` is a whole mapping of its own, page-aligned, and nothing but the returned
/// pointer is used to reach it afterwards.
unsafe fn remap(ptr: *mut u8, old: usize, new: usize) -> *mut u8 {
    // SAFETY: as the caller promises.
    let p = unsafe { mremap_maymove(ptr, old, new) };
    if failed_map(p) {
        core::ptr::null_mut()
    } else {
        p as *mut u8
    }
}

/// `mmap` of `len` bytes of new private anonymous read-write memory, at an address the kernel
/// chooses: the raw result (an address, or `-errno`: see [`failed_map`]).
#[inline(always)]
fn mmap_anonymous(len: usize) -> isize {
    use linux_raw_sys::general::{MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE};
    // SAFETY: a new mapping at an address the kernel chooses: no memory of the program changes.
    unsafe {
        syscall6(
            arch::NR_MMAP as usize,
            0,
            len,
            (PROT_READ | PROT_WRITE) as usize,
            (MAP_PRIVATE | MAP_ANONYMOUS) as usize,
            usize::MAX, // fd -1
            0,
        )
    }
}

/// `mremap(ptr, old, new, MREMAP_MAYMOVE)`: the raw result (see [`mmap_anonymous`]).
///
/// # Safety
/// As [`remap`]'s.
#[inline(always)]
unsafe fn mremap_maymove(ptr: *mut u8, old: usize, new: usize) -> isize {
    use linux_raw_sys::general::{__NR_mremap, MREMAP_MAYMOVE};
    // SAFETY: as the caller promises.
    unsafe {
        syscall4(
            __NR_mremap as usize,
            ptr as usize,
            old,
            new,
            MREMAP_MAYMOVE as usize,
        )
    }
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
    pub(crate) const EBADF: i32 = e::EBADF as i32;
    pub(crate) const ENOMEM: i32 = e::ENOMEM as i32;
    pub(crate) const EINVAL: i32 = e::EINVAL as i32;
    pub(crate) const EEXIST: i32 = e::EEXIST as i32;
    pub(crate) const EPERM: i32 = e::EPERM as i32;
    pub(crate) const EROFS: i32 = e::EROFS as i32;
    pub(crate) const ELOOP: i32 = e::ELOOP as i32;
    pub(crate) const EMLINK: i32 = e::EMLINK as i32;
    pub(crate) const EDQUOT: i32 = e::EDQUOT as i32;
}

/// Turns a raw syscall result into `Ok(value)` or `Err(errno)`.
#[inline(always)]
pub(crate) fn check(ret: isize) -> Result<usize, Errno> {
    match core::num::NonZeroIsize::new(ret) {
        Some(negated) if ret < 0 => Err(Errno::from_negated(negated)),
        _ => Ok(ret as usize),
    }
}

#[inline(always)]
pub(crate) fn read(fd: Fd, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: `buf..buf+len` is a writable slice owned by the caller (see `io::read`).
    check(unsafe { __tiny_sys_read(fd.0 as u32, buf as usize, len) })
}

#[inline(always)]
pub(crate) fn write(fd: Fd, buf: *const u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: `buf..buf+len` is a readable slice owned by the caller (see `io::write_all`).
    check(unsafe { __tiny_sys_write(fd.0 as u32, buf as usize, len) })
}

/// Opens `path` for reading: `open(path, O_RDONLY)` (x86-64 has `open`, shorter to call than
/// `openat` with `AT_FDCWD`). No `O_CLOEXEC`: a tiny program never runs another (there is
/// nothing to leak a descriptor to), and the mode argument is left out (the kernel reads it
/// only with `O_CREAT` or `O_TMPFILE`).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn open_read(path: *const u8) -> Result<Fd, Errno> {
    let flags = linux_raw_sys::general::O_RDONLY as usize;
    // SAFETY: `path` points to a NUL-terminated string (see `io::open`).
    check(unsafe { __tiny_sys_open(path as usize, flags) }).map(|fd| Fd(fd as i32))
}

/// Opens `path` as `options` say (see `crate::fs::OpenOptions`): `openat(AT_FDCWD, …)` with
/// `O_CLOEXEC`.
pub(crate) fn open_with(path: *const u8, options: &crate::fs::OpenOptions) -> Result<Fd, Errno> {
    use linux_raw_sys::general::{
        __NR_openat, AT_FDCWD, O_APPEND, O_CLOEXEC, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC,
        O_WRONLY,
    };
    let writes = options.write || options.append;
    let mut flags = match (options.read, writes) {
        (true, true) => O_RDWR,
        (false, true) => O_WRONLY,
        _ => O_RDONLY,
    } | O_CLOEXEC;
    if options.append {
        flags |= O_APPEND;
    }
    if options.truncate {
        flags |= O_TRUNC;
    }
    if options.create_new {
        flags |= O_CREAT | O_EXCL;
    } else if options.create {
        flags |= O_CREAT;
    }
    // SAFETY: `path` is NUL-terminated (see `fs::AsPath`); the kernel reads only it.
    let ret = unsafe {
        syscall4(
            __NR_openat as usize,
            AT_FDCWD as isize as usize,
            path as usize,
            flags as usize,
            options.mode as usize,
        )
    };
    check(ret).map(|fd| Fd(fd as i32))
}

/// The size of the regular file open as `fd`, `None` for anything else (pipe, terminal,
/// directory, device): `fstat`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn file_size(fd: Fd) -> Result<Option<u64>, Errno> {
    use linux_raw_sys::general::{S_IFMT, S_IFREG, stat};
    let mut st = core::mem::MaybeUninit::<stat>::uninit();
    // SAFETY: `st` is a writable `struct stat`.
    check(unsafe { __tiny_sys_fstat(fd.0 as u32, st.as_mut_ptr() as usize) })?;
    // SAFETY: the kernel filled the whole structure: the call succeeded.
    let st = unsafe { st.assume_init() };
    Ok((st.st_mode & S_IFMT == S_IFREG).then_some(st.st_size as u64))
}

#[inline(always)]
pub(crate) fn close(fd: Fd) -> Result<(), Errno> {
    // SAFETY: closing a descriptor touches no memory of ours.
    check(unsafe { __tiny_sys_close(fd.0 as u32) }).map(drop)
}

#[inline(always)]
pub(crate) fn exit(code: i32) -> ! {
    // SAFETY: `exit` ends the process; tiny programs have a single thread.
    unsafe { __tiny_sys_exit(code as usize) }
}

/// Memory for `io::buffer`: 64 KiB of `.bss`, called for once.
/// A table that grows and is never given back (the `atexit` table): `new` bytes (a multiple of
/// the page size) that keep the first `old` bytes of `table`, or a new mapping when `table` is
/// null (`mmap`, `mremap` with `MREMAP_MAYMOVE`: pages move, uncopied). Null when the kernel
/// refuses (`table` is then unchanged). (Not through the heap's [`map`] and [`remap`]: their
/// alignment work and calls made a program with `atexit` 25 bytes bigger.)
///
/// # Safety
/// `table` is null or the result of an earlier call, `old` bytes long, and only the result is
/// used afterwards.
#[cfg(feature = "heap")]
pub(crate) unsafe fn grow_table(table: *mut u8, old: usize, new: usize) -> *mut u8 {
    let p = if table.is_null() {
        mmap_anonymous(new)
    } else {
        // SAFETY: as the caller promises, `table` is a mapping of `old` bytes of its own.
        unsafe { mremap_maymove(table, old, new) }
    };
    if failed_map(p) {
        core::ptr::null_mut()
    } else {
        p as *mut u8
    }
}

/// The page size, for tables that grow by pages (see [`grow_table`]).
#[cfg(feature = "heap")]
pub(crate) const TABLE_PAGE: usize = PAGE;

pub(crate) fn buffer_memory() -> *mut u8 {
    static mut BUFFER: [u8; crate::io::BUFFER_SIZE] = [0; crate::io::BUFFER_SIZE];
    core::ptr::addr_of_mut!(BUFFER).cast()
}

/// The initial stack pointer, saved by [`start`] for [`argv`].
///
/// A plain (non-atomic) cell: tiny programs have one thread, and it is written once, before
/// `main` runs. Its loads are ordinary loads, so once `main` is inlined into the entry point
/// LLVM reads the stack pointer straight from the register it arrived in (the store stays for
/// code that is not inlined; the assembly routines that need the program name, `tiny_error`
/// and `tiny_copy`, get the pointer in a register, so that a program that calls neither has
/// no store).
struct StackPointer(core::cell::UnsafeCell<*const usize>);

// SAFETY: tiny programs have a single thread (the runtime starts no other), so the cell is
// never accessed concurrently.
unsafe impl Sync for StackPointer {}

static ARGV_SP: StackPointer = StackPointer(core::cell::UnsafeCell::new(core::ptr::null()));

/// Marks the program as one that reads its arguments (see [`argv`]).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn reads_args() {
    // SAFETY: no instructions: the directives add one byte to a section that is not loaded.
    unsafe {
        core::arch::asm!(
            concat!(".pushsection ", tiny_abi::args_marker!(), ",\"\",@progbits"),
            ".byte 1",
            ".popsection",
            options(nomem, nostack, preserves_flags)
        );
    }
}

/// Marks the program as one that reads its arguments (see [`argv`]); `%progbits`, which every
/// assembler takes (`@` starts a comment in arm assembly).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn reads_args() {
    // SAFETY: no instructions: the directives add one byte to a section that is not loaded.
    unsafe {
        core::arch::asm!(
            concat!(".pushsection ", tiny_abi::args_marker!(), ",\"\",%progbits"),
            ".byte 1",
            ".popsection",
            options(nomem, nostack, preserves_flags)
        );
    }
}

/// `(argc, argv)` from the stack the kernel set up: `[argc, argv[0], …, argv[argc-1], NULL, envp…]`.
///
/// Marks the program as one that reads its arguments: the `.tiny.args` section (not loaded,
/// `tiny_build::layout::ARGS_MARKER`) is present in the link exactly when code calling this is,
/// and then the entry point passes the stack pointer on.
#[inline(always)]
pub(crate) fn argv() -> (usize, *const *const u8) {
    let sp = initial_stack();
    // SAFETY: `sp` is the kernel-provided initial stack pointer; its first word is argc and the
    // argv array follows.
    unsafe { (*sp, sp.add(1).cast::<*const u8>()) }
}

/// `envp`: the NULL-terminated array of `NAME=VALUE` strings the kernel placed after `argv`'s
/// NULL on the initial stack.
#[inline(always)]
pub(crate) fn environ() -> *const *const u8 {
    let (argc, argv) = argv();
    argv.wrapping_add(argc + 1)
}

/// The initial stack pointer (see [`argv`], which this marks the program for too).
#[inline(always)]
pub(crate) fn initial_stack() -> *const usize {
    reads_args();
    // SAFETY: written once by `start` before any program code runs, never again; single thread.
    unsafe { *ARGV_SP.0.get() }
}

/// The Rust side of the entry point: records the stack, runs `main`, exits with its code.
///
/// # Safety
/// `sp` must be the stack pointer the kernel passed to the ELF entry point, and this must be
/// called once, from the generated entry glue.
#[inline(always)]
pub unsafe fn start(sp: *const usize, main: fn() -> i32) -> ! {
    // SAFETY: the first thing the program does, on its only thread (see `ARGV_SP`).
    unsafe { *ARGV_SP.0.get() = sp };
    crate::process::exit(main())
}

/// What a `#[tiny::ctor]` wrapper runs first: keeps the initial stack pointer for
/// [`argv`], as [`start`] does (constructors run before it).
///
/// # Safety
/// `sp` is the stack pointer the kernel passed to the ELF entry point.
#[doc(hidden)]
#[inline(always)]
pub unsafe fn enter_ctor(sp: *const usize) {
    // SAFETY: before `main`, on the only thread; the same value `start` writes.
    unsafe { *ARGV_SP.0.get() = sp };
}
