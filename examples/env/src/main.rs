//! `env [-i0] [-u NAME]... [-] [NAME=VALUE]...`: prints the environment, one `NAME=VALUE` a
//! line, after the changes the arguments ask for.
//!
//! As GNU env 9.1 in the C locale, which changes its own `environ` with glibc's `unsetenv` and
//! `putenv` and prints it:
//!
//! - options up to the first operand (`+` in GNU's option string): `-i` (or a first operand
//!   `-`) starts from an empty environment, `-u NAME` leaves out every entry named `NAME`
//!   (an empty name or one with `=` is GNU's error: `cannot unset 'A=B': Invalid argument`,
//!   exit code 125), `-0` ends each entry with NUL instead of a newline; `--` ends them; a bad
//!   option is GNU's message and exit code 125;
//! - each `NAME=VALUE` operand replaces the first entry named `NAME`, in its place (a later
//!   entry with the same name stays), or is added at the end; the last one for a name wins;
//! - a write error is reported at the end as GNU's `close_stdout` does: `env: write error:
//!   MESSAGE`, exit code 125.
//!
//! Refused, with a message and exit code 125: running a command (`env NAME=VALUE COMMAND`,
//! which GNU runs), and GNU's options `-C DIR`, `-S STRING` and `-v` with a command (without
//! one, `-C` gives GNU's own message). Long options are not implemented (`--null` is an
//! unrecognized option here).
//!
//! On Windows the environment is the process's block as `tiny::env::vars` gives it (WTF-8),
//! and names are compared ignoring ASCII case, as Windows compares them.
#![no_std]
#![no_main]

use tiny::{Args, Errno, STDERR, STDOUT, write_all};

/// GNU env's exit code for its own failures (`EXIT_CANCELED`).
const CANCELED: u8 = 125;

/// Writes `PROG: ` and `parts` to standard error.
fn complain(parts: &[&[u8]]) {
    let _ = write_all(STDERR, tiny::args().next().unwrap_or_default());
    let _ = write_all(STDERR, b": ");
    for part in parts {
        let _ = write_all(STDERR, part);
    }
}

/// A bad use: `PROG: ` and `parts`, GNU's hint, exit code 125.
#[cold]
fn usage(parts: &[&[u8]]) -> ! {
    complain(parts);
    let _ = write_all(STDERR, b"Try '");
    let _ = write_all(STDERR, tiny::args().next().unwrap_or_default());
    let _ = write_all(STDERR, b" --help' for more information.\n");
    tiny::exit(CANCELED.into())
}

