//! The size-class allocator of [`crate::Heap`] on systems that give out pages (Linux): the
//! OS module that includes this file provides `map(len, align)`, `unmap(ptr, len)`,
//! `remap(ptr, old_len, new_len)` and the page size `PAGE` (see `os/linux.rs`).
//!
//! - A request's **class** is its size and alignment rounded up to a power of two, at least
//!   16 bytes: `2^shift` with `shift = bits of ((size - 1) | (align - 1) | 15)`.
//! - **Small** classes (16 B … [`MAX_SMALL`] = 128 KiB, glibc's default mmap threshold) are
//!   blocks of exactly their class size, aligned to it. Freed blocks go on their class's free
//!   list (a singly linked list through the blocks' first word; no header, the class comes
//!   back from the layout `dealloc` is given). An empty list is refilled with a whole 128 KiB
//!   run cut into blocks of its class (so a class in use holds at least 128 KiB); runs are cut
//!   in turn from 1 MiB chunks ([`CHUNK`]) mapped aligned to the run size. A run stays with
//!   its class: memory freed in one class is never split or merged into another, so no class
//!   starves while another hoards (the heap holds at most each class's peak, rounded up to
//!   runs). Small blocks are not returned to the kernel.
//! - **Large** requests are mappings of their own (whole pages, aligned as asked), unmapped
//!   when freed.
//! - **realloc**: within one small class the block stays; a large block that stays large is
//!   resized by `mremap`, which extends or shrinks it in place when it can and otherwise moves
//!   its pages without copying; anything else is allocate, copy, free.

use super::{PAGE, map, remap, unmap};

/// The smallest class: 16 bytes (two words: enough for any `align` ≤ 16, as `malloc` gives).
const MIN_SHIFT: u32 = 4;
/// The largest small class: 128 KiB (as glibc's default `M_MMAP_THRESHOLD`), also the size
/// of a run. Larger requests are mapped on their own.
const MAX_SMALL: u32 = 17;
/// Runs are cut from chunks of 1 MiB (`2^CHUNK`), mapped aligned to the run size, so that each
/// block is aligned to its own size.
const CHUNK: u32 = 20;

/// The free lists of the classes `2^MIN_SHIFT` … `2^MAX_SMALL` (the first free block of each,
/// or null), then the chunk being cut into runs: where its next run starts and where it ends.
struct State(core::cell::UnsafeCell<[*mut u8; (MAX_SMALL - MIN_SHIFT + 3) as usize]>);

// SAFETY: tiny programs have one thread (the runtime starts no other), so the state is never
// used concurrently.
unsafe impl Sync for State {}

static STATE: State = State(core::cell::UnsafeCell::new(
    [core::ptr::null_mut(); (MAX_SMALL - MIN_SHIFT + 3) as usize],
));

/// Where in [`STATE`] (see [`list`]) the chunk's next run is.
const NEXT: u32 = MAX_SMALL + 1;
/// Where in [`STATE`] (see [`list`]) the chunk's end is.
const END: u32 = MAX_SMALL + 2;

/// The class of a request, as a shift (see the module docs); 64 for a zero-size request, which
/// `GlobalAlloc` does not allow and which is then refused like an impossible one.
#[inline(always)]
fn class(size: usize, align: usize) -> u32 {
    usize::BITS - (size.wrapping_sub(1) | (align - 1) | ((1 << MIN_SHIFT) - 1)).leading_zeros()
}

/// The free list of class `shift` (`MIN_SHIFT <= shift <= MAX_SMALL`), or with [`NEXT`] and
/// [`END`] the chunk's bounds.
#[inline(always)]
fn list(shift: u32) -> *mut *mut u8 {
    // SAFETY: in bounds for the shifts the callers pass (MIN_SHIFT..=END).
    unsafe {
        STATE
            .0
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

/// A block of at least `size` bytes aligned to `align`, or null.
#[inline(never)]
pub(crate) fn alloc(size: usize, align: usize) -> *mut u8 {
    let shift = class(size, align);
    if shift > MAX_SMALL {
        return map(pages(size), align);
    }
    let head = list(shift);
    // SAFETY: one thread. A list's blocks are free blocks of its class whose first word links
    // to the next; a run is 2^MAX_SMALL bytes of a chunk that no block uses yet, which is cut
    // into blocks of the class (aligned to their size: the run is aligned to its own), linked
    // in address order. The block returned is taken off the list.
    unsafe {
        if (*head).is_null() {
            if *list(NEXT) == *list(END) {
                let chunk = map(1 << CHUNK, 1 << MAX_SMALL);
                if chunk.is_null() {
                    return chunk;
                }
                *list(NEXT) = chunk;
                *list(END) = chunk.add(1 << CHUNK);
            }
            let run = *list(NEXT);
            *list(NEXT) = run.add(1 << MAX_SMALL);
            let mut b = run.add(1 << MAX_SMALL);
            while b != run {
                b = b.sub(1 << shift);
                b.cast::<*mut u8>().write(*head);
                *head = b;
            }
        }
        let b = *head;
        *head = *b.cast::<*mut u8>();
        b
    }
}

/// [`alloc`], with the block's bytes zero: a large block is a new mapping, which the kernel
/// zeroes; a small one is cleared here.
#[inline(never)]
pub(crate) fn alloc_zeroed(size: usize, align: usize) -> *mut u8 {
    let b = alloc(size, align);
    if !b.is_null() && class(size, align) <= MAX_SMALL {
        // SAFETY: the block holds at least `size` bytes, and is ours.
        unsafe { b.write_bytes(0, size) };
    }
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
        if new == old {
            return ptr;
        }
    } else if new > MAX_SMALL && align <= PAGE {
        // SAFETY: a large block is a mapping of `pages(size)` bytes of its own at `ptr`; any
        // address `mremap` moves it to is page-aligned, which is all `align` asks.
        return unsafe { remap(ptr, pages(size), pages(new_size)) };
    }
    // SAFETY: as the caller promises.
    unsafe { crate::heap::move_block(ptr, size, align, new_size) }
}
