//! `mkdir [-p] [-m MODE] DIRECTORY...`: creates each directory.
//!
//! As GNU mkdir in the C locale:
//! - a directory that cannot be made gives `mkdir: cannot create directory 'NAME': <error>` on
//!   standard error and exit code 1, and the other operands are still made; names in messages
//!   are quoted as GNU's `quote` does in the C locale (`'it\'s'`, `'a\tb'`, `'\303\251'`);
//! - `-m MODE`: the mode of the new directories, not masked by the umask: octal (`755`,
//!   `1777`) or symbolic, applied to `a=rwx` (`u=rwx,go=rx`, `g+s`, `+t`, `a-w`, `u=g`; without
//!   a who letter the umask masks what is added, as in chmod); a bad one gives
//!   `mkdir: invalid mode 'MODE'` and exit code 1 before anything is made. Set-user-ID and
//!   set-group-ID bits, which `mkdir(2)` ignores, are set with a `chmod` after it, as GNU
//!   sets them (see `make`);
//! - `-p`: no error for a directory that exists; missing parents are made first, with the
//!   mode `0777 & ~umask | u+wx` (`-m` applies to the last component only; the modes are
//!   given to the kernel as GNU gives them, so that a default ACL applies alike); a parent that
//!   cannot be made or entered is named in the message (`cannot create directory 'a/f'`);
//! - options (`-p`, `-m MODE`, `-mMODE`, `-pm MODE`) may come anywhere before `--`; a bad one
//!   gives GNU's getopt messages and exit code 1; no operand:
//!   `mkdir: missing operand` and the `Try 'mkdir --help'` line.
//!
//! Not implemented: `-v`, `-Z`, `--context` and the long options (`--parents`, `--mode=`,
//! `--help`, …: unrecognized option). With `-p`, GNU walks into each parent with `chdir`,
//! so it can make paths longer than `PATH_MAX`; this version passes whole paths to the kernel.
//!
//! The texts of `EEXIST`, `EROFS`, `ENAMETOOLONG`, `ELOOP`, `EPERM`, `EMLINK` and `EDQUOT` come
//! with tiny's feature `more-errors`, which this crate turns on.
//!
//! The system calls the runtime does not wrap (`umask`, `mkdir`, `access`, `stat`, `chmod`)
//! are made with `tiny::syscall!` in the `os` module below, the only part that depends on the
//! OS. On Windows it makes a directory with `NtCreateFile` (`FILE_CREATE`,
//! `FILE_DIRECTORY_FILE`) and reads a file's type with `NtQueryAttributesFile`, both through
//! `tiny::nt!`; NT has no umask and no Unix modes (a new directory gets the permissions its
//! parent passes on), so `-m` is checked as on Linux but sets nothing. Where NT says only that
//! the path was not found, the components are looked at to tell `Not a directory` from `No
//! such file or directory`, as Linux does.
#![no_std]
#![no_main]

use core::ffi::CStr;

use tiny::{Args, Errno, STDERR, ZStr, write_all, write_z};


/// The system calls, on Linux.
#[cfg(target_os = "linux")]
mod os {
    use core::mem::MaybeUninit;
    use tiny::Errno;
    use tiny::sys::{S_IFDIR, S_IFMT, X_OK, stat};

    /// `EEXIST`.
    pub const EXIST: Errno = Errno::new(tiny::sys::errno::EEXIST as i32);

    /// Sets the umask to `mask`; returns the one it was.
    #[inline(always)]
    pub fn umask(mask: u32) -> u32 {
        // SAFETY: `umask` touches no memory and cannot fail.
        unsafe { tiny::syscall!(umask, mask) as u32 }
    }

    /// `mkdir(path, mode)`.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    #[inline(always)]
    pub unsafe fn mkdir(path: *const u8, mode: u32) -> Result<(), Errno> {
        // SAFETY: the kernel reads the NUL-terminated string at `path` (see above).
        unsafe { tiny::try_syscall!(mkdir, path, mode) }.map(drop)
    }

    /// `chmod(path, mode)`.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    #[inline(always)]
    pub unsafe fn chmod(path: *const u8, mode: u32) -> Result<(), Errno> {
        // SAFETY: the kernel reads the NUL-terminated string at `path` (see above).
        unsafe { tiny::try_syscall!(chmod, path, mode) }.map(drop)
    }

