//! Windows x86_64 end to end, under Wine: the examples built for `x86_64-pc-windows-gnu` with
//! plain `cargo build --release` (mingw-w64's driver, tiny's link step) are squeezed PE files
//! with no import table that keep every checked Windows loader rule, and behave like the Linux
//! builds on the same inputs.

use std::path::Path;

use tiny_tests::{
    Run, Stdin, assert_success, example, example_for, root, run, run_command, scratch, size, wine,
};

const TARGET: &str = "x86_64-pc-windows-gnu";
const MSVC: &str = "x86_64-pc-windows-msvc";

fn win(name: &str) -> std::path::PathBuf {
    example_for(name, Some(TARGET))
}

/// The Windows builds every example is compared in: each target in `Runtime` mode and in
/// `Pinned` mode (pinned to Wine's ntdll). `Table` mode refuses under Wine (see
/// `table_mode_numbers_and_refusal_under_wine`).
#[derive(Clone, Copy, Debug)]
enum Build {
    Gnu,
    Msvc,
    Pinned,
    PinnedMsvc,
}

const BUILDS: [Build; 4] = [Build::Gnu, Build::Msvc, Build::Pinned, Build::PinnedMsvc];

/// Example `name` as `build` builds it (each build once per test process).
fn exe(build: Build, name: &str) -> std::path::PathBuf {
    static BUILT: std::sync::Mutex<Vec<(String, std::path::PathBuf)>> =
        std::sync::Mutex::new(Vec::new());
    let key = format!("{name} {build:?}");
    if let Some((_, p)) = BUILT.lock().unwrap().iter().find(|(k, _)| *k == key) {
        return p.clone();
    }
    let path = match build {
        Build::Gnu => win(name),
        Build::Msvc => msvc(name),
        Build::Pinned => build_with(name, "examples-pinned", "pinned", &[]),
        Build::PinnedMsvc => msvc_in(name, "examples-pinned", Some("pinned")),
    };
    BUILT.lock().unwrap().push((key, path.clone()));
    path
}

/// Runs `exe` under Wine in `dir`. Wine passes `argv[0]` as the Windows path of the `.exe`,
/// which error messages start with: it is replaced by `name`, the `argv[0]` the Linux runs get.
fn run_exe(exe: &Path, name: &str, args: &[&str], stdin: Stdin<'_>, dir: &Path) -> Run {
    let mut cmd = wine(exe);
    cmd.args(args).current_dir(dir);
    let mut r = run_command(cmd, stdin);
    let argv0 = format!("Z:{}", exe.display()).replace('/', "\\");
    r.stderr = r.err().replace(&argv0, name).into_bytes();
    r
}

/// The msvc target: rustc runs the configured linker itself, which is the `tiny-build`
/// command (`--config target.x86_64-pc-windows-msvc.linker=…`, the one-time setting README
/// describes). Builds example `name` that way.
fn msvc(name: &str) -> std::path::PathBuf {
    msvc_in(name, "examples", None)
}

/// [`msvc`] into `target/<dir>`, in Windows mode `mode` when given.
fn msvc_in(name: &str, dir: &str, mode: Option<&str>) -> std::path::PathBuf {
    let env: Vec<(&str, &std::ffi::OsStr)> = mode
        .map(|m| ("TINY_WINDOWS_MODE", m.as_ref()))
        .into_iter()
        .collect();
    msvc_build(&root().join("examples").join(name), name, dir, &env)
}

