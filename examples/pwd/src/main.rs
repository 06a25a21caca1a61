//! `pwd [-LP]`: prints the name of the current directory.
//!
//! As GNU pwd (the program, not the shell's builtin) in the C locale:
//! - `-P` (the default): the physical name, without symbolic links, as the kernel gives it
//!   (`getcwd`);
//! - `-L` (the default when `POSIXLY_CORRECT` is set): `$PWD` when it is an absolute name
//!   without `.` or `..` components that names the current directory (same device and inode);
//!   otherwise the physical name. The last of `-L` and `-P` counts;
//! - operands are ignored, with `pwd: ignoring non-option arguments` on standard error;
//! - a bad option gives GNU's getopt message and exit code 1; a write error
//!   `pwd: write error: <error>` and exit code 1.
//!
//! Not implemented: the long options (`--logical`, `--physical`, `--help`, `--version`:
//! unrecognized option), and GNU's fallback when the kernel cannot give the name (a
//! directory that was removed, or a name longer than 4095 bytes): this version then prints
//! GNU's message for the removed directory, `couldn't find directory entry in '..' with
//! matching i-node`, and exits 1.
//!
//! The system calls the runtime does not wrap (`getcwd`, `stat`) are made with
//! `tiny::syscall!` in the `os` module below, the only part that depends on the OS.
#![no_std]
#![no_main]

use core::ffi::CStr;

use tiny::opt::Options;
use tiny::{STDERR, STDOUT, ZStr, write_all, write_z};

#[cfg(not(target_os = "linux"))]
compile_error!("examples/pwd runs on Linux only so far");

/// The system calls, on Linux.
#[cfg(target_os = "linux")]
mod os {
    use core::mem::MaybeUninit;
    use tiny::sys::stat;

    /// Writes the name of the current directory into `buf`, NUL-terminated; returns its
    /// length with the NUL, or `None` when the kernel cannot give it.
    #[inline(always)]
    pub fn getcwd(buf: &mut [u8]) -> Option<usize> {
        // SAFETY: the kernel writes at most `buf.len()` bytes into `buf`.
        unsafe { tiny::try_syscall!(getcwd, buf.as_mut_ptr(), buf.len()) }.ok()
    }

    /// The device and inode of the file at `path` (following symbolic links), `None` when it
    /// cannot be found.
    ///
    /// # Safety
    /// `path` points to a NUL-terminated string.
    #[inline(always)]
    pub unsafe fn id(path: *const u8) -> Option<(u64, u64)> {
        let mut st = MaybeUninit::<stat>::uninit();
        // SAFETY: the kernel reads the NUL-terminated string at `path` and writes a `struct
        // stat` into `st`, which is one.
        unsafe { tiny::try_syscall!(stat, path, st.as_mut_ptr()) }.ok()?;
        // SAFETY: the call succeeded: the kernel filled `st`.
        let st = unsafe { st.assume_init_ref() };
        Some((st.st_dev, st.st_ino))
    }
}

/// `$PWD` if it names the current directory without `.` or `..` components (GNU's
/// `logical_getcwd`).
#[inline(never)]
fn logical() -> Option<ZStr> {
    let bytes = tiny::env::var("PWD")?;
    // absolute, with no `.` or `..` component
    if bytes.first() != Some(&b'/')
        || bytes
            .split(|&b| b == b'/')
            .any(|c| matches!(c, [b'.'] | [b'.', b'.']))
    {
        return None;
    }
    // SAFETY: an environment value is the end of a NUL-terminated `NAME=VALUE` string that
    // lives for the program: its NUL follows it.
    let wd = ZStr::new(unsafe {
        CStr::from_bytes_with_nul_unchecked(core::slice::from_raw_parts(
            bytes.as_ptr(),
            bytes.len() + 1,
        ))
    });
    // SAFETY: both are NUL-terminated strings.
    let same = unsafe {
        os::id(wd.as_ptr()).is_some() && os::id(wd.as_ptr()) == os::id(c".".as_ptr().cast())
    };
    same.then_some(wd)
}

#[tiny::main]
fn main() -> u8 {
    let program = tiny::args().next_z().unwrap_or(ZStr::new(c""));
    let mut opts = Options::new(c"LP");
    let mut operands = false;
    while opts.next().is_some() {
        operands = true;
    }
    // The last of `-L` and `-P` counts (the walk above checked the letters): the options are
    // the arguments before `--` that start with `-` and are not `-`.
    let mut logical_wanted = tiny::env::var("POSIXLY_CORRECT").is_some();
    for arg in tiny::operands() {
        match arg {
            b"--" => break,
            [b'-', letters @ ..] => {
                for &l in letters {
                    logical_wanted = l == b'L';
                }
            }
            _ => {}
        }
    }
    if operands {
        let _ = write_z(STDERR, program);
        let _ = write_z(STDERR, ZStr::new(c": ignoring non-option arguments\n"));
    }
    let Some(buf) = tiny::buffer() else {
        return 1;
    };
    let written = match logical_wanted.then(logical).flatten() {
        Some(wd) => write_z(STDOUT, wd).and(write_all(STDOUT, b"\n")),
        None => {
            let Some(n) = os::getcwd(buf) else {
                let _ = write_z(STDERR, program);
                let _ = write_z(
                    STDERR,
                    ZStr::new(c": couldn't find directory entry in '..' with matching i-node\n"),
                );
                return 1;
            };
            // SAFETY: the kernel wrote `n` bytes (1 at least: the NUL) into `buf`.
            let line = unsafe { buf.get_unchecked_mut(..n) };
            // the NUL becomes the newline
            if let Some(last) = line.last_mut() {
                *last = b'\n';
            }
            write_all(STDOUT, line)
        }
    };
    match written {
        Ok(()) => 0,
        Err(e) => {
            tiny::error(ZStr::new(c"write error"), e);
            1
        }
    }
}
