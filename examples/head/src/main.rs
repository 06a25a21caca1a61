//! `head [-n [-]N] [-c [-]N] [-qvz] [FILE]...`: the first 10 lines (or N lines, or N bytes) of
//! each file, standard input for `-` or when there are none.
//!
//! As GNU head 9.1 in the C locale:
//!
//! - options anywhere before `--`, grouped or not, with their value attached (`-n5`) or as the
//!   next argument; the last `-n`/`-c` wins; the old form `-N[bcklqvz]` as the first argument
//!   (`head -5`); a number may end with GNU's suffixes (`b` 512, `k`/`K` 1024, `m`/`M`, `G`,
//!   `T`, `P`, `E`, `Z`, `Y`, with `B` or `D` for powers of 1000 and `iB` for powers of 1024);
//! - `-n -N` and `-c -N`: all but the last N lines or bytes (the input is read into the heap,
//!   `Grow` of `examples/common/grow.rs`; when it is exhausted, `head: memory exhausted`);
//! - with several files, each starts with `==> NAME <==` and the ones after the first with an
//!   empty line (`-q`: never, `-v`: always); `-z`: lines end with NUL;
//! - a file that cannot be opened or read gives GNU's message (`cannot open 'NAME' for
//!   reading: …`, `error reading 'NAME': …`), the other files are still read, and the exit
//!   code is 1; a bad option or number gives GNU's message and exit code 1;
//! - standard output is buffered as glibc's stdio buffers it (4096 bytes), so that a write
//!   error is reported with the words GNU head uses at that point: `error writing 'standard
//!   output': …` when a write during the copy fails, `write error: …` when the last flush
//!   does (without the reason when nothing was left and a flush before an error message
//!   failed); exit code 1 either way; the input is read 8 KiB a time, as GNU reads it; what
//!   is to be written also goes out before each read, so that lines show as they come (a
//!   failure then is reported where glibc's buffer would have met it);
//! - after the last line, a seekable input is left right after it (Linux), so that
//!   `(head -n 1; cat) < file` works as with GNU head.
//!
//! Not implemented: long options (`--lines=N`: an unrecognized option here), `POSIXLY_CORRECT`
//! (options stop at the first operand with it), and GNU's quoting of names and numbers that
//! hold quotes or control characters (printed between plain `'`s here).
#![no_std]
#![no_main]

extern crate alloc;

#[path = "../../common/grow.rs"]
mod grow;

use grow::Grow;

use tiny::{Args, Errno, Fd, STDERR, STDIN, STDOUT, ZStr, write_all};

/// The exit code when the heap is exhausted (`head: memory exhausted`).
const OUT_OF_MEMORY: u8 = 1;

/// The size of GNU head's reads (`BUFSIZ`).
const CHUNK: usize = 8192;

/// The size of glibc's buffer for standard output (the `st_blksize` of files, pipes and
/// `/dev/full`).
const BLOCK: usize = 4096;

/// GNU's texts.
const HELP: &[u8] = b" --help' for more information.\n";
const TOO_LARGE: &[u8] = b": Value too large for defined data type";

/// Writes `PROG: ` and `parts` to standard error (errors ignored).
fn complain(parts: &[&[u8]]) {
    let _ = write_all(STDERR, tiny::args().next().unwrap_or_default());
    let _ = write_all(STDERR, b": ");
    for part in parts {
        let _ = write_all(STDERR, part);
    }
}

/// A bad option: `PROG: ` and `parts` (the line), GNU's hint, exit code 1.
#[cold]
fn usage(parts: &[&[u8]]) -> ! {
    complain(parts);
    let _ = write_all(STDERR, b"Try '");
    let _ = write_all(STDERR, tiny::args().next().unwrap_or_default());
    let _ = write_all(STDERR, HELP);
    tiny::exit(1)
}

/// What the options ask for.
struct Config {
    /// How many lines or bytes.
    n: u64,
    /// Lines (`-n`), else bytes (`-c`).
    lines: bool,
    /// All but the last `n`.
    elide: bool,
    /// 0: headers when there are several files; 1: never (`-q`); 2: always (`-v`).
    headers: u8,
    /// The end of a line.
    eol: u8,
}

