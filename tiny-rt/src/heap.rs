//! The heap: the global allocator of tiny programs, for `alloc` (`Vec`, `String`, `Box`,
//! `BTreeMap`, …).
//!
//! With the `heap` feature (on by default) [`Heap`] is the program's `#[global_allocator]`:
//! a program only names the `alloc` crate.
//!
//! ```ignore
//! extern crate alloc;
//! use alloc::vec::Vec;
//! ```
//!
//! A program that never allocates carries none of it (the same bytes as without the feature).
//! To use another allocator, turn the feature off (`default-features = false`) and declare
//! that one; `#[global_allocator] static HEAP: tiny::Heap = tiny::Heap;` then brings this
//! one back.
//!
//! - **Linux**: size classes over pages from `mmap` (see `classes.rs`): requests of up to
//!   128 KiB (size and alignment rounded up to a power of two, at least 16) are blocks of their
//!   class, kept on one free list per class and refilled with 128 KiB runs cut from 1 MiB
//!   chunks, never returned to the kernel; larger requests are mappings of their own, released
//!   by `munmap` when freed and resized by `mremap` (in place when the kernel can, else moved
//!   without a copy). A block resized within its class stays where it is.
//! - **Windows**: the process heap (`PEB.ProcessHeap`) through ntdll's `RtlAllocateHeap`,
//!   `RtlReAllocateHeap` and `RtlFreeHeap`, as LIBCTINY did; the NT heap itself keeps small
//!   blocks in buckets and maps large ones (from 512 KiB on x64) directly. Alignments above 16
//!   bytes are made by asking for `size + align` bytes and keeping the heap's pointer in the
//!   word before the aligned block.
//!
//! When memory runs out an allocation returns null, and `alloc` calls its error handler: on
//! stable Rust without `std` that is a panic, "memory allocation of N bytes failed", which the
//! runtime's panic handler reports before it exits with code 101.
//!
//! The heap is not thread-safe: tiny programs have one thread (the runtime starts no other).

use core::alloc::{GlobalAlloc, Layout};

/// The global allocator of tiny programs (see the [module docs](self)): the program's own with
/// the `heap` feature, on by default.
#[derive(Clone, Copy, Debug, Default)]
pub struct Heap;

// SAFETY: the OS layer returns blocks of at least `layout.size()` bytes aligned to
// `layout.align()` that no other live allocation overlaps, or null; it takes back only what it
// handed out (the caller's duty under `GlobalAlloc`), and a resized block keeps its contents up
// to the smaller size.
unsafe impl GlobalAlloc for Heap {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        crate::os::heap::alloc(layout.size(), layout.align())
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        crate::os::heap::alloc_zeroed(layout.size(), layout.align())
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator with `layout` (GlobalAlloc's contract).
        unsafe { crate::os::heap::dealloc(ptr, layout.size(), layout.align()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by this allocator with `layout`, and `new_size` rounded up
        // to `layout.align()` does not overflow `isize` (GlobalAlloc's contract).
        unsafe { crate::os::heap::realloc(ptr, layout.size(), layout.align(), new_size) }
    }
}

/// A block resized by moving it (both OS layers' `realloc`, when it cannot stay where it is):
/// a new block of `new_size` bytes aligned to `align`, the smaller size copied, the old block
/// freed. Null, with the old block kept, when there is no memory for the new one.
///
/// # Safety
/// `ptr` is a live block of `size` bytes allocated with `align` by the OS layer's `alloc`.
pub(crate) unsafe fn move_block(
    ptr: *mut u8,
    size: usize,
    align: usize,
    new_size: usize,
) -> *mut u8 {
    let moved = crate::os::heap::alloc(new_size, align);
    if !moved.is_null() {
        // SAFETY: both blocks hold at least the smaller size, and they are distinct live blocks;
        // `ptr` is freed as it was allocated (as the caller promises).
        unsafe {
            core::ptr::copy_nonoverlapping(ptr, moved, size.min(new_size));
            crate::os::heap::dealloc(ptr, size, align);
        }
    }
    moved
}

/// The program's global allocator (the `heap` feature). Not in a host test build of this crate
/// (`clippy --all-targets`), which has std's.
#[cfg(all(feature = "heap", not(test)))]
#[global_allocator]
static HEAP: Heap = Heap;
