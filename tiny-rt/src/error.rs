//! Errors: the OS error number, and the trait `main` may return errors through.

use core::num::NonZeroIsize;

use crate::os::errno;

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

    /// `Ok` for a raw result 0, the error `-ret` otherwise: the two share their representation.
    #[cfg(target_os = "linux")]
    #[inline(always)]
    pub(crate) const fn result(ret: isize) -> Result<(), Errno> {
        match NonZeroIsize::new(ret) {
            None => Ok(()),
            Some(negated) => Err(Errno(negated)),
        }
    }

    /// The representation: the error number negated (see above).
    #[cfg(target_os = "linux")]
    #[inline(always)]
    pub(crate) const fn repr(self) -> isize {
        self.0.get()
    }

    /// The error number.
    pub const fn raw(self) -> i32 {
        self.0.get().wrapping_neg() as i32
    }

    /// The message the C library gives for this error (`strerror`, as glibc words it), for the
    /// errors file tools meet most (`ENOENT`, `EACCES`, `EISDIR`, `ENOTDIR`, `EIO`, `ENOSPC`),
    /// and with the crate feature `more-errors` those of making files and directories
    /// (`EEXIST`, `EROFS`, `ENAMETOOLONG`, `ELOOP`, `EPERM`); other numbers give
    /// `"Unknown error"`.
    pub fn message(self) -> &'static str {
        crate::strerror::message(self.raw() as usize)
    }
}

/// An error that `main` can return: its message goes to standard error and the exit code is 1.
pub trait Error {
    /// The one-line message printed for this error.
    fn message(&self) -> &str;
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