/// The crate `name` at `crate_dir` built for the msvc target into `target/<dir>`, with the
/// settings `env` (a Runtime build when they name no mode).
fn msvc_build(
    crate_dir: &Path,
    name: &str,
    dir: &str,
    env: &[(&str, &std::ffi::OsStr)],
) -> std::path::PathBuf {
    let linker = msvc_linker();
    let target_dir = root().join("target").join(dir);
    let mut cmd = tiny_tests::cargo();
    cmd.current_dir(crate_dir)
        .args([
            "build",
            "--release",
            "--quiet",
            "--target",
            MSVC,
            "--config",
            &linker,
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        .env_remove("TINY_WINDOWS_MODE")
        .env_remove("TINY_REFUSAL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    assert_success(&cmd.output().unwrap());
    target_dir
        .join(MSVC)
        .join("release")
        .join(format!("{name}.exe"))
}

/// `--config` value that makes the `tiny-build` command (built once) the msvc linker.
fn msvc_linker() -> String {
    static TOOL: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let tool = TOOL.get_or_init(|| {
        let out = tiny_tests::cargo()
            .current_dir(root())
            .args([
                "build",
                "--quiet",
                "-p",
                "tiny-build",
                "--bin",
                "tiny-build",
            ])
            .output()
            .unwrap();
        assert_success(&out);
        root().join("target/debug/tiny-build")
    });
    format!("target.{MSVC}.linker=\"{}\"", tool.display())
}

#[test]
fn msvc_without_the_linker_setting_is_a_clear_error() {
    // its own target directory: a build script that already ran with the linker set is not
    // run again when the setting goes away
    let out = tiny_tests::cargo_build(
        "hello",
        &root().join("target/msvc-no-linker"),
        &["--target", MSVC],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("needs tiny-build as its linker") && err.contains("linker = \"tiny-build\""),
        "{err}"
    );
}

#[test]
fn hello_under_wine() {
    for build in BUILDS {
        let r = run_exe(&exe(build, "hello"), "hello", &[], Stdin::Null, &root());
        assert_eq!(
            (r.code, r.out(), r.err()),
            (Some(0), "Hello, World!\n".into(), String::new()),
            "{build:?}"
        );
    }
}

#[test]
fn exit_codes_under_wine() {
    for build in BUILDS {
        for (name, code) in [("true", 0), ("false", 1)] {
            let r = run_exe(&exe(build, name), name, &[], Stdin::Null, &root());
            assert_eq!(
                (r.code, r.stdout.len()),
                (Some(code), 0),
                "{name} {build:?}"
            );
        }
    }
}

/// Every produced PE keeps the loader rules tiny checks (Wine checks far fewer) and has no
/// import table; `pelite`, an independent parser, reads it.
#[test]
fn images_keep_the_loader_rules() {
    use pelite::pe64::{Pe, PeFile};
    for (build, name) in BUILDS.iter().flat_map(|&b| {
        ["hello", "true", "false", "echo", "cat", "wc"]
            .into_iter()
            .map(move |n| (b, n))
    }) {
        let bytes = std::fs::read(exe(build, name)).unwrap();
        let broken: Vec<u32> = tiny_build::layout::pe::check(&bytes)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        assert!(
            broken.is_empty(),
            "{name} ({build:?}) breaks rules {broken:?}"
        );
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

/// Size budgets. The asserted budgets are today's sizes with a little room, so that growth is
/// noticed; the issue's goals for hello, 512 bytes in `Runtime` mode and 400 in `Pinned` and
/// `Table` modes, are not reached yet (printed, not asserted).
#[test]
fn sizes_within_budget() {
    for (name, budget) in [
        // measured (hello 700, true 652, echo 1944 since it reports write errors, cat 2464,
        // wc 4204, sleep 3336, mkdir 5824) and a 16-byte unit: a checkout at another path
        // may place functions differently (see xtask's `fixed_copy`)
        ("hello", 716),
        ("true", 668),
        ("echo", 1960),
        ("cat", 2480),
        ("wc", 4220),
        ("sleep", 3352),
        ("mkdir", 5840),
    ] {
        let n = size(&win(name));
        eprintln!("{name}.exe: {n} bytes (asserted budget {budget}; hello goal 512)");
        assert!(
            n <= budget,
            "{name}.exe is {n} bytes, over its budget of {budget}"
        );
    }
    // measured 980 and 1040
    for (mode, budget) in [("pinned", 996), ("table", 1056)] {
        let n = size(&build_with("hello", &format!("examples-{mode}"), mode, &[]));
        eprintln!("hello.exe ({mode}): {n} bytes (asserted budget {budget}; goal 400)");
        assert!(
            n <= budget,
            "hello.exe ({mode}) is {n} bytes, over {budget}"
        );
    }
}

/// Exit-code-only refusals (`TINY_REFUSAL=exit-code`): hello, true and false run under Wine as
/// with the message (Runtime, and Pinned to Wine's ntdll, whose stubs run there), every image
/// keeps the loader rules, and the sizes stay within their budgets (today's sizes with a
/// little room; the issue's floors for Runtime, 400 for hello and 320 for `true`, are not
/// reached; Pinned `true` is within 320).
#[test]
fn exit_code_refusal_builds_run_and_stay_within_budget() {
    let exit_code = Path::new("exit-code");
    for (mode, dir, hello_budget, true_budget) in [
        // measured: 592/440 and 504/312 bytes, and a 16-byte unit
        ("runtime", "examples-quiet", 608, 456),
        ("pinned", "examples-pinned-quiet", 520, 328),
    ] {
        for (name, code, out, budget) in [
            ("hello", 0, "Hello, World!\n", hello_budget),
            ("true", 0, "", true_budget),
            ("false", 1, "", true_budget + 4),
        ] {
            let exe = build_with(name, dir, mode, &[("TINY_REFUSAL", exit_code)]);
            let r = run_exe(&exe, name, &[], Stdin::Null, &root());
            assert_eq!(
                (r.code, r.out(), r.err()),
                (Some(code), out.to_owned(), String::new()),
                "{name} ({mode})"
            );
            let bytes = std::fs::read(&exe).unwrap();
            let broken: Vec<u32> = tiny_build::layout::pe::check(&bytes)
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect();
            assert!(broken.is_empty(), "{name} ({mode}) breaks rules {broken:?}");
            let n = bytes.len();
            eprintln!("{name}.exe ({mode}, exit-code refusals): {n} bytes (budget {budget})");
            assert!(
                n <= budget,
                "{name}.exe ({mode}) is {n} bytes, over {budget}"
            );
        }
    }
    let exe = build_with(
        "hello",
        "examples-table-quiet",
        "table",
        &[("TINY_REFUSAL", exit_code)],
    );
    let n = size(&exe);
    assert!(
        n <= 492, // measured 476
        "hello.exe (table, exit-code refusals) is {n} bytes"
    );
}

/// A directory (one per test: `tag`) with the input files the comparisons use.
fn inputs(tag: &str) -> std::path::PathBuf {
    let dir = scratch(&format!("win-inputs-{tag}"));
    std::fs::write(dir.join("a.txt"), "one two\nthree\n").unwrap();
    std::fs::write(dir.join("no-newline.txt"), "last line without newline").unwrap();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("binary.bin"), tiny_tests::noise(70_000, 7)).unwrap();
    std::fs::create_dir_all(dir.join("subdir")).unwrap();
    std::fs::write(dir.join("\u{e9}t\u{e9} \u{1F600}.txt"), "unicode name\n").unwrap();
    dir
}

/// The Linux and every Windows build agree on stdout, stderr and exit code, for `args` and `stdin`
/// in `dir`.
fn same_as_linux(name: &str, args: &[&str], stdin: impl Fn() -> Stdin<'static>, dir: &Path) {
    let linux = run(&example(name), name, args, stdin(), dir);
    for build in BUILDS {
        let windows = run_exe(&exe(build, name), name, args, stdin(), dir);
        assert_eq!(
            windows, linux,
            "`{name} {args:?}`: Windows {build:?} (left) differs from Linux (right)"
        );
    }
}

#[test]
fn hello_same_as_linux() {
    same_as_linux("hello", &[], || Stdin::Null, &root());
}

#[test]
fn echo_arguments_with_spaces_and_quotes() {
    let dir = inputs("echo_arguments_with_spaces_and_quotes");
    for args in [
        &[][..],
        &["a", "b c", "  d  "],
        &["-n", "no newline"],
        &["quote\"inside", "back\\slash", "trail\\"],
        &["", "empty before"],
        &["tab\there", "\u{e9}t\u{e9} \u{1F600}"],
    ] {
        same_as_linux("echo", args, || Stdin::Null, &dir);
    }
}

#[test]
fn cat_files_pipes_and_errors() {
    let dir = inputs("cat_files_pipes_and_errors");
    let file: &'static Path = Box::leak(dir.join("a.txt").into_boxed_path());
    same_as_linux("cat", &[], || Stdin::Bytes(b"from a pipe\n"), &dir);
    same_as_linux("cat", &["-"], || Stdin::File(file), &dir);
    same_as_linux(
        "cat",
        &["a.txt", "no-newline.txt", "empty.txt", "binary.bin"],
        || Stdin::Null,
        &dir,
    );
    same_as_linux(
        "cat",
        &["a.txt", "missing.txt", "a.txt"],
        || Stdin::Null,
        &dir,
    );
    same_as_linux("cat", &["subdir", "a.txt"], || Stdin::Null, &dir);
    // a name that is not ASCII, found and missing (UTF-8 to UTF-16 by ntdll)
    same_as_linux(
        "cat",
        &["\u{e9}t\u{e9} \u{1F600}.txt", "\u{e9}t\u{e9}-missing.txt"],
        || Stdin::Null,
        &dir,
    );
}

#[test]
fn wc_files_pipes_and_errors() {
    let dir = inputs("wc_files_pipes_and_errors");
    same_as_linux("wc", &[], || Stdin::Bytes(b"one two\nthree"), &dir);
    same_as_linux("wc", &["-l", "a.txt"], || Stdin::Null, &dir);
    let file: &'static Path = Box::leak(dir.join("a.txt").into_boxed_path());
    same_as_linux("wc", &[], || Stdin::File(file), &dir);
    same_as_linux("wc", &["-", "a.txt"], || Stdin::File(file), &dir);
    same_as_linux(
        "wc",
        &["a.txt", "no-newline.txt", "binary.bin"],
        || Stdin::Null,
        &dir,
    );
    same_as_linux("wc", &["-cw", "a.txt", "missing.txt"], || Stdin::Null, &dir);
}

/// `cargo build --release` of example `name` for the gnu target into `target_dir`.
fn gnu_build(name: &str, target_dir: &Path) -> std::process::Command {
    tiny_tests::cargo_build_command(
        &root().join("examples").join(name),
        target_dir,
        &["--target", TARGET],
    )
}

/// Builds example `name` for the gnu target with extra environment (the Windows mode, the
/// ntdll), into its own target directory `dir` (the settings change what the build script
/// generates, so they must not share one with the other builds).
fn build_with(name: &str, dir: &str, mode: &str, env: &[(&str, &Path)]) -> std::path::PathBuf {
    let target_dir = root().join("target").join(dir);
    let mut cmd = gnu_build(name, &target_dir);
    cmd.env("TINY_WINDOWS_MODE", mode);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_success(&out);
    target_dir
        .join(TARGET)
        .join("release")
        .join(format!("{name}.exe"))
}

/// A `Pinned` program started with another ntdll (here: Wine's, with a different
/// `TimeDateStamp` in the copy it was pinned to) refuses before calling any stub: the
/// documented message and exit code `STATUS_REVISION_MISMATCH` (0xC0000059, of which a Linux
/// parent sees the low byte).
/// A copy of Wine's ntdll with another `TimeDateStamp`, in a scratch directory `tag`: a
/// `Pinned` program pinned to it refuses to run under Wine.
fn another_ntdll(tag: &str) -> std::path::PathBuf {
    let wine_ntdll = tiny_build::resolve::windows::wine_candidates()
        .into_iter()
        .find(|p| p.is_file())
        .expect("Wine's 64-bit ntdll.dll not found: install wine64/libwine");
    let mut bytes = std::fs::read(&wine_ntdll).unwrap();
    let lfanew = u32::from_le_bytes(bytes[0x3C..0x40].try_into().unwrap()) as usize;
    bytes[lfanew + 8] ^= 1; // TimeDateStamp
    let other = scratch(tag).join("ntdll.dll");
    std::fs::write(&other, &bytes).unwrap();
    other
}

#[test]
fn pinned_to_another_ntdll_refuses() {
    let other = another_ntdll("pinned-other");
    let exe = build_with(
        "hello",
        "examples-pinned-other",
        "pinned",
        &[("TINY_NTDLL", &other)],
    );
    assert_refuses(
        &exe,
        0x59,
        "tiny: ntdll.dll is not the one this program was pinned to\n",
    );
}

/// Runs `exe` under Wine: it writes nothing to stdout, `message` to stderr, and exits with the
/// low byte `code` of its NTSTATUS (what a Linux parent sees).
fn assert_refuses(exe: &Path, code: i32, message: &str) {
    let r = run_command(wine(exe), Stdin::Null);
    assert_eq!(
        (r.code, r.out(), r.err()),
        (Some(code), String::new(), message.to_owned()),
        "{}",
        exe.display()
    );
}

/// `Pinned` with the start-up check turned off (`TINY_PINNED_CHECK=0`, an explicit setting): a
/// program that makes only pinned system calls carries no identity check, no export lookup
/// and no refusal message, and runs on copies of Wine's stubs.
#[test]
fn pinned_without_the_check_runs_and_is_small() {
    let target_dir = root().join("target/examples-pinned-unchecked");
    let mut cmd = gnu_build("hello", &target_dir);
    cmd.env("TINY_WINDOWS_MODE", "pinned")
        .env("TINY_PINNED_CHECK", "0");
    assert_success(&cmd.output().unwrap());
    let exe = target_dir.join(TARGET).join("release/hello.exe");
    let r = run_exe(&exe, "hello", &[], Stdin::Null, &root());
    assert_eq!(
        (r.code, r.out(), r.err()),
        (Some(0), "Hello, World!\n".into(), String::new())
    );
    let bytes = std::fs::read(&exe).unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(
        !has(b"pinned to") && !has(b"NtWriteFile"),
        "a check or a lookup is left"
    );
    let n = bytes.len();
    eprintln!(
        "hello.exe (pinned, unchecked): {n} bytes (issue budget 512 for Runtime, 400 for Pinned)"
    );
    assert!(n <= 512, "{n} bytes");
}

/// A function with a frame larger than a page calls `__chkstk` on the msvc target (the msvc CRT
/// provides it there; tiny-rt does for tiny programs): it links and runs.
#[test]
fn msvc_large_stack_frames_link_and_run() {
    let dir = scratch("msvc-chkstk");
    let main = "#![no_std]\n#![no_main]\n#[inline(never)]\nfn big(n: usize) -> u8 {\n    let mut a = [0u8; 20000];\n    a[n % 20000] = 7;\n    a[(n * 7) % 20000].wrapping_add(a[n % 20000])\n}\n#[tiny::main]\nfn main() -> u8 {\n    big(tiny::args().len())\n}\n";
    tiny_tests::user_crate(&dir, "chkstk", &[("src/main.rs", main)]);
    let linker = msvc_linker();
    let target_dir = root().join("target/examples");
    let out =
        tiny_tests::cargo_build_in(&dir, &target_dir, &["--target", MSVC, "--config", &linker]);
    assert_success(&out);
    let exe = target_dir.join(MSVC).join("release/chkstk.exe");
    let r = run_command(wine(&exe), Stdin::Null);
    assert_eq!(r.code, Some(7), "{}", r.err());
}

/// `Table` mode: the program carries `mov r10, rcx; mov eax, N; syscall; ret` stubs with the
/// numbers of the embedded table (NtWriteFile is 8 on every Windows 10 and 11), and under Wine
/// (whose stubs do not use `syscall`) it refuses before making any numbered call: the
/// documented message on stderr and exit code `STATUS_NOT_SUPPORTED` (0xC00000BB, of which a
/// Linux parent sees the low byte).
#[test]
fn table_mode_numbers_and_refusal_under_wine() {
    let exe = build_with("hello", "examples-table", "table", &[]);
    let bytes = std::fs::read(&exe).unwrap();
    let nt_write_file = [0x4C, 0x8B, 0xD1, 0xB8, 8, 0, 0, 0, 0x0F, 0x05, 0xC3];
    assert!(
        bytes
            .windows(nt_write_file.len())
            .any(|w| w == nt_write_file),
        "no numbered NtWriteFile stub in the Table build"
    );
    assert_refuses(
        &exe,
        0xBB,
        "tiny: system calls do not use syscall here (Wine?): build in Runtime mode\n",
    );
}

/// Without mingw-w64 the gnu target fails in the build script, naming the package (rather than
/// rustc's "linker not found").
#[test]
fn gnu_target_without_mingw_names_the_package() {
    let bin = scratch("no-mingw-path");
    // the host build script still links with `cc`
    let cc = tiny_tests::which("cc").expect("cc");
    let _ = std::fs::remove_file(bin.join("cc"));
    std::os::unix::fs::symlink(cc, bin.join("cc")).unwrap();
    let cargo = std::path::PathBuf::from(std::env::var_os("CARGO").expect("CARGO"));
    let rustc = cargo.with_file_name("rustc");
    let out = gnu_build("hello", &root().join("target/no-mingw"))
        .env("PATH", &bin)
        .env("RUSTC", &rustc)
        .env_remove("RUSTC_WRAPPER")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("x86_64-w64-mingw32-gcc")
            && err.contains("apt-get install gcc-mingw-w64-x86-64"),
        "{err}"
    );
}

/// A program with a `Runtime` record for `export` (the format of tiny-build's generated
/// records, written here by hand: `mov rax, imm64; jmp rax`, the immediate holding the name's
/// hash and a reference to `__tiny_resolve`) that calls it from `main`.
fn calls_export(export: &str) -> String {
    format!(
        r#"#![no_std]
#![no_main]
core::arch::global_asm!(
    ".section {section},\"xr\",discard,probe",
    ".globl probe",
    "probe:",
    ".byte 0x48, 0xB8",
    ".long {hash:#010x}",
    ".long {resolve}@IMGREL",
    ".byte 0xFF, 0xE0",
    ".text",
);
unsafe extern "system" {{
    fn probe() -> i32;
}}
#[tiny::main]
fn main() -> i32 {{
    tiny::print("main ran\n");
    // SAFETY: never reached: the export cannot be used, so the program ends before `main`.
    unsafe {{ probe() }}
}}
"#,
        section = tiny_abi::init_section!("n_probe"),
        resolve = tiny_abi::windows::RESOLVE_SYMBOL,
        hash = tiny_abi::windows::export_hash(export)
    )
}

/// Runtime mode refuses, before `main`, an export that the loaded ntdll does not have and a
/// `Nt*` export that is not a system call stub (Wine's `NtGetTickCount` is an ordinary
/// function, as a hooked stub would be): the documented message, exit code
/// `STATUS_ENTRYPOINT_NOT_FOUND` (0xC0000139, of which a Linux parent sees the low byte), and
/// nothing else runs.
#[test]
fn runtime_refuses_missing_and_hooked_exports() {
    for (name, export) in [
        ("missing", "NtNoSuchFunctionAnywhere"),
        ("notstub", "NtGetTickCount"),
    ] {
        let dir = scratch(&format!("win-refuse-{name}"));
        tiny_tests::user_crate(&dir, name, &[("src/main.rs", &calls_export(export))]);
        let target_dir = root().join("target/win-refuse");
        let out = tiny_tests::cargo_build_in(&dir, &target_dir, &["--target", TARGET]);
        assert_success(&out);
        let exe = target_dir.join(TARGET).join(format!("release/{name}.exe"));
        assert_refuses(&exe, 0x39, "tiny: ntdll export missing or hooked\n");
    }
}

/// The exit code of an exit-code-only refusal (`TINY_REFUSAL=exit-code`) in every mode:
/// `__fastfail`'s `STATUS_STACK_BUFFER_OVERRUN` (0xC0000409), of which a
/// Linux parent sees the low byte.
const FASTFAIL_LOW_BYTE: i32 = 0x09;

/// Runtime mode with exit-code-only refusals (`TINY_REFUSAL=exit-code`): the same refusal of a
/// missing and of a hooked export, by `__fastfail` with nothing on stderr, and no message in
/// the file.
#[test]
fn runtime_refuses_by_exit_code_only() {
    for (name, export) in [
        ("missing", "NtNoSuchFunctionAnywhere"),
        ("notstub", "NtGetTickCount"),
    ] {
        let dir = scratch(&format!("win-refuse-quiet-{name}"));
        tiny_tests::user_crate(&dir, name, &[("src/main.rs", &calls_export(export))]);
        let target_dir = root().join("target/win-refuse-quiet");
        let mut cmd = tiny_tests::cargo_build_command(&dir, &target_dir, &["--target", TARGET]);
        cmd.env("TINY_REFUSAL", "exit-code");
        assert_success(&cmd.output().unwrap());
        let exe = target_dir.join(TARGET).join(format!("release/{name}.exe"));
        assert_refuses(&exe, FASTFAIL_LOW_BYTE, "");
        let bytes = std::fs::read(&exe).unwrap();
        assert!(
            !bytes.windows(5).any(|w| w == b"tiny:"),
            "a message is left"
        );
    }
}

/// `Table` and `Pinned` (on another ntdll) with exit-code-only refusals: under Wine both refuse
/// before any numbered or copied call, with `__fastfail` and nothing on stderr, and carry
/// neither a message nor an export lookup.
#[test]
fn table_and_pinned_refuse_by_exit_code_only() {
    let other = another_ntdll("pinned-other-quiet");
    let exit_code = Path::new("exit-code");
    for (mode, dir, env) in [
        (
            "table",
            "examples-table-quiet",
            vec![("TINY_REFUSAL", exit_code)],
        ),
        (
            "pinned",
            "examples-pinned-other-quiet",
            vec![("TINY_REFUSAL", exit_code), ("TINY_NTDLL", other.as_path())],
        ),
    ] {
        let exe = build_with("hello", dir, mode, &env);
        assert_refuses(&exe, FASTFAIL_LOW_BYTE, "");
        let bytes = std::fs::read(&exe).unwrap();
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(!has(b"tiny:"), "{mode}: a message is left");
        // no export lookup: its stub-shape check `cmp dword ptr [rax], 0xB8D18B4C` is gone
        let shape_check = [&[0x81, 0x38][..], &tiny_abi::windows::STUB_HEAD].concat();
        assert!(!has(&shape_check), "{mode}: an export lookup is left");
        let n = bytes.len();
        eprintln!("hello.exe ({mode}, exit-code refusals): {n} bytes");
    }
}

/// The Table check's search for the running build (`repne scasw`, see tiny-rt's `listed`) finds
/// the first, a middle and the last build of a list and nothing else. Under Wine a Table program
/// refuses before the search matters (`SystemCall` is 1), so the search runs here on its own,
/// under Wine: bit `i` of the exit code says whether probe `i` was found.
#[test]
fn table_build_search_finds_exactly_the_listed_builds() {
    let src = r#"#![no_std]
#![no_main]
#[tiny::main]
fn main() -> i32 {
    let builds = [10240u16, 19045, 26100];
    let probes = [10240u16, 19045, 26100, 1, 65535, 19044, 26101];
    let mut found = 0;
    for (i, &probe) in probes.iter().enumerate() {
        let (list, probe) = core::hint::black_box((&builds[..], probe));
        if tiny::__private::listed(list, probe) {
            found |= 1 << i;
        }
    }
    found
}
"#;
    let dir = scratch("win-listed");
    tiny_tests::user_crate(&dir, "listed", &[("src/main.rs", src)]);
    let target_dir = root().join("target/win-listed");
    let out = tiny_tests::cargo_build_in(&dir, &target_dir, &["--target", TARGET]);
    assert_success(&out);
    let exe = target_dir.join(TARGET).join("release/listed.exe");
    let r = run_exe(&exe, "listed", &[], Stdin::Null, &root());
    assert_eq!(r.code, Some(0b111), "found: {:?}", r);
}

/// Two builds of cat (it uses the most ntdll functions) from clean target directories give
/// byte-identical files, in Runtime and in Table mode.
#[test]
fn windows_builds_are_deterministic() {
    for mode in ["runtime", "table"] {
        let dirs = [
            scratch(&format!("win-determinism-{mode}-a")),
            scratch(&format!("win-determinism-{mode}-b")),
        ];
        let files: Vec<Vec<u8>> = dirs
            .iter()
            .map(|dir| {
                let mut cmd = gnu_build("cat", dir);
                cmd.env("TINY_WINDOWS_MODE", mode);
                assert_success(&cmd.output().unwrap());
                std::fs::read(dir.join(TARGET).join("release/cat.exe")).unwrap()
            })
            .collect();
        assert!(
            files[0] == files[1],
            "cat ({mode}): two clean builds differ"
        );
        for dir in &dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The `tiny::nt!` test program (`tests/programs/nt_calls.rs`) as a user crate, built for the
/// gnu target in Windows mode `mode` with extra environment `env`: the cargo output and the
/// executable.
fn nt_calls(mode: &str, env: &[(&str, &str)]) -> (std::process::Output, std::path::PathBuf) {
    let dir = scratch(&format!("nt-calls-{mode}"));
    tiny_tests::user_crate(
        &dir,
        "nt_calls",
        &[("src/main.rs", include_str!("../programs/nt_calls.rs"))],
    );
    let target_dir = root().join(format!("target/nt-calls-{mode}"));
    // not `--quiet`, which hides the build script's warnings (what verbose mode prints)
    let mut cmd = tiny_tests::cargo();
    cmd.current_dir(&dir)
        .args(["build", "--release", "--target", TARGET])
        .arg("--target-dir")
        .arg(&target_dir)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .env("TINY_WINDOWS_MODE", mode);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out, target_dir.join(TARGET).join("release/nt_calls.exe"))
}

/// The NT path (`\??\Z:\…`, Wine's drive for `/`) of the absolute Linux path `path`.
fn nt_path(path: &Path) -> String {
    format!("\\??\\Z:{}", path.display()).replace('/', "\\")
}

/// `tiny::nt!` reaches Nt* functions the runtime does not use, in every mode, with real effects:
/// `NtDelayExecution` sleeps (300 ms by `NtQuerySystemTime`, and by the clock of the test),
/// `NtQueryPerformanceCounter` answers, `NtCreateFile` (11 arguments) creates a directory and
/// then reports `STATUS_OBJECT_NAME_COLLISION`. Runtime and Pinned (to Wine's ntdll) run under
/// Wine; Table mode numbers the calls whose number every listed build shares
/// (`NtDelayExecution` 0x34, `NtCreateFile` 0x55), says so when verbose, and refuses under Wine
/// before any numbered call (no directory appears).
#[test]
fn nt_calls_in_every_mode() {
    let numbered = |number: u8| [0x4C, 0x8B, 0xD1, 0xB8, number, 0, 0, 0, 0x0F, 0x05, 0xC3];
    let has = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    // a new value each run (any value but 0 is verbose) reruns the build script, whose
    // warnings cargo prints only when it runs
    let verbose = format!("{:?}", std::time::SystemTime::now());
    for mode in ["runtime", "pinned", "table"] {
        let (out, exe) = nt_calls(mode, &[("TINY_VERBOSE", &verbose)]);
        assert_success(&out);
        let bytes = std::fs::read(&exe).unwrap();
        eprintln!("nt_calls.exe ({mode}): {} bytes", bytes.len());
        let dir = scratch(&format!("nt-calls-run-{mode}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("made by NtCreateFile");
        let start = std::time::Instant::now();
        let r = run_command(
            {
                let mut cmd = wine(&exe);
                cmd.arg(nt_path(&target));
                cmd
            },
            Stdin::Null,
        );
        let took = start.elapsed();
        if mode == "table" {
            assert!(has(&bytes, &numbered(0x34)), "no numbered NtDelayExecution");
            assert!(has(&bytes, &numbered(0x55)), "no numbered NtCreateFile");
            let warnings = String::from_utf8_lossy(&out.stderr);
            assert!(
                warnings.contains("103 Nt* functions by number")
                    && warnings.contains("NtDelayExecution 0x34")
                    && !warnings.contains("NtCreateUserProcess"),
                "{warnings}"
            );
            assert_eq!(
                (r.code, r.out(), r.err()),
                (
                    Some(0xBB),
                    String::new(),
                    "tiny: system calls do not use syscall here (Wine?): build in Runtime mode\n"
                        .to_owned()
                )
            );
            assert!(!target.exists());
            continue;
        }
        // Runtime calls ntdll's exports, Pinned its copies: no numbered stubs
        assert!(!has(&bytes, &numbered(0x34)), "{mode}");
        let out = r.out();
        assert_eq!((r.code, r.err()), (Some(0), String::new()), "{mode}: {out}");
        let value = |key: &str| {
            let line = out
                .lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
                .unwrap_or_else(|| panic!("{mode}: no `{key}` in {out}"));
            u64::from_str_radix(line, 16).unwrap()
        };
        assert_eq!(value("delay"), 0, "{mode}: STATUS_SUCCESS");
        let slept = value("elapsed-ms");
        assert!((290..2000).contains(&slept), "{mode}: slept {slept} ms");
        assert!(took.as_millis() >= 300, "{mode}: ran for {took:?}");
        assert_eq!(value("counter"), 0, "{mode}");
        assert_eq!(value("frequency-nonzero"), 1, "{mode}");
        assert_eq!(value("create"), 0, "{mode}");
        assert_eq!(value("close"), 0, "{mode}");
        assert_eq!(
            value("create-again"),
            0xC000_0035,
            "{mode}: STATUS_OBJECT_NAME_COLLISION"
        );
        assert!(target.is_dir(), "{mode}: no directory {}", target.display());
    }
}

/// A `Pinned` program that calls a function its ntdll lacks (Wine has no `NtAddBootEntry`)
/// does not link: the error names the function and the ntdll file.
#[test]
fn pinned_call_to_a_function_the_ntdll_lacks_is_a_build_error() {
    let dir = scratch("nt-calls-missing");
    let main = "#![no_std]\n#![no_main]\n#[tiny::main]\nfn main() -> i32 {\n    // SAFETY: never runs: the build fails.\n    unsafe { tiny::nt!(NtAddBootEntry(0usize, 0usize)) }\n}\n";
    tiny_tests::user_crate(&dir, "nt_missing", &[("src/main.rs", main)]);
    let target_dir = root().join("target/nt-calls-missing");
    let mut cmd = tiny_tests::cargo_build_command(&dir, &target_dir, &["--target", TARGET]);
    cmd.env("TINY_WINDOWS_MODE", "pinned");
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let wine_ntdll = tiny_build::resolve::windows::wine_candidates()
        .into_iter()
        .find(|p| p.is_file())
        .expect("Wine's 64-bit ntdll.dll");
    assert!(!out.status.success());
    assert!(
        err.contains("the program calls NtAddBootEntry with tiny::nt!")
            && err.contains(&format!("but {} (the ntdll", wine_ntdll.display())),
        "{err}"
    );
    // the same program in Runtime mode builds, and refuses at start under Wine (the loaded
    // ntdll lacks the export) before `main` runs
    let out = tiny_tests::cargo_build_in(&dir, &target_dir, &["--target", TARGET]);
    assert_success(&out);
    assert_refuses(
        &target_dir.join(TARGET).join("release/nt_missing.exe"),
        0x39,
        "tiny: ntdll export missing or hooked\n",
    );
}

/// What running `args` in a fresh directory (holding a file `file`) did: the run (stdout,
/// stderr, exit code) and the tree of the directory afterwards.
fn effects(dir: &Path, run_it: impl FnOnce(&Path) -> Run) -> (Run, Vec<String>) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("file"), "").unwrap();
    let r = run_it(dir);
    let mut tree = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let kind = if path.is_dir() { "dir" } else { "file" };
            tree.push(format!(
                "{kind} {}",
                path.strip_prefix(dir).unwrap().display()
            ));
            if path.is_dir() {
                stack.push(path);
            }
        }
    }
    tree.sort();
    (r, tree)
}

/// examples/mkdir on Windows (`tiny::nt!`: `NtCreateFile` with `FILE_CREATE` and
/// `FILE_DIRECTORY_FILE`, `NtQueryAttributesFile`, `NtClose`): the same messages, exit codes
/// and directories as the Linux build, in every Windows build (Runtime and Pinned, gnu and
/// msvc), for new directories, `-p` trees, an existing name (`File exists`), a missing parent
/// (`No such file or directory`), a file as a parent (`Not a directory`, which NT reports as
/// "path not found"), bad options and modes. Table mode refuses under Wine.
#[test]
fn mkdir_same_as_linux() {
    let linux_exe = example("mkdir");
    for args in [
        &["new"][..],
        &["file"],
        &["a", "b", "file", "c"],
        &["-p", "x/y/z", "x/y"],
        &["missing/sub"],
        &["file/sub"],
        &["file/x/y"],
        &["-p", "file/sub"],
        &["-p", "file"],
        &["new/"],
        &["-m", "700", "m"],
        &["-m", "bad", "q"],
        &["-q", "q"],
        &[],
    ] {
        let linux = effects(&scratch("mkdir-linux"), |dir| {
            run(&linux_exe, "mkdir", args, Stdin::Null, dir)
        });
        for build in BUILDS {
            let windows = effects(&scratch(&format!("mkdir-{build:?}")), |dir| {
                run_exe(&exe(build, "mkdir"), "mkdir", args, Stdin::Null, dir)
            });
            assert_eq!(
                windows, linux,
                "`mkdir {args:?}`: Windows {build:?} (left) differs from Linux (right)"
            );
        }
    }
    // the tests above would pass if nothing were made: the trees are not empty
    let (r, tree) = effects(&scratch("mkdir-check"), |dir| {
        run_exe(
            &exe(Build::Gnu, "mkdir"),
            "mkdir",
            &["-p", "p/q"],
            Stdin::Null,
            dir,
        )
    });
    assert_eq!((r.code, tree.len()), (Some(0), 3), "{tree:?}");
    let table = build_with("mkdir", "examples-table", "table", &[]);
    assert_refuses(
        &table,
        0xBB,
        "tiny: system calls do not use syscall here (Wine?): build in Runtime mode\n",
    );
}

/// examples/sleep on Windows (`tiny::nt!(NtDelayExecution(…))`): it sleeps for the sum of its
/// arguments, and its messages for bad ones are the Linux build's, in every Windows build.
/// Table mode refuses under Wine.
#[test]
fn sleep_same_as_linux() {
    for build in BUILDS {
        let start = std::time::Instant::now();
        let r = run_exe(
            &exe(build, "sleep"),
            "sleep",
            &["0.3", "0.2"],
            Stdin::Null,
            &root(),
        );
        let took = start.elapsed();
        assert_eq!(
            (r.code, r.out(), r.err()),
            (Some(0), String::new(), String::new())
        );
        assert!(took.as_millis() >= 500, "{build:?}: slept {took:?}");
    }
    let dir = scratch("sleep-messages");
    for args in [
        &[][..],
        &["1x"],
        &["-1"],
        &["1", "2y", "-"],
        &["inf", "nan"],
    ] {
        same_as_linux("sleep", args, || Stdin::Null, &dir);
    }
    let table = build_with("sleep", "examples-table", "table", &[]);
    assert_refuses(
        &table,
        0xBB,
        "tiny: system calls do not use syscall here (Wine?): build in Runtime mode\n",
    );
}

/// The Rust code block that follows `<!-- kernel-win:NAME -->` in README.md ("Calling the
/// kernel", Windows).
fn readme_snippet(name: &str) -> String {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let marker = format!("<!-- kernel-win:{name} -->\n```rust\n");
    let start = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker:?}"))
        + marker.len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_owned()
}

/// README.md and the byte range of its figures `<!-- kernel-win-size:NAME -->RUNTIME PINNED
/// TABLE<!-- … -->` for `name`.
fn readme_sizes_span(name: &str) -> (String, std::ops::Range<usize>) {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let open = format!("<!-- kernel-win-size:{name} -->");
    let start = readme
        .find(&open)
        .unwrap_or_else(|| panic!("README.md has no {open}"))
        + open.len();
    let end = start + readme[start..].find("<!--").unwrap();
    (readme, start..end)
}

/// The sizes README.md gives for `name` (see [`readme_sizes_span`]).
fn readme_sizes(name: &str) -> Vec<u64> {
    let (readme, span) = readme_sizes_span(name);
    readme[span]
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect()
}

/// Writes `sizes` into README.md's `<!-- kernel-win-size:NAME -->` marker (`cargo xtask bless`).
fn write_readme_sizes(name: &str, sizes: &[u64]) {
    let (mut readme, span) = readme_sizes_span(name);
    let figures: Vec<String> = sizes.iter().map(u64::to_string).collect();
    readme.replace_range(span, &figures.join(" "));
    std::fs::write(root().join("README.md"), readme).unwrap();
}

/// README.md's Windows "Calling the kernel" programs, built from README.md as users' crates in
/// the three modes (gnu target): the sizes README.md gives (measured and written there by
/// `cargo xtask bless`), and under Wine what each does (Table programs refuse there).
#[test]
fn readme_nt_calls() {
    const MODES: [&str; 3] = ["runtime", "pinned", "table"];
    let sizes = |name: &str, exes: &[std::path::PathBuf]| {
        let got: Vec<u64> = exes.iter().map(|e| size(e)).collect();
        if std::env::var_os("TINY_BLESS").is_some() {
            return write_readme_sizes(name, &got);
        }
        assert_eq!(
            got,
            readme_sizes(name),
            "README.md's sizes of {name}: write <!-- kernel-win-size:{name} -->{}<!-- /kernel-win-size -->",
            got.iter().map(u64::to_string).collect::<Vec<_>>().join(" ")
        );
    };
    let trues = [
        win("true"),
        build_with("true", "examples-pinned", "pinned", &[]),
        build_with("true", "examples-table", "table", &[]),
    ];
    sizes("true", &trues);
    for name in ["delay", "days", "mkdir"] {
        let dir = scratch(&format!("readme-nt/{name}"));
        let source = format!("#![no_std]\n#![no_main]\n\n{}", readme_snippet(name));
        tiny_tests::user_crate(&dir, name, &[("src/main.rs", &source)]);
        if name == "mkdir" {
            let manifest = dir.join("Cargo.toml");
            let text = std::fs::read_to_string(&manifest)
                .unwrap()
                .replace("tiny-rt\" }", "tiny-rt\", features = [\"more-errors\"] }");
            std::fs::write(&manifest, text).unwrap();
        }
        let exes: Vec<std::path::PathBuf> = MODES
            .iter()
            .map(|mode| {
                let target_dir = root().join(format!("target/readme-nt-{mode}"));
                let mut cmd =
                    tiny_tests::cargo_build_command(&dir, &target_dir, &["--target", TARGET]);
                cmd.env("TINY_WINDOWS_MODE", mode);
                assert_success(&cmd.output().unwrap());
                target_dir.join(TARGET).join(format!("release/{name}.exe"))
            })
            .collect();
        sizes(name, &exes);
        for (mode, exe) in MODES.iter().zip(&exes) {
            let work = scratch(&format!("readme-nt-run/{name}-{mode}"));
            let _ = std::fs::remove_dir_all(&work);
            std::fs::create_dir_all(&work).unwrap();
            let run_it = || run_exe(exe, "mkdir", &[], Stdin::Null, &work);
            if *mode == "table" {
                assert_refuses(
                    exe,
                    0xBB,
                    "tiny: system calls do not use syscall here (Wine?): build in Runtime mode\n",
                );
                continue;
            }
            let start = std::time::Instant::now();
            let r = run_it();
            match name {
                "delay" => {
                    assert!(start.elapsed().as_millis() >= 250, "{mode}");
                    assert_eq!((r.code, r.err()), (Some(0), String::new()), "{mode}");
                }
                "days" => {
                    // days since 1601-01-01 (134774 of them before 1970), low byte; either
                    // side of a midnight
                    let day = |t: std::time::SystemTime| {
                        let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
                        ((secs / 86_400 + 134_774) % 256) as i32
                    };
                    let now = std::time::SystemTime::now();
                    let before = now - start.elapsed();
                    assert!(
                        r.code == Some(day(before)) || r.code == Some(day(now)),
                        "{mode}: {:?}",
                        r.code
                    );
                }
                _ => {
                    assert_eq!((r.code, r.err()), (Some(0), String::new()), "{mode}");
                    assert!(work.join("made").is_dir(), "{mode}");
                    let again = run_it();
                    assert_eq!(
                        (again.code, again.err()),
                        (Some(1), "mkdir: File exists\n".to_owned()),
                        "{mode}"
                    );
                }
            }
        }
    }
}

/// `tiny::env` on Windows: the UTF-16 environment block converted to UTF-8 (a character
/// outside the BMP, a surrogate pair in UTF-16, included), names matched ignoring ASCII case.
#[test]
fn environment_variables_under_wine() {
    let dir = scratch("env-vars-win");
    tiny_tests::user_crate(&dir, "envvars", &[("src/main.rs", tiny_tests::ENV_PROGRAM)]);
    let target_dir = root().join("target/examples");
    assert_success(&tiny_tests::cargo_build_in(
        &dir,
        &target_dir,
        &["--target", TARGET],
    ));
    let exe = target_dir.join(TARGET).join("release/envvars.exe");
    let mut cmd = wine(&exe);
    cmd.env("Tiny_Probe", "h\u{e9} \u{1F600}");
    let r = run_command(cmd, Stdin::Null);
    let out = r.out();
    assert_eq!(r.code, Some(0), "{}", r.err());
    assert!(
        out.starts_with("TINY_PROBE is h\u{e9} \u{1F600}\n"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l == "Tiny_Probe=h\u{e9} \u{1F600}"),
        "{out}"
    );
    // Wine's own variables are there too, each `NAME=VALUE`
    assert!(
        out.lines()
            .any(|l| l.to_ascii_uppercase().starts_with("WINEPREFIX=")
                || l.starts_with("windir=")
                || l.starts_with("SystemRoot=")),
        "{out}"
    );
}

/// The heap's test programs (`tiny_tests::heap_crate`) for the gnu target, built once per test
/// process: the directory they are in.
fn heap_bins() -> std::path::PathBuf {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = scratch("heap-windows");
            tiny_tests::heap_crate(&dir);
            let target_dir = root().join("target/examples");
            let out = tiny_tests::cargo_build_in(&dir, &target_dir, &["--target", TARGET]);
            assert_success(&out);
            target_dir.join(TARGET).join("release")
        })
        .clone()
}

