//! A randomized allocation workload checked against a model, for `tiny::Heap`.
//!
//! The same source runs inside a tiny program (`no_std`, the heap under test; the tests
//! include it into a user-style crate with `include_str!`) and in the test process with std's
//! allocator, and both must print the same summary. It uses only `core` and `alloc`.
//!
//! The model: each live raw block is a slot (address, size, alignment, seed) whose every
//! `stride`-th byte (and its last) holds `byte(seed, i)`. Every operation checks the alignment
//! of what it gets, and before a block is freed or resized, that the bytes it must keep are
//! still the model's (an overlap between two live blocks, or a resize that lost data, breaks
//! this). Sizes span the small classes, the 128 KiB mmap threshold and blocks of several MiB;
//! alignments go from 1 to 4096 (and, rarely, 64 KiB); blocks grow and shrink by `realloc`;
//! one allocation in eight is `alloc_zeroed`, whose bytes are checked to be zero.
//! Then the collections: a `Vec` grown to 16 MiB and shrunk, `String`, `Box`, a `BTreeMap`
//! of boxed slices, and zero-size requests (`Vec::new`, `Box<()>`, `Vec<()>`, a `Vec` shrunk
//! to nothing), all checked.

use alloc::alloc::{Layout, alloc, alloc_zeroed, dealloc, realloc};
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        (self.next() >> 32) % n
    }

    /// A request size: mostly small, some around the mmap threshold, a few of several MiB.
    fn size(&mut self) -> usize {
        let (lo, hi) = match self.below(100) {
            0..=59 => (1, 128),
            60..=84 => (129, 4096),
            85..=96 => (4097, 192 * 1024),
            97..=98 => (192 * 1024, 1 << 20),
            _ => (1 << 20, 6 << 20),
        };
        lo + self.below((hi - lo + 1) as u64) as usize
    }

    /// An alignment: 1 to 4096, rarely 8 KiB to 64 KiB.
    fn align(&mut self) -> usize {
        if self.below(100) == 0 {
            1 << (13 + self.below(4))
        } else {
            1 << self.below(13)
        }
    }
}

/// The model's byte `i` of a block with `seed`.
fn byte(seed: u8, i: usize) -> u8 {
    seed.wrapping_add((i as u8).wrapping_mul(31)) ^ (i >> 8) as u8
}

#[derive(Clone, Copy)]
struct Slot {
    ptr: *mut u8,
    size: usize,
    align: usize,
    seed: u8,
}

/// Writes the model's bytes `from..size` (those at multiples of `stride`, and the last).
///
/// # Safety
/// `slot.ptr` holds `slot.size` bytes.
unsafe fn fill(slot: &Slot, from: usize, stride: usize) {
    let mut i = from.div_ceil(stride) * stride;
    while i < slot.size {
        // SAFETY: `i < size`, and the block holds `size` bytes (the caller's duty).
        unsafe { *slot.ptr.add(i) = byte(slot.seed, i) };
        i += stride;
    }
    if slot.size > 0 {
        // SAFETY: as above, for the last byte.
        unsafe { *slot.ptr.add(slot.size - 1) = byte(slot.seed, slot.size - 1) };
    }
}

/// Whether bytes `0..len` hold the model's, as [`fill`] wrote them: those at multiples of
/// `stride`, and the last when `len` is the whole block.
///
/// # Safety
/// `slot.ptr` holds `len` bytes.
unsafe fn intact(slot: &Slot, len: usize, stride: usize) -> bool {
    let mut i = 0;
    while i < len {
        // SAFETY: `i < len`, and the block holds `len` bytes (the caller's duty).
        if unsafe { *slot.ptr.add(i) } != byte(slot.seed, i) {
            return false;
        }
        i += stride;
    }
    // SAFETY: `len - 1` is read only when `len` is non-zero (and the block holds `len` bytes).
    len == 0 || len != slot.size || unsafe { *slot.ptr.add(len - 1) } == byte(slot.seed, len - 1)
}

