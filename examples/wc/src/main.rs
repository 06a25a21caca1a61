//! `wc [-lwc] [FILE]...`: counts the lines, words and bytes of each file (standard input for `-`
//! or when there are none), with a total line when there are several files.
//!
//! As GNU wc in the C locale: a word is a maximal run of non-space bytes that holds at least one
//! printable byte (`!`..=`~`); other bytes (controls, bytes ≥ 0x80) neither start nor end a
//! word. The counts printed are always in the order lines, words, bytes; with no option all
//! three. Options may come anywhere before `--` and may be grouped (`-lw`); long options are
//! not implemented (`--lines` is an unrecognized option, with GNU's message).
//!
//! Column width, as GNU: 1 when one count of one input is printed; otherwise the number of
//! digits of the total size of the regular files among the inputs (`tiny::file_size`, GNU's
//! `fstat`), at least 7 when an input is not a regular file (a pipe, a terminal, a directory).
#![no_std]
#![no_main]

use core::ffi::CStr;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use tiny::opt::{Options, open};
#[cfg(target_os = "linux")]
use tiny::sys::{S_IFMT, S_IFREG, SEEK_CUR, SEEK_SET};
use tiny::{BUFFER_SIZE, Fd, STDIN, STDOUT, ZStr, error, read_chunk, write_z};

/// The name read when no file is named: standard input, printed without a name.
static STDIN_NAME: &CStr = c"-";

/// The name of the total line.
static TOTAL: &CStr = c"total";

/// The counts of the current input (lines, words, bytes, in the order of the option letters
/// `-l`, `-w`, `-c`), then the total. In `.bss`: zero at the start, at no cost.
static COUNTS: [AtomicUsize; 8] = [const { AtomicUsize::new(0) }; 8];

/// The program's state: the walk over the arguments, what to print, the counts.
struct Wc {
    opts: Options,
    /// The files the walk has found.
    files: u32,
    /// Whether the walk ends with the total line.
    total: bool,
    /// What to print: bit `i` selects `COUNTS[i]`.
    show: u32,
    /// The column width; while the first walk runs, 7 once an input is not a regular file.
    width: u8,
    /// The exit code.
    status: u8,
}

impl Wc {
    /// Starts a walk over the arguments.
    fn rewind(&mut self, total: bool) {
        self.opts.rewind();
        self.files = 0;
        self.total = total;
    }

    /// The next input: a file argument, else [`STDIN_NAME`] when there was none (counted as
    /// one file), then [`TOTAL`] if asked for. A bad option ends the program with GNU's
    /// message and exit code 1.
    #[inline(never)]
    fn next(&mut self) -> Option<ZStr> {
        if let Some(arg) = self.opts.next() {
            self.files += 1;
            return Some(arg);
        }
        let extra = if self.files == 0 {
            STDIN_NAME
        } else if self.total {
            TOTAL
        } else {
            return None;
        };
        // (`total` is set only when there are files)
        self.files = 1;
        self.total = false;
        Some(ZStr::new(extra))
    }

    /// Counts the lines, words and bytes of `name` (`-`: standard input) into `COUNTS[..3]`.
    /// An error is reported and sets the exit code; `false` when `name` cannot be opened.
    #[inline(always)]
    fn count(&mut self, name: ZStr, buf: &mut [u8; BUFFER_SIZE]) -> bool {
        let opened = open(name);
        let mut failed = opened.err();
        if let Ok(fd) = opened {
            let (mut lines, mut words, mut bytes) = (0, 0, 0);
            // 1 inside a word, else 0 (as are `printable` and `space` below)
            let mut in_word = 0u8;
            if self.show == 4 {
                bytes = skip_known_bytes(fd);
            }
            loop {
                let data = match read_chunk(fd, buf) {
                    Ok([]) => break,
                    Ok(data) => data,
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                };
                bytes += data.len();
                let mut data = data;
                if self.show & 2 == 0 {
                    // no words to count: the newlines 16 bytes at a time, the rest below
                    let (n, rest) = newlines(data);
                    lines += n;
                    data = rest;
                }
                for &b in data {
                    lines += usize::from(b == b'\n');
                    // printable: '!'..='~'; space: ' ', '\t', '\n', '\v', '\f', '\r'
                    let printable = u8::from(b.wrapping_sub(b'!') < 94);
                    let space = u8::from(b == b' ' || b.wrapping_sub(b'\t') < 5);
                    words += usize::from(printable > in_word);
                    in_word = (in_word | printable) & !space;
                }
            }
            close(fd);
            COUNTS[0].store(lines, Relaxed);
            COUNTS[1].store(words, Relaxed);
            COUNTS[2].store(bytes, Relaxed);
        }
        if let Some(e) = failed {
            error(name, e);
            self.status = 1;
        }
        opened.is_ok()
    }

