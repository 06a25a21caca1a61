//! The operating-system layer: every target `cfg` of the runtime lives below this module.
//!
//! Each OS module exports the same set of items: `read`, `write`, `open_read`, `close`, `exit`,
//! `argv`, `start` and an `errno` module.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub use linux::start;
#[cfg(target_os = "linux")]
pub(crate) use linux::*;

#[cfg(not(target_os = "linux"))]
compile_error!("tiny-rt: this target OS is not supported yet (supported: linux)");
