//! LIBCTINY's test program (Matt Pietrek, 2001), in Rust on tiny: a static constructor, `atexit`
//! handlers, heap use, the arguments, the environment, string functions and formatted output,
//! each checked by the program itself: seven checks, each a bit of `PASSED`. The last `atexit`
//! handler prints how many passed, with the runtime's formatting (`tiny::fmt::write_number`):
//!
//! ```text
//! libctiny-test: 7 of 7 checks passed
//! ```
//!
//! and exits 0 only when all did. `main` itself returns 1: the exit code is 0 only when the
//! handler registered first runs last (after the one registered after it: `atexit` handlers
//! run newest first), finds every check passed, and calls `tiny::exit(0)`.
//!
//! The checks: both constructors ran before `main`, in source order; `atexit` takes the two
//! handlers; `argv[0]` is there and the operands start after it; the environment's first
//! variable is found by its name; a heap block of 1000 words is written, read back and freed;
//! the runtime's `strlen`, comparing and searching; `write_number`'s `%*llu` read back through
//! a pipe (a file on Windows); the handlers run newest first.
#![no_std]
#![no_main]

extern crate alloc;

use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

use tiny::ZStr;

/// Set by the constructors: 3, then 3 × 7 + 1 = 22 when both ran in source order.
static CONSTRUCTED: AtomicU32 = AtomicU32::new(0);

/// The checks that passed, a bit each.
static PASSED: AtomicU32 = AtomicU32::new(0);

/// The number of checks.
const CHECKS: u32 = 7;

#[tiny::ctor]
fn first() {
    CONSTRUCTED.store(3, Relaxed);
}

#[tiny::ctor]
fn second() {
    CONSTRUCTED.store(CONSTRUCTED.load(Relaxed) * 7 + 1, Relaxed);
}

/// Records check `bit` as passed when `ok`.
#[inline(always)]
fn check(bit: u32, ok: bool) {
    // (one thread: a load and a store, not an atomic read-modify-write)
    PASSED.store(PASSED.load(Relaxed) | u32::from(ok) << bit, Relaxed);
}

/// Registered second: runs first.
fn newest() {
    check(6, true);
}

/// Registered first: runs last (after `newest`, or check 6 fails), prints how many checks
/// passed and decides the exit code.
fn oldest() {
    let passed = PASSED.load(Relaxed).count_ones();
    tiny::print("libctiny-test: ");
    let _ = tiny::fmt::write_number(tiny::STDOUT, passed.into(), 0);
    tiny::print(" of 7 checks passed\n");
    tiny::exit(i32::from(passed != CHECKS));
}

/// Allocates `n` words, fills them, checks them, frees them: whether it all worked.
fn heap(n: usize) -> bool {
    use core::alloc::Layout;
    let value = |i: usize| (i as u32).wrapping_mul(2_654_435_761);
    let Ok(layout) = Layout::array::<u32>(n) else {
        return false;
    };
    // SAFETY: the layout has a non-zero size; each word written or read is inside the block;
    // the block is freed once, with its layout.
    unsafe {
        let p = alloc::alloc::alloc(layout).cast::<u32>();
        if p.is_null() {
            return false;
        }
        for i in 0..n {
            p.add(i).write(value(i));
        }
        let ok = (0..n).all(|i| p.add(i).read() == value(i));
        alloc::alloc::dealloc(p.cast(), layout);
        ok
    }
}

/// printf's `%*llu`: `write_number` pads 42 to 5 columns, read back through a pipe.
#[cfg(target_os = "linux")]
#[inline(always)]
fn number_read_back() -> bool {
    let mut fds = [0i32; 2];
    // SAFETY: `pipe2` writes two descriptors into `fds`, which is that big.
    let piped = unsafe { tiny::syscall!(pipe2, &mut fds, 0usize) } == 0;
    let [from, to] = fds.map(tiny::Fd);
    let mut buf = [0u8; 8];
    piped
        && tiny::fmt::write_number(to, 42, 5).is_ok()
        && tiny::read(from, &mut buf) == Ok(5)
        && buf.starts_with(b"   42")
}

/// printf's `%*llu`: `write_number` pads 42 to 5 columns into a new file in the current
/// directory, read back and deleted (Windows has no anonymous pipe in ntdll's calls).
#[cfg(windows)]
fn number_read_back() -> bool {
    let path = c"libctiny-test.tmp";
    let written = tiny::fs::File::create(path)
        .is_ok_and(|file| tiny::fmt::write_number(file.fd(), 42, 5).is_ok());
    let ok = written && tiny::fs::read(path).is_ok_and(|bytes| bytes == b"   42");
    // SAFETY: `path` is NUL-terminated; `NtDeleteFile` reads only the attributes.
    let deleted = unsafe {
        tiny::sys::with_object_attributes(path.as_ptr().cast(), |attributes| {
            tiny::nt!(NtDeleteFile(attributes))
        })
    };
    ok && deleted == Ok(0)
}

#[tiny::main]
fn main() -> u8 {
    // constructors ran, in order; atexit takes the handlers
    let registered = tiny::atexit(oldest).is_ok() && tiny::atexit(newest).is_ok();
    check(0, registered && CONSTRUCTED.load(Relaxed) == 22);

    // the arguments: argv[0] is there and named, and the operands start after it
    let mut args = tiny::args();
    let program = args.next_z();
    check(
        1,
        program.is_some_and(|p| !p.is_empty()) && args.next_z() == tiny::operands().next_z(),
    );

    // the environment: its first variable found by its name (looking up a missing one too cost 131 bytes)
    let first = tiny::env::vars().next();
    check(
        2,
        first.is_none_or(|(name, value)| tiny::env::var(name) == Some(value)),
    );

    // the heap: a block written, read back, freed (each other size of block, inlined with
    // its constant size, would carry its own path through the allocator: a second small
    // one 101 bytes, a large one, mapped alone, 200)
    check(3, heap(1000));

    // strings: the runtime's strlen, comparing, searching
    let text = ZStr::new(c"tiny, LIBCTINY's heir").to_bytes();
    check(
        4,
        text.len() == 21
            && text.starts_with(b"tiny, LIBCTINY")
            && text.iter().position(|&b| b == b'L') == Some(6),
    );

    // formatted output: printf's `%*llu`, read back
    check(5, number_read_back());
    // `oldest` decides the exit code
    1
}
