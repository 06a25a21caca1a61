//! Errors: the OS error number, and the trait `main` may return errors through.

use core::num::NonZeroIsize;

use crate::os::errno;
use crate::{ZStr, eprint};

/// An OS error number, as the kernel returned it (positive, e.g. `ENOENT` = 2 on Linux).
///
/// It is stored pointer-sized so that `Result<usize, Errno>` is a pair of registers: functions
/// that return one do not go through memory. It holds the number negated, as a Linux system
/// call returns it, so that making one from a failed call costs no instruction; and it is never
/// zero, so that `Result<(), Errno>` is a single register, `0` for `Ok` (what a system call
/// that returns 0 or `-errno` returns: nothing to convert).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Errno(NonZeroIsize);

impl core::fmt::Debug for Errno {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("Errno").field(&self.raw()).finish()
    }
}

impl Errno {
    /// `EINTR`: the call was interrupted by a signal.
    pub const INTR: Errno = Errno::new(errno::EINTR);
    /// `ENOENT`: no such file or directory.
    pub const NOENT: Errno = Errno::new(errno::ENOENT);
    /// `ENAMETOOLONG`: a path is longer than the kernel accepts.
    pub const NAMETOOLONG: Errno = Errno::new(errno::ENAMETOOLONG);
    /// `EACCES`: permission denied.
    pub const ACCES: Errno = Errno::new(errno::EACCES);
    /// `EISDIR`: is a directory (reading a directory, or opening one for writing).
    pub const ISDIR: Errno = Errno::new(errno::EISDIR);
    /// `ENOTDIR`: a path component is not a directory.
    pub const NOTDIR: Errno = Errno::new(errno::ENOTDIR);
    /// `EINVAL`: an invalid argument.
    pub const INVAL: Errno = Errno::new(errno::EINVAL);
    /// `EEXIST`: the file exists.
    pub const EXIST: Errno = Errno::new(errno::EEXIST);
    /// `ENOMEM`: out of memory (or of room in a fixed table).
    pub const NOMEM: Errno = Errno::new(errno::ENOMEM);

    /// The error with number `n`. (0 is no error number; `Errno::new(0)` is kept as
    /// `isize::MIN`, whose low 32 bits give 0 back from [`raw`](Errno::raw).)
    pub const fn new(n: i32) -> Errno {
        match NonZeroIsize::new(-(n as isize)) {
            Some(negated) => Errno(negated),
            None => Errno(NonZeroIsize::MIN),
        }
    }

    /// The error of a failed raw syscall result `-errno` (Linux; Windows maps NTSTATUS values
    /// instead).
    #[cfg(target_os = "linux")]
    #[inline(always)]
    pub(crate) const fn from_negated(ret: NonZeroIsize) -> Errno {
        Errno(ret)
    }

    /// `Ok` for a raw result 0, the error `-ret` otherwise: the two share their representation
    /// (the x86-64 routines return it).
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    #[inline(always)]
    pub(crate) const fn result(ret: isize) -> Result<(), Errno> {
        match NonZeroIsize::new(ret) {
            None => Ok(()),
            Some(negated) => Err(Errno(negated)),
        }
    }

    /// The representation: the error number negated (see above), as the x86-64 routines take
    /// it.
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    #[inline(always)]
    pub(crate) const fn repr(self) -> isize {
        self.0.get()
    }

    /// The error number.
    pub const fn raw(self) -> i32 {
        self.0.get().wrapping_neg() as i32
    }

    /// The message the C library gives for this error (`strerror`, as glibc words it), for the
    /// errors file tools meet most (`ENOENT`, `EACCES`, `EISDIR`, `ENOTDIR`, `EIO`, `ENOSPC`,
    /// `EBADF`), and with the crate feature `more-errors` those of making files and directories
    /// (`EEXIST`, `EROFS`, `ENAMETOOLONG`, `ELOOP`, `EPERM`, `EMLINK`, `EDQUOT`); other numbers
    /// give `"Unknown error"`.
    pub fn message(self) -> &'static str {
        crate::strerror::message(self.raw() as usize)
    }
}

/// An error that `main` can return: `main` then ends the program with exit code 1 after
/// [`report`](Error::report) printed it, as coreutils report an error: `PROG: MESSAGE` on
/// standard error, `PROG` being `argv[0]` as the program was started.
///
/// `&'static str`, [`Errno`] and [`Failure`] implement it. A program's own error type may too,
/// or convert into [`Failure`] (`impl From<MyError> for tiny::Failure`) to mix with the others
/// under `?` in one `main`.
pub trait Error {
    /// The one-line message printed for this error.
    fn message(&self) -> &str;

    /// Prints the error as `PROG: MESSAGE` and a newline on standard error.
    fn report(&self) {
        print_program();
        eprint(": ");
        eprint(self.message());
        eprint("\n");
    }
}

impl Error for &str {
    fn message(&self) -> &str {
        self
    }
}

impl Error for Errno {
    fn message(&self) -> &str {
        Errno::message(*self)
    }
}

/// An error of any kind the runtime knows, for a `main` that meets several (`?` converts
/// `&'static str` and [`Errno`] into it): printed as `PROG: MESSAGE`, or with what failed,
/// `PROG: WHAT: MESSAGE` (see [`Errno::on`]), as coreutils print errors.
///
/// ```ignore
/// #[tiny::main]
/// fn main() -> Result<(), tiny::Failure> {
///     let name = tiny::operands().next_z().ok_or("missing operand")?;
///     let fd = tiny::open_z(name).map_err(|e| e.on(name))?;
///     tiny::copy(fd, tiny::STDOUT)?;
///     Ok(())
/// }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Failure {
    what: Option<ZStr>,
    kind: Kind,
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Text(&'static str),
    Os(Errno),
}

impl From<&'static str> for Failure {
    fn from(text: &'static str) -> Failure {
        Failure {
            what: None,
            kind: Kind::Text(text),
        }
    }
}

impl From<Errno> for Failure {
    fn from(e: Errno) -> Failure {
        Failure {
            what: None,
            kind: Kind::Os(e),
        }
    }
}

impl Errno {
    /// This error, about `what` (a file name, say): printed as `PROG: WHAT: MESSAGE`.
    pub fn on(self, what: ZStr) -> Failure {
        Failure {
            what: Some(what),
            kind: Kind::Os(self),
        }
    }
}

impl Error for Failure {
    fn message(&self) -> &str {
        match self.kind {
            Kind::Text(t) => t,
            Kind::Os(e) => e.message(),
        }
    }

    fn report(&self) {
        match (self.what, self.kind) {
            (Some(what), Kind::Os(e)) => crate::error(what, e),
            _ => {
                print_program();
                eprint(": ");
                if let Some(what) = self.what {
                    crate::eprint_bytes(what.to_bytes());
                    eprint(": ");
                }
                eprint(self.message());
                eprint("\n");
            }
        }
    }
}

/// `argv[0]` on standard error.
fn print_program() {
    let name = crate::args().next_z().unwrap_or(ZStr::new(c""));
    crate::eprint_bytes(name.to_bytes());
}
