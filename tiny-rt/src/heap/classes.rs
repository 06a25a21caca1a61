//! The size-class allocator of [`crate::Heap`] on systems that give out pages (Linux): the
//! OS module that includes this file provides `map(len, align)`, `unmap(ptr, len)` and
//! `remap(ptr, old_len, new_len)` (see `os/linux.rs`).
//!
//! - A request's **class** is its size and alignment rounded up to a power of two, at least
//!   16 bytes: `2^shift` with `shift = bits of ((size - 1) | (align - 1) | 15)`.
//! - **Small** classes (16 B … [`MAX_SMALL`] = 32 KiB) are blocks of exactly their class size,
//!   aligned to it. Freed blocks go on their class's free list (a singly linked list through
//!   the blocks' first word; no header, the class comes back from the layout `dealloc` is
//!   given). An empty list is refilled by splitting a block of the next class that has one
//!   (the upper halves go onto the lists on the way down, as in a buddy allocator, but blocks
//!   are never merged again), or, when all are empty, a new 1 MiB chunk ([`CHUNK`]) mapped
//!   aligned to its size. Small blocks are not returned to the kernel.
//! - **Large** requests are mappings of their own (whole pages, aligned as asked), unmapped
//!   when freed.
//! - **realloc**: within one small class, or shrinking to a smaller one, the block stays (a
//!   shrink puts the halves it no longer needs onto their lists); a large block that stays
//!   large is resized by `mremap`, which extends or shrinks it in place when it can and
//!   otherwise moves its pages without copying; anything else is allocate, copy, free.

use super::{map, remap, unmap};

/// The smallest class: 16 bytes (two words: enough for any `align` ≤ 16, as `malloc` gives).
const MIN_SHIFT: u32 = 4;
/// The largest small class: 32 KiB. Larger requests are mapped on their own.
const MAX_SMALL: u32 = 15;
/// Small blocks are split from chunks of 1 MiB (`2^CHUNK`), mapped aligned to their size, so
/// that each block is aligned to its own size.
const CHUNK: u32 = 20;
/// The page size of the mappings.
const PAGE: usize = 4096;

/// The free lists of the classes `2^MIN_SHIFT` … `2^(CHUNK - 1)`: the first free block of each,
/// or null. (The classes above [`MAX_SMALL`] hold only halves of split chunks.)
struct Lists(core::cell::UnsafeCell<[*mut u8; (CHUNK - MIN_SHIFT) as usize]>);

// SAFETY: tiny programs have one thread (the runtime starts no other), so the lists are never
// used concurrently.
unsafe impl Sync for Lists {}

static FREE: Lists = Lists(core::cell::UnsafeCell::new(
    [core::ptr::null_mut(); (CHUNK - MIN_SHIFT) as usize],
));

/// The class of a request, as a shift (see the module docs); 64 for a zero-size request, which
/// `GlobalAlloc` does not allow and which is then refused like an impossible one.
#[inline(always)]
fn class(size: usize, align: usize) -> u32 {
    usize::BITS - (size.wrapping_sub(1) | (align - 1) | ((1 << MIN_SHIFT) - 1)).leading_zeros()
}

/// The free list of class `shift` (`MIN_SHIFT <= shift < CHUNK`).
#[inline(always)]
fn list(shift: u32) -> *mut *mut u8 {
    // SAFETY: in bounds for the shifts the callers pass (MIN_SHIFT..CHUNK).
    unsafe {
        FREE.0
            .get()
            .cast::<*mut u8>()
            .add((shift - MIN_SHIFT) as usize)
    }
}

/// `len` rounded up to whole pages (`len` ≤ `isize::MAX`, as `Layout` guarantees).
#[inline(always)]
fn pages(len: usize) -> usize {
    (len + PAGE - 1) & !(PAGE - 1)
}

