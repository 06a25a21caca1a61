//! Calling the kernel directly: what `tiny::syscall!` (Linux) and `tiny::nt!` (Windows) take as
//! arguments, and on Linux the constants those arguments are made of.
//!
//! On Linux this module re-exports `linux-raw-sys`'s `general` module for the target: flags and
//! modes (`AT_FDCWD`, `O_CREAT`, `S_IRWXU`, …), the kernel's structures (`__kernel_timespec`,
//! `stat`, …) and the `__NR_*` numbers, and its `errno` module as [`errno`]. A
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