    /// Whether the directory at `path` can be entered (`access(path, X_OK)`); errors as
    /// `chdir` would give them when `path` ends with a slash.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    #[inline(always)]
    pub unsafe fn search(path: *const u8) -> Result<(), Errno> {
        // SAFETY: the kernel reads the NUL-terminated string at `path` (see above).
        unsafe { tiny::try_syscall!(access, path, X_OK) }.map(drop)
    }

    /// The type and mode bits (`st_mode`) of the file at `path` (`stat`, following symbolic
    /// links).
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    #[inline(never)]
    pub unsafe fn mode(path: *const u8) -> Result<u32, Errno> {
        let mut st = MaybeUninit::<stat>::uninit();
        // SAFETY: the kernel reads the NUL-terminated string at `path` and writes a `struct
        // stat` into `st`, which is one.
        unsafe { tiny::try_syscall!(stat, path, st.as_mut_ptr()) }?;
        // SAFETY: the call succeeded: the kernel filled `st`.
        Ok(unsafe { st.assume_init_ref() }.st_mode)
    }

    /// Whether `mode` (an `st_mode`) is a directory's.
    #[inline(always)]
    pub fn is_dir(mode: u32) -> bool {
        mode & S_IFMT == S_IFDIR
    }
}

/// The same calls on Windows, through ntdll.
#[cfg(windows)]
mod os {
    use tiny::Errno;
    use tiny::sys::{
        FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_NORMAL, FILE_CREATE, FILE_DIRECTORY_FILE,
        FILE_LIST_DIRECTORY, FILE_SHARE_DELETE, FILE_SHARE_READ, FILE_SHARE_WRITE,
        FILE_SYNCHRONOUS_IO_NONALERT, IoStatusBlock, ObjectAttributes, SYNCHRONIZE, check_status,
        with_object_attributes,
    };

    /// `st_mode`'s file type bits, and a directory's and a regular file's.
    const S_IFMT: u32 = 0o170_000;
    const S_IFDIR: u32 = 0o040_000;
    const S_IFREG: u32 = 0o100_000;

    /// `EEXIST`.
    pub const EXIST: Errno = Errno::new(tiny::sys::errno::EEXIST as i32);

    /// NT has no umask: as if it were the usual `022` (the modes it would mask are not set
    /// anyway, see the crate docs).
    #[inline(always)]
    pub fn umask(_mask: u32) -> u32 {
        0o022
    }

    /// Makes the directory at `path` (`NtCreateFile` with `FILE_CREATE`, `FILE_DIRECTORY_FILE`),
    /// with the permissions its parent passes on (NT has no mode bits), and closes it.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    #[inline(always)]
    pub unsafe fn mkdir(path: *const u8, _mode: u32) -> Result<(), Errno> {
        let create = |attributes: &ObjectAttributes| {
            let (mut handle, mut iosb) = (0usize, IoStatusBlock::default());
            // SAFETY: every pointer is to a live local; synchronous, so nothing is written
            // later. No allocation size and no extended attributes (NULL, 0).
            let status = unsafe {
                tiny::nt!(NtCreateFile(
                    &mut handle,
                    FILE_LIST_DIRECTORY | SYNCHRONIZE,
                    attributes,
                    &mut iosb,
                    0usize,
                    FILE_ATTRIBUTE_NORMAL,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    FILE_CREATE, // fails if the name exists
                    FILE_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT,
                    0usize,
                    0u32
                ))
            };
            check_status(status).map(|_| {
                // SAFETY: closing the handle just opened touches no memory of ours.
                unsafe { tiny::nt!(NtClose(handle)) };
            })
        };
        // SAFETY: `path` is NUL-terminated (see above).
        match unsafe { with_object_attributes(path, create) }? {
            // SAFETY: as above.
            Err(Errno::NOENT) => Err(unsafe { missing(path) }),
            r => r,
        }
    }