    /// Writes the line of the counts at `COUNTS[which..]` (`which`: 0 for an input, 4 for the
    /// total): the selected counts right-aligned in `width` columns, separated by spaces,
    /// then the name unless it is [`STDIN_NAME`]. Adds the counts to the total (which the
    /// total line, the last, doubles to no effect).
    #[inline(always)]
    fn line(&mut self, which: usize, name: ZStr) {
        let space = ZStr::new(c" ");
        let mut sep = ZStr::new(c"");
        let (show, width) = (self.show, self.width);
        for i in 0..3 {
            let n = COUNTS[which & 4 | i].load(Relaxed);
            if show >> i & 1 != 0 {
                let _ = write_z(STDOUT, sep);
                let _ = tiny::fmt::write_number(STDOUT, n as u64, width);
                sep = space;
            }
            let total = &COUNTS[4 | i];
            total.store(total.load(Relaxed) + n, Relaxed);
        }
        if name != ZStr::new(STDIN_NAME) {
            // `sep` is a space: a count at least is shown
            let _ = write_z(STDOUT, sep);
            let _ = write_z(STDOUT, name);
        }
        let _ = write_z(STDOUT, ZStr::new(c"\n"));
    }
}

/// The size of `fd` if it is a regular file (`fstat`, which cannot fail on an open
/// descriptor). One copy for both walks, with its result in two registers.
#[cfg(target_os = "linux")]
#[inline(never)]
fn regular_size(fd: Fd) -> Option<u64> {
    let mut st = core::mem::MaybeUninit::<tiny::sys::stat>::uninit();
    // SAFETY: `st` is a writable `struct stat`.
    if unsafe { tiny::syscall!(fstat, fd.0 as u32, st.as_mut_ptr()) } < 0 {
        return None;
    }
    // SAFETY: the kernel filled the whole structure: the call succeeded.
    let st = unsafe { st.assume_init() };
    (st.st_mode & S_IFMT == S_IFREG).then_some(st.st_size as u64)
}

/// The size of `fd` if it is a regular file.
#[cfg(not(target_os = "linux"))]
#[inline(always)]
fn regular_size(fd: Fd) -> Option<u64> {
    tiny::file_size(fd).ok().flatten()
}

/// For `-c` alone: the bytes of `fd` that need not be read, skipped. As GNU, a regular file's
/// size counts what lies between the file's offset (standard input may be at one) and the
/// start of its last page, which is read with the rest: a /proc or /sys file's size is made up
/// (0 or a page). Nothing for anything else.
#[cfg(target_os = "linux")]
#[inline(always)]
fn skip_known_bytes(fd: Fd) -> usize {
    let Some(size) = regular_size(fd) else {
        return 0;
    };
    let end = size.saturating_sub(1) & !4095;
    // SAFETY: `lseek` touches no memory.
    let pos = unsafe { tiny::syscall!(lseek, fd.0 as u32, 0u32, SEEK_CUR) } as u64;
    if pos >= end {
        return 0;
    }
    // SAFETY: as above (a regular file: the seek succeeds).
    unsafe { tiny::syscall!(lseek, fd.0 as u32, end, SEEK_SET) };
    (end - pos) as usize
}

/// For `-c` alone: every byte is read (the Linux shortcut is not implemented here).
#[cfg(not(target_os = "linux"))]
#[inline(always)]
fn skip_known_bytes(_: Fd) -> usize {
    0
}

