//! Linux on x86-64: the architecture's constants, the `#[tiny::ctor]` entry piece, and small
//! hand-written routines with register conventions of their own (`write_all`, `strlen`,
//! `puts`, `error`, `copy`, the operands), which the other architectures have in Rust
//! (`portable`).

use super::{argv, initial_stack};
use crate::{Errno, Fd};

/// The page size (x86-64 has only 4 KiB pages).
pub(super) const PAGE: usize = 4096;
/// `mmap`, with the offset in bytes.
pub(super) const NR_MMAP: u32 = linux_raw_sys::general::__NR_mmap;

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