    /// Why `path` cannot be reached, when NT says only that it was not found
    /// (`OBJECT_PATH_NOT_FOUND`): `ENOTDIR` when a component before the last is not a
    /// directory, as Linux says, else `ENOENT`.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated command-line argument (see `make`).
    #[inline(never)]
    unsafe fn missing(path: *const u8) -> Errno {
        // Arguments are in writable memory (see `make`); each prefix is ended in place for
        // the query and the byte put back.
        let p = path.cast_mut();
        let mut i = 1;
        loop {
            // SAFETY: `i` is at most the index of the NUL: the loop ends there.
            let b = unsafe { p.add(i).read() };
            if b == 0 {
                return Errno::NOENT;
            }
            if b == b'/' || b == b'\\' {
                // SAFETY: `i` is inside the argument; the byte is put back before anything
                // else reads it.
                let kind = unsafe {
                    p.add(i).write(0);
                    let kind = mode(p);
                    p.add(i).write(b);
                    kind
                };
                match kind {
                    Ok(m) if !is_dir(m) => return Errno::NOTDIR,
                    Err(_) => return Errno::NOENT,
                    Ok(_) => {}
                }
            }
            i += 1;
        }
    }

    /// NT has no mode bits to change: nothing to do.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    #[inline(always)]
    pub unsafe fn chmod(_path: *const u8, _mode: u32) -> Result<(), Errno> {
        Ok(())
    }

    /// Whether the directory at `path` can be entered: it is one. `path` ends with a slash
    /// (see `make`), which NT does not take after a file's name: it is left out of the query,
    /// and a file is `ENOTDIR`, as Linux says.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated command-line argument (see `make`).
    #[inline(always)]
    pub unsafe fn search(path: *const u8) -> Result<(), Errno> {
        // SAFETY: `path` is NUL-terminated.
        let len = unsafe { core::ffi::CStr::from_ptr(path.cast()) }.count_bytes();
        let p = path.cast_mut();
        // SAFETY: arguments are in writable memory (see `make`); the slash is put back before
        // anything else reads the name.
        let kind = unsafe {
            let last = p.add(len.saturating_sub(1));
            let saved = last.read();
            let slash = len > 1 && (saved == b'/' || saved == b'\\');
            if slash {
                last.write(0);
            }
            let kind = mode(p);
            last.write(saved);
            kind
        };
        match kind {
            Ok(m) if is_dir(m) => Ok(()),
            Ok(_) => Err(Errno::NOTDIR),
            Err(e) => Err(e),
        }
    }

    /// The file type of the file at `path` as `st_mode` has it (`NtQueryAttributesFile`:
    /// `FILE_ATTRIBUTE_DIRECTORY` or not), with all permission bits.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    #[inline(never)]
    pub unsafe fn mode(path: *const u8) -> Result<u32, Errno> {
        let query = |attributes: &ObjectAttributes| {
            // FILE_BASIC_INFORMATION: four times (8 bytes each), then FileAttributes
            let mut info = [0u32; 10];
            // SAFETY: ntdll reads the attributes and writes the 40 bytes of `info`.
            let status =
                unsafe { tiny::nt!(NtQueryAttributesFile(attributes, info.as_mut_ptr())) };
            check_status(status).map(|_| {
                let kind = if info[8] & FILE_ATTRIBUTE_DIRECTORY != 0 {
                    S_IFDIR
                } else {
                    S_IFREG
                };
                kind | 0o777
            })
        };
        // SAFETY: `path` is NUL-terminated (see above).
        unsafe { with_object_attributes(path, query) }?
    }

    /// Whether `mode` (an `st_mode`) is a directory's.
    #[inline(always)]
    pub fn is_dir(mode: u32) -> bool {
        mode & S_IFMT == S_IFDIR
    }
}

/// The options read so far.
struct Opts {
    /// `-p`.
    parents: bool,
    /// The argument of the last `-m`.
    mode: Option<ZStr>,
    /// `--` has been seen.
    done: bool,
}

/// Writes `PROGRAM` (argv[0]), `msg`, then `detail` and `'` and a newline when there is a
/// detail, then `Try 'PROGRAM --help' for more information.`, and exits 1: GNU's getopt and
/// usage messages.
#[inline(never)]
fn usage(msg: &'static CStr, detail: &[u8]) -> ! {
    let program = tiny::args().next_z().unwrap_or(ZStr::new(c""));
    let _ = write_z(STDERR, program);
    let _ = write_z(STDERR, msg.into());
    if !detail.is_empty() {
        let _ = write_all(STDERR, detail);
        let _ = write_z(STDERR, ZStr::new(c"'\n"));
    }
    let _ = write_z(STDERR, ZStr::new(c"Try '"));
    let _ = write_z(STDERR, program);
    let _ = write_z(STDERR, ZStr::new(c" --help' for more information.\n"));
    tiny::exit(1)
}