/// Puts the halves of the block `b` of class `from` above class `to` onto their lists, largest
/// first: `b + 2^(from-1)` of class `from - 1`, …, `b + 2^to` of class `to`. `b` keeps the first
/// `2^to` bytes.
///
/// # Safety
///
/// `b` is a block of class `from` (aligned to `2^from`) that the caller owns, `to <= from`.
#[inline(never)]
unsafe fn split(b: *mut u8, mut from: u32, to: u32) {
    while from > to {
        from -= 1;
        let half = b.wrapping_add(1 << from);
        // SAFETY: `half` lies inside the caller's block and is aligned to a word; it becomes the
        // head of its class's list, linked to the previous head.
        unsafe {
            half.cast::<*mut u8>().write(*list(from));
            *list(from) = half;
        }
    }
}

/// A block of at least `size` bytes aligned to `align`, or null.
#[inline(never)]
pub(crate) fn alloc(size: usize, align: usize) -> *mut u8 {
    let shift = class(size, align);
    if shift > MAX_SMALL {
        return map(pages(size), align);
    }
    let mut from = shift;
    let b = loop {
        if from == CHUNK {
            let chunk = map(1 << CHUNK, 1 << CHUNK);
            if chunk.is_null() {
                return chunk;
            }
            break chunk;
        }
        // SAFETY: `list(from)` is a list head; a non-null head is a free block whose first word
        // links to the next, and it is taken off the list here.
        unsafe {
            let head = *list(from);
            if !head.is_null() {
                *list(from) = *head.cast::<*mut u8>();
                break head;
            }
        }
        from += 1;
    };
    // SAFETY: `b` is a free block of class `from` (a list's or a new chunk), now ours.
    unsafe { split(b, from, shift) };
    b
}

/// Gives back the block `ptr` that [`alloc`] returned for `size` and `align`.
///
/// # Safety
///
/// `ptr` came from [`alloc`] (or [`realloc`]) with this `size` and `align`, and is not used
/// after this.
#[inline(never)]
pub(crate) unsafe fn dealloc(ptr: *mut u8, size: usize, align: usize) {
    let shift = class(size, align);
    if shift > MAX_SMALL {
        // SAFETY: a large block is a mapping of `pages(size)` bytes of its own at `ptr`.
        unsafe { unmap(ptr, pages(size)) };
    } else {
        // SAFETY: a small block of class `shift`, ours again: it becomes its list's head.
        unsafe {
            ptr.cast::<*mut u8>().write(*list(shift));
            *list(shift) = ptr;
        }
    }
}

/// Resizes the block `ptr` (allocated for `size` and `align`) to `new_size` bytes, keeping its
/// contents up to the smaller size: the block itself or a new one, or null (the old block is
/// then untouched).
///
/// # Safety
///
/// As for [`dealloc`]; `new_size` is not zero and rounded up to `align` does not overflow
/// `isize`.
#[inline(never)]
pub(crate) unsafe fn realloc(ptr: *mut u8, size: usize, align: usize, new_size: usize) -> *mut u8 {
    let (old, new) = (class(size, align), class(new_size, align));
    if old <= MAX_SMALL {
        if new <= old {
            // SAFETY: the caller's block of class `old`, which keeps its first `2^new` bytes.
            unsafe { split(ptr, old, new) };
            return ptr;
        }
    } else if new > MAX_SMALL && align <= PAGE {
        // SAFETY: a large block is a mapping of `pages(size)` bytes of its own at `ptr`; any
        // address `mremap` moves it to is page-aligned, which is all `align` asks.
        return unsafe { remap(ptr, pages(size), pages(new_size)) };
    }
    let moved = alloc(new_size, align);
    if !moved.is_null() {
        // SAFETY: both blocks hold at least the smaller size, and they are distinct live blocks.
        unsafe {
            core::ptr::copy_nonoverlapping(ptr, moved, size.min(new_size));
            dealloc(ptr, size, align);
        }
    }
    moved
}