/// Whether the block's bytes at multiples of `stride`, and its last, are zero.
///
/// # Safety
/// `slot.ptr` holds `slot.size` bytes.
unsafe fn zero(slot: &Slot, stride: usize) -> bool {
    let mut i = 0;
    while i < slot.size {
        // SAFETY: `i < size`, and the block holds `size` bytes (the caller's duty).
        if unsafe { *slot.ptr.add(i) } != 0 {
            return false;
        }
        i += stride;
    }
    // SAFETY: as above, for the last byte (`size` is not zero).
    unsafe { *slot.ptr.add(slot.size - 1) == 0 }
}

/// What a run did, for the caller to print: a checksum of the model's bytes read back and the
/// number of operations of each kind.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Allocations, reallocations (grow, shrink) and frees of raw blocks.
    pub ops: [u64; 4],
    /// A checksum of what the collections phase read back.
    pub sum: u64,
}

/// Runs `rounds` random operations on 256 slots with `seed`, checking every `stride`-th byte
/// (1: all of them), then the collections phase. `Err` names the first check that failed.
pub fn run(seed: u64, rounds: u64, stride: usize) -> Result<Summary, &'static str> {
    const SLOTS: usize = 256;
    let mut rng = Rng(seed | 1);
    let mut slots = [None::<Slot>; SLOTS];
    let mut summary = Summary::default();
    for round in 0..rounds + SLOTS as u64 {
        let index = if round < rounds {
            rng.below(SLOTS as u64) as usize
        } else {
            (round - rounds) as usize // the end: free every slot left
        };
        match slots[index] {
            None if round < rounds => {
                let (size, align) = (rng.size(), rng.align());
                let layout = Layout::from_size_align(size, align).map_err(|_| "layout")?;
                let zeroed = rng.below(8) == 0;
                // SAFETY: `layout` has a non-zero size.
                let ptr = unsafe {
                    if zeroed {
                        alloc_zeroed(layout)
                    } else {
                        alloc(layout)
                    }
                };
                if ptr.is_null() {
                    return Err("alloc returned null");
                }
                if !(ptr as usize).is_multiple_of(align) {
                    return Err("alloc: misaligned block");
                }
                let slot = Slot {
                    ptr,
                    size,
                    align,
                    seed: rng.next() as u8,
                };
                // SAFETY: the new block holds `size` bytes (checked non-null above).
                if zeroed && !unsafe { zero(&slot, stride) } {
                    return Err("alloc_zeroed: a byte is not zero");
                }
                // SAFETY: the new block holds `size` bytes (checked non-null above).
                unsafe { fill(&slot, 0, stride) };
                slots[index] = Some(slot);
                summary.ops[0] += 1;
            }
            None => {}
            Some(mut slot) => {
                // SAFETY: a live slot's block holds `size` bytes.
                if !unsafe { intact(&slot, slot.size, stride) } {
                    return Err("a live block's bytes changed");
                }
                let layout = Layout::from_size_align(slot.size, slot.align).unwrap();
                if round < rounds && rng.below(2) == 0 {
                    // grow or shrink: a new size, or a small step from the current one
                    let new_size = match rng.below(3) {
                        0 => rng.size(),
                        1 => slot.size + 1 + rng.below(slot.size as u64) as usize,
                        _ => 1 + rng.below(slot.size as u64) as usize,
                    };
                    // SAFETY: the slot's block was allocated with `layout`; `new_size` is not zero and is far
                    // below `isize::MAX`.
                    let ptr = unsafe { realloc(slot.ptr, layout, new_size) };
                    if ptr.is_null() {
                        return Err("realloc returned null");
                    }
                    if !(ptr as usize).is_multiple_of(slot.align) {
                        return Err("realloc: misaligned block");
                    }
                    let kept = slot.size.min(new_size);
                    summary.ops[if new_size > slot.size { 1 } else { 2 }] += 1;
                    // the old model at the new address (its last byte too when all was kept)
                    slot.ptr = ptr;
                    // SAFETY: the new block holds `new_size` >= `kept` bytes.
                    if !unsafe { intact(&slot, kept, stride) } {
                        return Err("realloc lost the block's bytes");
                    }
                    slot.size = new_size;
                    // SAFETY: the block holds `slot.size` bytes.
                    unsafe { fill(&slot, kept, stride) };
                    slots[index] = Some(slot);
                } else {
                    // SAFETY: the slot's block was allocated with `layout`; the slot forgets it.
                    unsafe { dealloc(slot.ptr, layout) };
                    slots[index] = None;
                    summary.ops[3] += 1;
                }
            }
        }
    }
    summary.sum = collections(&mut rng)?;
    Ok(summary)
}