/// `tiny::Heap` on Windows (the process heap through ntdll, over-aligned blocks cut from larger
/// ones) under the randomized workload checked against a model: the same summary as the same
/// workload under std's allocator.
#[test]
fn heap_workload_matches_the_model_under_wine() {
    let exe = heap_bins().join("heap-workload.exe");
    for seed in ["1", "4"] {
        let r = run_command(
            {
                let mut cmd = wine(&exe);
                cmd.args([seed, "20000", "1"]);
                cmd
            },
            Stdin::Null,
        );
        let expected = tiny_tests::heap_summary(seed.parse().unwrap(), 20000, 1);
        assert_eq!(
            (r.code, r.out(), r.err()),
            (Some(0), expected, String::new()),
            "seed {seed}"
        );
    }
}

/// Out of memory under Wine (`RtlAllocateHeap` and `RtlReAllocateHeap` return NULL for 2^62
/// bytes): a message on stderr and exit code 101, no crash.
#[test]
fn heap_out_of_memory_is_reported_under_wine() {
    let exe = heap_bins().join("heap-oom.exe");
    for how in ["alloc", "realloc"] {
        let mut cmd = wine(&exe);
        cmd.arg(how);
        let r = run_command(cmd, Stdin::Null);
        assert_eq!(r.code, Some(101), "{how}: {r:?}");
        assert_eq!(r.out(), "", "{how}");
        assert!(!r.stderr.is_empty(), "{how}: nothing on stderr");
    }
}

