//! Shared helpers of the end-to-end tests: build an example the way a user would (`cargo build
//! --release` in its directory), run it, compare it with GNU coreutils.
//!
//! Examples share one target directory, `target/examples`, so their dependencies are built
//! once; cargo's own lock serializes concurrent builds.

extern crate alloc;

pub mod heap_workload;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The cargo that runs the tests.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `cargo build --release` for example `name` into `target_dir`; returns the cargo output.
pub fn cargo_build(name: &str, target_dir: &Path, extra: &[&str]) -> Output {
    cargo_build_in(&root().join("examples").join(name), target_dir, extra)
}

/// Runs `cargo build --release` in the crate at `dir` into `target_dir`.
pub fn cargo_build_in(dir: &Path, target_dir: &Path, extra: &[&str]) -> Output {
    cargo_build_command(dir, target_dir, extra)
        .output()
        .expect("cannot run cargo")
}

/// The `cargo build --release` command of [`cargo_build_in`], to add settings to.
pub fn cargo_build_command(dir: &Path, target_dir: &Path, extra: &[&str]) -> Command {
    let mut cmd = cargo();
    cmd.current_dir(dir)
        .args(["build", "--release", "--quiet"])
        .arg("--target-dir")
        .arg(target_dir)
        .args(extra)
        // the outer `cargo test` must not leak its own settings into the user-style build
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .env_remove("TINY_WINDOWS_MODE")
        .env_remove("TINY_REFUSAL");
    cmd
}

/// Asserts that a cargo command succeeded, showing what it printed when it did not.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Makes `dir` a user's crate like `examples/hello` (same manifest and build script, the
/// package named `name`), with the sources given as `(path, text)`.
pub fn user_crate(dir: &Path, name: &str, sources: &[(&str, &str)]) {
    std::fs::create_dir_all(dir).unwrap();
    let hello = root().join("examples/hello");
    let manifest = std::fs::read_to_string(hello.join("Cargo.toml"))
        .unwrap()
        .replace("name = \"hello\"", &format!("name = \"{name}\""))
        .replace("../../", &format!("{}/", root().display()));
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(hello.join("build.rs"), dir.join("build.rs")).unwrap();
    for (path, text) in sources {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Builds example `name` for the host (once per test process) and returns the executable.
pub fn example(name: &str) -> PathBuf {
    example_for(name, None)
}

/// Builds example `name` for `target` (`None`: the host) once per test process and returns
/// the executable.
pub fn example_for(name: &str, target: Option<&str>) -> PathBuf {
    static BUILT: OnceLock<Mutex<Vec<(String, PathBuf)>>> = OnceLock::new();
    let key = format!("{name}@{}", target.unwrap_or("host"));
    let built = BUILT.get_or_init(Default::default);
    let mut built = built.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, p)) = built.iter().find(|(n, _)| *n == key) {
        return p.clone();
    }
    let target_dir = root().join("target/examples");
    let extra: Vec<&str> = target.map(|t| vec!["--target", t]).unwrap_or_default();
    let out = cargo_build(name, &target_dir, &extra);
    assert!(
        out.status.success(),
        "building example {name} for {} failed:\n{}",
        target.unwrap_or("the host"),
        String::from_utf8_lossy(&out.stderr)
    );
    let exe = match target {
        None => target_dir.join("release").join(name),
        Some(t) if t.contains("windows") => target_dir
            .join(t)
            .join("release")
            .join(format!("{name}.exe")),
        Some(t) => target_dir.join(t).join("release").join(name),
    };
    built.push((key, exe.clone()));
    exe
}

