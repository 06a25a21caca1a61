//! `uniq [-cdiuz] [INPUT [OUTPUT]]`: writes each line of the input once, where the same line
//! repeats on adjacent lines.
//!
//! As GNU uniq 9.1 in the C locale: lines are compared as bytes (`-i`: ASCII letters in any
//! case), without their newline (`-z`: NUL); `-c` starts each line with its count as
//! `printf("%7d ")`; `-d` writes only the lines that repeat, `-u` only those that do not
//! (both: none); a last line without its newline is a line, written with one. `INPUT` `-` or
//! none is standard input, `OUTPUT` `-` or none standard output; `OUTPUT` is created or
//! truncated. Errors as GNU's: `uniq: NAME: MESSAGE` for a file that cannot be opened (exit code
//! 1), `uniq: error reading 'NAME'` for a read error, `uniq: extra operand 'X'`, bad options;
//! a write error is reported at the end, as GNU's `close_stdout` does:
//! `uniq: write error: MESSAGE`, exit code 1.
//!
//! Lines are held on the heap (`Grow`, see `examples/common/grow.rs`): any length works; when
//! the heap is exhausted, `uniq: memory exhausted` as GNU's, exit code 1. What is to be written
//! goes out before each read, so that lines show as they come (`tail -f | uniq`).
//!
//! Not implemented: `-f N`, `-s N`, `-w N`, `-D` and `--group` (bad options here), long
//! options, and GNU's quoting of file names that need it in messages.
#![no_std]
#![no_main]

extern crate alloc;

#[path = "../../common/grow.rs"]
mod grow;

use grow::Grow;

use tiny::opt::Options;
use tiny::{Errno, Fd, STDERR, STDOUT, ZStr, write_all};

/// The exit code when the heap is exhausted.
const OUT_OF_MEMORY: u8 = 1;

/// The option letters, in the order of their bits in [`Options::flags`].
const LETTERS: &core::ffi::CStr = c"cdiuz";
const COUNT: u32 = 1;
const REPEATED: u32 = 2;
const IGNORE_CASE: u32 = 4;
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

/// The output, through a buffer; the first write error ends the writing, and is reported
/// at the end.
struct Out {
    fd: Fd,
    buf: &'static mut [u8],
    len: usize,
    error: Option<Errno>,
}

impl Out {
    fn put(&mut self, data: &[u8]) {
        if data.len() > self.buf.len() - self.len {
            self.flush();
            if data.len() > self.buf.len() {
                if self.error.is_none() {
                    self.error = write_all(self.fd, data).err();
                }
                return;
            }
        }
        let free = self.buf.get_mut(self.len..).unwrap_or_default();
        for (slot, &b) in free.iter_mut().zip(data) {
            *slot = b;
        }
        self.len += data.len();
    }

    fn flush(&mut self) {
        let filled = self.buf.get(..self.len).unwrap_or_default();
        if self.error.is_none() && !filled.is_empty() {
            self.error = write_all(self.fd, filled).err();
        }
        self.len = 0;
    }

    /// Writes the line `line` seen `count` times, if the options show it.
    fn line(&mut self, flags: u32, line: &[u8], count: u64) {
        let repeated = count > 1;
        let show = if repeated {
            flags & UNIQUE == 0
        } else {
            flags & REPEATED == 0
        };
        if !show {
            return;
        }
        if flags & COUNT != 0 {
            // `%7d `: the count right-aligned in 7 columns (at most 20 digits)
            let mut digits = [b' '; 20];
            let mut at = digits.len();
            let mut n = count;
            loop {
                at -= 1;
                if let Some(d) = digits.get_mut(at) {
                    *d = b'0' + (n % 10) as u8;
                }
                n /= 10;
                if n == 0 {
                    break;
                }
            }
            self.put(digits.get(at.min(20 - 7)..).unwrap_or_default());
            self.put(b" ");
        }
        self.put(line);
        self.put(if flags & ZERO != 0 { b"\0" } else { b"\n" });
    }
}

/// Creates (or truncates) the output file `name`, open until the program ends.
fn create(name: ZStr) -> Result<Fd, Errno> {
    let file = tiny::fs::File::create(name)?;
    let fd = file.fd();
    core::mem::forget(file);
    Ok(fd)
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let (buf_in, output) = buf.split_at_mut(tiny::BUFFER_SIZE / 2);
    let mut opts = Options::new(LETTERS);
    let dash = ZStr::new(c"-");
    let in_name = opts.next().unwrap_or(dash);
    let out_name = opts.next().unwrap_or(dash);
    if let Some(extra) = opts.next() {
        complain(&[b"extra operand '", extra.to_bytes(), b"'\n"]);
        let _ = write_all(STDERR, b"Try '");
        let _ = write_all(STDERR, tiny::args().next().unwrap_or_default());
        let _ = write_all(STDERR, b" --help' for more information.\n");
        return 1;
    }
    // the options after the operands too
    while opts.next().is_some() {}
    let flags = opts.flags();
    // Windows does not open a directory, where Linux opens it and fails the first read:
    // that error waits for the read, as on Linux
    let input = tiny::opt::open(in_name);
    if let Err(e) = input
        && !(cfg!(windows) && e == Errno::ISDIR)
    {
        tiny::error(in_name, e);
        return 1;
    }
    let out_fd = if out_name.is_dash() {
        STDOUT
    } else {
        match create(out_name) {
            Ok(fd) => fd,
            Err(e) => {
                tiny::error(out_name, e);
                return 1;
            }
        }
    };
    let mut out = Out {
        fd: out_fd,
        buf: output,
        len: 0,
        error: None,
    };
    let eol = if flags & ZERO != 0 { 0 } else { b'\n' };
    let same = |a: &[u8], b: &[u8]| {
        if flags & IGNORE_CASE != 0 {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    // the line before, and how many times it came; the line being read
    let (mut prev, mut count) = (Grow::new(), 0u64);
    let mut line = Grow::new();
    let mut ended = false;
    loop {
        // what is written so far goes out before a read that may wait (`tail -f | uniq`
        // shows lines as they come, as GNU's line-buffered output to a terminal does)
        out.flush();
        if out.error.is_some() {
            break;
        }
        let data = match input.and_then(|fd| tiny::read_chunk(fd, buf_in)) {
            Ok(data) => data,
            Err(_) => {
                out.flush();
                let name = in_name.to_bytes();
                complain(&[b"error reading '", name, b"'\n"]);
                return 1;
            }
        };
        ended = data.is_empty();
        let mut rest = data;
        loop {
            let (piece, more) = match rest.iter().position(|&b| b == eol) {
                Some(end) => (rest.get(..end), rest.get(end + 1..)),
                // the end of the input ends the last line
                None if ended && !line.is_empty() => (Some(&[][..]), Some(&[][..])),
                None => {
                    line.extend(rest);
                    break;
                }
            };
            line.extend(piece.unwrap_or_default());
            rest = more.unwrap_or_default();
            if count != 0 && same(prev.as_slice(), line.as_slice()) {
                count += 1;
            } else {
                if count != 0 {
                    out.line(flags, prev.as_slice(), count);
                }
                core::mem::swap(&mut prev, &mut line);
                count = 1;
            }
            line.clear();
            if ended {
                break;
            }
        }
        if ended {
            break;
        }
    }
    if ended && count != 0 {
        out.line(flags, prev.as_slice(), count);
    }
    out.flush();
    if let Some(e) = out.error {
        complain(&[b"write error: ", e.message().as_bytes(), b"\n"]);
        return 1;
    }
    0
}