/// The heap's cost on Windows: the same small program with a `Vec` and with an array (see the
/// Linux test) print the same under Wine, and the `Vec` one stays within its budget: 3792
/// bytes measured with rustc 1.95, and a little room (3580 before panics printed their line and
/// column: the program can panic, and the panic report's location needs `write_number`).
#[test]
fn heap_vec_program_within_budget_under_wine() {
    const BUDGET: u64 = 3808;
    let bins = heap_bins();
    let (with, without) = (bins.join("heap-vec.exe"), bins.join("heap-no-vec.exe"));
    let run = |exe: &Path| {
        let mut cmd = wine(exe);
        cmd.args(["a", "bcd", "efghijklm"]);
        run_command(cmd, Stdin::Null)
    };
    let (a, b) = (run(&with), run(&without));
    // the first byte is `'0'` + the length of argv[0], which Wine makes the program's Windows
    // path: any byte, depending on where the checkout is, so it is not checked
    for r in [&a, &b] {
        assert_eq!(
            (r.code, r.stdout.get(1..)),
            (Some(0), Some(&b"139"[..])),
            "{}",
            r.err()
        );
    }
    let (n, m) = (size(&with), size(&without));
    eprintln!(
        "heap-vec.exe: {n} bytes, heap-no-vec.exe: {m} bytes (the heap and Vec: {})",
        n - m
    );
    assert!(n <= BUDGET, "heap-vec.exe is {n} bytes, budget {BUDGET}");
}

