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

use tiny::{
    Args, BUFFER_SIZE, Fd, STDERR, STDIN, STDOUT, ZStr, error, read_chunk, write_all, write_z,
};

/// Lines, words and bytes.
type Counts = [usize; 3];

/// A walk over the arguments that yields the files and reads the options.
struct Walk {
    args: Args,
    /// Before `--`.
    options: bool,
    /// What to print: bit `i` selects `Counts[i]`.
    show: u32,
}

impl Walk {
    fn new() -> Walk {
        Walk {
            args: tiny::operands(),
            options: true,
            show: 0,
        }
    }

    /// The next file argument. Options are read on the way; a bad one ends the program with
    /// GNU's message and exit code 1.
    #[inline(never)]
    fn next(&mut self) -> Option<ZStr> {
        loop {
            let arg = self.args.next_z()?;
            if self.options
                && let Some((b'-', mut flags)) = arg.split_first()
                && !flags.is_empty()
            {
                let (what, bad): (&[u8], &[u8]) = loop {
                    let Some((flag, more)) = flags.split_first() else {
                        break (b"", b"");
                    };
                    self.show |= match flag {
                        b'l' => 1,
                        b'w' => 2,
                        b'c' => 4,
                        b'-' if flags.as_ptr() == arg.as_ptr().wrapping_add(1) => {
                            if more.is_empty() {
                                self.options = false;
                                break (b"", b"");
                            }
                            break (b": unrecognized option '", arg.to_bytes());
                        }
                        _ => {
                            let rest = flags.to_bytes();
                            break (b": invalid option -- '", rest.get(..1).unwrap_or_default());
                        }
                    };
                    flags = more;
                };
                if !what.is_empty() {
                    let prog = tiny::args().next_z().unwrap_or(ZStr::new(c"wc"));
                    let _ = write_z(STDERR, prog);
                    let _ = write_all(STDERR, what);
                    let _ = write_all(STDERR, bad);
                    let _ = write_all(STDERR, b"'\nTry '");
                    let _ = write_z(STDERR, prog);
                    let _ = write_all(STDERR, b" --help' for more information.\n");
                    tiny::exit(1);
                }
                continue;
            }
            return Some(arg);
        }
    }
}

/// Opens `name` (`-` is standard input).
#[inline(always)]
fn open(name: ZStr) -> Result<Fd, tiny::Errno> {
    if name.is_dash() {
        Ok(STDIN)
    } else {
        tiny::open_z(name)
    }
}

/// Closes `fd` unless it is standard input.
#[inline(always)]
fn close(fd: Fd) {
    if fd != STDIN {
        let _ = tiny::close(fd);
    }
}

/// Writes `n` right-aligned in `width` columns into `buf`, ending before `at`; returns where
/// it starts. `at` must be at least `max(width, 20)` (the digits of any `usize`).
#[inline(never)]
fn put_number(buf: &mut [u8; BUFFER_SIZE], mut at: usize, mut n: usize, width: usize) -> usize {
    let end = at;
    loop {
        at -= 1;
        // SAFETY: `at` stays inside `buf` (the caller's bound).
        *unsafe { buf.get_unchecked_mut(at) } = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    while end - at < width {
        at -= 1;
        // SAFETY: as above.
        *unsafe { buf.get_unchecked_mut(at) } = b' ';
    }
    at
}

/// The output: which counts, how wide, the running total, the exit code.
struct Report {
    show: u32,
    width: usize,
    min: usize,
    size: usize,
    total: Counts,
    status: u8,
}

impl Report {
    /// One input: on the first walk its size is added up, on the second it is counted and
    /// its line printed (`shown`: the name printed, `None` for standard input when no file
    /// was named).
    #[inline(never)]
    fn input(
        &mut self,
        second: bool,
        name: ZStr,
        shown: Option<ZStr>,
        buf: &mut [u8; BUFFER_SIZE],
    ) {
        let fd = match open(name) {
            Ok(fd) => fd,
            Err(e) => {
                // GNU leaves out what it cannot open or stat
                if second {
                    error(name, e);
                    self.status = 1;
                }
                return;
            }
        };
        if !second {
            match tiny::file_size(fd) {
                Ok(Some(n)) => self.size += n as usize,
                Ok(None) => self.min = 7,
                Err(_) => {}
            }
        } else {
            let [mut lines, mut words, mut bytes] = [0usize; 3];
            let mut in_word = false;
            loop {
                let data = match read_chunk(fd, buf) {
                    Ok([]) => break,
                    Ok(data) => data,
                    Err(e) => {
                        error(name, e);
                        self.status = 1;
                        break;
                    }
                };
                bytes += data.len();
                for &b in data {
                    lines += usize::from(b == b'\n');
                    // space: ' ', '\t', '\n', '\v', '\f', '\r'; printable: '!'..='~'
                    if b == b' ' || b.wrapping_sub(b'\t') < 5 {
                        in_word = false;
                    } else if b.wrapping_sub(b'!') < 94 {
                        words += usize::from(!in_word);
                        in_word = true;
                    }
                }
            }
            self.line(&[lines, words, bytes], shown, buf);
            self.total[0] += lines;
            self.total[1] += words;
            self.total[2] += bytes;
        }
        close(fd);
    }

    /// Writes one output line: the selected counts right-aligned in `width` columns,
    /// separated by spaces, then the name.
    #[inline(never)]
    fn line(&self, c: &Counts, name: Option<ZStr>, buf: &mut [u8; BUFFER_SIZE]) {
        let mut at = BUFFER_SIZE;
        for i in (0..3).rev() {
            if self.show >> i & 1 != 0 {
                at = put_number(buf, at, c[i], self.width) - 1;
                // SAFETY: `at` stays above `BUFFER_SIZE - 3 * 21`: a count takes at most 20
                // columns (`width` is a digit count too, at most 20), then one separator.
                *unsafe { buf.get_unchecked_mut(at) } = b' ';
            }
        }
        let _ = write_all(STDOUT, buf.get(at + 1..).unwrap_or_default());
        if let Some(name) = name {
            let _ = write_all(STDOUT, b" ");
            let _ = write_z(STDOUT, name);
        }
        let _ = write_all(STDOUT, b"\n");
    }
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let mut report = Report {
        show: 0,
        width: 1,
        min: 1,
        size: 0,
        total: [0; 3],
        status: 0,
    };
    let mut nfiles = 0;
    // Two walks over the arguments: the first reads the options and finds the column width
    // (see the crate documentation), the second counts and prints.
    for second in [false, true] {
        let mut walk = Walk::new();
        let mut implicit = true;
        loop {
            let (name, shown) = match walk.next() {
                Some(name) => {
                    if !second {
                        nfiles += 1;
                    }
                    (name, Some(name))
                }
                None if implicit && nfiles == 0 => (ZStr::new(c"-"), None),
                None => break,
            };
            implicit = false;
            report.input(second, name, shown, buf);
        }
        if !second {
            let mut show = walk.show;
            if show == 0 {
                show = 7;
            }
            report.show = show;
            if nfiles > 1 || show & (show - 1) != 0 {
                report.width = BUFFER_SIZE - put_number(buf, BUFFER_SIZE, report.size, report.min);
            }
        }
    }
    if nfiles > 1 {
        let total = report.total;
        report.line(&total, Some(ZStr::new(c"total")), buf);
    }
    report.status
}