/// A `wine` command for the tests: `WINEDEBUG=-all`, a test-owned prefix under `target/`, no
/// Mono/Gecko installers. The prefix is created once per test process, before any program
/// runs (~8 s the first time), so that no test sees Wine's messages about creating it.
pub fn wine(exe: &Path) -> Command {
    static PREFIX: OnceLock<()> = OnceLock::new();
    let wine = which("wine")
        .expect("wine not found on PATH: install Debian's wine and wine64 (cargo xtask setup)");
    let prefix = root().join("target/wine-prefix");
    let command = |program: &Path| {
        let mut cmd = Command::new(program);
        cmd.env("WINEDEBUG", "-all")
            .env("WINEPREFIX", &prefix)
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=");
        cmd
    };
    PREFIX.get_or_init(|| {
        let boot = command(&wine)
            .args(["wineboot", "--init"])
            .output()
            .expect("cannot run wine");
        assert!(
            boot.status.success(),
            "wineboot failed: {}",
            String::from_utf8_lossy(&boot.stderr)
        );
        if let Some(server) = which("wineserver") {
            let _ = command(&server).arg("-w").status(); // until the prefix is written
        }
    });
    let mut cmd = command(&wine);
    cmd.arg(exe);
    cmd
}

/// The size of a file in bytes.
pub fn size(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

/// What a program did: exit code, stdout, stderr.
#[derive(Debug, PartialEq, Eq)]
pub struct Run {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: Vec<u8>,
    /// Standard error.
    pub stderr: Vec<u8>,
}

impl Run {
    /// Standard output as text (lossy).
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
    /// Standard error as text (lossy).
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Where a program's standard input comes from.
pub enum Stdin<'a> {
    /// A pipe fed with these bytes.
    Bytes(&'a [u8]),
    /// A file opened for reading.
    File(&'a Path),
    /// `/dev/null`.
    Null,
}

/// Runs `program` with `argv[0]` = `arg0`, in `dir`, with `args` and `stdin`.
pub fn run(program: &Path, arg0: &str, args: &[&str], stdin: Stdin<'_>, dir: &Path) -> Run {
    run_with_env(program, arg0, args, stdin, dir, &[])
}

/// Runs `cmd` with `stdin`, capturing stdout and stderr.
///
/// Under Wine, a run that Wine itself reports as broken (`wine: Unhandled page fault` or
/// `wine client error`: seen a few times in full test runs on a loaded machine, in a thread of
/// Wine's rather than the program's, with the program's own output and exit code right, and
/// never in 80 runs of the same command alone) is run once more; a program that really faults
/// faults again, and the second run is the result. So is a Wine run that ends with exit code 1
/// and writes nothing at all (seen once in a full run: wc, which always writes its counts or a
/// message, exited 1 with empty stdout and stderr, and passed three runs of the same test
/// alone): a program whose run really ends that way (`false`) ends that way again.
pub fn run_command(mut cmd: Command, stdin: Stdin<'_>) -> Run {
    let first = run_once(&mut cmd, &stdin);
    let is_wine = Path::new(cmd.get_program())
        .file_name()
        .is_some_and(|n| n == "wine");
    let err = first.err();
    let broken = err.contains("wine: Unhandled page fault") || err.contains("wine client error");
    let silent = first.code == Some(1) && first.stdout.is_empty() && first.stderr.is_empty();
    if is_wine && (broken || silent) {
        eprintln!(
            "Wine run {}; running again",
            if broken {
                err.trim()
            } else {
                "ended 1 with no output"
            }
        );
        return run_once(&mut cmd, &stdin);
    }
    first
}

fn run_once(cmd: &mut Command, stdin: &Stdin<'_>) -> Run {
    use std::io::Write;
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let feed = match *stdin {
        Stdin::Bytes(b) => {
            cmd.stdin(Stdio::piped());
            Some(b)
        }
        Stdin::File(p) => {
            cmd.stdin(std::fs::File::open(p).unwrap());
            None
        }
        Stdin::Null => {
            cmd.stdin(Stdio::null());
            None
        }
    };
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", cmd.get_program().display()));
    let writer = feed.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        let bytes = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes); // the program may exit without reading everything
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(300).collect()
}

/// The full path of `program` on `PATH`.
pub fn which(program: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// A fresh directory under `target/tmp` for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/tmp").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Deterministic pseudo-random bytes (xorshift), for "binary input" cases.
pub fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// [`run`] with extra environment variables.
pub fn run_with_env(
    program: &Path,
    arg0: &str,
    args: &[&str],
    stdin: Stdin<'_>,
    dir: &Path,
    env: &[(&str, &str)],
) -> Run {
    use std::os::unix::process::CommandExt;
    let mut cmd = Command::new(program);
    cmd.arg0(arg0)
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied());
    run_command(cmd, stdin)
}

/// The example `program` (built once, see [`example`]) next to its coreutils namesake, run in
/// `dir` (see [`same_as_coreutils`]): the shape of every comparison of the coreutils tests.
#[derive(Clone, Copy)]
pub struct Coreutils {
    /// Where both run (their input files live there).
    pub dir: &'static Path,
}

impl Coreutils {
    /// Both with `args` and no input on stdin (`/dev/null`).
    pub fn check(self, program: &str, args: &[&str]) -> Run {
        same_as_coreutils(&example(program), program, args, || Stdin::Null, self.dir)
    }

    /// Both with `args` and `input` through a pipe on stdin.
    pub fn pipe(self, program: &str, args: &[&str], input: &'static [u8]) -> Run {
        same_as_coreutils(
            &example(program),
            program,
            args,
            || Stdin::Bytes(input),
            self.dir,
        )
    }

    /// Both with `args` and the file `name` (in the directory) on stdin.
    pub fn file_stdin(self, program: &str, args: &[&str], name: &str) -> Run {
        let p: &'static Path = Box::leak(self.dir.join(name).into_boxed_path());
        same_as_coreutils(
            &example(program),
            program,
            args,
            || Stdin::File(p),
            self.dir,
        )
    }
}

/// Asserts that the example `program` (for the host) is at most `budget` bytes, and returns
/// its size. A budget is the measured size with a little room, so that growth is noticed.
pub fn assert_within_budget(program: &str, budget: u64) -> u64 {
    let size = size(&example(program));
    eprintln!("{program}: {size} bytes (asserted budget {budget})");
    assert!(
        size <= budget,
        "{program} is {size} bytes, over its budget of {budget}"
    );
    size
}

/// Runs `ours` and the coreutils program `reference` (from `PATH`) with the same `argv[0]`,
/// arguments, input and directory, and asserts that stdout, stderr and the exit code agree.
/// Both run with `LC_ALL=C`: the tiny examples implement the C locale (bytes ≥ 0x80 are neither
/// spaces nor printable).
pub fn same_as_coreutils(
    ours: &Path,
    reference: &str,
    args: &[&str],
    stdin: impl Fn() -> Stdin<'static>,
    dir: &Path,
) -> Run {
    let env = [("LC_ALL", "C")];
    let theirs_path = which(reference)
        .unwrap_or_else(|| panic!("{reference} not found on PATH (install coreutils)"));
    let a = run_with_env(ours, reference, args, stdin(), dir, &env);
    let b = run_with_env(&theirs_path, reference, args, stdin(), dir, &env);
    assert_eq!(
        a.code,
        b.code,
        "exit code of `{reference} {args:?}`: ours {:?}, coreutils {:?}\nour stderr: {}",
        a.code,
        b.code,
        a.err()
    );
    assert!(
        a.stdout == b.stdout,
        "stdout of `{reference} {args:?}` differs:\nours ({} bytes): {:?}\ncoreutils ({} bytes): {:?}",
        a.stdout.len(),
        truncate(&a.out()),
        b.stdout.len(),
        truncate(&b.out())
    );
    assert_eq!(a.err(), b.err(), "stderr of `{reference} {args:?}`");
    a
}

/// A user program that prints its environment (`tiny::env::vars`, one `NAME=VALUE` a line, in
/// order) after the value of `TINY_PROBE` (`tiny::env::var`, or `unset`), for the environment
/// tests on each OS.
pub const ENV_PROGRAM: &str = r#"#![no_std]
#![no_main]
#[tiny::main]
fn main() {
    match tiny::env::var("TINY_PROBE") {
        Some(v) => { tiny::print("TINY_PROBE is "); tiny::print_bytes(v); tiny::print("\n"); }
        None => tiny::print("TINY_PROBE is unset\n"),
    }
    for (name, value) in tiny::env::vars() {
        tiny::print_bytes(name);
        tiny::print("=");
        tiny::print_bytes(value);
        tiny::print("\n");
    }
}
"#;

/// A user program that creates, writes, appends to, truncates and reads files with
/// `tiny::fs` (paths as `&str`, bytes and C strings), for the file tests on each OS. Prints
/// what it read back and the error numbers of the calls that must fail; exits 0.
pub const FS_PROGRAM: &str = r#"#![no_std]
#![no_main]
use tiny::fs::{File, OpenOptions};

fn show(f: &mut File) -> Result<(), tiny::Errno> {
    let mut buf = [0u8; 64];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 { return Ok(()); }
        tiny::print_bytes(buf.get(..n).unwrap_or(&[]));
    }
}

fn number(e: tiny::Errno) {
    let _ = tiny::fmt::write_number(tiny::STDOUT, e.raw() as u64, 0);
    tiny::print("\n");
}

#[tiny::main]
fn main() -> Result<(), tiny::Failure> {
    let mut f = File::create("out.txt")?;
    f.write_all(b"one\n")?;
    f.close()?;
    let mut f = OpenOptions::new().append(true).open(c"out.txt")?;
    f.write_all(b"two\n")?;
    drop(f);
    // write without truncating: overwrites the start
    let mut f = OpenOptions::new().write(true).open(b"out.txt")?;
    f.write_all(b"ONE")?;
    drop(f);
    show(&mut File::open("out.txt")?)?;
    // create_new on an existing file, a missing file, no access at all
    number(OpenOptions::new().write(true).create_new(true).open("out.txt").unwrap_err());
    number(File::open("missing.txt").unwrap_err());
    number(OpenOptions::new().open("out.txt").unwrap_err());
    // truncate, then read and write through one file
    let mut f = OpenOptions::new().read(true).write(true).truncate(true).open("out.txt")?;
    f.write_all(b"three\n")?;
    drop(f);
    show(&mut File::open("out.txt")?)?;
    Ok(())
}
"#;

/// What [`FS_PROGRAM`] prints (Linux error numbers: the Windows runtime maps NTSTATUS to them).
pub const FS_PROGRAM_OUTPUT: &str = "ONE\ntwo\n17\n2\n22\nthree\n";

/// The `main.rs` of the heap workload program: runs [`heap_workload::run`] with the operands
/// `SEED ROUNDS STRIDE` under `tiny::Heap` and prints its summary as [`heap_summary`] does.
const HEAP_WORKLOAD_MAIN: &str = r#"#![no_std]
#![no_main]
extern crate alloc;

#[path = "../workload.rs"]
mod workload;

fn number(arg: Option<&[u8]>) -> u64 {
    arg.unwrap_or(b"0").iter().fold(0, |n, &d| n * 10 + u64::from(d.wrapping_sub(b'0')))
}

#[tiny::main]
fn main() -> Result<(), &'static str> {
    let mut args = tiny::operands();
    let (seed, rounds, stride) = (number(args.next()), number(args.next()), number(args.next()));
    let s = workload::run(seed, rounds, stride.max(1) as usize)?;
    for n in s.ops.iter().chain([&s.sum]) {
        let _ = tiny::fmt::write_number(tiny::STDOUT, *n, 0);
        tiny::print(" ");
    }
    tiny::print("ok\n");
    Ok(())
}
"#;