/// The link map (`final.map`, kept next to the linked image) of the newest build of `name`
/// in the release `deps` directory of `exe`.
fn link_map(exe: &Path, name: &str) -> String {
    let deps = exe.parent().unwrap().join("deps");
    let newest = std::fs::read_dir(&deps)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let file = p.file_name().unwrap().to_string_lossy();
            file.starts_with(&format!("{name}-")) && file.ends_with(".tiny")
        })
        .max_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .unwrap_or_else(|| panic!("no {name}-*.tiny in {}", deps.display()));
    std::fs::read_to_string(newest.join("final.map")).unwrap()
}

/// Pay for what you call: the generated catalog defines every `Nt*` function a mode can serve,
/// and the linker keeps only those a program calls. hello keeps just the runtime's own (in
/// every mode); the `tiny::nt!` test program keeps exactly the four it calls on top of them,
/// each reached as its mode says (Table: the numbered ones in the image).
#[test]
fn only_called_ntdll_functions_are_kept() {
    let runtime_own: Vec<&str> = tiny_build::codegen::windows::WINDOWS_SYSCALLS
        .iter()
        .chain(tiny_build::codegen::windows::WINDOWS_FUNCTIONS)
        .copied()
        .collect();
    for (mode, hello) in [
        ("runtime", win("hello")),
        (
            "pinned",
            build_with("hello", "examples-pinned", "pinned", &[]),
        ),
        ("table", build_with("hello", "examples-table", "table", &[])),
    ] {
        let kept = tiny_build::layout::pe::ntdll_functions(&link_map(&hello, "hello"));
        assert!(!kept.is_empty(), "{mode}: no ntdll function in hello's map");
        for (name, _) in &kept {
            assert!(
                runtime_own.contains(&name.as_str()),
                "{mode}: hello keeps {name}"
            );
        }
        let (out, exe) = nt_calls(mode, &[]);
        assert_success(&out);
        let kept = tiny_build::layout::pe::ntdll_functions(&link_map(&exe, "nt_calls"));
        let extra: Vec<(&str, bool)> = kept
            .iter()
            .filter(|(name, _)| !runtime_own.contains(&name.as_str()))
            .map(|(name, at_start)| (name.as_str(), *at_start))
            .collect();
        // `true`: through the loaded ntdll (a record filled at start)
        let runtime = mode == "runtime";
        assert_eq!(
            extra,
            [
                ("NtCreateFile", runtime),
                ("NtDelayExecution", runtime),
                ("NtQueryPerformanceCounter", runtime),
                ("NtQuerySystemTime", runtime),
            ],
            "{mode}"
        );
    }
}

