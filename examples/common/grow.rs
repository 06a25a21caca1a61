//! `Grow<T>`: a growable array of `Copy` values on the global allocator (tiny's heap), for the
//! examples that hold their input (`head`, `uniq`, `sort`; included with `#[path]`).
//!
//! Why not `Vec`: `Vec`'s growth reports a failed allocation through `handle_alloc_error`, whose
//! default handler formats `memory allocation of N bytes failed` with `core::fmt` — about 2.5 KB
//! in a program that formats nothing else. A failed allocation here ends the program as GNU's
//! `xalloc_die` does: `PROG: memory exhausted` and the crate's `OUT_OF_MEMORY` exit code.

// not every example uses every method
#![allow(dead_code)]

use core::alloc::Layout;
use core::marker::PhantomData;

/// A growable array of `T`, as `Vec<T>` for the few operations the examples need.
pub struct Grow<T: Copy> {
    ptr: *mut T,
    len: usize,
    cap: usize,
    _own: PhantomData<T>,
}

/// Ends the program as GNU's `xalloc_die`: `PROG: memory exhausted`.
#[cold]
#[inline(never)]
pub fn out_of_memory() -> ! {
    let _ = tiny::write_all(tiny::STDERR, tiny::args().next().unwrap_or_default());
    let _ = tiny::write_all(tiny::STDERR, b": memory exhausted\n");
    tiny::exit(crate::OUT_OF_MEMORY.into())
}

impl<T: Copy> Grow<T> {
    /// An empty array (no allocation).
    pub const fn new() -> Grow<T> {
        const { assert!(size_of::<T>() != 0, "no zero-sized values") };
        Grow {
            ptr: core::ptr::null_mut(),
            len: 0,
            cap: 0,
            _own: PhantomData,
        }
    }

    /// The layout of `n` values (`None` when it does not fit in `isize`).
    fn layout(n: usize) -> Option<Layout> {
        Layout::array::<T>(n).ok()
    }

    /// Makes room for `more` values after the `len` there are (at least doubling).
    #[inline(never)]
    fn reserve(&mut self, more: usize) {
        if self.cap - self.len >= more {
            return;
        }
        let want = self.len.saturating_add(more);
        let cap = want.max(self.cap.saturating_mul(2)).max(16);
        let Some(new) = Self::layout(cap) else {
            out_of_memory();
        };
        // SAFETY: `new` has a non-zero size (16 values at least, and `T` is not zero-sized:
        // see `new`); the old block, if any, was allocated with `layout(self.cap)`, and
        // `new.size()` fits in `isize` (`layout` checked it).
        let ptr = unsafe {
            match Self::layout(self.cap) {
                Some(old) if !self.ptr.is_null() => {
                    alloc::alloc::realloc(self.ptr.cast(), old, new.size())
                }
                _ => alloc::alloc::alloc(new),
            }
        };
        if ptr.is_null() {
            out_of_memory();
        }
        self.ptr = ptr.cast();
        self.cap = cap;
    }

    /// Appends `value`.
    pub fn push(&mut self, value: T) {
        self.reserve(1);
        // SAFETY: `reserve` made room for one more value at `len`.
        unsafe { self.ptr.add(self.len).write(value) };
        self.len += 1;
    }

    /// Appends the values of `values`.
    pub fn extend(&mut self, values: &[T]) {
        self.reserve(values.len());
        // SAFETY: `reserve` made room for `values.len()` more values at `len`; `values` is
        // not in this array's block (it is borrowed while `self` is mutably borrowed).
        unsafe {
            self.ptr
                .add(self.len)
                .copy_from_nonoverlapping(values.as_ptr(), values.len());
        }
        self.len += values.len();
    }

    /// Empties the array (the block stays for reuse).
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// The values.
    pub fn as_slice(&self) -> &[T] {
        if self.ptr.is_null() {
            return &[];
        }
        // SAFETY: the first `len` values of the block are initialized.
        unsafe { core::slice::from_raw_parts(self.ptr, self.len) }
    }

    /// The values, to change in place.
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        if self.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: the first `len` values of the block are initialized, and `self` is borrowed
        // mutably for as long as the slice lives.
        unsafe { core::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

impl<T: Copy> core::ops::Deref for Grow<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: Copy> Drop for Grow<T> {
    fn drop(&mut self) {
        if let (false, Some(layout)) = (self.ptr.is_null(), Self::layout(self.cap)) {
            // SAFETY: the block was allocated with this layout and is freed once.
            unsafe { alloc::alloc::dealloc(self.ptr.cast(), layout) };
        }
    }
}
