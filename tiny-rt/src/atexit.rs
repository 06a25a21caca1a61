//! `atexit`: functions that run when the program ends normally, newest first.

#[cfg(feature = "heap")]
use core::sync::atomic::AtomicPtr;
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::Errno;

/// How many handlers [`atexit`] holds without the `heap` feature (with it there is no cap).
pub const ATEXIT_MAX: usize = 32;

/// One registered handler (`None` only before it is set).
type Slot = Option<fn()>;

/// Without the `heap` feature: the table of handlers, oldest first; `COUNT` of them are set.
/// In `.bss`.
#[cfg(not(feature = "heap"))]
struct Handlers(core::cell::UnsafeCell<[Slot; ATEXIT_MAX]>);

// SAFETY: tiny programs have one thread (the runtime starts no other), so the handlers are
// never accessed concurrently.
#[cfg(not(feature = "heap"))]
unsafe impl Sync for Handlers {}

#[cfg(not(feature = "heap"))]
static HANDLERS: Handlers = Handlers(core::cell::UnsafeCell::new([None; ATEXIT_MAX]));

/// With the `heap` feature: the table of handlers, oldest first, and its size in handlers
/// (null and 0 until the first registration). It starts at a page (512 handlers on 64-bit
/// targets) and doubles when full, from the OS (`mremap` on Linux, which moves pages without
/// copying them; the process heap's `RtlReAllocateHeap` on Windows), never given back.
#[cfg(feature = "heap")]
static TABLE: AtomicPtr<Slot> = AtomicPtr::new(core::ptr::null_mut());
#[cfg(feature = "heap")]
static CAPACITY: AtomicUsize = AtomicUsize::new(0);

/// How many handlers are set. Never stored to in a program that does not call [`atexit`]:
/// LTO then folds [`run`] away.
static COUNT: AtomicUsize = AtomicUsize::new(0);

/// The table of handlers.
#[inline(always)]
fn table() -> *mut Slot {
    #[cfg(feature = "heap")]
    return TABLE.load(Relaxed);
    #[cfg(not(feature = "heap"))]
    return HANDLERS.0.get().cast();
}

/// Registers `f` to run when the program ends normally: when `main` returns or the program
/// calls [`exit`](crate::exit) (not after a panic, nor when a signal ends it). Handlers run in
/// the reverse order of their registration, before a failed write of the printing macros is
/// reported, so a handler may still print. A handler may register another; it runs next.
///
/// With the `heap` feature (on by default) there is no cap: the table grows, and `Err(ENOMEM)`
/// comes only when the OS has no memory for it. Without it, at most [`ATEXIT_MAX`] handlers
/// (C guarantees 32): more give `Err(ENOMEM)`.
pub fn atexit(f: fn()) -> Result<(), Errno> {
    let n = COUNT.load(Relaxed);
    #[cfg(feature = "heap")]
    let table = {
        let capacity = CAPACITY.load(Relaxed);
        let mut table = table();
        if n == capacity {
            const SLOT: usize = core::mem::size_of::<Slot>();
            let grown = (2 * capacity).max(crate::os::TABLE_PAGE / SLOT);
            // SAFETY: `table` is null or the table from the call before, `capacity` handlers
            // long, and is not used again but through the result.
            let new = unsafe { crate::os::grow_table(table.cast(), capacity * SLOT, grown * SLOT) };
            if new.is_null() {
                return Err(Errno::NOMEM);
            }
            table = new.cast();
            TABLE.store(table, Relaxed);
            CAPACITY.store(grown, Relaxed);
        }
        table
    };
    #[cfg(not(feature = "heap"))]
    let table = {
        if n == ATEXIT_MAX {
            return Err(Errno::NOMEM);
        }
        table()
    };
    // SAFETY: one thread; `n` is below the table's size (checked or grown above), and no
    // reference into the table lives across this write (`run` copies each handler out before
    // calling it).
    unsafe { table.add(n).write(Some(f)) };
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
        // SAFETY: one thread; `n - 1` is below the count of set handlers of the table; the
        // value is copied out before the handler, which may call `atexit`, runs.
        let f = unsafe { table().add(n - 1).read() };
        if let Some(f) = f {
            f();
        }
    }
}
