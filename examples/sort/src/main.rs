//! `sort [-nrsuz] [FILE]...`: writes the lines of all the files (standard input for `-` or
//! when there are none) in order.
//!
//! As GNU sort 9.1 in the C locale:
//!
//! - lines compare as bytes (`memcmp`, then the shorter first); `-n` compares their leading
//!   numbers as GNU's `numcompare` does (blanks skipped, an optional `-`, digits with a `.`
//!   and a fraction; no number is 0; and, as GNU sort 9.1 in the C locale, the byte 0x80 is
//!   skipped among the digits as a thousands separator: its "no separator" value is
//!   `CHAR_MAX + 1`, which an unsigned byte meets), and lines with
//!   equal numbers fall back to the byte comparison, GNU's last resort, unless `-s` (stable:
//!   input order) or `-u`; `-r` reverses the result, the last resort too;
//! - `-u` writes only the first of each run of equal lines (equal as the key compares them:
//!   with `-n`, equal numbers); `-z`: lines end with NUL; a last line without its end gets
//!   one;
//! - the sort is a stable merge sort of the lines, which are all read into the heap first
//!   (`Grow`, see `examples/common/grow.rs`; when it is exhausted, `sort: memory exhausted`,
//!   exit code 2, as GNU's);
//! - errors as GNU's, exit code 2: `sort: cannot read: NAME: …` for a file that cannot be
//!   opened, `sort: read failed: NAME: …` for a read error, bad options; standard output is
//!   buffered as glibc's stdio buffers it (4096 bytes), so that a write error is reported with
//!   GNU's words for that point: `sort: write failed: 'standard output': …` when a write of a
//!   line fails, `sort: fflush failed: 'standard output': …` when the final flush does, then
//!   `sort: write error`.
//!
//! Not implemented (bad options here): keys (`-k`, `-t`), the other orderings (`-b`, `-d`,
//! `-f`, `-g`, `-h`, `-i`, `-M`, `-R`, `-V`), `-c`, `-m`, `-o`, long options; and GNU's
//! quoting of file names that need it in messages.
#![no_std]
#![no_main]

extern crate alloc;

#[path = "../../common/grow.rs"]
mod grow;

use core::cmp::Ordering;

use grow::Grow;

use tiny::{Errno, STDERR, STDOUT, ZStr, write_all};

/// GNU sort's exit code for trouble (`SORT_FAILURE`).
const FAILURE: u8 = 2;

/// The exit code when the heap is exhausted (`sort: memory exhausted`).
const OUT_OF_MEMORY: u8 = FAILURE;

/// The size of glibc's buffer for standard output (the `st_blksize` of files, pipes and
/// `/dev/full`).
const BLOCK: usize = 4096;

/// The option letters; bit `i` of the flags is `LETTERS[i]`.
const LETTERS: &[u8; 5] = b"nrsuz";
const NUMERIC: u32 = 1;
const REVERSE: u32 = 2;
const STABLE: u32 = 4;
const UNIQUE: u32 = 8;
const ZERO: u32 = 16;

/// Writes `PROG: ` and `parts` to standard error.
fn complain(parts: &[&[u8]]) {
    let _ = write_all(STDERR, tiny::args().next().unwrap_or_default());
    let _ = write_all(STDERR, b": ");
    for part in parts {
        let _ = write_all(STDERR, part);
    }
}

/// A bad option: `PROG: ` and `parts`, GNU's hint, exit code 2.
#[cold]
fn usage(parts: &[&[u8]]) -> ! {
    complain(parts);
    let _ = write_all(STDERR, b"Try '");
    let _ = write_all(STDERR, tiny::args().next().unwrap_or_default());
    let _ = write_all(STDERR, b" --help' for more information.\n");
    tiny::exit(FAILURE.into())
}

/// The walk over the arguments: the options (letters of [`LETTERS`], grouped or not,
/// anywhere before `--`), and the operands between them.
#[derive(Clone)]
struct Walk {
    args: tiny::Args,
    /// `--` has been seen.
    done: bool,
}

