//! Linux: system calls through the stubs that `tiny-build` generated into the program.
//!
//! # Safety
//!
//! The `__tiny_sys_*` functions are defined by the generated code (`OUT_DIR/tiny.rs`, included by
//! `#[tiny::main]`); each performs exactly the named Linux system call with its arguments in the
//! kernel's registers and returns the raw result (`-errno` on failure). The wrappers here pass
//! only pointers and lengths taken from live Rust slices or from the kernel-provided stack.

use crate::{Errno, Fd};

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
            $(#[link_name = $link] fn $sym($($arg: $ty),*) -> $ret;)*
        }
    };
}

contract! {
    /// `read(fd, buf, len)`.
    __tiny_sys_read = tiny_abi::sys_symbol!("read"), fn(fd: u32, buf: usize, len: usize) -> isize;
    /// `write(fd, buf, len)`.
    __tiny_sys_write = tiny_abi::sys_symbol!("write"), fn(fd: u32, buf: usize, len: usize) -> isize;
    /// `open(path, flags)`.
    __tiny_sys_open = tiny_abi::sys_symbol!("open"), fn(path: usize, flags: usize) -> isize;
    /// `fstat(fd, stat)`.
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
#[path = "../heap/classes.rs"]
pub(crate) mod heap;

/// The page size the heap maps by: x86-64's. `map`'s trimming relies on it being the kernel's
/// page size (a port to aarch64 kernels with 16 or 64 KiB pages must use theirs).
const PAGE: usize = 4096;

/// `len` bytes (a multiple of the page size) of new zeroed memory aligned to `align` (a power
/// of two): `mmap`, and when `align` is above the page size, a mapping `align - PAGE` bytes
/// longer whose ends around the aligned part are unmapped again. Null when the kernel refuses.
#[inline(never)]
fn map(len: usize, align: usize) -> *mut u8 {
    use linux_raw_sys::general::{__NR_mmap, MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE};
    let extra = align.max(PAGE) - PAGE;
    // SAFETY: a new private anonymous mapping, at an address the kernel chooses: no memory of
    // the program changes.
    let p = unsafe {
        syscall6(
            __NR_mmap as usize,
            0,
            len.wrapping_add(extra),
            (PROT_READ | PROT_WRITE) as usize,
            (MAP_PRIVATE | MAP_ANONYMOUS) as usize,
            usize::MAX, // fd -1
            0,
        )
    };
    if p < 0 {
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
    use linux_raw_sys::general::{__NR_mremap, MREMAP_MAYMOVE};
    // SAFETY: as the caller promises.
    let p = unsafe {
        syscall4(
            __NR_mremap as usize,
            ptr as usize,
            old,
            new,
            MREMAP_MAYMOVE as usize,
        )
    };
    if p < 0 {
        core::ptr::null_mut()
    } else {
        p as *mut u8
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
fn initial_stack() -> *const usize {
    reads_args();
    // SAFETY: written once by `start` before any program code runs, never again; single thread.
    unsafe { *ARGV_SP.0.get() }
}

/// `argv + 1`, or `argv` when `argv[0]` is NULL (`argc` = 0, which Linux allows before 5.18):
/// where the arguments after the program name start. See [`argv`] for the marker.
#[inline(always)]
pub(crate) fn operands() -> *const *const u8 {
    let (_, argv) = argv();
    let sp = argv.wrapping_sub(1);
    let next: *const *const u8;
    // SAFETY: reads `argv[0]` (the word after argc on the kernel-provided stack, see `argv`);
    // the rest is arithmetic: `cmp` sets the carry exactly when `argv[0]` is 0 (NULL), `sbb`
    // makes that -1 (else 0), and the `lea` gives `sp + 16 - 8 * carry`. Three instructions
    // where LLVM's compare-and-select takes a few more bytes.
    unsafe {
        core::arch::asm!(
            "cmp qword ptr [{sp} + 8], 1",
            "sbb {next}, {next}",
            "lea {next}, [{sp} + {next} * 8 + 16]",
            sp = in(reg) sp,
            next = out(reg) next,
            options(pure, readonly, nostack)
        );
    }
    next
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

/// The entry piece of a `#[tiny::ctor]` (see tiny-macros' `ctor`): a naked function in
/// `$section`, exported as `$symbol`, that the link step places in the entry chain right after
/// `_start` (`rdi` = the initial stack pointer, `rsp` 16-byte aligned): it calls `$wrapper`
/// (an `extern "C" fn(*const usize)`, entered with the alignment of a call) and sets `rdi` again
/// for what follows, falling through into it. 8 bytes.
#[doc(hidden)]
#[macro_export]
macro_rules! __tiny_ctor_piece {
    ($wrapper:ident, $section:literal, $symbol:literal) => {
        #[unsafe(naked)]
        #[unsafe(link_section = $section)]
        #[unsafe(export_name = $symbol)]
        unsafe extern "C" fn piece() {
            ::core::arch::naked_asm!(
                "call {f}",    // the constructor, with rdi = the initial stack pointer
                "mov rdi, rsp", // rsp is that pointer again: for the next link
                f = sym $wrapper,
            )
        }
    };
}

// `_Unwind_Resume`: the cleanup code of the precompiled `alloc` (built for unwinding, e.g. in
// `alloc::fmt::format`) calls it to go on unwinding after a drop. With `panic = "abort"`
// nothing unwinds, so it is never called; it is a trap (2 bytes, in a section of its own that
// the linker keeps only when something refers to it).
core::arch::global_asm!(
    ".pushsection .text._Unwind_Resume,\"ax\",@progbits",
    ".globl _Unwind_Resume",
    ".hidden _Unwind_Resume",
    "_Unwind_Resume:",
    "ud2",
    ".popsection",
);

/// Hand-written x86-64 primitives, called from `asm!` with their own small register
/// conventions (each documented below) instead of the C ABI: a call site clobbers only the
/// registers named, so the caller keeps its values in the registers they are in rather than
/// saving them around every call. The bodies hold no logic a caller could get wrong: the
/// conventions are enforced by the `asm!` operands of the wrappers, the only callers.
mod prim {
    use linux_raw_sys::general::__NR_write;

    // `tiny_strlen`: `rsi` = a NUL-terminated string; returns its length in `rdx`. Clobbers
    // nothing else but the flags. In a section of its own under tiny-build's small-code prefix
    // (`.tiny.small.*`): its 14 bytes fit into a header gap of the image.
    core::arch::global_asm!(
        tiny_abi::push_small_section!("strlen"),
        ".globl tiny_strlen",
        ".hidden tiny_strlen",
        "tiny_strlen:",
        "or rdx, -1",
        "2:",
        "inc rdx",
        "cmp byte ptr [rsi + rdx], 0",
        "jne 2b",
        "ret",
        ".popsection",
    );

    // One unit, in its own section (dropped as a whole when no program code calls into it),
    // under tiny-build's runtime-code prefix (`.tiny.lib.*`): a piece apart from the program's
    // code, which the layout can put after it, over the trap that ends it:
    //
    // `tiny_puts`: `edi` = fd, `rsi` = a NUL-terminated string: `tiny_strlen`, then falls
    // through into `tiny_write_all` with the bytes before the NUL.
    //
    // `tiny_write_all`: `edi` = fd, `rsi` = buffer, `rdx` = length. Returns `rax` = 0 with ZF
    // set, or `-errno` of the failed `write` with ZF clear. Clobbers `rsi`, `rdx`, `rcx`, `r11` (the last two:
    // `syscall`). Loops on partial writes. No `EINTR` retry is needed: Linux restarts an
    // interrupted `write` by itself unless a signal handler ran, and tiny programs install none.
    core::arch::global_asm!(
        tiny_abi::push_lib_section!("prim"),
        ".globl tiny_puts, tiny_write_all",
        ".hidden tiny_puts, tiny_write_all",
        "tiny_puts:",
        "call tiny_strlen",
        "tiny_write_all:",
        "xor eax, eax",
        "4:",
        "add rsi, rax",
        "sub rdx, rax",
        "jz 3f",
        "push {nr}",
        "pop rax",
        "syscall",
        "test rax, rax",
        "jns 4b",
        "ret",
        "3:",
        "xchg eax, edx",
        "ret",
        ".popsection",
        nr = const __NR_write,
    );

    // `tiny_error`: `rsi` = a NUL-terminated string WHAT, `rdx` = an `Errno` (the error number
    // negated; its low 32 bits are enough), or `eax` = the same at `tiny_error_eax`; `r9` =
    // the initial stack pointer (argc, then argv: passed in, as a reference from here to the
    // static `start` records it in would keep that store in every program). Writes
    // `PROGRAM: WHAT: MESSAGE` and a newline to standard error (`PROGRAM` is argv[0], left out
    // when there is none; `MESSAGE` the text of `crate::strerror::PACKED` for the number),
    // ignoring write errors. Clobbers `rax`, `rcx`, `rdx`, `rsi`, `rdi`, `r8`, `r11`; returns
    // with `edi` = 2.
    //
    // The message is found with one `repne scasb` for the number's key over the known
    // records; when it is not there the scan ends where the "Unknown error" text starts. The
    // strings "\n" and ": " go on the stack (one 8-byte push), then the six parts' pointers,
    // last part first, which are then popped and written in turn by `tiny_puts`.
    core::arch::global_asm!(
        tiny_abi::push_lib_section!("error"),
        ".globl tiny_error, tiny_error_eax",
        ".hidden tiny_error, tiny_error_eax",
        "tiny_error:",
        "xchg eax, edx",
        "tiny_error_eax:",
        // the key: the low byte of the negated number when that is -127..=-1 (unsigned, at
        // least -127), else 0x80, which no record has
        "cmp eax, -127",
        "jae 2f",
        "mov al, 0x80",
        "2:",
        "lea rdi, [rip + {table}]",
        // (a push of a sign-extended byte when the length fits one)
        ".if {known} < 128",
        "push {known}",
        "pop rcx",
        ".else",
        "mov ecx, {known}",
        ".endif",
        "repne scasb",
        // "\n", NUL, ": ", NUL (little-endian), at `r8`
        "push 0x203a000a",
        "mov r8, rsp",
        "push r8",
        "push rdi",
        "lea rax, [r8 + 2]",
        "push rax",
        "push rsi",
        "push rax",
        "push qword ptr [r9 + 8]",
        "push 2",
        "pop rdi",
        // until the stack is back at the strings; argv[0] may be NULL
        "3:",
        "pop rsi",
        "test rsi, rsi",
        "jz 4f",
        "call tiny_puts",
        "4:",
        "cmp rsp, r8",
        "jne 3b",
        "pop rax",
        "ret",
        ".popsection",
        known = const crate::strerror::KNOWN_LEN,
        table = sym crate::strerror::PACKED,
    );

    // `tiny_copy`: `edi` = input fd, `r10d` = output fd, `r9` = the initial stack pointer (for
    // `tiny_error`). Copies the input to the output until end of file: returns `rdx` = 0, or
    // `-errno` of the `read` that failed. A failed `write` ends the program as coreutils do:
    // `PROGRAM: write error: MESSAGE` on standard error (see `tiny_error`), exit code 1.
    // Clobbers `rax`, `rcx`, `rdx`, `rsi`, `r8`, `r11`.
    //
    // The kernel copies without the data passing through the program where it can: first
    // `sendfile(out, in, NULL, 1 GiB)` (an input that can be spliced from, such as a regular
    // file, to any output that can be spliced to: a pipe, a file, /dev/null), then
    // `splice(in, NULL, out, NULL, 1 GiB, 0)` (from a pipe), each until end of file or an
    // error; a call that fails has moved nothing (both use and advance the descriptors' own
    // offsets), so after a failure the copy goes on with `read`/`write` through a 64 KiB
    // buffer of its own (`.bss`). Whatever made the kernel refuse (`EINVAL` for a terminal or
    // an `O_APPEND` output, a read or write error), that loop meets it again where it can tell
    // a read error from a write error, as coreutils' messages do. (The results are tested as
    // 32-bit values: the calls return at most the 1 GiB or 64 KiB asked for, or `-errno` >=
    // -4095; `tiny_write_all` says how it went in ZF.)
    core::arch::global_asm!(
        tiny_abi::push_lib_section!("copy"),
        ".globl tiny_copy",
        ".hidden tiny_copy",
        "tiny_copy:",
        "push r9",
        "push r10",
        "push rdi",                 // [rsp]: input, [rsp + 8]: output
        "6:",
        "mov esi, [rsp]",           // sendfile: the input
        "mov edi, [rsp + 8]",       // the output
        "xor edx, edx",             // offset: the input's own
        "mov r10d, 0x40000000",     // at most 1 GiB
        "push {sendfile}",
        "pop rax",
        "syscall",
        "test eax, eax",
        "jg 6b",                    // moved some: again
        "jz 8f",                    // end of file (ZF stays set through the pops)
        "7:",
        "mov edi, [rsp]",           // splice: the input
        "xor esi, esi",             // offset: its own
        "mov edx, [rsp + 8]",       // the output
        "xor r10d, r10d",           // offset: its own
        "mov r8d, 0x40000000",      // at most 1 GiB
        "xor r9d, r9d",             // no flags
        "mov eax, {splice}",
        "syscall",
        "test eax, eax",
        "jg 7b",                    // moved some: again
        "8:",
        "pop rdi",
        "pop r10",
        "pop r9",
        "jz 2f",                    // end of file: rax = 0
        // refused or failed: read and write
        "5:",
        "xor eax, eax",
        "lea rsi, [rip + 3f]",
        "mov edx, {size}",
        "syscall",
        "test eax, eax",
        "jle 2f",
        "push rdi",
        "mov edi, r10d",
        "xchg edx, eax",
        "call tiny_write_all",
        "pop rdi",
        "jz 5b",
        "lea rsi, [rip + 4f]",
        "call tiny_error_eax",
        "push {exit}",
        "pop rax",
        // `tiny_error` returns with `edi` = 2: exit code 1
        "dec edi",
        "syscall",
        "2:",
        "xchg rdx, rax",
        "ret",
        ".popsection",
        ".pushsection .rodata.tiny.copy,\"a\",@progbits",
        "4:",
        ".asciz \"write error\"",
        ".popsection",
        ".pushsection .bss.tiny.copy,\"aw\",@nobits",
        "3:",
        ".zero {size}",
        ".popsection",
        size = const crate::io::BUFFER_SIZE,
        exit = const linux_raw_sys::general::__NR_exit,
        sendfile = const linux_raw_sys::general::__NR_sendfile,
        splice = const linux_raw_sys::general::__NR_splice,
    );
    const _: () = assert!(linux_raw_sys::general::__NR_sendfile < 128); // `push` of a byte
    const _: () = assert!(linux_raw_sys::general::__NR_read == 0);

    unsafe extern "C" {
        /// See the unit above; called only through `asm!` with its convention.
        pub(super) fn tiny_error();
        /// See the unit above; called only through `asm!` with its convention.
        pub(super) fn tiny_copy();
        /// See the unit above; called only through `asm!` with its convention.
        pub(super) fn tiny_strlen();
        /// See the unit above; called only through `asm!` with its convention.
        pub(super) fn tiny_puts();
        /// See the unit above; called only through `asm!` with its convention.
        pub(super) fn tiny_write_all();
    }
}

/// Writes all of `len` bytes at `buf` to `fd` (see `prim`).
#[inline(always)]
pub(crate) fn write_all(fd: Fd, buf: *const u8, len: usize) -> Result<(), Errno> {
    let ret: isize;
    // SAFETY: `buf..buf+len` is readable (the caller's slice); `tiny_write_all` follows the
    // convention these operands state, writes no memory, and returns with the stack as it was.
    unsafe {
        core::arch::asm!(
            "call {f}",
            f = sym prim::tiny_write_all,
            in("edi") fd.0,
            inout("rsi") buf => _,
            inout("rdx") len => _,
            out("rax") ret,
            out("rcx") _,
            out("r11") _,
            options(readonly),
        );
    }
    Errno::result(ret)
}

/// The length of the NUL-terminated string at `s` (see `prim`).
///
/// # Safety
/// `s` must point to a NUL-terminated string.
#[inline(always)]
pub(crate) unsafe fn strlen(s: *const u8) -> usize {
    let len: usize;
    // SAFETY: the caller passes a NUL-terminated string; `tiny_strlen` reads only up to its
    // NUL and follows the convention these operands state.
    unsafe {
        core::arch::asm!(
            "call {f}",
            f = sym prim::tiny_strlen,
            in("rsi") s,
            out("rdx") len,
            options(pure, readonly),
        );
    }
    len
}

/// Writes the NUL-terminated string at `s` to `fd` (see `prim`).
///
/// # Safety
/// `s` must point to a NUL-terminated string.
#[inline(always)]
pub(crate) unsafe fn puts(fd: Fd, s: *const u8) -> Result<(), Errno> {
    let ret: isize;
    // SAFETY: the caller passes a NUL-terminated string, every byte of which is readable;
    // `tiny_puts` follows the convention these operands state and writes no memory.
    unsafe {
        core::arch::asm!(
            "call {f}",
            f = sym prim::tiny_puts,
            in("edi") fd.0,
            inout("rsi") s => _,
            out("rdx") _,
            out("rax") ret,
            out("rcx") _,
            out("r11") _,
            options(readonly),
        );
    }
    Errno::result(ret)
}

/// Writes `PROGRAM: WHAT: MESSAGE` and a newline to standard error (see `prim`).
///
/// # Safety
/// `what` must point to a NUL-terminated string.
#[inline(always)]
pub(crate) unsafe fn error(what: *const u8, e: Errno) {
    let sp = initial_stack(); // for the program name
    // SAFETY: the caller passes a NUL-terminated string; `tiny_error` reads it, argv[0] (a
    // NUL-terminated string when not NULL, from the kernel-provided stack `start` recorded)
    // and the message table, follows the convention these operands state, writes no memory
    // of ours and returns with the stack as it was.
    unsafe {
        core::arch::asm!(
            "call {f}",
            f = sym prim::tiny_error,
            inout("rsi") what => _,
            inout("rdx") e.repr() => _,
            in("r9") sp,
            out("rax") _,
            out("rcx") _,
            out("rdi") _,
            out("r8") _,
            out("r11") _,
            options(readonly),
        );
    }
}

/// Copies `from` to `to` until end of file; a write error ends the program (see `prim`).
#[inline(always)]
pub(crate) fn copy(from: Fd, to: Fd) -> Result<(), Errno> {
    let sp = initial_stack(); // for the program name in a write error
    let ret: isize;
    // SAFETY: `tiny_copy` writes only its own buffer, which no Rust code can reach (hence
    // `readonly`; the kernel's `sendfile` and `splice` write no memory of the program), reads the stack `sp` points to like `tiny_error`, follows the convention
    // these operands state and returns with the stack as it was (or ends the process).
    unsafe {
        core::arch::asm!(
            "call {f}",
            f = sym prim::tiny_copy,
            in("edi") from.0,
            in("r10d") to.0,
            in("r9") sp,
            out("rdx") ret,
            out("rax") _,
            out("rcx") _,
            out("rsi") _,
            out("r8") _,
            out("r11") _,
            options(readonly),
        );
    }
    Errno::result(ret)
}
