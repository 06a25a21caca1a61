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
#[cfg(windows)]
pub use nt::*;

/// Windows: the values `Nt*` functions take and return, under their Windows SDK names
/// (`winnt.h`, `ntifs.h`, `ntstatus.h`), flat in `tiny::sys` as Linux's constants are. Constants
/// cost no bytes.
#[cfg(windows)]
mod nt {
    /// `IO_STATUS_BLOCK`: the final status (or a pointer) and the bytes transferred (or the
    /// action taken: `FILE_CREATED`, …). Pass `&mut` one to `NtCreateFile`, `NtReadFile`, ….
    pub type IoStatusBlock = [usize; 2];

    /// Access: `FILE_READ_DATA` (files), `FILE_LIST_DIRECTORY` (directories).
    pub const FILE_LIST_DIRECTORY: u32 = 0x0001;
    /// Access: `FILE_READ_DATA`.
    pub const FILE_READ_DATA: u32 = 0x0001;
    /// Access: `FILE_WRITE_DATA`.
    pub const FILE_WRITE_DATA: u32 = 0x0002;
    /// Access: `FILE_APPEND_DATA`.
    pub const FILE_APPEND_DATA: u32 = 0x0004;
    /// Access: `FILE_READ_ATTRIBUTES`.
    pub const FILE_READ_ATTRIBUTES: u32 = 0x0080;
    /// Access: `FILE_WRITE_ATTRIBUTES`.
    pub const FILE_WRITE_ATTRIBUTES: u32 = 0x0100;
    /// Access: `DELETE`.
    pub const DELETE: u32 = 0x0001_0000;
    /// Access: `READ_CONTROL`.
    pub const READ_CONTROL: u32 = 0x0002_0000;
    /// Access: `SYNCHRONIZE` (needed for synchronous I/O).
    pub const SYNCHRONIZE: u32 = 0x0010_0000;
    /// Access: `FILE_GENERIC_READ` (data, attributes, extended attributes, `READ_CONTROL`,
    /// `SYNCHRONIZE`).
    pub const FILE_GENERIC_READ: u32 = 0x0012_0089;
    /// Access: `FILE_GENERIC_WRITE`.
    pub const FILE_GENERIC_WRITE: u32 = 0x0012_0116;
    /// Access: `GENERIC_READ`.
    pub const GENERIC_READ: u32 = 0x8000_0000;
    /// Access: `GENERIC_WRITE`.
    pub const GENERIC_WRITE: u32 = 0x4000_0000;

    /// Sharing: `FILE_SHARE_READ`.
    pub const FILE_SHARE_READ: u32 = 1;
    /// Sharing: `FILE_SHARE_WRITE`.
    pub const FILE_SHARE_WRITE: u32 = 2;
    /// Sharing: `FILE_SHARE_DELETE`.
    pub const FILE_SHARE_DELETE: u32 = 4;

    /// Attributes: `FILE_ATTRIBUTE_READONLY`.
    pub const FILE_ATTRIBUTE_READONLY: u32 = 0x01;
    /// Attributes: `FILE_ATTRIBUTE_DIRECTORY`.
    pub const FILE_ATTRIBUTE_DIRECTORY: u32 = 0x10;
    /// Attributes: `FILE_ATTRIBUTE_NORMAL`.
    pub const FILE_ATTRIBUTE_NORMAL: u32 = 0x80;

    /// Disposition: `FILE_SUPERSEDE`.
    pub const FILE_SUPERSEDE: u32 = 0;
    /// Disposition: `FILE_OPEN` (fails if missing).
    pub const FILE_OPEN: u32 = 1;
    /// Disposition: `FILE_CREATE` (fails if it exists: `STATUS_OBJECT_NAME_COLLISION`).
    pub const FILE_CREATE: u32 = 2;
    /// Disposition: `FILE_OPEN_IF`.
    pub const FILE_OPEN_IF: u32 = 3;
    /// Disposition: `FILE_OVERWRITE`.
    pub const FILE_OVERWRITE: u32 = 4;
    /// Disposition: `FILE_OVERWRITE_IF`.
    pub const FILE_OVERWRITE_IF: u32 = 5;

    /// Options: `FILE_DIRECTORY_FILE` (the file is a directory).
    pub const FILE_DIRECTORY_FILE: u32 = 0x0001;
    /// Options: `FILE_WRITE_THROUGH`.
    pub const FILE_WRITE_THROUGH: u32 = 0x0002;
    /// Options: `FILE_SYNCHRONOUS_IO_ALERT`.
    pub const FILE_SYNCHRONOUS_IO_ALERT: u32 = 0x0010;
    /// Options: `FILE_SYNCHRONOUS_IO_NONALERT` (I/O completes before the call returns).
    pub const FILE_SYNCHRONOUS_IO_NONALERT: u32 = 0x0020;
    /// Options: `FILE_NON_DIRECTORY_FILE` (the file is not a directory).
    pub const FILE_NON_DIRECTORY_FILE: u32 = 0x0040;
    /// Options: `FILE_DELETE_ON_CLOSE`.
    pub const FILE_DELETE_ON_CLOSE: u32 = 0x1000;

    /// `OBJECT_ATTRIBUTES.Attributes`: `OBJ_CASE_INSENSITIVE` (what `with_object_attributes`
    /// sets, as Win32 does).
    pub const OBJ_CASE_INSENSITIVE: u32 = 0x40;

    /// `STATUS_SUCCESS`.
    pub const STATUS_SUCCESS: i32 = 0;
    /// `STATUS_TIMEOUT` (a wait ran out; a success).
    pub const STATUS_TIMEOUT: i32 = 0x102;
    /// `STATUS_PENDING` (an asynchronous operation goes on; a success).
    pub const STATUS_PENDING: i32 = 0x103;
    /// `STATUS_INVALID_HANDLE`.
    pub const STATUS_INVALID_HANDLE: i32 = 0xC000_0008_u32 as i32;
    /// `STATUS_INVALID_PARAMETER`.
    pub const STATUS_INVALID_PARAMETER: i32 = 0xC000_000D_u32 as i32;
    /// `STATUS_END_OF_FILE`.
    pub const STATUS_END_OF_FILE: i32 = 0xC000_0011_u32 as i32;
    /// `STATUS_ACCESS_DENIED`.
    pub const STATUS_ACCESS_DENIED: i32 = 0xC000_0022_u32 as i32;
    /// `STATUS_OBJECT_NAME_NOT_FOUND`.
    pub const STATUS_OBJECT_NAME_NOT_FOUND: i32 = 0xC000_0034_u32 as i32;
    /// `STATUS_OBJECT_NAME_COLLISION` (the name exists: `FILE_CREATE`).
    pub const STATUS_OBJECT_NAME_COLLISION: i32 = 0xC000_0035_u32 as i32;
    /// `STATUS_OBJECT_PATH_NOT_FOUND` (a directory on the way is missing).
    pub const STATUS_OBJECT_PATH_NOT_FOUND: i32 = 0xC000_003A_u32 as i32;
    /// `STATUS_FILE_IS_A_DIRECTORY`.
    pub const STATUS_FILE_IS_A_DIRECTORY: i32 = 0xC000_00BA_u32 as i32;
    /// `STATUS_NOT_A_DIRECTORY`.
    pub const STATUS_NOT_A_DIRECTORY: i32 = 0xC000_0103_u32 as i32;
}

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
