//! The operating-system layer: every target `cfg` of the runtime lives below this module.
//!
//! Each OS module exports the same set of items: `read`, `write`, `open_read`, `close`, `exit`,
//! `argv`, `buffer_memory`, `file_size`, `start` and an `errno` module.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub(crate) use linux::*;
#[cfg(target_os = "linux")]
pub use linux::{
    contract, enter_ctor, start, syscall0, syscall1, syscall2, syscall3, syscall4, syscall5,
    syscall6,
};

#[cfg(all(target_os = "windows", target_arch = "x86_64"))]
mod windows;
#[cfg(all(target_os = "windows", target_arch = "x86_64"))]
pub(crate) use windows::*;
#[cfg(all(target_os = "windows", target_arch = "x86_64"))]
pub use windows::{
    ObjectAttributes, check_pinned, check_table, enter_ctor, init, listed, refuse_quietly, start,
    unusable_checked, unusable_runtime,
};

#[cfg(not(any(
    target_os = "linux",
    all(target_os = "windows", target_arch = "x86_64")
)))]
compile_error!(
    "tiny-rt: this target OS is not supported yet (supported: linux, windows on x86_64)"
);