/// The number `text` of lines or bytes, as GNU's `xdectoumax` with head's suffixes reads it;
/// `Err(true)` when it does not fit in 64 bits, `Err(false)` when it is not a number.
fn number(text: &[u8]) -> Result<u64, bool> {
    let mut rest = text;
    while let Some((b' ' | b'\t'..=b'\r', more)) = rest.split_first() {
        rest = more;
    }
    match rest.split_first() {
        Some((b'-', _)) => return Err(false),
        Some((b'+', more)) => rest = more,
        _ => {}
    }
    let mut n: Option<u64> = Some(0);
    let mut digits = false;
    while let Some((&d @ b'0'..=b'9', more)) = rest.split_first() {
        n = n
            .and_then(|n| n.checked_mul(10))
            .and_then(|n| n.checked_add(u64::from(d - b'0')));
        digits = true;
        rest = more;
    }
    if !digits {
        // only a suffix alone stands for 1 of its unit (`k`: 1024)
        if rest.len() != text.len() || rest.is_empty() {
            return Err(false);
        }
        n = Some(1);
    }
    if let Some((&unit, more)) = rest.split_first() {
        let power = b"bkKmMGTPEZY"
            .iter()
            .position(|&u| u == unit)
            .ok_or(false)?;
        rest = more;
        let mut base = 1024u64;
        match rest {
            [b'i', b'B', more @ ..] => rest = more,
            [b'B' | b'D', more @ ..] => {
                base = 1000;
                rest = more;
            }
            _ => {}
        }
        if !rest.is_empty() {
            return Err(false);
        }
        // b: 512; k, K: base; m, M: base²; G: base³; … Y: base⁸
        let (factor, times) = match power {
            0 => (512, 1),
            1..=4 => (base, power.div_ceil(2)),
            _ => (base, power - 2),
        };
        for _ in 0..times {
            n = n.and_then(|n| n.checked_mul(factor));
        }
    }
    n.ok_or(true)
}

/// Sets `-n`/`-c` (`letter`) to `value`, or ends the program with GNU's message.
fn set_count(cfg: &mut Config, letter: u8, value: &[u8]) {
    cfg.lines = letter != b'c';
    let mut value = value;
    cfg.elide = false;
    if let Some((b'-', more)) = value.split_first() {
        cfg.elide = true;
        value = more;
    }
    match number(value) {
        Ok(n) => cfg.n = n,
        Err(overflow) => {
            let what: &[u8] = if cfg.lines { b"lines" } else { b"bytes" };
            let reason: &[u8] = if overflow { TOO_LARGE } else { b"" };
            complain(&[
                b"invalid number of ",
                what,
                b": '",
                value,
                b"'",
                reason,
                b"\n",
            ]);
            tiny::exit(1);
        }
    }
}

/// The walk over the arguments: the options, and the operands between them.
#[derive(Clone)]
struct Walk {
    args: Args,
    /// `--` has been seen.
    done: bool,
}

impl Walk {
    /// The next operand; the options before it are applied to `cfg` when `apply` (the first
    /// walk, which also ends the program on a bad one).
    fn next(&mut self, cfg: &mut Config, apply: bool) -> Option<ZStr> {
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
                match letter {
                    b'c' | b'n' => {
                        let value = match more.is_empty() {
                            false => more,
                            true => match self.args.next_z() {
                                Some(value) => value,
                                None => {
                                    usage(&[b"option requires an argument -- '", &[letter], b"'\n"])
                                }
                            },
                        };
                        if apply {
                            set_count(cfg, letter, value.to_bytes());
                        }
                        break;
                    }
                    b'q' => cfg.headers = 1,
                    b'v' => cfg.headers = 2,
                    b'z' => cfg.eol = 0,
                    b'0'..=b'9' => usage(&[b"invalid trailing option -- ", &[letter], b"\n"]),
                    _ => usage(&[b"invalid option -- '", &[letter], b"'\n"]),
                }
                rest = more;
            }
        }
    }
}

/// Standard output, buffered as glibc buffers a stream to a file or a pipe (see the crate
/// documentation): what a write error is reported as depends on it. What the buffer holds is
/// also written early, before each read that may wait, so that lines show as they come; a
/// failure then is kept and reported where glibc's buffer would have met it.
struct Out {
    buf: &'static mut [u8],
    len: usize,
    /// The buffer is in use (glibc sets it up on the first write, with nothing in it).
    ready: bool,
    /// The bytes of the buffer written early.
    sent: usize,
    /// Output that failed: an early write, or the flush of an error message.
    failed: Option<Errno>,
    /// The stream's error flag, as glibc sets it: a flush before an error message failed.
    flagged: bool,
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
            self.send(direct)?;
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

    /// Writes `data`, unless the output failed already.
    fn send(&self, data: &[u8]) -> Result<(), Errno> {
        match self.failed {
            Some(e) => Err(e),
            None if data.is_empty() => Ok(()),
            None => write_all(STDOUT, data),
        }
    }

    /// Writes what the buffer holds and was not written early; empties it.
    fn flush(&mut self) -> Result<(), Errno> {
        let pending = self.buf.get(self.sent..self.len).unwrap_or_default();
        let result = self.send(pending);
        (self.len, self.sent) = (0, 0);
        result
    }

