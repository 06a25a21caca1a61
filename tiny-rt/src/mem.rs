//! The C memory functions LLVM may call on its own (`memcpy` for a large copy, `strlen` for a
//! NUL scan, …). A hosted target gets them from libc; tiny programs have none, and the
//! `compiler_builtins` of `*-linux-gnu` targets leaves them out. Each is linked only when the
//! optimized program calls it.
//!
//! LLVM recognizes byte loops as these functions and would turn the loops below into calls to
//! themselves, except that it does not do so inside functions with these names.
//!
//! On Windows they are written in assembly, each in its own COMDAT section: the `windows-gnu`
//! target compiles a crate without function sections, so Rust definitions (which a
//! `#[no_mangle]` keeps through LTO) would all stay in every program; a COMDAT section is
//! linked only when something calls it. They use the string instructions (`rep movsb`,
//! `rep stosb`, `repe cmpsb`, `repne scasb`), the smallest code for them.
//!
//! # Safety
//!
//! These are the C functions with their C contracts: the caller passes pointers valid for the
//! given lengths (or, for `strlen`, a NUL-terminated string).
#![allow(clippy::missing_safety_doc)] // the contracts are C's, documented above

#[cfg(not(windows))]
pub use portable::*;

#[cfg(not(windows))]
mod portable {
    /// C `memcpy`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        let mut i = 0;
        while i < n {
            // SAFETY: `i < n`, and both buffers are valid for `n` bytes (C contract).
            unsafe { *dst.add(i) = *src.add(i) };
            i += 1;
        }
        dst
    }

    /// C `memmove`: copies backwards when the destination starts inside the source.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        if (dst as usize).wrapping_sub(src as usize) >= n {
            // SAFETY: a forward copy is correct when `dst` does not start inside `src..src+n`.
            return unsafe { memcpy(dst, src, n) };
        }
        let mut i = n;
        while i != 0 {
            i -= 1;
            // SAFETY: `i < n`, and both buffers are valid for `n` bytes (C contract).
            unsafe { *dst.add(i) = *src.add(i) };
        }
        dst
    }

    /// C `memset`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
        let mut i = 0;
        while i < n {
            // SAFETY: `i < n`, and `dst` is valid for `n` bytes (C contract).
            unsafe { *dst.add(i) = c as u8 };
            i += 1;
        }
        dst
    }

    /// C `memcmp`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        let mut i = 0;
        while i < n {
            // SAFETY: `i < n`, and both buffers are valid for `n` bytes (C contract).
            let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
            if x != y {
                return i32::from(x) - i32::from(y);
            }
            i += 1;
        }
        0
    }

    /// C `bcmp` (zero when equal).
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: same contract as `memcmp`.
        unsafe { memcmp(a, b, n) }
    }

    /// C `strlen`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
        let mut n = 0;
        // SAFETY: the string is NUL-terminated (C contract), so bytes up to the NUL are readable.
        while unsafe { *s.add(n) } != 0 {
            n += 1;
        }
        n
    }
}

// Windows x64 calling convention: arguments in rcx, rdx, r8; rsi and rdi must be preserved;
// the direction flag is clear on entry and exit.
#[cfg(windows)]
core::arch::global_asm!(
    // memcpy(dst, src, n) -> dst
    ".section .text$tiny_memcpy,\"xr\",discard,memcpy",
    ".globl memcpy",
    "memcpy:",
    "mov rax, rcx",
    "mov r9, rdi",
    "mov rdi, rcx",
    "xchg rsi, rdx",
    "mov rcx, r8",
    "rep movsb",
    "mov rsi, rdx",
    "mov rdi, r9",
    "ret",
    // memmove(dst, src, n) -> dst: backwards when dst starts inside src..src+n
    ".section .text$tiny_memmove,\"xr\",discard,memmove",
    ".globl memmove",
    "memmove:",
    "mov rax, rcx",
    "sub rax, rdx",
    "cmp rax, r8",
    "jae memcpy",
    "mov rax, rcx",
    "mov r9, rdi",
    "lea rdi, [rcx + r8 - 1]",
    "xchg rsi, rdx",
    "lea rsi, [rsi + r8 - 1]",
    "mov rcx, r8",
    "std",
    "rep movsb",
    "cld",
    "mov rsi, rdx",
    "mov rdi, r9",
    "ret",
    // memset(dst, c, n) -> dst
    ".section .text$tiny_memset,\"xr\",discard,memset",
    ".globl memset",
    "memset:",
    "mov r9, rdi",
    "mov rdi, rcx",
    "mov eax, edx",
    "mov rcx, r8",
    "mov rdx, rdi",
    "rep stosb",
    "mov rax, rdx",
    "mov rdi, r9",
    "ret",
    // memcmp(a, b, n) -> <0, 0, >0; bcmp is the same function
    ".section .text$tiny_memcmp,\"xr\",discard,memcmp",
    ".globl memcmp",
    ".globl bcmp",
    "bcmp:",
    "memcmp:",
    "xchg rsi, rcx",
    "xchg rdi, rdx",
    "xchg rcx, r8",
    "xor eax, eax", // n == 0: equal (and ZF set)
    "repe cmpsb",
    "je 2f",
    "movzx eax, byte ptr [rsi - 1]",
    "movzx ecx, byte ptr [rdi - 1]",
    "sub eax, ecx",
    "2:",
    "mov rsi, r8",
    "mov rdi, rdx",
    "ret",
    // strlen(s)
    ".section .text$tiny_strlen,\"xr\",discard,strlen",
    ".globl strlen",
    "strlen:",
    "mov rdx, rdi",
    "mov rdi, rcx",
    "xor eax, eax",
    "mov rcx, -1",
    "repne scasb",
    "mov rax, -2",
    "sub rax, rcx",
    "mov rdi, rdx",
    "ret",
    ".text",
);