impl Walk {
    /// The next operand, after the options before it, whose bits are set in `flags`. A bad
    /// option ends the program.
    fn next(&mut self, flags: &mut u32) -> Option<ZStr> {
        loop {
            let arg = self.args.next_z()?;
            let Some((b'-', mut rest)) = arg.split_first() else {
                return Some(arg);
            };
            if self.done || rest.is_empty() {
                return Some(arg);
            }
            if let Some((b'-', long)) = rest.split_first() {
                if long.is_empty() {
                    self.done = true;
                    continue;
                }
                usage(&[b"unrecognized option '", arg.to_bytes(), b"'\n"]);
            }
            while let Some((letter, more)) = rest.split_first() {
                match LETTERS.iter().position(|&l| l == letter) {
                    Some(i) => *flags |= 1 << i,
                    None => usage(&[b"invalid option -- '", &[letter], b"'\n"]),
                }
                rest = more;
            }
        }
    }
}

/// A line without its end.
fn text(line: &[u8]) -> &[u8] {
    line.split_last().map_or(&[][..], |(_, text)| text)
}

/// The byte at `i` of `s`, 0 past its end: the NUL that ends the key GNU compares.
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

/// GNU's `fraccompare`: the fractions at `a[i..]` and `b[j..]`, one of which at least starts
/// with `.`.
fn fraction(a: &[u8], mut i: usize, b: &[u8], mut j: usize) -> i32 {
    let digit = |c: u8| c.is_ascii_digit();
    if at(a, i) == b'.' && at(b, j) == b'.' {
        loop {
            i += 1;
            j += 1;
            if at(a, i) != at(b, j) {
                break;
            }
            if !digit(at(a, i)) {
                return 0;
            }
        }
        let (x, y) = (at(a, i), at(b, j));
        if digit(x) && digit(y) {
            return i32::from(x) - i32::from(y);
        }
        if digit(x) {
            return nonzero(a, i);
        }
        if digit(y) {
            return -nonzero(b, j);
        }
        return 0;
    }
    if at(a, i) == b'.' {
        return nonzero(a, i + 1);
    }
    if at(b, j) == b'.' {
        return -nonzero(b, j + 1);
    }
    0
}

/// 1 when a digit other than 0 follows the zeros at `s[i..]`, else 0.
fn nonzero(s: &[u8], mut i: usize) -> i32 {
    while at(s, i) == b'0' {
        i += 1;
    }
    i32::from(at(s, i).is_ascii_digit())
}

/// The thousands separator GNU sort 9.1 uses in the C locale: its "no separator" value,
/// `CHAR_MAX + 1`, which the unsigned bytes it is compared with meet as 0x80.
const THOUSANDS: u8 = 0x80;

/// A position in a line, as GNU's `strnumcmp` walks it.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    /// The byte here (0 past the end).
    fn c(&self) -> u8 {
        at(self.s, self.i)
    }

    /// Moves on by one byte; the byte there.
    fn next(&mut self) -> u8 {
        self.i += 1;
        self.c()
    }

    /// Moves on past the bytes `skip` accepts; the byte there.
    fn skip(&mut self, skip: impl Fn(u8) -> bool) -> u8 {
        while skip(self.c()) {
            self.i += 1;
        }
        self.c()
    }

    /// Moves on by one byte, then past thousands separators (GNU's `do … while`); the byte
    /// there.
    fn digit_next(&mut self) -> u8 {
        self.next();
        self.skip(|c| c == THOUSANDS)
    }

    /// After a `-` and its zeros: whether a digit other than 0 follows (in the integer part
    /// or, after a `.` and zeros, the fraction).
    fn nonzero(&mut self) -> bool {
        if self.c() == b'.' {
            self.next();
            self.skip(|c| c == b'0');
        }
        self.c().is_ascii_digit()
    }
}

