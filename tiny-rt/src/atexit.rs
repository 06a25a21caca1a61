//! `atexit`: functions that run when the program ends normally, newest first.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::Errno;

/// How many handlers [`atexit`] holds.
pub const ATEXIT_MAX: usize = 32;

/// One registered handler (`None` only before it is set).
type Slot = Option<fn()>;

/// The registered handlers, oldest first; `COUNT` of them are set. In `.bss`.
struct Handlers(UnsafeCell<[Slot; ATEXIT_MAX]>);

// SAFETY: tiny programs have one thread (the runtime starts no other), so the handlers are
// never accessed concurrently.
unsafe impl Sync for Handlers {}

static HANDLERS: Handlers = Handlers(UnsafeCell::new([None; ATEXIT_MAX]));

/// How many of [`HANDLERS`] are set. Never stored to in a program that does not call
/// [`atexit`]: LTO then folds [`run`] away.
static COUNT: AtomicUsize = AtomicUsize::new(0);

/// Registers `f` to run when the program ends normally: when `main` returns or the program
/// calls [`exit`](crate::exit) (not after a panic, nor when a signal ends it). Handlers run in
/// the reverse order of their registration, before a failed write of the printing macros is
/// reported, so a handler may still print. A handler may register another; it runs next.
///
/// At most [`ATEXIT_MAX`] handlers (C guarantees 32): more give `Err(ENOMEM)`.
pub fn atexit(f: fn()) -> Result<(), Errno> {
    let n = COUNT.load(Relaxed);
    // SAFETY: one thread; no reference into `HANDLERS` lives across this write (`run` copies
    // each handler out before calling it).
    let slot = unsafe { (*HANDLERS.0.get()).get_mut(n) };
    let Some(slot) = slot else {
        return Err(Errno::NOMEM);
    };
    *slot = Some(f);
    COUNT.store(n + 1, Relaxed);
    Ok(())
}

/// Runs the registered handlers, newest first (see [`atexit`]); each runs once.
#[inline(always)]
pub(crate) fn run() {
    loop {
        let n = COUNT.load(Relaxed);
        if n == 0 {
            return;
        }
        COUNT.store(n - 1, Relaxed);
        // SAFETY: one thread; the value is copied out before the handler, which may call
        // `atexit`, runs.
        let f = unsafe { (*HANDLERS.0.get()).get(n - 1).copied().flatten() };
        if let Some(f) = f {
            f();
        }
    }
}
