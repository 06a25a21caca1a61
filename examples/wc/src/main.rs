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

use tiny::{Args, Errno, Fd, STDERR, STDIN, STDOUT, read, write_all};

/// The counts of one input.
#[derive(Clone, Copy, Default)]
struct Counts {
    lines: u64,
    words: u64,
    bytes: u64,
}

/// Writes `parts` to standard error.
fn eprint(parts: &[&[u8]]) {
    for part in parts {
        let _ = write_all(STDERR, part);
    }
}

/// `prog: name: message` for an open or read error.
fn report(prog: &[u8], name: &[u8], e: Errno) {
    let msg: &[u8] = match e {
        Errno::NOENT => b": No such file or directory\n",
        Errno::ISDIR => b": Is a directory\n",
        Errno::ACCES => b": Permission denied\n",
        Errno::NOTDIR => b": Not a directory\n",
        _ => b": Input/output error\n",
    };
    eprint(&[prog, b": ", name, msg]);
}

/// Opens `name` (`-` is standard input).
fn open(name: &CStr) -> Result<Fd, Errno> {
    if name == c"-" {
        Ok(STDIN)
    } else {
        tiny::open_c_str(name)
    }
}

/// Reads `fd` to its end through `buf`, adding to `c`.
fn count(fd: Fd, c: &mut Counts, buf: &mut [u8]) -> Result<(), Errno> {
    let mut in_word = false;
    loop {
        let n = read(fd, buf)?;
        if n == 0 {
            return Ok(());
        }
        c.bytes += n as u64;
        for &b in buf.iter().take(n) {
            match b {
                b'\n' => {
                    c.lines += 1;
                    in_word = false;
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => in_word = false,
                b'!'..=b'~' => {
                    c.words += u64::from(!in_word);
                    in_word = true;
                }
                _ => {}
            }
        }
    }
}

/// The file arguments: every argument after the program name except options before `--`.
#[derive(Clone)]
struct Files {
    args: Args,
    options: bool,
}

impl Iterator for Files {
    type Item = &'static CStr;
    fn next(&mut self) -> Option<&'static CStr> {
        loop {
            let arg = self.args.next_c_str()?;
            let bytes = arg.to_bytes();
            if self.options && bytes.len() > 1 && bytes.first() == Some(&b'-') {
                self.options &= bytes != b"--";
                continue;
            }
            return Some(arg);
        }
    }
}

/// Writes one output line: the selected counts right-aligned in `width` columns, then the name.
fn line(c: &Counts, show: [bool; 3], width: usize, name: Option<&[u8]>) {
    let mut out = [b' '; 3 * 21];
    let mut end = 0;
    for (n, on) in [c.lines, c.words, c.bytes].into_iter().zip(show) {
        if !on {
            continue;
        }
        if end != 0 {
            end += 1; // the separating space
        }
        let digits = {
            let mut d = 1;
            let mut x = n;
            while x >= 10 {
                x /= 10;
                d += 1;
            }
            d
        };
        end += width.max(digits);
        let mut x = n;
        for slot in out.iter_mut().take(end).rev().take(digits) {
            *slot = b'0' + (x % 10) as u8;
            x /= 10;
        }
    }
    let _ = write_all(STDOUT, out.get(..end).unwrap_or_default());
    if let Some(name) = name {
        let _ = write_all(STDOUT, b" ");
        let _ = write_all(STDOUT, name);
    }
    let _ = write_all(STDOUT, b"\n");
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let mut args = tiny::args();
    let prog = args.next().unwrap_or_default();

    // Options, anywhere before `--`.
    let mut show = [false; 3];
    for arg in args.clone() {
        if arg == b"--" {
            break;
        }
        if let [b'-', b'-', ..] = arg {
            eprint(&[prog, b": unrecognized option '", arg, b"'\n"]);
            return usage(prog);
        }
        if let [b'-', flags @ ..] = arg {
            for flag in flags {
                match flag {
                    b'l' => show[0] = true,
                    b'w' => show[1] = true,
                    b'c' => show[2] = true,
                    _ => {
                        eprint(&[
                            prog,
                            b": invalid option -- '",
                            core::slice::from_ref(flag),
                            b"'\n",
                        ]);
                        return usage(prog);
                    }
                }
            }
        }
    }
    if show == [false; 3] {
        show = [true; 3];
    }
    let files = Files {
        args,
        options: true,
    };
    let nfiles = files.clone().count();

    // Column width (see the crate documentation).
    let width = if nfiles <= 1 && show.iter().filter(|&&s| s).count() == 1 {
        1
    } else {
        let mut min = 1;
        let mut size = 0u64;
        let mut measure = |fd: Fd| match tiny::file_size(fd) {
            Ok(Some(n)) => size += n,
            Ok(None) => min = 7,
            Err(_) => {}
        };
        if nfiles == 0 {
            measure(STDIN);
        }
        for name in files.clone() {
            if name == c"-" {
                measure(STDIN);
            } else if let Ok(fd) = tiny::open_c_str(name) {
                // GNU leaves out what it cannot stat
                measure(fd);
                let _ = tiny::close(fd);
            }
        }
        let mut digits = 1;
        while size >= 10 {
            size /= 10;
            digits += 1;
        }
        digits.max(min)
    };

    let mut status = 0;
    let mut total = Counts::default();
    let mut each = |name: &CStr, shown: Option<&[u8]>| {
        let fd = match open(name) {
            Ok(fd) => fd,
            Err(e) => {
                report(prog, name.to_bytes(), e);
                status = 1;
                return;
            }
        };
        let mut c = Counts::default();
        if let Err(e) = count(fd, &mut c, buf) {
            report(prog, name.to_bytes(), e);
            status = 1;
        }
        if fd != STDIN {
            let _ = tiny::close(fd);
        }
        line(&c, show, width, shown);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    };
    if nfiles == 0 {
        each(c"-", None);
    }
    for name in files {
        each(name, Some(name.to_bytes()));
    }
    if nfiles > 1 {
        line(&total, show, width, Some(b"total"));
    }
    status
}

/// GNU's hint after a bad option; exit code 1.
fn usage(prog: &[u8]) -> u8 {
    eprint(&[b"Try '", prog, b" --help' for more information.\n"]);
    1
}