/// `Vec`, `String`, `Box`, `BTreeMap` and zero-size requests; a checksum of what was read back.
fn collections(rng: &mut Rng) -> Result<u64, &'static str> {
    let mut sum = 0u64;
    // a Vec grown element by element to 16 MiB (its reallocations cross the mmap threshold and
    // then grow the mapping), checked, shrunk to a small size and to nothing
    let mut v: Vec<u64> = Vec::new();
    for i in 0..(2u64 << 20) {
        v.push(i * 3);
    }
    if v.iter().enumerate().any(|(i, &x)| x != i as u64 * 3) {
        return Err("Vec: wrong contents after growing");
    }
    v.truncate(1000);
    v.shrink_to_fit();
    if v.capacity() != 1000 || v.iter().enumerate().any(|(i, &x)| x != i as u64 * 3) {
        return Err("Vec: wrong contents after shrinking");
    }
    sum = sum.wrapping_add(v.iter().sum::<u64>());
    v.clear();
    v.shrink_to_fit(); // frees the block
    if v.capacity() != 0 {
        return Err("Vec: capacity after shrinking to nothing");
    }
    // zero-size requests: no block, or a dangling well-aligned pointer
    let empty: Vec<u32> = Vec::with_capacity(0);
    let unit = Box::new(());
    let units: Vec<()> = (0..1000).map(|_| ()).collect();
    if empty.capacity() != 0 || units.len() != 1000 || core::mem::size_of_val(&*unit) != 0 {
        return Err("zero-size values");
    }
    // String
    let mut s = String::new();
    for i in 0..5000u32 {
        s.push(char::from(b'a' + (i % 26) as u8));
        if i % 7 == 0 {
            s.push_str("-tiny-");
        }
    }
    if s.len() != 5000 + 6 * 715 || !s.starts_with("a-tiny-bcdefgh-tiny-") {
        return Err("String: wrong contents");
    }
    sum = sum.wrapping_add(s.bytes().map(u64::from).sum::<u64>());
    // BTreeMap of boxed slices of random sizes (some large), half of them removed
    let mut map: BTreeMap<u32, Box<[u8]>> = BTreeMap::new();
    for k in 0..3000u32 {
        let len = if k % 500 == 0 {
            200_000
        } else {
            rng.below(300) as usize
        };
        let fill = k as u8;
        map.insert(
            k.wrapping_mul(2_654_435_761),
            alloc::vec![fill; len].into_boxed_slice(),
        );
    }
    let keys: Vec<u32> = map.keys().copied().collect();
    for k in keys.iter().step_by(2) {
        map.remove(k);
    }
    for (k, b) in &map {
        let expect = (k.wrapping_mul(INVERSE)) as u8;
        if b.iter().any(|&x| x != expect) {
            return Err("BTreeMap: a value's bytes changed");
        }
        sum = sum.wrapping_add(u64::from(*k) ^ b.len() as u64);
    }
    if map.len() != 1500 {
        return Err("BTreeMap: wrong length");
    }
    Ok(sum)
}

/// The multiplicative inverse of 2654435761 modulo 2^32: maps a key back to its index.
const INVERSE: u32 = 244_002_641;
