//! LIBCTINY's test program (Matt Pietrek, 2001), in Rust on tiny: a static constructor, `atexit`
//! handlers, heap use, the arguments, the environment, string functions and formatted output,
//! each checked by the program itself. It prints one line per part and exits 0 only when every
//! part worked:
//!
//! ```text
//! constructors: ok
//! arguments: ok
//! environment: ok
//! heap: ok
//! strings: ok
//! formatting: ok
//! atexit: ok
//! ```
//!
//! A failed part prints `FAILED` instead of `ok`. `main` itself returns 1: the exit code is 0
//! only when the last `atexit` handler runs (after the one registered after it, as `atexit`
//! handlers run newest first), finds every part passed, and calls `tiny::exit(0)`.
#![no_std]
#![no_main]

extern crate alloc;

// TEMPORARY, until tiny's heap lands on main: each block its own mapping.
struct Mmap;
// SAFETY: TEMPORARY
unsafe impl core::alloc::GlobalAlloc for Mmap {
    unsafe fn alloc(&self, layout: core::alloc::Layout) -> *mut u8 {
        // SAFETY: TEMPORARY
        let p = unsafe {
            tiny::syscall!(
                mmap,
                0usize,
                layout.size(),
                3usize,
                0x22usize,
                -1isize,
                0usize
            )
        };
        if p < 0 {
            core::ptr::null_mut()
        } else {
            p as *mut u8
        }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: core::alloc::Layout) {
        // SAFETY: TEMPORARY
        unsafe { tiny::syscall!(munmap, ptr, layout.size()) };
    }
}
#[global_allocator]
static A: Mmap = Mmap;
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

use tiny::ZStr;

/// Set by the constructors: 3, then 3 × 7 + 1 = 22 when both ran in source order.
static CONSTRUCTED: AtomicU32 = AtomicU32::new(0);

/// The parts that passed (bit per part), and the `atexit` step.
static PASSED: AtomicU32 = AtomicU32::new(0);

/// All the parts of `main`: six.
const ALL: u32 = 0b11_1111;

#[tiny::ctor]
fn first() {
    CONSTRUCTED.store(3, Relaxed);
}

#[tiny::ctor]
fn second() {
    CONSTRUCTED.store(CONSTRUCTED.load(Relaxed) * 7 + 1, Relaxed);
}

/// Prints `NAME: ok` or `NAME: FAILED`, and records a passed part as bit `bit`.
fn report(bit: u32, name: &str, ok: bool) {
    tiny::print(name);
    if ok {
        PASSED.fetch_or(1 << bit, Relaxed);
        tiny::print(": ok\n");
    } else {
        tiny::print(": FAILED\n");
    }
}

/// Registered second: runs first, and marks that it did.
fn newest() {
    PASSED.fetch_or(1 << 8, Relaxed);
}

/// Registered first: runs last. Decides the exit code.
fn oldest() {
    let all = PASSED.load(Relaxed) == ALL | 1 << 8;
    report(7, "atexit", all);
    tiny::exit(if all { 0 } else { 1 });
}

/// Allocates `n` words, fills them, grows the block to `2n` words, checks the first `n` and
/// fills the rest, checks all, frees it: whether every step worked.
fn heap(n: usize) -> bool {
    use core::alloc::Layout;
    let value = |i: usize| (i as u32).wrapping_mul(2_654_435_761);
    let (Ok(small), Ok(large)) = (Layout::array::<u32>(n), Layout::array::<u32>(2 * n)) else {
        return false;
    };
    // SAFETY: the layouts have a non-zero size; each word written or read is inside the block
    // as it is then (`n` words, then `2n` after `realloc`, which keeps the first `n`); the
    // block is freed once, with the layout it has.
    unsafe {
        let p = alloc::alloc::alloc(small).cast::<u32>();
        if p.is_null() {
            return false;
        }
        for i in 0..n {
            p.add(i).write(value(i));
        }
        let q = alloc::alloc::realloc(p.cast(), small, large.size()).cast::<u32>();
        if q.is_null() {
            alloc::alloc::dealloc(p.cast(), small);
            return false;
        }
        for i in n..2 * n {
            q.add(i).write(value(i));
        }
        let ok = (0..2 * n).all(|i| q.add(i).read() == value(i));
        alloc::alloc::dealloc(q.cast(), large);
        ok
    }
}

/// `tiny::fmt::write_number(n, width)` through a pipe, read back: whether it wrote `expect`.
fn formats(n: u64, width: u8, expect: &[u8]) -> bool {
    let mut fds = [0i32; 2];
    // SAFETY: `pipe2` writes two descriptors into `fds`, which is that big.
    if unsafe { tiny::syscall!(pipe2, &mut fds, 0usize) } != 0 {
        return false;
    }
    let [read_end, write_end] = fds.map(tiny::Fd);
    let written = tiny::fmt::write_number(write_end, n, width).is_ok();
    let _ = tiny::close(write_end);
    let mut buf = [0u8; 32];
    let got = tiny::read(read_end, &mut buf).unwrap_or(0);
    let _ = tiny::close(read_end);
    written && buf.get(..got) == Some(expect)
}

#[tiny::main]
fn main() -> u8 {
    let ok = tiny::atexit(oldest).is_ok() && tiny::atexit(newest).is_ok();
    report(0, "constructors", ok && CONSTRUCTED.load(Relaxed) == 22);

    // the arguments: argv[0] is there and named, and the operands are the others
    let ok = tiny::args().next_z().is_some_and(|p| !p.is_empty())
        && tiny::args().len() == tiny::operands().len() + 1;
    report(1, "arguments", ok);

    // the environment: the first variable found by its name, a missing one not found
    let ok = tiny::env::vars()
        .next()
        .is_none_or(|(name, value)| tiny::env::var(name) == Some(value))
        && tiny::env::var("TINY_SURELY_NOT_SET").is_none();
    report(2, "environment", ok);

    // the heap: a block filled, grown (its contents kept), filled further, freed; a small one
    report(3, "heap", heap(10_000) && heap(1));

    // strings: lengths (the runtime's strlen), copying, comparing, searching
    let text = ZStr::new(c"tiny, LIBCTINY's heir").to_bytes();
    let mut joined = [0u8; 14];
    let parts: [&[u8]; 3] = [b"tiny", b", ", b"LIBCTINY"];
    for (slot, &b) in joined.iter_mut().zip(parts.iter().flat_map(|p| p.iter())) {
        *slot = b;
    }
    let ok = text.len() == 21
        && text.starts_with(&joined)
        && text.iter().position(|&b| b == b'L') == Some(6)
        && text > b"tiny".as_slice();
    report(4, "strings", ok);

    // formatted output: printf's `%*llu`, read back through a pipe
    let ok = formats(42, 5, b"   42")
        && formats(0, 0, b"0")
        && formats(u64::MAX, 3, b"18446744073709551615");
    report(5, "formatting", ok);
    // `oldest` decides: 0 when every part passed
    1
}