/// The next operand, reading the options before it into `opts` (as GNU getopt with the
/// option string `pm:`). A bad option ends the program with GNU's message.
#[inline(never)]
fn next_operand(args: &mut Args, opts: &mut Opts) -> Option<ZStr> {
    loop {
        let arg = args.next_z()?;
        let Some((b'-', letters)) = arg.split_first() else {
            return Some(arg);
        };
        if opts.done || letters.is_empty() {
            return Some(arg);
        }
        let mut rest = letters;
        while let Some((letter, more)) = rest.split_first() {
            match letter {
                b'p' => opts.parents = true,
                b'm' => {
                    opts.mode = Some(if more.is_empty() {
                        match args.next_z() {
                            Some(mode) => mode,
                            None => usage(c": option requires an argument -- '", b"m"),
                        }
                    } else {
                        more
                    });
                    break;
                }
                b'-' if rest == letters => {
                    if !more.is_empty() {
                        usage(c": unrecognized option '", arg.to_bytes());
                    }
                    opts.done = true;
                }
                _ => usage(c": invalid option -- '", &[letter]),
            }
            rest = more;
        }
    }
}

/// Room for the longest message: a prefix, and an argument (at most `MAX_ARG_STRLEN`, 128 KiB
/// with its NUL) of which each byte may take four (`\303`), quoted.
const MSG_SIZE: usize = 64 + 4 * 128 * 1024;

/// The text of a message, built by [`quote`]. In `.bss`: no bytes in the file.
static mut MSG: [u8; MSG_SIZE] = [0; MSG_SIZE];

/// `prefix`, then the `len` bytes at `name` quoted as GNU's `quote` does in the C locale: in
/// `'`, with `\'` and `\\`, C escapes for `\a\b\t\n\v\f\r`, octal ones for the other bytes
/// that are not printable ASCII.
///
/// # Safety
/// `name..name+len` is readable and `len` < 128 KiB (a command-line argument).
#[inline(never)]
unsafe fn quote(prefix: &'static CStr, name: *const u8, len: usize) -> ZStr {
    let out = core::ptr::addr_of_mut!(MSG).cast::<u8>();
    let mut o = 0;
    let mut put = |b: u8| {
        // SAFETY: `o` stays below `MSG_SIZE`: the prefix is short, and each byte of the name
        // adds at most four (see `MSG_SIZE`); a program has one thread and nothing else uses
        // `MSG` while this writes it.
        unsafe { out.add(o).write(b) };
        o += 1;
    };
    for &b in prefix.to_bytes() {
        put(b);
    }
    put(b'\'');
    for i in 0..len {
        // SAFETY: `i < len`: readable, as the caller promises.
        let b = unsafe { name.add(i).read() };
        match b {
            b'\'' | b'\\' => {
                put(b'\\');
                put(b);
            }
            b' '..=b'~' => put(b),
            7..=13 => {
                put(b'\\');
                put(b"abtnvfr"[usize::from(b - 7)]);
            }
            _ => {
                put(b'\\');
                put(b'0' + (b >> 6));
                put(b'0' + (b >> 3 & 7));
                put(b'0' + (b & 7));
            }
        }
    }
    put(b'\'');
    put(0);
    // SAFETY: `MSG[..o]` was just written, ends with its only NUL (a name has none) and lives
    // for the program; nothing writes it while the message is printed.
    ZStr::new(unsafe { CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(out, o)) })
}

/// Reports `PROGRAM: PREFIX'NAME': <error>` for the first `len` bytes of `name`.
///
/// # Safety
/// As [`quote`].
#[inline(never)]
unsafe fn report(prefix: &'static CStr, name: *const u8, len: usize, e: Errno) {
    // SAFETY: as the caller promises.
    tiny::error(unsafe { quote(prefix, name, len) }, e);
}

/// The first byte of `s` (0 at its end) and `s` moved past it.
#[inline(never)]
fn take(s: &mut ZStr) -> u8 {
    let (c, rest) = s.split_first().unwrap_or((0, *s));
    *s = rest;
    c
}

