//! INTERIM, until tiny's heap lands on main (then this file and its `#[path]` lines go): a
//! global allocator that maps each block on its own (Linux only), so that the examples that
//! use the heap build and run meanwhile.

struct Mmap;

// SAFETY: each block is a fresh private anonymous mapping of at least `size` bytes, aligned to
// a page (4096, enough for every layout the examples ask for), unmapped once by `dealloc`.
unsafe impl core::alloc::GlobalAlloc for Mmap {
    unsafe fn alloc(&self, layout: core::alloc::Layout) -> *mut u8 {
        // SAFETY: `mmap` with no address maps new memory and touches none of the program's.
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
        // SAFETY: `ptr` is a mapping of `layout.size()` bytes that `alloc` made.
        unsafe { tiny::syscall!(munmap, ptr, layout.size()) };
    }
}

#[global_allocator]
static INTERIM: Mmap = Mmap;