    /// Writes what the buffer holds early (before a read), keeping it in the buffer.
    fn sync(&mut self) {
        let pending = self.buf.get(self.sent..self.len).unwrap_or_default();
        if let Err(e) = self.send(pending) {
            self.failed = Some(e);
        }
        self.sent = self.len;
    }

    /// An error message (see [`complain`]), after what the buffer holds, as glibc's `error`
    /// flushes standard output first (a failure sets the stream's error flag).
    fn complain(&mut self, parts: &[&[u8]]) {
        if let Err(e) = self.flush() {
            self.failed = Some(e);
            self.flagged = true;
        }
        complain(parts);
    }

    /// [`write`](Out::write), ending the program as GNU head ends on a write error.
    fn put(&mut self, data: &[u8]) {
        if let Err(e) = self.write(data) {
            complain(&[
                b"error writing 'standard output': ",
                e.message().as_bytes(),
                b"\n",
            ]);
            tiny::exit(1);
        }
    }

    /// The end, as GNU's `close_stdout`: what the buffer holds is written; a failure is
    /// `write error: …` with its reason, or without one when the buffer held nothing and an
    /// earlier flush failed. Returns whether the output is intact.
    fn close(&mut self) -> bool {
        let pending = self.len != 0;
        match self.flush() {
            Err(e) if pending => {
                complain(&[b"write error: ", e.message().as_bytes(), b"\n"]);
                false
            }
            _ if self.flagged => {
                complain(&[b"write error\n"]);
                false
            }
            _ => true,
        }
    }
}

/// Reads from `fd` into `buf`; `Err` after reporting a read error.
fn read(fd: Fd, buf: &mut [u8], name: &[u8], out: &mut Out) -> Result<usize, ()> {
    out.sync();
    tiny::read(fd, buf).map_err(|e| {
        out.complain(&[
            b"error reading '",
            name,
            b"': ",
            e.message().as_bytes(),
            b"\n",
        ]);
    })
}

/// Copies the part of `fd` that `cfg` asks for to `out`; `Err` after a read error.
fn head(fd: Fd, name: &[u8], cfg: &Config, out: &mut Out, buf: &mut [u8]) -> Result<(), ()> {
    let mut left = cfg.n;
    if cfg.elide {
        return elide(fd, name, cfg, out, buf);
    }
    while left != 0 {
        let want = if !cfg.lines && left < CHUNK as u64 {
            left as usize
        } else {
            CHUNK
        };
        let chunk = buf.get_mut(..want).unwrap_or_default();
        let n = read(fd, chunk, name, out)?;
        let data = chunk.get(..n).unwrap_or_default();
        if data.is_empty() {
            break;
        }
        let mut take = data.len();
        if cfg.lines {
            for (i, &b) in data.iter().enumerate() {
                if b == cfg.eol {
                    left -= 1;
                    if left == 0 {
                        take = i + 1;
                        break;
                    }
                }
            }
            if left == 0 {
                // leave a seekable input right after the last line, as GNU head does
                #[cfg(target_os = "linux")]
                // SAFETY: `lseek` takes no pointer; its failure (a pipe) is ignored, as GNU
                // ignores it for what is not a regular file.
                unsafe {
                    tiny::syscall!(lseek, fd.0, take as isize - n as isize, tiny::sys::SEEK_CUR);
                }
            }
        } else {
            left -= n as u64;
        }
        out.put(data.get(..take).unwrap_or_default());
    }
    Ok(())
}