/// The mode `spec` gives, applied to `0777` as GNU's `mode_adjust` does for a directory with
/// the umask `umask`, and the bits it sets or clears (`mode_bits`: see [`make`]); `None` when
/// `spec` is not a mode.
#[inline(never)]
fn parse_mode(spec: ZStr, umask: u32) -> Option<(u32, u32)> {
    let mut s = spec;
    let mut next = || take(&mut s);
    let mut c = next();
    if c.wrapping_sub(b'0') < 8 {
        // octal: up to 07777; five digits or more name the special bits too
        let (mut mode, mut digits) = (0u32, 0);
        while c.wrapping_sub(b'0') < 8 {
            mode = mode * 8 + u32::from(c - b'0');
            if mode > 0o7777 {
                return None;
            }
            digits += 1;
            c = next();
        }
        let changed = if digits > 4 {
            0o7777
        } else {
            mode & 0o6000 | 0o1777
        };
        return (c == 0).then_some((mode, changed));
    }
    let (mut mode, mut changed) = (0o777u32, 0u32);
    loop {
        // who
        let mut affected = 0;
        loop {
            affected |= match c {
                b'u' => 0o4700,
                b'g' => 0o2070,
                b'o' => 0o1007,
                b'a' => 0o7777,
                _ => break,
            };
            c = next();
        }
        // one or more operations
        loop {
            let op = c;
            if !matches!(op, b'=' | b'+' | b'-') {
                return None;
            }
            c = next();
            let mut value = 0;
            let mut copy = false;
            let mut any_x = false;
            match c {
                b'u' | b'g' | b'o' => {
                    value = match c {
                        b'u' => 0o700,
                        b'g' => 0o070,
                        _ => 0o007,
                    };
                    copy = true;
                    c = next();
                }
                _ => loop {
                    value |= match c {
                        b'r' => 0o444,
                        b'w' => 0o222,
                        b'x' => 0o111,
                        b's' => 0o6000,
                        b't' => 0o1000,
                        b'X' => {
                            any_x = true;
                            0
                        }
                        _ => break,
                    };
                    c = next();
                },
            }
            let mentioned = if affected != 0 {
                affected & value
            } else {
                value
            };
            // a directory keeps its set-ID bits unless the change names them
            let omit = 0o6000 & !mentioned;
            if copy {
                value &= mode;
                let spread = |bits: u32| if value & bits != 0 { bits } else { 0 };
                value |= spread(0o444) | spread(0o222) | spread(0o111);
            }
            if any_x {
                // a directory: as if an execute bit were set
                value |= 0o111;
            }
            value &= if affected != 0 { affected } else { !umask } & !omit;
            match op {
                b'=' => {
                    let preserved = if affected != 0 { !affected } else { 0 } | omit;
                    changed |= 0o7777 & !preserved;
                    mode = mode & preserved | value;
                }
                b'+' => {
                    changed |= value;
                    mode |= value;
                }
                _ => {
                    changed |= value;
                    mode &= !value;
                }
            }
            if !matches!(c, b'=' | b'+' | b'-') {
                break;
            }
        }
        match c {
            b',' => c = next(),
            0 => return Some((mode, changed)),
            _ => return None,
        }
    }
}