/// The `main.rs` of the out-of-memory program: `alloc` asks for a block of 2^62 bytes at
/// once, `realloc` grows a small `Vec` to that; both must fail (no system has that much
/// address space), and the program must report it and exit 101, not crash.
const HEAP_OOM_MAIN: &str = r#"#![no_std]
#![no_main]
extern crate alloc;
use alloc::vec::Vec;

#[tiny::main]
fn main() -> u8 {
    let huge = core::hint::black_box(1usize << 62);
    let mut v: Vec<u8> = Vec::new();
    match tiny::operands().next() {
        Some(b"alloc") => v = Vec::with_capacity(huge),
        _ => {
            v.push(1);
            v.reserve(huge);
        }
    }
    core::hint::black_box(&mut v);
    tiny::print("allocated\n");
    0
}
"#;

/// The `main.rs` of a small program that keeps its arguments' lengths in a `Vec` (with the
/// heap) or in an array (`HEAP_NO_VEC_MAIN`), for the bytes the heap costs.
const HEAP_VEC_MAIN: &str = r#"#![no_std]
#![no_main]
extern crate alloc;

#[tiny::main]
fn main() {
    let mut v = alloc::vec::Vec::new();
    for a in tiny::args() {
        v.push(b'0' + a.len() as u8);
    }
    tiny::print_bytes(&v);
}
"#;