/// `tiny::fs` on Windows (`NtCreateFile` through `tiny::nt!`'s catalog): the same program and
/// output as on Linux, NTSTATUS failures mapped to the same error numbers.
#[test]
fn files_create_write_append_truncate_under_wine() {
    let dir = scratch("fs-win");
    tiny_tests::user_crate(&dir, "files", &[("src/main.rs", tiny_tests::FS_PROGRAM)]);
    let target_dir = root().join("target/examples");
    assert_success(&tiny_tests::cargo_build_in(
        &dir,
        &target_dir,
        &["--target", TARGET],
    ));
    let work = scratch("fs-win-run");
    let exe = target_dir.join(TARGET).join("release/files.exe");
    let r = run_exe(&exe, "files", &[], Stdin::Null, &work);
    assert_eq!(
        (r.code, r.out().as_str(), r.err().as_str()),
        (Some(0), tiny_tests::FS_PROGRAM_OUTPUT, "")
    );
    assert_eq!(std::fs::read(work.join("out.txt")).unwrap(), b"three\n");
}

/// `tiny::fs::read`, `File::read_to_end` from a pipe and `tiny::format!` under Wine: the heap
/// and files on Windows, the same output as on Linux.
#[test]
fn read_to_end_and_format_under_wine() {
    let dir = scratch("read-to-end-win");
    tiny_tests::user_crate(
        &dir,
        "readall",
        &[("src/main.rs", tiny_tests::READ_PROGRAM)],
    );
    let target_dir = root().join("target/examples");
    assert_success(&tiny_tests::cargo_build_in(
        &dir,
        &target_dir,
        &["--target", TARGET],
    ));
    let input = tiny_tests::noise(300_000, 7);
    let exe = target_dir.join(TARGET).join("release/readall.exe");
    let r = run_exe(&exe, "readall", &[], Stdin::Bytes(&input), &dir);
    assert_eq!(
        (r.code, r.out().as_str(), r.err().as_str()),
        (Some(0), "file 100000 true, stdin 300000 300000\n", "")
    );
}

