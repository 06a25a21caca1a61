//! The panic handler: `panicked at FILE:LINE:COL:` and the message on standard error, then
//! exit code 101 (no `atexit` handlers, no unwinding: as std's `panic = "abort"` ends a
//! program, minus the abort signal).
//!
//! The handler calls one of two reports, chosen when the program is linked (tiny-build's link
//! step; see `tiny_abi::panic_symbol!`): when the program contains `core::fmt` code anyway
//! (it formats something, or a panic of its own formats its message, as an out-of-bounds
//! index does), the report formats the message as std does; otherwise it prints the message
//! only when it is a plain string (`panic!("text")`), and carries no formatting code.

use core::panic::PanicInfo;

use crate::{STDERR, eprint};

#[cfg(target_os = "linux")]
unsafe extern "Rust" {
    /// Defined by the link step as [`report_static`] or [`report_fmt`].
    #[link_name = tiny_abi::panic_symbol!("report")]
    fn report(info: &PanicInfo<'_>);
}

#[panic_handler]
fn panic(info: &PanicInfo<'_>) -> ! {
    // SAFETY: the link step defines the symbol as one of the two functions below, both of
    // this type.
    #[cfg(target_os = "linux")]
    unsafe {
        report(info)
    };
    // Windows: the choice cannot be left to the link. rustc compiles the gnu target without
    // function sections (its target default), so the LTO-built program is one `.text`
    // section: lld-link cannot drop the report it did not choose, and both would stay (tried:
    // the fmt report and `core::fmt::write` stayed in a program that never formats). The
    // report without `core::fmt` is called directly.
    #[cfg(not(target_os = "linux"))]
    report_static(info);
    crate::os::exit(101)
}

/// The report without `core::fmt`: the location, and the message when it is a plain string.
#[cfg_attr(target_os = "linux", unsafe(export_name = tiny_abi::panic_symbol!("static")))]
#[inline(never)]
fn report_static(info: &PanicInfo<'_>) {
    location(info);
    if let Some(msg) = info.message().as_str() {
        eprint(msg);
    }
    eprint("\n");
}

/// The report with `core::fmt`: what std prints (without the thread's name). The location is
/// written as [`report_static`] writes it: `core::fmt` would pad the file name as a `&str`,
/// whose code (about 900 bytes) the program may not have otherwise.
#[cfg(target_os = "linux")]
#[unsafe(export_name = tiny_abi::panic_symbol!("fmt"))]
#[inline(never)]
fn report_fmt(info: &PanicInfo<'_>) {
    location(info);
    /// Standard error, unbuffered: the smallest `core::fmt::Write` (write errors ignored).
    struct Stderr;
    impl core::fmt::Write for Stderr {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            eprint(s);
            Ok(())
        }
    }
    let _ = core::fmt::Write::write_fmt(&mut Stderr, format_args!("{}\n", info.message()));
}

/// `panicked at FILE:LINE:COL:` and a newline.
#[inline(always)]
fn location(info: &PanicInfo<'_>) {
    eprint("panicked at ");
    if let Some(loc) = info.location() {
        eprint(loc.file());
        eprint(":");
        let _ = crate::fmt::write_number(STDERR, loc.line().into(), 0);
        eprint(":");
        let _ = crate::fmt::write_number(STDERR, loc.column().into(), 0);
    }
    eprint(":\n");
}
