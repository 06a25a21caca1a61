//! Windows x86_64 end to end, under Wine: the examples built for `x86_64-pc-windows-gnu` with
//! plain `cargo build --release` (mingw-w64's driver, tiny's link step) are squeezed PE files
//! with no import table that keep every checked Windows loader rule, and behave like the Linux
//! builds on the same inputs.

use std::path::Path;

use tiny_tests::{Run, Stdin, example, example_for, root, run, run_command, scratch, size, wine};

const TARGET: &str = "x86_64-pc-windows-gnu";

fn win(name: &str) -> std::path::PathBuf {
    example_for(name, Some(TARGET))
}

/// Runs the Windows build of `name` under Wine in `dir`.
fn run_wine(name: &str, args: &[&str], stdin: Stdin<'_>, dir: &Path) -> Run {
    let mut cmd = wine(&win(name));
    cmd.args(args).current_dir(dir);
    run_command(cmd, stdin)
}

#[test]
fn hello_under_wine() {
    let r = run_wine("hello", &[], Stdin::Null, &root());
    assert_eq!(
        (r.code, r.out(), r.err()),
        (Some(0), "Hello, World!\n".into(), String::new())
    );
}

#[test]
fn exit_codes_under_wine() {
    for (name, code) in [("true", 0), ("false", 1)] {
        let r = run_wine(name, &[], Stdin::Null, &root());
        assert_eq!((r.code, r.stdout.len()), (Some(code), 0), "{name}");
    }
}

/// Every produced PE keeps the loader rules tiny checks (Wine checks far fewer) and has no
/// import table; `pelite`, an independent parser, reads it.
#[test]
fn images_keep_the_loader_rules() {
    use pelite::pe64::{Pe, PeFile};
    for name in ["hello", "true", "false"] {
        let bytes = std::fs::read(win(name)).unwrap();
        let broken: Vec<u32> = tiny_build::layout::pe::check(&bytes)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert!(broken.is_empty(), "{name} breaks rules {broken:?}");
        // pelite wants the NT headers 8-byte aligned in memory; e_lfanew is 4
        let mut storage = vec![0u64; bytes.len().div_ceil(8) + 1];
        let buf = &mut bytemuck_bytes(&mut storage)[4..4 + bytes.len()];
        buf.copy_from_slice(&bytes);
        let pe = PeFile::from_bytes(&*buf).unwrap_or_else(|e| panic!("{name}: pelite: {e}"));
        assert!(pe.imports().is_err(), "{name} has an import table");
        let entry = pe.optional_header().AddressOfEntryPoint;
        assert!(
            entry >= pe.optional_header().SizeOfHeaders,
            "{name}: entry {entry:#x} inside the headers"
        );
    }
}

fn bytemuck_bytes(words: &mut [u64]) -> &mut [u8] {
    // SAFETY: u64 has no padding and any byte pattern is valid; the length is in bytes.
    unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast(), words.len() * 8) }
}

/// Size budgets: the Runtime mode (ntdll found through the PEB at run time).
#[test]
fn sizes_within_budget() {
    let n = size(&win("hello"));
    eprintln!("hello.exe: {n} bytes (Runtime mode budget 512)");
    assert!(n <= 512, "hello.exe is {n} bytes");
}

/// The Linux and Windows builds agree on output and exit code.
fn same_as_linux(name: &str, args: &[&str], input: &'static [u8]) {
    let dir = scratch(&format!("win-{name}-{}", args.len()));
    let linux = run(&example(name), name, args, Stdin::Bytes(input), &dir);
    let windows = run_wine(name, args, Stdin::Bytes(input), &dir);
    assert_eq!(
        windows, linux,
        "{name} {args:?}: Windows (left) differs from Linux (right)"
    );
}

#[test]
fn hello_same_as_linux() {
    same_as_linux("hello", &[], b"");
}