/// Constructors and `atexit` under Wine: the `ctor`, `atexit` and `atexit_many` (100 handlers)
/// programs of `examples/features` print what their Linux builds print, and libctiny-test (a constructor
/// pair, `atexit` handlers, the heap, the arguments, the environment, formatted output: its
/// own seven checks) passes in every Windows build, as on Linux.
#[test]
fn constructors_atexit_and_libctiny_test_same_as_linux() {
    let target_dir = root().join("target/examples");
    let bins = ["--bin", "ctor", "--bin", "atexit", "--bin", "atexit_many"];
    assert_success(&tiny_tests::cargo_build("features", &target_dir, &bins));
    let mut windows = vec!["--target", TARGET];
    windows.extend(bins);
    assert_success(&tiny_tests::cargo_build("features", &target_dir, &windows));
    let dir = scratch("ctor-win");
    // atexit_many: 99 handlers after the first, newest first (no cap with the heap feature)
    let many = format!("{}a\n", "ab".repeat(49));
    for (bin, want) in [
        ("ctor", "init\n"),
        ("atexit", "bye\n"),
        ("atexit_many", &many),
    ] {
        let linux = run(
            &target_dir.join("release").join(bin),
            bin,
            &[],
            Stdin::Null,
            &dir,
        );
        let exe = target_dir
            .join(TARGET)
            .join("release")
            .join(format!("{bin}.exe"));
        let windows = run_exe(&exe, bin, &[], Stdin::Null, &dir);
        assert_eq!((linux.code, linux.out()), (Some(0), want.to_owned()));
        assert_eq!(
            windows, linux,
            "{bin}: Windows (left) differs from Linux (right)"
        );
    }
    same_as_linux("libctiny-test", &["one", "two"], || Stdin::Null, &dir);
    let linux = run(
        &example("libctiny-test"),
        "libctiny-test",
        &[],
        Stdin::Null,
        &dir,
    );
    assert_eq!(
        (linux.code, linux.out()),
        (Some(0), "libctiny-test: 7 of 7 checks passed\n".to_owned())
    );
    // the Windows check of formatted output deleted its file
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

/// Build settings: environment variables and their values.
type Settings<'a> = Vec<(&'a str, &'a std::ffi::OsStr)>;

/// The refusals of the msvc target, in every mode and with both refusal settings, as the gnu
/// target's: Runtime with a missing export, Table under Wine, Pinned to another ntdll; each
/// with its message and exit code, or (`TINY_REFUSAL=exit-code`) the exit code alone.
#[test]
fn msvc_refusals_in_every_mode_and_setting() {
    let dir = scratch("msvc-refuse");
    let missing = "NtNoSuchFunctionAnywhere";
    tiny_tests::user_crate(&dir, "missing", &[("src/main.rs", &calls_export(missing))]);
    let other = another_ntdll("msvc-pinned-other");
    let hello = root().join("examples/hello");
    let ntdll = other.as_os_str();
    let table = "system calls do not use syscall here (Wine?): build in Runtime mode";
    for (quiet, setting) in [(false, "message"), (true, "exit-code")] {
        let cases: [(&Path, &str, Settings, i32, &str); 3] = [
            (
                &dir,
                "missing",
                vec![],
                0x39,
                "ntdll export missing or hooked",
            ),
            (
                &hello,
                "hello",
                vec![("TINY_WINDOWS_MODE", "table".as_ref())],
                0xBB,
                table,
            ),
            (
                &hello,
                "hello",
                vec![
                    ("TINY_WINDOWS_MODE", "pinned".as_ref()),
                    ("TINY_NTDLL", ntdll),
                ],
                0x59,
                "ntdll.dll is not the one this program was pinned to",
            ),
        ];
        for (crate_dir, name, mut env, code, message) in cases {
            let mode = env
                .first()
                .map_or("runtime".into(), |m| m.1.to_string_lossy());
            env.push(("TINY_REFUSAL", setting.as_ref()));
            let exe = msvc_build(
                crate_dir,
                name,
                &format!("msvc-refuse-{mode}-{setting}"),
                &env,
            );
            if quiet {
                assert_refuses(&exe, FASTFAIL_LOW_BYTE, "");
            } else {
                assert_refuses(&exe, code, &format!("tiny: {message}\n"));
            }
        }
    }
}

/// The synthetic `ntdll.dll` images of tiny-build's resolver tests (stubs assembled with
/// iced-x86, PE written with object).
#[path = "../../tiny-build/tests/resolve_support/mod.rs"]
mod resolve_support;

/// `Pinned` to a synthetic Windows 11 ntdll (23H2's numbers of every `Nt*` call, in
/// Windows-shaped 24-byte stubs): hello builds with and without its message and with the check
/// off, keeps every loader rule, carries a copy of each stub it calls, and stays within its
/// budget; under Wine (another ntdll) the checked builds refuse before calling any stub. (The
/// unchecked one is not run: a Windows stub under Wine, whose `SystemCall` byte is 1, takes
/// `int 0x2e`.) Budgets: the sizes measured (956, 480 and 424 bytes) and a 16-byte unit; the
/// issue's floors, 300 bytes checked with an exit-code refusal and 268 unchecked, are not met.
#[test]
fn pinned_to_a_windows_shaped_ntdll() {
    // every Nt* call of Windows 11 23H2 with its number, from tiny-build's all-releases table
    let table = tiny_build::resolve::windows::table::all_releases();
    let column = table
        .releases
        .iter()
        .position(|(os, version)| {
            (os.as_str(), version.as_str()) == ("Windows 11 and Server", "11 23H2")
        })
        .expect("Windows 11 23H2 in the all-releases table");
    let numbers: Vec<(String, u32)> = table
        .calls
        .iter()
        .filter_map(|(name, numbers)| Some((name.clone(), numbers[column]?)))
        .collect();
    assert!(numbers.len() > 400, "{} calls", numbers.len());
    let pairs: Vec<(&str, u32)> = numbers.iter().map(|(n, v)| (n.as_str(), *v)).collect();
    let image = resolve_support::Fixture::new()
        .stubs(&pairs, resolve_support::win10_stub)
        .build();
    let ntdll = scratch("windows-shaped-ntdll").join("ntdll.dll");
    std::fs::write(&ntdll, image).unwrap();
    let write = |n| resolve_support::win10_stub(n);
    let write_file = pairs.iter().find(|p| p.0 == "NtWriteFile").unwrap().1;
    for (setting, check, budget, refusal) in [
        (
            "message",
            "1",
            972,
            Some((
                0x59,
                "tiny: ntdll.dll is not the one this program was pinned to\n",
            )),
        ),
        ("exit-code", "1", 496, Some((FASTFAIL_LOW_BYTE, ""))),
        ("exit-code", "0", 440, None),
    ] {
        let (refusal_path, check_path) = (Path::new(setting), Path::new(check));
        let exe = build_with(
            "hello",
            &format!("examples-windows-shaped-{setting}-{check}"),
            "pinned",
            &[
                ("TINY_NTDLL", &ntdll),
                ("TINY_REFUSAL", refusal_path),
                ("TINY_PINNED_CHECK", check_path),
            ],
        );
        let bytes = std::fs::read(&exe).unwrap();
        let broken = tiny_build::layout::pe::check(&bytes).unwrap();
        assert!(
            broken.is_empty(),
            "{setting} {check}: breaks rule {}",
            broken[0].id
        );
        let stub = write(write_file);
        assert!(
            bytes.windows(stub.len()).any(|w| w == stub),
            "{setting} {check}: no copy of the NtWriteFile stub"
        );
        let n = bytes.len() as u64;
        eprintln!(
            "hello.exe (pinned to a Windows-shaped ntdll, {setting}, check {check}): {n} bytes"
        );
        assert!(n <= budget, "{setting} {check}: {n} bytes, budget {budget}");
        if let Some((code, message)) = refusal {
            assert_refuses(&exe, code, message);
        }
    }
}

/// The image keeps what its data's alignment asks for: the link step reads the largest
/// alignment of the data sections in the program's objects and places the section at a
/// multiple of it (`layout::pe::data_alignment`). A program with a 64-byte-aligned static and
/// one that needs only the file alignment both find their data where they expect it; the
/// first one's section starts at a multiple of 64, the second one's where the headers end.
#[test]
fn data_keeps_its_alignment() {
    let aligned = r#"#![no_std]
#![no_main]

#[repr(C, align(64))]
struct Line([u8; 8]);

static LINE: Line = Line(*b"aligned\n");

#[tiny::main]
fn main() -> u8 {
    // the address, as the program sees it, must be a multiple of 64
    let at = core::hint::black_box(&LINE) as *const Line as usize;
    tiny::print_bytes(&LINE.0);
    (at % 64) as u8
}
"#;
    let hello =
        "#![no_std]\n#![no_main]\n#[tiny::main]\nfn main() {\n    tiny::print(\"hi\\n\");\n}\n";
    let dir = scratch("win-align");
    let target_dir = root().join("target/examples");
    for (name, source, section) in [("aligned", aligned, 0xC0), ("hello", hello, 0xB4)] {
        let crate_dir = dir.join(name);
        tiny_tests::user_crate(
            &crate_dir,
            &format!("align-{name}"),
            &[("src/main.rs", source)],
        );
        assert_success(&tiny_tests::cargo_build_in(
            &crate_dir,
            &target_dir,
            &["--target", TARGET],
        ));
        let exe = target_dir
            .join(TARGET)
            .join(format!("release/align-{name}.exe"));
        let r = run_exe(&exe, name, &[], Stdin::Null, &dir);
        let want = if name == "aligned" {
            "aligned\n"
        } else {
            "hi\n"
        };
        assert_eq!((r.code, r.out().as_str()), (Some(0), want), "{name}: {r:?}");
        let bytes = std::fs::read(&exe).unwrap();
        // the section header's VirtualAddress (at 0x8C + 12)
        let rva = u32::from_le_bytes(bytes[0x98..0x9C].try_into().unwrap());
        assert_eq!(rva, section, "{name}: the section's address");
    }
}