/// GNU's `numcompare` (`strnumcmp` with decimal point `.` and the thousands separator above),
/// after skipping the blanks (space, tab, newline) that start each line.
#[inline(never)]
fn numeric(a: &[u8], b: &[u8]) -> i32 {
    let blank = |c: u8| matches!(c, b' ' | b'\t' | b'\n');
    let zero = |c: u8| c == b'0' || c == THOUSANDS;
    let digit = |c: u8| c.is_ascii_digit();
    let mut a = Cursor { s: a, i: 0 };
    let mut b = Cursor { s: b, i: 0 };
    a.skip(blank);
    b.skip(blank);
    let (negative_a, negative_b) = (a.c() == b'-', b.c() == b'-');
    if negative_a != negative_b {
        // the negative one is smaller, unless both are zero
        let (neg, other, sign) = if negative_a {
            (&mut a, &mut b, -1)
        } else {
            (&mut b, &mut a, 1)
        };
        neg.next();
        neg.skip(zero);
        if neg.nonzero() {
            return sign;
        }
        other.skip(zero);
        return sign * i32::from(other.nonzero());
    }
    // both negative: the magnitudes compare the other way round
    let sign = if negative_a {
        a.next();
        b.next();
        -1
    } else {
        1
    };
    a.skip(zero);
    b.skip(zero);
    while a.c() == b.c() && digit(a.c()) {
        a.digit_next();
        b.digit_next();
    }
    let (x, y) = (a.c(), b.c());
    if x == b'.' && !digit(y) || y == b'.' && !digit(x) {
        return sign * fraction(a.s, a.i, b.s, b.i);
    }
    let first = i32::from(x) - i32::from(y);
    let mut log_a = 0;
    while digit(a.c()) {
        a.digit_next();
        log_a += 1;
    }
    let mut log_b = 0;
    while digit(b.c()) {
        b.digit_next();
        log_b += 1;
    }
    if log_a != log_b {
        return sign * if log_a < log_b { -1 } else { 1 };
    }
    if log_a == 0 {
        return 0;
    }
    sign * first
}

/// Compares two lines as the options say (see the crate documentation).
#[inline(never)]
fn compare(flags: u32, a: &[u8], b: &[u8]) -> Ordering {
    let mut order = Ordering::Equal;
    if flags & NUMERIC != 0 {
        order = numeric(a, b).cmp(&0);
    }
    if order == Ordering::Equal && (flags & NUMERIC == 0 || flags & (STABLE | UNIQUE) == 0) {
        order = a.cmp(b);
    }
    if flags & REVERSE != 0 {
        order = order.reverse();
    }
    order
}

