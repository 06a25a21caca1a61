//! Errors: the OS error number, and the trait `main` may return errors through.

use crate::os::errno;

/// An OS error number, as the kernel returned it (positive, e.g. `ENOENT` = 2 on Linux).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

impl Errno {
    /// `EINTR`: the call was interrupted by a signal.
    pub const INTR: Errno = Errno(errno::EINTR);
    /// `ENOENT`: no such file or directory.
    pub const NOENT: Errno = Errno(errno::ENOENT);
    /// `ENAMETOOLONG`: a path is longer than the kernel accepts.
    pub const NAMETOOLONG: Errno = Errno(errno::ENAMETOOLONG);

    /// The message the C library gives for this error (`strerror`), for the common file errors;
    /// other numbers give `"Unknown error"`.
    pub fn message(self) -> &'static str {
        errno::message(self.0)
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