/// Makes directory `name` with mode `mode`, of which `changed` are the bits `-m` sets or
/// clears, under the umask `umask` (the process's, 0 with `-m`); with `-p` its missing parents
/// first, as GNU makes them: mode `0777` under the umask `parent_umask` (the process's without
/// `u+wx`). Reports what fails; returns whether it worked. (The kernel applies the umask, so
/// that a directory with a default ACL gives its mode as it does to GNU's.)
///
/// As GNU's `make_dir_parents`: when `-m` sets or clears a set-ID bit or sets the sticky bit,
/// the directory is made without write permission for the group and others, then, if the bits
/// `-m` names are not what it asked for, changed with `chmod` to `mode` (with the directory's
/// other bits as they came: an inherited set-group-ID bit stays unless `-m` names it).
#[inline(never)]
fn make(name: ZStr, parents: bool, mode: u32, changed: u32, umask: u32, parent_umask: u32) -> bool {
    // Arguments live in writable memory the kernel set up; `ZStr`s are raw pointers, so no
    // reference to these bytes is alive while a parent's name is cut out of them in place.
    let p = name.as_ptr().cast_mut();
    // SAFETY (of the reads below): every index is at most that of the name's NUL.
    let at = |i: usize| unsafe { p.add(i).read() };
    let mut len = 0;
    if parents {
        // each component followed by a slash and more: a parent
        loop {
            while at(len) == b'/' {
                len += 1;
            }
            if at(len) == 0 {
                break;
            }
            while at(len) != 0 && at(len) != b'/' {
                len += 1;
            }
            let end = len;
            while at(len) == b'/' {
                len += 1;
            }
            if at(len) == 0 {
                break;
            }
            // the parent with its first slash: `a/` (the slash makes `access` fail as
            // `chdir` would for a file)
            // SAFETY: `end + 1 <= len`: inside the name, whose bytes are writable and not
            // borrowed (see above); the byte is put back before anything else reads the name.
            let r = unsafe {
                let cut = p.add(end + 1);
                let saved = cut.read();
                cut.write(0);
                os::umask(parent_umask);
                let made = os::mkdir(p, 0o777);
                os::umask(umask);
                let r = match made {
                    Ok(()) => Ok(()),
                    // it exists, or cannot be made: can it be entered?
                    Err(made) => {
                        os::search(p).map_err(|e| if e == Errno::NOENT { made } else { e })
                    }
                };
                cut.write(saved);
                r
            };
            if let Err(e) = r {
                // SAFETY: `end` bytes of the name.
                unsafe { report(c"cannot create directory ", p, end, e) };
                return false;
            }
        }
    }
    let keep = changed & 0o6000 == 0 && mode & 0o1000 == 0;
    // SAFETY: `p` is the name, NUL-terminated again.
    let made = unsafe { os::mkdir(p, if keep { mode } else { mode & !0o022 }) };
    let (prefix, e) = match made {
        Ok(()) if keep => return true,
        // SAFETY: as above.
        Ok(()) => match unsafe { os::mode(p) }.and_then(|now| {
            if (now ^ mode) & changed == 0 {
                return Ok(());
            }
            // SAFETY: as above.
            unsafe { os::chmod(p, mode | now & 0o7777 & !changed) }
        }) {
            Ok(()) => return true,
            Err(e) => (c"cannot change permissions of ", e),
        },
        // SAFETY: as above.
        Err(e) if parents && e != Errno::NOENT => match unsafe { os::mode(p) } {
            Ok(now) if os::is_dir(now) => return true,
            Err(stat) if e == os::EXIST && stat != Errno::NOENT && stat != Errno::NOTDIR => {
                (c"cannot stat ", stat)
            }
            _ => (c"cannot create directory ", e),
        },
        Err(e) => (c"cannot create directory ", e),
    };
    // SAFETY: the whole name.
    unsafe { report(prefix, p, name.to_bytes().len(), e) };
    false
}

#[tiny::main]
fn main() -> u8 {
    let mut opts = Opts {
        parents: false,
        mode: None,
        done: false,
    };
    let first = tiny::operands();
    let mut args = first.clone();
    // First walk: the options (GNU reads them all before it makes anything).
    if next_operand(&mut args, &mut opts).is_none() {
        usage(c": missing operand\n", b"");
    }
    while next_operand(&mut args, &mut opts).is_some() {}

    // the umask, read by setting it (0 stays with `-m`: the mode is not masked)
    let umask = os::umask(0);
    let (mode, changed, final_umask) = match opts.mode {
        None => (0o777, 0, umask),
        Some(spec) => match parse_mode(spec, umask) {
            Some((mode, changed)) => (mode, changed, 0),
            None => {
                let _ = write_z(STDERR, tiny::args().next_z().unwrap_or(ZStr::new(c"")));
                // SAFETY: a command-line argument.
                let _ = write_z(STDERR, unsafe {
                    quote(c": invalid mode ", spec.as_ptr(), spec.to_bytes().len())
                });
                let _ = write_z(STDERR, ZStr::new(c"\n"));
                return 1;
            }
        },
    };
    os::umask(final_umask);

    // Second walk: the operands.
    let mut status = 0;
    args = first;
    opts.done = false;
    while let Some(name) = next_operand(&mut args, &mut opts) {
        if !make(
            name,
            opts.parents,
            mode,
            changed,
            final_umask,
            umask & !0o300,
        ) {
            status = 1;
        }
    }
    status
}