/// Sorts `lines` stably by `cmp`, with `scratch` (as long) as room: a merge sort.
fn merge_sort<'a>(
    lines: &mut [&'a [u8]],
    scratch: &mut [&'a [u8]],
    cmp: &impl Fn(&[u8], &[u8]) -> Ordering,
) {
    let mid = lines.len() / 2;
    if mid == 0 {
        return;
    }
    {
        let (Some((left, right)), Some((room_left, room_right))) = (
            lines.split_at_mut_checked(mid),
            scratch.split_at_mut_checked(mid),
        ) else {
            return;
        };
        merge_sort(left, room_left, cmp);
        merge_sort(right, room_right, cmp);
    }
    let (left, right) = lines.split_at_checked(mid).unwrap_or_default();
    let (mut i, mut j) = (0, 0);
    for slot in scratch.iter_mut() {
        let take = match (left.get(i), right.get(j)) {
            (Some(x), Some(y)) if cmp(x, y) != Ordering::Greater => x,
            (_, Some(y)) => {
                j += 1;
                *slot = y;
                continue;
            }
            (Some(x), None) => x,
            (None, None) => break,
        };
        i += 1;
        *slot = take;
    }
    for (line, &sorted) in lines.iter_mut().zip(scratch.iter()) {
        *line = sorted;
    }
}

/// Standard output, buffered as glibc buffers a stream to a file or a pipe (see the crate
/// documentation).
struct Out {
    buf: &'static mut [u8],
    len: usize,
    /// The buffer is in use (glibc sets it up on the first write, with nothing in it).
    ready: bool,
}

impl Out {
    /// `fwrite`: fills the buffer, then (when `data` does not fit) writes it, writes the
    /// whole blocks of what is left directly and keeps the rest.
    fn write(&mut self, data: &[u8]) -> Result<(), Errno> {
        let space = if self.ready { BLOCK - self.len } else { 0 };
        let (now, rest) = data
            .split_at_checked(space.min(data.len()))
            .unwrap_or((data, &[]));
        self.keep(now);
        if rest.is_empty() {
            return Ok(());
        }
        self.ready = true;
        self.flush()?;
        let (direct, tail) = rest
            .split_at_checked(rest.len() - rest.len() % BLOCK)
            .unwrap_or((rest, &[]));
        if !direct.is_empty() {
            write_all(STDOUT, direct)?;
        }
        self.keep(tail);
        Ok(())
    }

    /// Appends `data` (which fits) to the buffer.
    fn keep(&mut self, data: &[u8]) {
        let free = self.buf.get_mut(self.len..).unwrap_or_default();
        for (slot, &b) in free.iter_mut().zip(data) {
            *slot = b;
        }
        self.len += data.len();
    }

    /// Writes what the buffer holds.
    fn flush(&mut self) -> Result<(), Errno> {
        let filled = self.buf.get(..self.len).unwrap_or_default();
        self.len = 0;
        if filled.is_empty() {
            return Ok(());
        }
        write_all(STDOUT, filled)
    }
}

/// Ends the program after a failed write: `sort: WHAT 'standard output': MESSAGE`, then
/// what GNU's `close_stdout` adds, `sort: write error`; exit code 2.
#[cold]
fn write_failed(what: &[u8], e: Errno) -> ! {
    let message = e.message().as_bytes();
    complain(&[what, b" failed: 'standard output': ", message, b"\n"]);
    complain(&[b"write error\n"]);
    tiny::exit(FAILURE.into())
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return FAILURE;
    };
    let (input, output) = buf.split_at_mut(tiny::BUFFER_SIZE - BLOCK);
    let mut flags = 0;
    let start = Walk {
        args: tiny::operands(),
        done: false,
    };
    // the options first, all of them (GNU reads them all before any file)
    let mut walk = start.clone();
    let mut files = 0;
    while walk.next(&mut flags).is_some() {
        files += 1;
    }
    let eol = if flags & ZERO != 0 { 0 } else { b'\n' };
    // every file, each ending with a line end
    let mut walk = start;
    let mut all = Grow::new();
    loop {
        let name = match walk.next(&mut flags) {
            Some(name) => name,
            None if files == 0 => ZStr::new(c"-"),
            None => break,
        };
        files = 1;
        // Windows does not open a directory, where Linux opens it and fails the first read:
        // that error waits for the read, as on Linux
        let fd = match tiny::opt::open(name) {
            Err(e) if !(cfg!(windows) && e == tiny::Errno::ISDIR) => {
                let message = e.message().as_bytes();
                complain(&[b"cannot read: ", name.to_bytes(), b": ", message, b"\n"]);
                return FAILURE;
            }
            opened => opened,
        };
        loop {
            match fd.and_then(|fd| tiny::read_chunk(fd, input)) {
                Ok([]) => break,
                Ok(data) => all.extend(data),
                Err(e) => {
                    let message = e.message().as_bytes();
                    complain(&[b"read failed: ", name.to_bytes(), b": ", message, b"\n"]);
                    return FAILURE;
                }
            }
        }
        if all.as_slice().last().is_some_and(|&b| b != eol) {
            all.push(eol);
        }
        if let Ok(fd) = fd
            && fd != tiny::STDIN
        {
            let _ = tiny::close(fd);
        }
    }
    // the lines, each with its end (written with it, in one piece, as GNU writes a line)
    let all = all.as_slice();
    let mut lines = Grow::new();
    let mut rest = all;
    while let Some(end) = rest.iter().position(|&b| b == eol) {
        let (line, more) = rest.split_at_checked(end + 1).unwrap_or((rest, &[]));
        lines.push(line);
        rest = more;
    }
    let mut scratch = Grow::new();
    scratch.extend(lines.as_slice());
    let cmp = |a: &[u8], b: &[u8]| compare(flags, text(a), text(b));
    merge_sort(lines.as_mut_slice(), scratch.as_mut_slice(), &cmp);
    let mut out = Out {
        buf: output,
        len: 0,
        ready: false,
    };
    let mut last: Option<&[u8]> = None;
    for &line in lines.as_slice() {
        if flags & UNIQUE != 0 {
            if last.is_some_and(|last| cmp(last, line) == Ordering::Equal) {
                continue;
            }
            last = Some(line);
        }
        if let Err(e) = out.write(line) {
            write_failed(b"write", e);
        }
    }
    if let Err(e) = out.flush() {
        write_failed(b"fflush", e);
    }
    0
}