/// The number of newlines in `data` but its last `data.len() % 16` bytes, and those bytes.
///
/// 16 bytes at a time with SSE2 (part of x86-64): `pcmpeqb` gives 0xFF where a byte is `\n`,
/// `0 - that` is 1 there, and `psadbw` adds each half's 8 bytes into a 64-bit lane of the
/// running sums. In assembly so that the constant is made in registers, once (LLVM keeps a
/// 16-byte copy in `.rodata` and loads it in more than one place), and the slice arithmetic
/// is two instructions.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn newlines(data: &[u8]) -> (usize, &[u8]) {
    let (n, rest, len): (usize, *const u8, usize);
    // SAFETY: SSE2 is part of x86-64; the loop reads the `len / 16` blocks of 16 bytes at the
    // start of `data` and nothing else, writes no memory and touches only the registers named;
    // `rest` is the address after those blocks, and `len % 16` bytes of `data` follow it.
    unsafe {
        core::arch::asm!(
            "pxor xmm0, xmm0",        // the sums, two 64-bit lanes
            "pxor xmm3, xmm3",        // zero
            "mov eax, 0x0a0a0a0a",
            "movd xmm2, eax",
            "pshufd xmm2, xmm2, 0",   // sixteen newlines
            "mov rcx, rdx",
            "and edx, 15",            // the bytes left after the blocks
            "shr rcx, 4",             // the blocks
            "jz 3f",
            "2:",
            "movdqu xmm1, [rsi]",     // the next 16 bytes
            "pcmpeqb xmm1, xmm2",     // 0xFF where a newline, else 0
            "pxor xmm4, xmm4",
            "psubb xmm4, xmm1",       // 1 where a newline
            "psadbw xmm4, xmm3",      // each half's count in its lane
            "paddq xmm0, xmm4",
            "add rsi, 16",
            "dec rcx",
            "jnz 2b",
            "3:",
            "pshufd xmm1, xmm0, 0xee", // the high lane in the low one
            "paddq xmm0, xmm1",
            "movq rax, xmm0",
            inout("rsi") data.as_ptr() => rest,
            inout("rdx") data.len() => len,
            out("rax") n,
            out("rcx") _,
            out("xmm0") _,
            out("xmm1") _,
            out("xmm2") _,
            out("xmm3") _,
            out("xmm4") _,
            options(pure, readonly, nostack),
        );
        (n, core::slice::from_raw_parts(rest, len))
    }
}

/// The number of newlines in `data` but its last `data.len() % 16` bytes, and those bytes: a
/// word at a time. A byte of `w ^ 0x0A…` is zero exactly where `w` has a newline, and
/// `!(((x & 0x7F…) + 0x7F…) | x)` has its top bit set exactly for the zero bytes of `x` (no
/// carry crosses bytes).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn newlines(data: &[u8]) -> (usize, &[u8]) {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let (blocks, rest) = data.as_chunks::<16>();
    let mut n = 0;
    for word in blocks.as_flattened().as_chunks::<8>().0 {
        let x = u64::from_ne_bytes(*word) ^ 0x0a0a_0a0a_0a0a_0a0a;
        n += (!(((x & LOW) + LOW) | x) & !LOW).count_ones() as usize;
    }
    (n, rest)
}

/// Closes `fd` unless it is standard input.
#[inline(always)]
fn close(fd: Fd) {
    if fd != STDIN {
        let _ = tiny::close(fd);
    }
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let mut wc = Wc {
        opts: Options::new(c"lwc"),
        files: 0,
        total: false,
        show: 0,
        width: 1,
        status: 0,
    };

    // First walk: the options, the files, the column width (see the crate documentation).
    let mut size = 0;
    while let Some(name) = wc.next() {
        // GNU leaves out what it cannot open or stat
        if let Ok(fd) = open(name) {
            match regular_size(fd) {
                Some(n) => size += n,
                None => wc.width = 7,
            }
            close(fd);
        }
    }
    wc.show = wc.opts.flags();
    if wc.show == 0 {
        wc.show = 7;
    }
    let several = wc.files > 1;
    if several || wc.show & (wc.show - 1) != 0 {
        let mut digits = 0;
        loop {
            digits += 1;
            size /= 10;
            if size == 0 {
                break;
            }
        }
        if digits > wc.width {
            wc.width = digits;
        }
    } else {
        wc.width = 1;
    }

    // Second walk: count and print, then the total (never opened: a file named `total` is
    // an argument).
    wc.rewind(several);
    while let Some(name) = wc.next() {
        let mut which = 4;
        // the total line is the input that cleared `total`
        if wc.total || !several {
            if !wc.count(name, buf) {
                continue;
            }
            which = 0;
        }
        wc.line(which, name);
    }
    wc.status
}
