//! Calling the kernel directly: what `tiny::syscall!` (Linux) and `tiny::nt!` (Windows) take as
//! arguments, and on Linux the constants those arguments are made of.
//!
//! On Linux this module re-exports `linux-raw-sys`'s `general` module for the target: flags and
//! modes (`AT_FDCWD`, `O_CREAT`, `S_IRWXU`, …), the kernel's structures (`__kernel_timespec`,
//! `stat`, …) and the `__NR_*` numbers, and its `errno` module as `errno`. A
//! program never needs `linux-raw-sys` itself.

#[cfg(target_os = "linux")]
pub use linux_raw_sys::errno;
#[cfg(target_os = "linux")]
pub use linux_raw_sys::general::*;

use crate::ZStr;
use core::ffi::CStr;
use core::ptr::NonNull;

/// A value the kernel takes in a register: integers (signed ones sign-extended, as C passes
/// them), `bool`, raw pointers, references to sized values (their address; for a slice pass `.as_ptr()`), C strings and [`ZStr`] (the
/// address of the first byte). `tiny::syscall!` and `tiny::nt!` convert every argument with it.
pub trait IntoWord {
    /// The machine word the kernel reads.
    fn into_word(self) -> usize;
}

macro_rules! unsigned {
    ($($t:ty)*) => {$(
        impl IntoWord for $t {
            #[inline(always)]
            fn into_word(self) -> usize {
                self as usize
            }
        }
    )*};
}
unsigned!(u8 u16 u32 u64 usize bool);

macro_rules! signed {
    ($($t:ty)*) => {$(
        impl IntoWord for $t {
            #[inline(always)]
            fn into_word(self) -> usize {
                self as isize as usize
            }
        }
    )*};
}
signed!(i8 i16 i32 i64 isize);

impl<T: ?Sized> IntoWord for *const T {
    #[inline(always)]
    fn into_word(self) -> usize {
        self.cast::<u8>() as usize
    }
}

impl<T: ?Sized> IntoWord for *mut T {
    #[inline(always)]
    fn into_word(self) -> usize {
        self.cast::<u8>() as usize
    }
}

impl<T: ?Sized> IntoWord for NonNull<T> {
    #[inline(always)]
    fn into_word(self) -> usize {
        self.as_ptr().into_word()
    }
}

impl<T> IntoWord for &T {
    #[inline(always)]
    fn into_word(self) -> usize {
        (self as *const T).into_word()
    }
}

impl<T> IntoWord for &mut T {
    #[inline(always)]
    fn into_word(self) -> usize {
        (self as *mut T).into_word()
    }
}

impl<T> IntoWord for Option<&T> {
    /// The address, or 0 (NULL) for `None`.
    #[inline(always)]
    fn into_word(self) -> usize {
        self.map_or(0, IntoWord::into_word)
    }
}

impl<T> IntoWord for Option<&mut T> {
    /// The address, or 0 (NULL) for `None`.
    #[inline(always)]
    fn into_word(self) -> usize {
        self.map_or(0, IntoWord::into_word)
    }
}

impl IntoWord for ZStr {
    #[inline(always)]
    fn into_word(self) -> usize {
        self.as_ptr().into_word()
    }
}

impl IntoWord for &CStr {
    /// The address of the first byte (not of the `CStr` reference, which is a fat pointer).
    #[inline(always)]
    fn into_word(self) -> usize {
        self.as_ptr().into_word()
    }
}

/// A raw system call result (`tiny::syscall!`'s) as `Ok(value)`, or `Err(errno)` for `-errno`;
/// `tiny::try_syscall!` applies it.
#[cfg(target_os = "linux")]
#[inline(always)]
pub fn check(ret: isize) -> Result<usize, crate::Errno> {
    crate::os::check(ret)
}

/// Windows: the error numbers an [`Errno`](crate::Errno) holds (the Linux values, with the same
/// messages; see `tiny::Errno`), under the names and type `linux-raw-sys` gives them on Linux,
/// so that a program compares errors the same way on both.
#[cfg(windows)]
pub mod errno {
    use crate::os::errno as e;

    /// Operation not permitted.
    pub const EPERM: u32 = e::EPERM as u32;
    /// No such file or directory.
    pub const ENOENT: u32 = e::ENOENT as u32;
    /// Interrupted system call.
    pub const EINTR: u32 = e::EINTR as u32;
    /// Input/output error.
    pub const EIO: u32 = e::EIO as u32;
    /// Permission denied.
    pub const EACCES: u32 = e::EACCES as u32;
    /// File exists.
    pub const EEXIST: u32 = e::EEXIST as u32;
    /// Not a directory.
    pub const ENOTDIR: u32 = e::ENOTDIR as u32;
    /// Is a directory.
    pub const EISDIR: u32 = e::EISDIR as u32;
    /// No space left on device.
    pub const ENOSPC: u32 = e::ENOSPC as u32;
    /// Read-only file system.
    pub const EROFS: u32 = e::EROFS as u32;
    /// File name too long.
    pub const ENAMETOOLONG: u32 = e::ENAMETOOLONG as u32;
    /// Too many levels of symbolic links.
    pub const ELOOP: u32 = e::ELOOP as u32;
}

#[cfg(windows)]
pub use crate::os::ObjectAttributes;

/// Windows: calls `f` with the `OBJECT_ATTRIBUTES` that name the file at `path` (a
/// NUL-terminated UTF-8 Win32 path: relative, with a drive letter, UNC or `\\?\`), converted
/// as the runtime converts the paths it opens; pass them to `tiny::nt!(NtCreateFile(…))` and
/// the like. `Err` when the path cannot be one (too long, or empty: `ENOENT` as on Linux).
///
/// # Safety
/// `path` points to a NUL-terminated string.
#[cfg(windows)]
#[inline(always)]
pub unsafe fn with_object_attributes<R>(
    path: *const u8,
    f: impl FnOnce(&ObjectAttributes) -> R,
) -> Result<R, crate::Errno> {
    // SAFETY: as the caller promises.
    unsafe { crate::os::with_nt_path(path, f) }
}

/// Windows: an NTSTATUS (`tiny::nt!`'s result) as `Ok(status)` when it is a success or an
/// information (not negative), or `Err(errno)` for a failure, with the `errno` the runtime
/// gives that failure (the Linux one, with its message; see `tiny::Errno`).
#[cfg(windows)]
#[inline(always)]
pub fn check_status(status: i32) -> Result<i32, crate::Errno> {
    if status < 0 {
        Err(crate::Errno::new(crate::os::errno::from_status(status)))
    } else {
        Ok(status)
    }
}
