//! Fuzzing the resolver's from-bytes entry point on stable Rust, and the seed corpus of the
//! cargo-fuzz target in `fuzz/` (which needs nightly).
//!
//! Both tests are `#[ignore]`d (not part of CI):
//! - `cargo test -p tiny-build --test resolve_fuzz -- --ignored stable_fuzz --nocapture`
//!   mutates the seed images with a small PRNG for `TINY_FUZZ_SECS` seconds (default 600) and
//!   fails if any input panics (the input is saved to `target/fuzz-panics/`). Use the dev
//!   profile: its debug assertions check for misaligned pointer dereferences (those abort);
//! - `... -- --ignored write_fuzz_seeds` rewrites `fuzz/corpus/resolve_bytes/`.

mod resolve_support;

use std::panic;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use resolve_support::{Rng, seed_fixtures};
use tiny_build::resolve::windows;

#[test]
#[ignore = "writes the fuzz seed corpus"]
fn write_fuzz_seeds() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/resolve_bytes");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in seed_fixtures() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// Values that tend to sit on boundaries of PE fields.
const INTERESTING: [u32; 12] = [
    0,
    1,
    2,
    0x7f,
    0x80,
    0xff,
    0x1000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fffe,
    0xffff_ffff,
    0x200,
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        if input.is_empty() {
            input.push(rng.next() as u8);
            continue;
        }
        let at = rng.below(input.len());
        match rng.below(8) {
            0 => input[at] ^= 1 << rng.below(8),
            1 => input[at] = rng.next() as u8,
            2 => {
                let value = INTERESTING[rng.below(INTERESTING.len())].to_le_bytes();
                for (i, b) in value.iter().enumerate() {
                    if let Some(slot) = input.get_mut(at + i) {
                        *slot = *b;
                    }
                }
            }
            3 => input.truncate(at),
            4 => {
                let len = rng.below(64).min(input.len() - at);
                input.drain(at..at + len);
            }
            5 => {
                let len = rng.below(64);
                let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                input.splice(at..at, bytes);
            }
            6 => {
                // Copy a chunk from elsewhere (x86 code over headers, names over code, …).
                let from = rng.below(input.len());
                let len = rng.below(32).min(input.len() - from).min(input.len() - at);
                let chunk = input[from..from + len].to_vec();
                input[at..at + len].copy_from_slice(&chunk);
            }
            _ => {
                let value = (rng.next() as u32).to_le_bytes();
                for (i, b) in value.iter().enumerate() {
                    if let Some(slot) = input.get_mut(at + i) {
                        *slot = *b;
                    }
                }
            }
        }
    }
}

#[test]
#[ignore = "runs for TINY_FUZZ_SECS seconds (default 600)"]
fn stable_fuzz() {
    #[allow(clippy::disallowed_methods)] // a test knob, not a build input
    let secs: u64 = std::env::var("TINY_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let seeds: Vec<Vec<u8>> = seed_fixtures()
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ secs);
    let panics_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-panics");
    panic::set_hook(Box::new(|_| {}));
    let start = Instant::now();
    let (mut runs, mut ok, mut panics) = (0u64, 0u64, 0u64);
    let mut corpus = seeds.clone();
    while start.elapsed() < Duration::from_secs(secs) {
        for _ in 0..1000 {
            let mut input = corpus[rng.below(corpus.len())].clone();
            mutate(&mut rng, &mut input);
            let result = panic::catch_unwind(|| windows::resolve_bytes("fuzz.dll", &input).is_ok());
            runs += 1;
            match result {
                Ok(true) => {
                    ok += 1;
                    // Inputs that still resolve are good starting points for further mutation.
                    if corpus.len() < 4096 {
                        corpus.push(input);
                    }
                }
                Ok(false) => {}
                Err(_) => {
                    panics += 1;
                    std::fs::create_dir_all(&panics_dir).unwrap();
                    std::fs::write(panics_dir.join(format!("panic-{runs}")), &input).unwrap();
                }
            }
        }
    }
    let _ = panic::take_hook();
    println!(
        "stable_fuzz: {runs} executions in {:.0?}, {ok} resolved, {panics} panics, corpus {}",
        start.elapsed(),
        corpus.len()
    );
    assert_eq!(
        panics,
        0,
        "inputs that panicked are in {}",
        panics_dir.display()
    );
}
