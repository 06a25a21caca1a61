//! Numbers in decimal.

use crate::{Errno, Fd};

/// Writes `n` in decimal to `fd`, right-aligned in `width` columns: padded on the left with
/// spaces, as `printf("%*llu", width, n)` does (a number with more digits than `width` is
/// written whole). Loops on partial writes, as [`write_all`](crate::write_all) does.
///
/// On Linux x86-64 this is one small shared routine that formats the digits on the stack and
/// goes on into the runtime's `write_all`.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[inline(always)]
pub fn write_number(fd: Fd, n: u64, width: u8) -> Result<(), Errno> {
    let ret: isize;
    // SAFETY: `tiny_write_u` follows the convention these operands state: it writes only
    // below the stack pointer (which the asm block may use, not being `nostack`: no memory of
    // the program's, hence `readonly`), reads nothing else, and returns with the stack as it
    // was.
    unsafe {
        core::arch::asm!(
            "call {f}",
            f = sym tiny_write_u,
            in("edi") fd.0,
            inout("rax") n => ret,
            inout("ecx") u32::from(width) => _,
            out("rdx") _,
            out("rsi") _,
            out("r8") _,
            out("r11") _,
            options(readonly),
        );
    }
    Errno::result(ret)
}

// `tiny_write_u`: `edi` = fd, `rax` = the number, `rcx` = the width (at most 255). Writes the
// number as `write_number` documents, through `tiny_write_all` (tiny-rt's Linux primitive),
// whose result it returns: `rax` = 0 or `-errno`. Clobbers `rsi`, `rdx`, `rcx`, `r8`, `r11`.
//
// The text is formatted below the stack pointer, ending 8 bytes below it (the slot that
// `push` in `tiny_write_all` writes stays clear), at most 20 + 255 bytes long: memory of the
// stack that no one else uses (a tiny program has one thread and no signal handlers), well
// within the distance below the stack pointer at which Linux grows the stack.
//
// In a section under tiny-build's runtime-code prefix (`.tiny.lib.*`): dropped when nothing
// calls it.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
core::arch::global_asm!(
    ".pushsection .tiny.lib.fmt,\"ax\",@progbits",
    ".globl tiny_write_u",
    ".hidden tiny_write_u",
    "tiny_write_u:",
    // r8: the end of the text; rsi: its start, moving down
    "lea r8, [rsp - 8]",
    "mov rsi, r8",
    "push 10",
    "pop r11",
    "2:",
    "xor edx, edx",
    "div r11",
    "add dl, '0'",
    "dec rsi",
    "mov [rsi], dl",
    "test rax, rax",
    "jnz 2b",
    "3:",
    "mov rdx, r8",
    "sub rdx, rsi",
    "cmp rdx, rcx",
    "jae tiny_write_all",
    "dec rsi",
    "mov byte ptr [rsi], ' '",
    "jmp 3b",
    ".popsection",
);

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
unsafe extern "C" {
    /// See the routine above; called only through `asm!` with its convention.
    fn tiny_write_u();
}

/// Writes `n` in decimal to `fd`, right-aligned in `width` columns: padded on the left with
/// spaces, as `printf("%*llu", width, n)` does (a number with more digits than `width` is
/// written whole). Loops on partial writes, as [`write_all`](crate::write_all) does.
#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
#[inline(never)]
pub fn write_number(fd: Fd, mut n: u64, width: u8) -> Result<(), Errno> {
    // at most 20 digits, or `width` columns
    let mut text = [b' '; 20 + 255];
    let mut at = text.len();
    loop {
        at -= 1;
        if let Some(digit) = text.get_mut(at) {
            *digit = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = at.min(text.len() - usize::from(width));
    crate::write_all(fd, text.get(start..).unwrap_or_default())
}