/// The same program as `HEAP_VEC_MAIN` without the heap: a fixed array.
const HEAP_NO_VEC_MAIN: &str = r#"#![no_std]
#![no_main]

#[tiny::main]
fn main() {
    let mut v = [0u8; 64];
    let mut n = 0;
    for a in tiny::args() {
        if n < v.len() {
            v[n] = b'0' + a.len() as u8;
            n += 1;
        }
    }
    tiny::print_bytes(&v[..n]);
}
"#;

/// Makes `dir` a user's crate (see [`user_crate`]) named `heap` with the heap test programs:
/// `heap-workload` (the randomized workload), `heap-oom` (out of memory), `heap-vec` and
/// `heap-no-vec` (a `Vec` with and without the heap).
pub fn heap_crate(dir: &Path) {
    user_crate(
        dir,
        "heap",
        &[
            ("src/workload.rs", include_str!("heap_workload.rs")),
            ("src/bin/heap-workload.rs", HEAP_WORKLOAD_MAIN),
            ("src/bin/heap-oom.rs", HEAP_OOM_MAIN),
            ("src/bin/heap-vec.rs", HEAP_VEC_MAIN),
            ("src/bin/heap-no-vec.rs", HEAP_NO_VEC_MAIN),
        ],
    );
}

/// What the workload program prints for `seed`, `rounds` and `stride`: the same workload run
/// here, with std's allocator.
pub fn heap_summary(seed: u64, rounds: u64, stride: usize) -> String {
    let s = heap_workload::run(seed, rounds, stride).expect("the workload under std's allocator");
    let mut line = String::new();
    for n in s.ops.iter().chain([&s.sum]) {
        line += &format!("{n} ");
    }
    line + "ok\n"
}

/// A user program that reads a whole file (`tiny::fs::read`, sized by the file) and its standard
/// input (`File::read_to_end` on a pipe, grown as it goes) with the heap, and reports with
/// `tiny::format!`, for the tests on each OS.
pub const READ_PROGRAM: &str = r#"#![no_std]
#![no_main]
extern crate alloc;

#[tiny::main]
fn main() -> Result<(), tiny::Failure> {
    let mut big = alloc::vec::Vec::new();
    for i in 0..100_000u32 {
        big.push(b'a' + (i % 26) as u8);
    }
    tiny::fs::File::create("big.txt")?.write_all(&big)?;
    let back = tiny::fs::read("big.txt")?;
    let mut stdin = alloc::vec::Vec::new();
    let n = tiny::fs::File::from_fd(tiny::STDIN).read_to_end(&mut stdin)?;
    let line = tiny::format!("file {} {}, stdin {n} {}\n", back.len(), back == big, stdin.len());
    tiny::print(&line);
    Ok(())
}
"#;
