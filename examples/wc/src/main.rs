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
    Args, BUFFER_SIZE, Errno, Fd, STDERR, STDIN, STDOUT, ZStr, error, read_chunk, write_all,
    write_z,
};

/// Lines, words and bytes.
type Counts = [u64; 3];

/// What to print: bit `i` selects `Counts[i]`.
type Show = u32;

/// Reads `fd` to its end through `buf`, adding to `c`.
fn count(fd: Fd, c: &mut Counts, buf: &mut [u8]) -> Result<(), Errno> {
    let [mut lines, mut words, mut bytes] = *c;
    let mut in_word = false;
    let result = loop {
        let data = match read_chunk(fd, buf) {
            Ok([]) => break Ok(()),
            Ok(data) => data,
            Err(e) => break Err(e),
        };
        bytes += data.len() as u64;
        for &b in data {
            lines += u64::from(b == b'\n');
            // space: ' ', '\t', '\n', '\v', '\f', '\r'; printable: '!'..='~'
            if b == b' ' || b.wrapping_sub(b'\t') < 5 {
                in_word = false;
            } else if b.wrapping_sub(b'!') < 94 {
                words += u64::from(!in_word);
                in_word = true;
            }
        }
    };
    *c = [lines, words, bytes];
    result
}

/// The number of decimal digits of `n`.
fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// The next file argument: every argument except options before `--` (which `main` has
/// checked already).
fn next_file(args: &mut Args, options: &mut bool) -> Option<ZStr> {
    loop {
        let arg = args.next_z()?;
        if *options && let Some((b'-', flags)) = arg.split_first() {
            if let Some((b'-', rest)) = flags.split_first()
                && rest.is_empty()
            {
                *options = false;
            }
            if !flags.is_empty() {
                continue;
            }
        }
        return Some(arg);
    }
}

/// Opens `name` (`-` is standard input).
#[inline(always)]
fn open(name: ZStr) -> Result<Fd, Errno> {
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

/// The output: which counts, how wide, the running total, the exit code.
struct Report {
    show: Show,
    width: usize,
    total: Counts,
    status: u8,
}

impl Report {
    /// Counts one input and prints its line (`shown`: the name printed, `None` for standard
    /// input when no file was named), adding to the total.
    fn input(&mut self, name: ZStr, shown: Option<ZStr>, buf: &mut [u8; BUFFER_SIZE]) {
        let fd = match open(name) {
            Ok(fd) => fd,
            Err(e) => {
                error(name, e);
                self.status = 1;
                return;
            }
        };
        let mut c = Counts::default();
        if let Err(e) = count(fd, &mut c, buf) {
            error(name, e);
            self.status = 1;
        }
        close(fd);
        self.line(&c, shown, buf);
        self.total[0] += c[0];
        self.total[1] += c[1];
        self.total[2] += c[2];
    }

    /// Writes one output line, formatted at the end of `buf`: the selected counts
    /// right-aligned in `width` columns, separated by spaces, then the name.
    fn line(&self, c: &Counts, name: Option<ZStr>, buf: &mut [u8; BUFFER_SIZE]) {
        let mut at = buf.len();
        for (&n, bit) in c.iter().rev().zip([4, 2, 1]) {
            if self.show & bit == 0 {
                continue;
            }
            let mut x = n;
            let end = at;
            // `at` stays above `BUFFER_SIZE - 3 * 21`: a count takes at most 20 columns
            // (`width` is a digit count too, at most 20), then one separator.
            loop {
                at -= 1;
                // SAFETY: `at` is inside `buf` (see above).
                *unsafe { buf.get_unchecked_mut(at) } = b'0' + (x % 10) as u8;
                x /= 10;
                if x == 0 {
                    break;
                }
            }
            let start = end - self.width;
            while at > start {
                at -= 1;
                // SAFETY: `at` is inside `buf` (see above).
                *unsafe { buf.get_unchecked_mut(at) } = b' ';
            }
            at -= 1;
            // SAFETY: `at` is inside `buf` (see above).
            *unsafe { buf.get_unchecked_mut(at) } = b' ';
        }
        let _ = write_all(STDOUT, buf.get(at + 1..).unwrap_or_default());
        if let Some(name) = name {
            let _ = write_all(STDOUT, b" ");
            let _ = write_z(STDOUT, name);
        }
        let _ = write_all(STDOUT, b"\n");
    }
}

/// Writes `prog` `what` `arg` and GNU's hint after a bad option; exit code 1.
fn usage(prog: ZStr, what: &[u8], arg: &[u8]) -> u8 {
    let _ = write_z(STDERR, prog);
    let _ = write_all(STDERR, what);
    let _ = write_all(STDERR, arg);
    let _ = write_all(STDERR, b"'\nTry '");
    let _ = write_z(STDERR, prog);
    let _ = write_all(STDERR, b" --help' for more information.\n");
    1
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let mut args = tiny::args();
    let prog = args.next_z().unwrap_or(ZStr::new(c"wc"));

    // Options, anywhere before `--`; the files are counted.
    let mut show: Show = 0;
    let mut nfiles = 0;
    let mut options = true;
    let mut rest = args.clone();
    while let Some(arg) = rest.next_z() {
        if options && let Some((b'-', mut flags)) = arg.split_first() {
            if let Some((b'-', long)) = flags.split_first() {
                if long.is_empty() {
                    options = false;
                    continue;
                }
                return usage(prog, b": unrecognized option '", arg.to_bytes());
            }
            while let Some((flag, more)) = flags.split_first() {
                show |= match flag {
                    b'l' => 1,
                    b'w' => 2,
                    b'c' => 4,
                    _ => return usage(prog, b": invalid option -- '", &[flag]),
                };
                flags = more;
            }
            if !arg.is_dash() {
                continue;
            }
        }
        nfiles += 1;
    }
    if show == 0 {
        show = 7;
    }

    // Column width (see the crate documentation).
    let width = if nfiles <= 1 && show.count_ones() == 1 {
        1
    } else {
        let mut min = 1;
        let mut size = 0;
        let mut files = args.clone();
        let mut options = true;
        let mut name = if nfiles == 0 {
            Some(ZStr::new(c"-"))
        } else {
            next_file(&mut files, &mut options)
        };
        while let Some(file) = name {
            // GNU leaves out what it cannot open or stat
            if let Ok(fd) = open(file) {
                match tiny::file_size(fd) {
                    Ok(Some(n)) => size += n,
                    Ok(None) => min = 7,
                    Err(_) => {}
                }
                close(fd);
            }
            name = next_file(&mut files, &mut options);
        }
        digits(size).max(min)
    };

    let mut report = Report {
        show,
        width,
        total: Counts::default(),
        status: 0,
    };
    if nfiles == 0 {
        report.input(ZStr::new(c"-"), None, buf);
    }
    let mut options = true;
    while let Some(name) = next_file(&mut args, &mut options) {
        report.input(name, Some(name), buf);
    }
    if nfiles > 1 {
        let total = report.total;
        report.line(&total, Some(ZStr::new(c"total")), buf);
    }
    report.status
}