/// Whether two names are the same: bytes, or ASCII letters in any case on Windows.
fn same(a: &[u8], b: &[u8]) -> bool {
    if cfg!(windows) {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// The name of the entry `name[=value]` as glibc's `unsetenv` and `putenv` see it: up to
/// its first `=` (`eq`: it has one after what `tiny::env::vars` calls its name, which may
/// start with `=`); `None` without a `=`, which no name matches.
fn entry_name(name: &'static [u8], eq: bool) -> Option<&'static [u8]> {
    match name.iter().position(|&b| b == b'=') {
        Some(end) => name.get(..end),
        None => eq.then_some(name),
    }
}

/// The name of an operand `NAME=VALUE`: up to its first `=`.
fn key(op: &[u8]) -> &[u8] {
    let end = op.iter().position(|&b| b == b'=').unwrap_or(op.len());
    op.get(..end).unwrap_or_default()
}

/// Walks the options (GNU's `+C:iS:u:v0`: up to the first operand, or `--`), calling `f`
/// with each option letter and its value (empty for a flag); returns the walk at the first
/// operand. A bad option ends the program with GNU's message.
fn options(mut f: impl FnMut(u8, &'static [u8])) -> Args {
    let mut args = tiny::operands();
    loop {
        let mut ahead = args.clone();
        let Some(arg) = ahead.next_z() else {
            return args;
        };
        let Some((b'-', mut rest)) = arg.split_first() else {
            return args;
        };
        if rest.is_empty() {
            return args;
        }
        args = ahead;
        if let Some((b'-', long)) = rest.split_first() {
            if long.is_empty() {
                return args;
            }
            usage(&[b"unrecognized option '", arg.to_bytes(), b"'\n"]);
        }
        while let Some((letter, more)) = rest.split_first() {
            match letter {
                b'i' | b'0' | b'v' => f(letter, b""),
                b'u' | b'C' | b'S' => {
                    let value = match more.is_empty() {
                        false => Some(more),
                        true => args.next_z(),
                    };
                    let Some(value) = value else {
                        usage(&[b"option requires an argument -- '", &[letter], b"'\n"])
                    };
                    f(letter, value.to_bytes());
                    break;
                }
                _ => usage(&[b"invalid option -- '", &[letter], b"'\n"]),
            }
            rest = more;
        }
    }
}

/// The size of glibc's buffer for standard output (the `st_blksize` of files, pipes and
/// `/dev/full`).
const BLOCK: usize = 4096;

/// Standard output, buffered as glibc buffers a stream to a file or a pipe: GNU env prints
/// with `printf`, and what it reports for a write error depends on where the writes failed.
struct Out {
    buf: &'static mut [u8],
    len: usize,
    /// The buffer is in use (glibc sets it up on the first write, with nothing in it).
    ready: bool,
    /// A write has failed (the stream's error flag).
    failed: bool,
}

impl Out {
    /// `fwrite` of `parts` one after the other (glibc's `_IO_file_xsputn`): fills the buffer;
    /// when they do not fit, writes it, writes the whole blocks of what is left directly and
    /// keeps the rest. A failed write empties the buffer (glibc drops its contents), sets
    /// `failed` and ends the call early, as `Err`.
    fn write(&mut self, parts: &[&[u8]]) -> Result<(), Errno> {
        let total: usize = parts.iter().map(|p| p.len()).sum();
        let space = if self.ready { BLOCK - self.len } else { 0 };
        let now = space.min(total);
        self.keep(parts, 0, now);
        if now == total {
            return Ok(());
        }
        self.ready = true;
        let rest = total - now;
        let direct = rest - rest % BLOCK;
        let written = self.flush().and_then(|()| {
            // the bytes `now..now + direct` of the parts, straight to the output
            let mut at = 0;
            for part in parts {
                let end_of_part = at + part.len();
                let start = now.max(at).min(end_of_part) - at;
                let end = (now + direct).max(at).min(end_of_part) - at;
                write_all(STDOUT, part.get(start..end).unwrap_or_default())?;
                at += part.len();
            }
            Ok(())
        });
        if let Err(e) = written {
            self.failed = true;
            return Err(e);
        }
        self.keep(parts, now + direct, total);
        Ok(())
    }

    /// Appends the bytes `from..to` of `parts` (which fit) to the buffer.
    fn keep(&mut self, parts: &[&[u8]], from: usize, to: usize) {
        let bytes = parts
            .iter()
            .flat_map(|p| p.iter())
            .skip(from)
            .take(to - from);
        let free = self.buf.get_mut(self.len..).unwrap_or_default();
        for (slot, &b) in free.iter_mut().zip(bytes) {
            *slot = b;
        }
        self.len += to - from;
    }

    /// Writes what the buffer holds (emptied either way).
    fn flush(&mut self) -> Result<(), Errno> {
        let filled = self.buf.get(..self.len).unwrap_or_default();
        self.len = 0;
        if filled.is_empty() {
            return Ok(());
        }
        write_all(STDOUT, filled)
    }
}

/// Whether a `-u` option names `name` (never when the environment starts empty: `clear`).
fn unset(clear: bool, name: &[u8]) -> bool {
    let mut found = false;
    if !clear {
        options(|letter, key| found |= letter == b'u' && same(key, name));
    }
    found
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return CANCELED;
    };
    let (mut clear, mut nul, mut chdir, mut debug) = (false, false, false, false);
    let mut args = options(|letter, _| match letter {
        b'i' => clear = true,
        b'0' => nul = true,
        b'C' => chdir = true,
        b'v' => debug = true,
        b'S' => {
            complain(&[b"option not implemented -- 'S'\n"]);
            tiny::exit(CANCELED.into())
        }
        _ => {}
    });
    // what `-v` prints, on standard error
    let say = |parts: &[&[u8]]| {
        if debug {
            for part in parts {
                let _ = write_all(STDERR, part);
            }
        }
    };
    if let Some(b"-") = args.clone().next() {
        clear = true;
        args.next();
    }
    // the `-u` names: an empty name or one with `=` is an error (unless the environment
    // starts empty, when GNU does not unset anything)
    if clear {
        say(&[b"cleaning environ\n"]);
    } else {
        options(|letter, name| {
            if letter == b'u' {
                say(&[b"unset:    ", name, b"\n"]);
                if name.is_empty() || name.contains(&b'=') {
                    complain(&[b"cannot unset '", name, b"': Invalid argument\n"]);
                    tiny::exit(CANCELED.into());
                }
            }
        });
    }
    // the `NAME=VALUE` operands, then the command
    let mut command = args.clone();
    let mut sets = 0;
    while let Some(op) = command.clone().next().filter(|op| op.contains(&b'=')) {
        say(&[b"setenv:   ", op, b"\n"]);
        command.next();
        sets += 1;
    }
    if let Some(program) = command.next_z() {
        if nul {
            usage(&[b"cannot specify --null (-0) with command\n"]);
        }
        complain(&[
            b"running a command is not implemented: '",
            program.to_bytes(),
            b"'\n",
        ]);
        return CANCELED;
    }
    if chdir {
        usage(&[b"must specify command with --chdir (-C)\n"]);
    }
    let operands = || args.clone().take(sets);
    // the operand that sets `name`, the last one, if any
    let setting = |name: &[u8]| operands().filter(|op| same(key(op), name)).last();
    let end: &[u8] = if nul { b"\0" } else { b"\n" };
    let mut out = Out {
        buf: buf.get_mut(..BLOCK).unwrap_or_default(),
        len: 0,
        ready: false,
        failed: false,
    };
    // `printf("%s%c", entry, end)`: the end is left out when writing the entry failed
    let mut printf = |entry: &[&[u8]]| {
        if out.write(entry).is_ok() {
            let _ = out.write(&[end]);
        }
    };
    // the environment as glibc leaves it: the entries not unset, as `vars` gives them
    let entries = || {
        let vars = tiny::env::vars().filter(move |_| !clear);
        vars.map(|(name, value)| {
            // the entry has a `=` exactly when the value starts right after one that follows
            // the name (`vars` gives an entry without one an empty value that is elsewhere)
            let eq = value.as_ptr() == name.as_ptr().wrapping_add(name.len() + 1);
            (name, eq, value, entry_name(name, eq))
        })
        .filter(move |&(_, _, _, key)| !key.is_some_and(|key| unset(clear, key)))
    };
    for (i, (name, eq, value, key)) in entries().enumerate() {
        // an operand replaces the first entry of its name
        let replaced = key.and_then(|key| {
            let first = entries().position(|e| e.3.is_some_and(|k| same(k, key))) == Some(i);
            first.then(|| setting(key)).flatten()
        });
        match replaced {
            Some(op) => printf(&[op]),
            None => printf(&[name, if eq { b"=" } else { b"" }, value]),
        }
    }
    // the others are added at the end, in the order of their first operand
    for (i, op) in operands().enumerate() {
        let key = key(op);
        let first = operands().position(|o| same(self::key(o), key)) == Some(i);
        if first && !entries().any(|e| e.3.is_some_and(|k| same(k, key))) {
            printf(&[setting(key).unwrap_or(op)]);
        }
    }
    // GNU's `close_stdout`: the error of the last flush, or (when nothing was left to write)
    // a write error without its reason
    match out.flush() {
        Err(e) => complain(&[b"write error: ", e.message().as_bytes(), b"\n"]),
        Ok(()) if out.failed => complain(&[b"write error\n"]),
        Ok(()) => return 0,
    }
    CANCELED
}
