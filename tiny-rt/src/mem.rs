//! The C memory functions LLVM may call on its own (`memcpy` for a large copy, `strlen` for a
//! NUL scan, …). A hosted target gets them from libc; tiny programs have none, and the
//! `compiler_builtins` of `*-linux-gnu` targets leaves them out. Each is linked only when the
//! optimized program calls it.
//!
//! LLVM recognizes byte loops as these functions and would turn the loops below into calls to
//! themselves, except that it does not do so inside functions with these names.
//!
//! # Safety
//!
//! These are the C functions with their C contracts: the caller passes pointers valid for the
//! given lengths (or, for `strlen`, a NUL-terminated string).
#![allow(clippy::missing_safety_doc)] // the contracts are C's, documented above

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
