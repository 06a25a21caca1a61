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
    tiny_abi::push_lib_section!("fmt"),
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

/// A `core::fmt::Write` to a file descriptor that gathers what one `write!` formats in a
/// buffer on the stack and writes it with as few system calls as fit: a line printed by
/// [`println!`](crate::println!) reaches a pipe in one `write(2)` when it is at most
/// [`LINE`] bytes. The first error is kept (and later output dropped); [`finish`](Self::finish)
/// returns it.
pub struct Writer {
    fd: Fd,
    len: usize,
    error: Option<Errno>,
    /// The first `len` bytes are filled; the rest is never read (and not cleared first).
    buf: [core::mem::MaybeUninit<u8>; LINE],
}

/// The size of [`Writer`]'s buffer.
pub const LINE: usize = 1024;

impl Writer {
    /// A writer to `fd` with an empty buffer.
    #[inline(always)]
    pub const fn new(fd: Fd) -> Writer {
        Writer {
            fd,
            len: 0,
            error: None,
            buf: [const { core::mem::MaybeUninit::uninit() }; LINE],
        }
    }

    #[inline(never)]
    fn flush(&mut self) {
        if self.error.is_none() {
            // SAFETY: `len <= LINE` and the first `len` bytes were written (the invariant
            // `write_str` keeps).
            let filled =
                unsafe { core::slice::from_raw_parts(self.buf.as_ptr().cast::<u8>(), self.len) };
            self.error = crate::write_all(self.fd, filled).err();
        }
        self.len = 0;
    }

    /// Writes what is left in the buffer; the first error of this writer, if any.
    #[inline(always)]
    pub fn finish(mut self) -> Result<(), Errno> {
        self.flush();
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl core::fmt::Write for Writer {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let bytes = s.as_bytes();
        if bytes.len() > LINE - self.len {
            self.flush();
            if bytes.len() > LINE {
                if self.error.is_none() {
                    self.error = crate::write_all(self.fd, bytes).err();
                }
                return Ok(());
            }
        }
        // SAFETY: `len + bytes.len() <= LINE` (checked above, after a flush if needed): the
        // copy stays inside `buf`, which `bytes` (a `&str` of the caller's) cannot overlap.
        unsafe {
            self.buf
                .as_mut_ptr()
                .cast::<u8>()
                .add(self.len)
                .copy_from_nonoverlapping(bytes.as_ptr(), bytes.len());
        }
        self.len += bytes.len();
        Ok(())
    }
}

/// [`ufmt`](https://docs.rs/ufmt), the small formatter, writes through a [`Writer`] as
/// `core::fmt` does (feature `ufmt` of tiny; the program depends on `ufmt` for its macros):
///
/// ```ignore
/// let mut out = tiny::fmt::Writer::new(tiny::STDOUT);
/// ufmt::uwriteln!(out, "{} arguments", n).ok();
/// out.finish()?;
/// ```
#[cfg(feature = "ufmt")]
impl ufmt::uWrite for Writer {
    type Error = core::convert::Infallible;

    fn write_str(&mut self, s: &str) -> Result<(), Self::Error> {
        let _ = core::fmt::Write::write_str(self, s);
        Ok(())
    }
}

/// Formats `args` to `fd` through a [`Writer`]: the first write error, if any. What
/// [`print!`](crate::print!) and the other macros call; use it directly to handle the error
/// yourself: `tiny::fmt::write(tiny::STDOUT, format_args!("{n}\n"))?`.
#[inline(never)]
pub fn write(fd: Fd, args: core::fmt::Arguments<'_>) -> Result<(), Errno> {
    let mut w = Writer::new(fd);
    // A `Writer` never fails (it keeps its error for `finish`); a `Display` impl can, and
    // then the output stops, as with std.
    let _ = core::fmt::Write::write_fmt(&mut w, args);
    w.finish()
}

/// What the printing macros call: `args` (and a newline with `newline`) through one
/// [`Writer`], with a failed write to standard output kept for the exit (see
/// [`crate::exit`]).
#[doc(hidden)]
#[inline(never)]
pub fn print_to(fd: Fd, args: core::fmt::Arguments<'_>, newline: bool) {
    let mut w = Writer::new(fd);
    let _ = core::fmt::Write::write_fmt(&mut w, args);
    if newline {
        let _ = core::fmt::Write::write_str(&mut w, "\n");
    }
    if let Err(e) = w.finish() {
        crate::process::output_failed(fd, e);
    }
}

/// Prints to standard output, as `std::print!` does (with `core::fmt`). A write error is not
/// returned: the program ends with `PROG: write error: MESSAGE` and exit code 1 when `main`
/// returns or calls [`exit`](crate::exit), as coreutils do.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::fmt::print_to($crate::STDOUT, ::core::format_args!($($arg)*), false)
    };
}

/// Prints to standard output with a newline, as `std::println!` does; see [`print!`].
#[macro_export]
macro_rules! println {
    () => {
        $crate::print!("\n")
    };
    ($($arg:tt)*) => {
        $crate::fmt::print_to($crate::STDOUT, ::core::format_args!($($arg)*), true)
    };
}

/// Prints to standard error, as `std::eprint!` does; errors are ignored.
#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => {
        $crate::fmt::print_to($crate::STDERR, ::core::format_args!($($arg)*), false)
    };
}

/// Prints to standard error with a newline, as `std::eprintln!` does; errors are ignored.
#[macro_export]
macro_rules! eprintln {
    () => {
        $crate::eprint!("\n")
    };
    ($($arg:tt)*) => {
        $crate::fmt::print_to($crate::STDERR, ::core::format_args!($($arg)*), true)
    };
}
