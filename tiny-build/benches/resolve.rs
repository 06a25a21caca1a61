//! Benchmark: resolve every `Nt*`/`Zw*` export of Wine's `ntdll.dll` (goal: median ≤ 5 ms).
//!
//! `cargo bench -p tiny-build --bench resolve` prints the median over runs of
//! [`resolve_bytes`](tiny_build::resolve::windows::resolve_bytes) (the file already in memory)
//! and of `resolve_file` (reading included). Plain `std::time::Instant`; not a timed test.

use std::hint::black_box;
use std::time::{Duration, Instant};

use tiny_build::resolve::windows;

const RUNS: usize = 101;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn measure(mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    for _ in 0..5 {
        f(); // warm-up
    }
    let times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    let min = *times.iter().min().unwrap();
    let max = *times.iter().max().unwrap();
    (median(times), min, max)
}

fn main() {
    let Some(path) = windows::wine_candidates().into_iter().find(|p| p.is_file()) else {
        eprintln!("resolve bench: Wine's ntdll.dll not found; install wine64/libwine");
        std::process::exit(1);
    };
    let bytes = std::fs::read(&path).expect("read Wine's ntdll.dll");
    let r = windows::resolve_bytes(&path, &bytes).expect("resolve Wine's ntdll.dll");
    println!(
        "{}: {} bytes, {} stubs, {} not syscalls",
        path.display(),
        bytes.len(),
        r.stubs.len(),
        r.not_syscall.len()
    );
    let (med, min, max) = measure(|| {
        black_box(windows::resolve_bytes(&path, black_box(&bytes)).unwrap());
    });
    println!(
        "resolve_bytes: median {med:?} (min {min:?}, max {max:?}) over {RUNS} runs; goal <= 5ms"
    );
    let (med, min, max) = measure(|| {
        black_box(windows::resolve_file(black_box(&path)).unwrap());
    });
    println!(
        "resolve_file:  median {med:?} (min {min:?}, max {max:?}) over {RUNS} runs (reading included)"
    );
}
