//! `env [-i0v] [-u NAME]... [-C DIR] [-] [NAME=VALUE]... [COMMAND [ARG]...]`: runs `COMMAND`
//! in the environment the arguments make, or prints that environment, one `NAME=VALUE` a line.
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
//!   MESSAGE`, exit code 125, or without the reason when glibc's buffer held nothing more;
//! - a command (`env [OPTION]... [NAME=VALUE]... COMMAND [ARG]...`) runs in that environment,
//!   after `-C DIR`'s change of directory, found as glibc's `execvp` finds it (see `run`); `-v`
//!   says what env does on standard error, in GNU's words.
//!
//! Refused, with a message and exit code 125: running a command on Windows, and `-S STRING`.
//! Long options and GNU's signal options are not implemented (`--null` is an unrecognized
//! option here).
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
#[inline(never)]
fn options(f: &mut dyn FnMut(u8, &'static [u8])) -> Args {
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

/// An entry of the environment as glibc leaves it (`None` when `-i` or a `-u` removed it):
/// whether it has a `=`, and its name (see [`entry_name`]).
#[inline(never)]
fn live(
    clear: bool,
    name: &'static [u8],
    value: &'static [u8],
) -> Option<(bool, Option<&'static [u8]>)> {
    // the entry has a `=` exactly when the value starts right after one that follows the
    // name (`vars` gives an entry without one an empty value that is elsewhere)
    let eq = value.as_ptr() == name.as_ptr().wrapping_add(name.len() + 1);
    let key = entry_name(name, eq);
    if clear || key.is_some_and(|key| unset(clear, key)) {
        return None;
    }
    Some((eq, key))
}

/// Where the first entry named `key` is among the entries [`live`] keeps.
#[inline(never)]
fn first_named(clear: bool, key: &[u8]) -> Option<usize> {
    tiny::env::vars()
        .filter_map(|(name, value)| live(clear, name, value))
        .position(|(_, k)| k.is_some_and(|k| same(k, key)))
}

/// Whether a `-u` option names `name` (never when the environment starts empty: `clear`).
fn unset(clear: bool, name: &[u8]) -> bool {
    let mut found = false;
    if !clear {
        options(&mut |letter, key| found |= letter == b'u' && same(key, name));
    }
    found
}

/// Calls `f` with each entry of the environment the program is to print or pass on: the
/// entries `live` keeps, each replaced by the last operand of its name when it is the first of
/// that name, then the operands of the names no entry has, in the order of their first
/// operand. An entry comes as parts to write one after the other; the first part starts the
/// entry's C string on Linux (an argument, or an entry of `envp`).
#[inline(never)]
fn each_entry(clear: bool, operands: Args, sets: usize, f: &mut dyn FnMut(&[&'static [u8]])) {
    let operands = || operands.clone().take(sets);
    // the operand that sets `name`, the last one, if any
    let setting = |name: &[u8]| operands().filter(|op| same(key(op), name)).last();
    let mut i = 0;
    for (name, value) in tiny::env::vars() {
        let Some((eq, key)) = live(clear, name, value) else {
            continue;
        };
        // an operand replaces the first entry of its name
        let replaced = key.and_then(|key| {
            let first = first_named(clear, key) == Some(i);
            first.then(|| setting(key)).flatten()
        });
        match replaced {
            Some(op) => f(&[op]),
            None => f(&[name, if eq { b"=" } else { b"" }, value]),
        }
        i += 1;
    }
    // the others are added at the end, in the order of their first operand
    for (i, op) in operands().enumerate() {
        let key = key(op);
        let first = operands().position(|o| same(self::key(o), key)) == Some(i);
        if first && first_named(clear, key).is_none() {
            f(&[setting(key).unwrap_or(op)]);
        }
    }
}

#[tiny::main]
fn main() -> u8 {
    let Some(buf) = tiny::buffer() else {
        return CANCELED;
    };
    let (mut clear, mut nul, mut chdir, mut debug) = (false, false, None, false);
    let mut args = options(&mut |letter, value| match letter {
        b'i' => clear = true,
        b'0' => nul = true,
        b'C' => chdir = Some(value),
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
        options(&mut |letter, name| {
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
    if command.clone().next().is_some() {
        if nul {
            usage(&[b"cannot specify --null (-0) with command\n"]);
        }
        return run(clear, args, sets, command, chdir, debug, buf);
    }
    if chdir.is_some() {
        usage(&[b"must specify command with --chdir (-C)\n"]);
    }
    let end: &[u8] = if nul { b"\0" } else { b"\n" };
    let mut out = Out {
        buf: buf.get_mut(..BLOCK).unwrap_or_default(),
        len: 0,
        ready: false,
        failed: false,
    };
    // `printf("%s%c", entry, end)`: the end is left out when writing the entry failed
    each_entry(clear, args, sets, &mut |entry| {
        if out.write(entry).is_ok() {
            let _ = out.write(&[end]);
        }
    });
    // GNU's `close_stdout`: the error of the last flush, or (when nothing was left to write)
    // a write error without its reason
    match out.flush() {
        Err(e) => complain(&[b"write error: ", e.message().as_bytes(), b"\n"]),
        Ok(()) if out.failed => complain(&[b"write error\n"]),
        Ok(()) => return 0,
    }
    CANCELED
}

/// Runs the command: on Windows, refused (exit code 125).
#[cfg(not(target_os = "linux"))]
fn run(
    _clear: bool,
    _operands: Args,
    _sets: usize,
    mut command: Args,
    _chdir: Option<&'static [u8]>,
    _debug: bool,
    _buf: &mut [u8; tiny::BUFFER_SIZE],
) -> u8 {
    let program = command.next().unwrap_or_default();
    complain(&[
        b"running a command is not implemented here: '",
        program,
        b"'\n",
    ]);
    CANCELED
}

/// Runs the command as GNU env does, in the environment `each_entry` gives: `-C`'s directory
/// first (`cannot change directory to 'DIR': …`, exit code 125), then glibc's `execvp` (a
/// name with `/` as it is, else each directory of the new environment's `PATH`, or
/// `/bin:/usr/bin` without one; a file the kernel cannot run directly (`ENOEXEC`) through
/// `/bin/sh`). Returns only when that failed: `env: 'NAME': …`, exit code 127 when the command
/// was not found, 126 otherwise.
#[cfg(target_os = "linux")]
fn run(
    clear: bool,
    operands: Args,
    sets: usize,
    command: Args,
    chdir: Option<&'static [u8]>,
    debug: bool,
    buf: &mut [u8; tiny::BUFFER_SIZE],
) -> u8 {
    use tiny::{Errno, sys::errno};
    let say = |parts: &[&[u8]]| {
        if debug {
            for part in parts {
                let _ = write_all(STDERR, part);
            }
        }
    };
    // the pointer arrays, then the path being tried, in the buffer
    let (words, path) = buf.split_at_mut(tiny::BUFFER_SIZE / 2);
    // SAFETY: any bytes are a valid `usize`; `align_to_mut` gives the aligned middle.
    let (_, words, _) = unsafe { words.align_to_mut::<usize>() };
    let mut at = 0;
    let put = |words: &mut [usize], at: &mut usize, p: *const u8| {
        if let Some(slot) = words.get_mut(*at) {
            *slot = p as usize;
        }
        *at += 1;
    };
    // argv: a slot for `/bin/sh` (for a script), then the command and its arguments, NULL
    put(words, &mut at, core::ptr::null());
    let mut argv = command.clone();
    while let Some(arg) = argv.next_z() {
        put(words, &mut at, arg.as_ptr());
    }
    put(words, &mut at, core::ptr::null());
    let envp_at = at;
    // the environment: the C strings of its entries; its `PATH` (the first, as `getenv`)
    let mut path_value: Option<&'static [u8]> = None;
    each_entry(clear, operands, sets, &mut |entry| {
        let first = entry.first().copied().unwrap_or_default();
        put(words, &mut at, first.as_ptr());
        let value = match *entry {
            [op] => op.strip_prefix(b"PATH="),
            [name, eq, value] => (name == b"PATH" && !eq.is_empty()).then_some(value),
            _ => None,
        };
        path_value = path_value.or(value);
    });
    put(words, &mut at, core::ptr::null());
    let search = path_value.unwrap_or(b"/bin:/usr/bin");
    if at > words.len() {
        complain(&[b"argument list too long\n"]);
        return CANCELED;
    }
    if let Some(dir) = chdir {
        say(&[b"chdir:    '", dir, b"'\n"]);
        // SAFETY: `dir` is the end of an argument (all of it, or what follows `-C` in it), so
        // the argument's NUL follows it: a C string.
        if let Err(e) = unsafe { tiny::try_syscall!(chdir, dir.as_ptr()) } {
            let message = e.message().as_bytes();
            complain(&[b"cannot change directory to '", dir, b"': ", message, b"\n"]);
            return CANCELED;
        }
    }
    let mut names = command.clone();
    let program = names.next_z().unwrap_or(tiny::ZStr::new(c""));
    say(&[b"executing: ", program.to_bytes(), b"\n"]);
    if debug {
        for (i, arg) in command.clone().enumerate() {
            let _ = write_all(STDERR, b"   arg[");
            let _ = tiny::fmt::write_number(STDERR, i as u64, 0);
            say(&[b"]= '", arg, b"'\n"]);
        }
    }
    // every pointer into the arrays comes from this one
    let words = words.as_mut_ptr();
    let argv = words.wrapping_add(1);
    let envp = words.wrapping_add(envp_at);
    let name = program.to_bytes();
    // one try: `execve`, or through `/bin/sh` for a file the kernel does not run
    let try_path = |file: *const u8, words: *mut usize| -> Errno {
        // SAFETY: `file` is NUL-terminated; `argv` and `envp` are NULL-terminated arrays of C
        // strings that live until the call (arguments, entries of `envp`, `/bin/sh`).
        let e = unsafe { tiny::try_syscall!(execve, file, argv, envp) }.err();
        let e = e.unwrap_or(Errno::new(0));
        if e != Errno::new(errno::ENOEXEC as i32) {
            return e;
        }
        // SAFETY: as above; the first slot, kept for this, is before `argv`, and the
        // command's name is replaced by the file's path, as glibc does, for this call only
        // (the next directory's try gets `argv` as it was).
        unsafe {
            words.write(c"/bin/sh".as_ptr() as usize);
            words.add(1).write(file as usize);
            let e = tiny::try_syscall!(execve, c"/bin/sh".as_ptr(), words, envp).err();
            words.add(1).write(program.as_ptr() as usize);
            e.unwrap_or(Errno::new(0))
        }
    };
    let error = if name.contains(&b'/') {
        try_path(program.as_ptr(), words)
    } else if name.is_empty() {
        Errno::new(errno::ENOENT as i32)
    } else {
        // as glibc's `__execvpe`: a missing file tries the next directory; permission
        // denied too, remembered; any other error ends the search
        let mut denied = false;
        let mut last = Errno::new(errno::ENOENT as i32);
        let mut stopped = None;
        for dir in search.split(|&b| b == b':') {
            // DIR/NAME, or NAME alone for an empty DIR (the current directory)
            let slash: &[u8] = if dir.is_empty() { b"" } else { b"/" };
            let mut len = 0;
            for &b in dir.iter().chain(slash).chain(name).chain(b"\0") {
                if let Some(slot) = path.get_mut(len) {
                    *slot = b;
                }
                len += 1;
            }
            if len > path.len() {
                continue;
            }
            last = try_path(path.as_ptr(), words);
            match last.raw() as u32 {
                errno::EACCES => denied = true,
                errno::ENOENT
                | errno::ESTALE
                | errno::ENOTDIR
                | errno::ENODEV
                | errno::ETIMEDOUT => {}
                _ => {
                    stopped = Some(last);
                    break;
                }
            }
        }
        stopped.unwrap_or(if denied {
            Errno::new(errno::EACCES as i32)
        } else {
            last
        })
    };
    let message = error.message().as_bytes();
    complain(&[b"'", name, b"': ", message, b"\n"]);
    if error == Errno::new(errno::ENOENT as i32) {
        if name.contains(&b' ') {
            complain(&[b"use -[v]S to pass options in shebang lines\n"]);
        }
        return 127;
    }
    126
}