/// All but the last `cfg.n` lines or bytes of `fd`: the whole input is read into the heap.
fn elide(fd: Fd, name: &[u8], cfg: &Config, out: &mut Out, buf: &mut [u8]) -> Result<(), ()> {
    let mut all = Grow::new();
    loop {
        let chunk = buf.get_mut(..CHUNK).unwrap_or_default();
        let n = read(fd, chunk, name, out)?;
        if n == 0 {
            break;
        }
        all.extend(chunk.get(..n).unwrap_or_default());
    }
    let all = all.as_slice();
    let mut keep = all
        .len()
        .saturating_sub(usize::try_from(cfg.n).unwrap_or(usize::MAX));
    if cfg.lines {
        // the lines end at the line ends, and a last line without one ends at the end: what
        // is kept ends at the line end that ends the line before the last `n`, the
        // `target`-th line end from the back
        let partial = u64::from(all.last().is_some_and(|&b| b != cfg.eol));
        let target = cfg.n.saturating_add(1) - partial;
        keep = if target == 0 { all.len() } else { 0 };
        let mut seen = 0;
        for (i, &b) in all.iter().enumerate().rev() {
            if b == cfg.eol {
                seen += 1;
                if seen == target {
                    keep = i + 1;
                    break;
                }
            }
        }
    }
    out.put(all.get(..keep).unwrap_or_default());
    Ok(())
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let (chunk, rest) = buf.split_at_mut(CHUNK);
    let mut out = Out {
        buf: rest.get_mut(..BLOCK).unwrap_or_default(),
        len: 0,
        ready: false,
        sent: 0,
        failed: None,
        flagged: false,
    };
    let mut cfg = Config {
        n: 10,
        lines: true,
        elide: false,
        headers: 0,
        eol: b'\n',
    };
    let mut walk = Walk {
        args: tiny::operands(),
        done: false,
    };
    // the old form, `-N[bcklqvz]`, as the first argument
    let mut ahead = walk.args.clone();
    if let Some(first) = ahead.next_z()
        && let Some((b'-', digits @ [b'0'..=b'9', ..])) = first.to_bytes().split_first()
    {
        walk.args = ahead;
        let count = digits.iter().take_while(|d| d.is_ascii_digit()).count();
        let (number, letters) = digits.split_at_checked(count).unwrap_or((digits, &[]));
        let mut unit: &[u8] = b"";
        for &letter in letters {
            match letter {
                b'c' => (cfg.lines, unit) = (false, b""),
                b'b' | b'k' | b'm' => {
                    cfg.lines = false;
                    unit = match letter {
                        b'b' => b"b",
                        b'k' => b"k",
                        _ => b"m",
                    };
                }
                b'l' => cfg.lines = true,
                b'q' => cfg.headers = 1,
                b'v' => cfg.headers = 2,
                b'z' => cfg.eol = 0,
                _ => usage(&[b"invalid trailing option -- ", &[letter], b"\n"]),
            }
        }
        let scale: u64 = match unit {
            b"b" => 512,
            b"k" => 1024,
            b"m" => 1024 * 1024,
            _ => 1,
        };
        match self::number(number).ok().and_then(|n| n.checked_mul(scale)) {
            Some(n) => cfg.n = n,
            None => {
                let what: &[u8] = if cfg.lines { b"lines" } else { b"bytes" };
                complain(&[
                    b"invalid number of ",
                    what,
                    b": '",
                    number,
                    unit,
                    b"'",
                    TOO_LARGE,
                    b"\n",
                ]);
                tiny::exit(1);
            }
        }
    }
    // First walk: the options, and how many files there are.
    let start = walk.clone();
    let mut files = 0;
    while walk.next(&mut cfg, true).is_some() {
        files += 1;
    }
    if !cfg.lines && cfg.elide && cfg.n > i64::MAX as u64 {
        complain(&[b"invalid number of bytes: '"]);
        let _ = tiny::fmt::write_number(STDERR, cfg.n, 0);
        let _ = write_all(STDERR, b"'");
        let _ = write_all(STDERR, TOO_LARGE);
        let _ = write_all(STDERR, b"\n");
        return 1;
    }
    let headers = cfg.headers == 2 || cfg.headers == 0 && files > 1;
    // Second walk: the files.
    walk = start;
    let mut status = 0;
    let mut first = true;
    loop {
        let name = match walk.next(&mut cfg, false) {
            Some(name) => name,
            None if files == 0 => ZStr::new(c"-"),
            None => break,
        };
        files = 1;
        let shown: &[u8] = if name.is_dash() {
            b"standard input"
        } else {
            name.to_bytes()
        };
        // Windows does not open a directory, where Linux opens it and fails the first read:
        // that error waits for the read, as on Linux
        let opened = match tiny::opt::open(name) {
            Err(e) if !(cfg!(windows) && e == Errno::ISDIR) => {
                let message = e.message().as_bytes();
                out.complain(&[b"cannot open '", shown, b"' for reading: ", message, b"\n"]);
                status = 1;
                continue;
            }
            opened => opened,
        };
        if headers {
            out.put(if first { b"==> " } else { b"\n==> " });
            out.put(shown);
            out.put(b" <==\n");
        }
        first = false;
        match opened {
            Ok(fd) => {
                if head(fd, shown, &cfg, &mut out, chunk).is_err() {
                    status = 1;
                }
                if fd != STDIN {
                    let _ = tiny::close(fd);
                }
            }
            // (nothing is read for no lines or bytes)
            Err(e) if cfg.n != 0 || cfg.elide => {
                let message = e.message().as_bytes();
                out.complain(&[b"error reading '", shown, b"': ", message, b"\n"]);
                status = 1;
            }
            Err(_) => {}
        }
    }
    if !out.close() {
        return 1;
    }
    status
}
