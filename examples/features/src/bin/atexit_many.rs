//! `tiny::atexit` past its first table of 32: 100 handlers (no cap with the heap feature), run newest first.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering::Relaxed};

/// The letters the handlers wrote, in the order they ran, and a newline.
static RAN: [AtomicU8; 128] = [const { AtomicU8::new(b'\n') }; 128];
static LEN: AtomicUsize = AtomicUsize::new(0);

fn note(letter: u8) {
    if let Some(slot) = RAN.get(LEN.fetch_add(1, Relaxed)) {
        slot.store(letter, Relaxed);
    }
}

fn a() {
    note(b'a');
}

fn b() {
    note(b'b');
}

/// Registered first, runs last: prints the letters and the newline after them.
fn report() {
    let n = LEN.load(Relaxed);
    for ran in RAN.iter().take(n + 1) {
        tiny::print_bytes(&[ran.load(Relaxed)]);
    }
}

#[tiny::main]
fn main() -> u8 {
    let mut ok = tiny::atexit(report).is_ok();
    for i in 0..99 {
        ok &= tiny::atexit(if i % 2 == 0 { a } else { b }).is_ok();
    }
    u8::from(!ok)
}
