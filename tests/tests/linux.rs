//! The Linux x86_64 pipeline end to end: plain `cargo build --release` of the examples gives
//! tiny, valid ELF files that the kernel runs; the same sources give the same bytes; bad
//! input fails the build with a clear message.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use tiny_tests::{
    Stdin, assert_success, cargo_build, cargo_build_in, example, root, run, scratch, size,
    user_crate,
};

/// Size budgets (bytes) for x86_64 Linux. The issue's floors are 145 (hello) and 120 (true,
/// false); its goals were 137 and 112 (code and data in header bytes Linux ignores), reached;
/// hello is 129 since its code starts over `p_align`.
const BUDGETS: &[(&str, u64)] = &[("hello", 129), ("true", 112), ("false", 112)];

#[test]
fn hello_prints_hello_world() {
    let exe = example("hello");
    let r = run(&exe, "hello", &[], Stdin::Null, &root());
    assert_eq!(
        (r.code, r.out(), r.err()),
        (Some(0), "Hello, World!\n".into(), String::new())
    );
    // arguments and input change nothing
    let r = run(
        &exe,
        "hello",
        &["a", "b c"],
        Stdin::Bytes(b"ignored"),
        &root(),
    );
    assert_eq!((r.code, r.out()), (Some(0), "Hello, World!\n".into()));
}

#[test]
fn true_and_false_exit_codes() {
    for (name, code) in [("true", 0), ("false", 1)] {
        let r = run(&example(name), name, &["--help"], Stdin::Null, &root());
        assert_eq!(
            (r.code, r.stdout.len(), r.stderr.len()),
            (Some(code), 0, 0),
            "{name}"
        );
    }
}

#[test]
fn sizes_within_budget() {
    let mut report = String::new();
    let mut over = Vec::new();
    for &(name, budget) in BUDGETS {
        let n = size(&example(name));
        report.push_str(&format!("{name}: {n} bytes (budget {budget})\n"));
        if n > budget {
            over.push(name);
        }
    }
    eprint!("{report}");
    assert!(over.is_empty(), "over budget: {over:?}\n{report}");
}

/// Every produced file parses: readelf accepts the headers, and object reads the one PT_LOAD
/// that covers the whole file with the entry point inside it.
#[test]
fn headers_parse_with_readelf_and_object() {
    use object::elf;
    use object::read::elf::{FileHeader, ProgramHeader};
    for &(name, _) in BUDGETS {
        let exe = example(name);
        let out = Command::new("readelf")
            .args(["-h", "-l"])
            .arg(&exe)
            .output()
            .expect("readelf (binutils) not found");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "readelf failed on {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.contains("EXEC (Executable file)") && text.contains("X86-64"),
            "{text}"
        );
        assert!(text.contains("LOAD"), "{text}");

        let data = std::fs::read(&exe).unwrap();
        let e = object::LittleEndian;
        let hdr = elf::FileHeader64::<object::LittleEndian>::parse(&*data).unwrap();
        assert_eq!(hdr.e_machine(e), elf::EM_X86_64);
        let phdrs = hdr.program_headers(e, &*data).unwrap();
        assert_eq!(phdrs.len(), 1, "{name}: one PT_LOAD");
        let ph = &phdrs[0];
        assert_eq!(ph.p_type(e), elf::PT_LOAD);
        assert_eq!(
            (ph.p_offset(e), ph.p_filesz(e)),
            (0, data.len() as u64),
            "{name}: maps the whole file"
        );
        let entry = hdr.e_entry(e);
        assert!(
            (ph.p_vaddr(e)..ph.p_vaddr(e) + ph.p_filesz(e)).contains(&entry),
            "{name}: entry {entry:#x}"
        );
        assert_ne!(ph.p_flags(e) & elf::PF_X, 0);
    }
}

/// Two builds from clean target directories give byte-identical files.
#[test]
fn builds_are_deterministic() {
    for name in ["hello", "true"] {
        let a = scratch(&format!("determinism-{name}-a"));
        let b = scratch(&format!("determinism-{name}-b"));
        for dir in [&a, &b] {
            let out = cargo_build(name, dir, &[]);
            assert_success(&out);
        }
        let read = |d: &Path| std::fs::read(d.join("release").join(name)).unwrap();
        assert!(read(&a) == read(&b), "{name}: two clean builds differ");
        let _ = std::fs::remove_dir_all(&a);
        let _ = std::fs::remove_dir_all(&b);
    }
}

#[test]
fn unsupported_target_is_refused_by_name() {
    let dir = scratch("unsupported-target");
    let out = cargo_build("hello", &dir, &["--target", "wasm32-unknown-unknown"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("unsupported target `wasm32-unknown-unknown`")
            && err.contains("x86_64-unknown-linux-gnu"),
        "the error must name the target and the supported ones:\n{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The link step refuses a program whose `main` is not marked `#[tiny::main]` (no entry glue),
/// naming the problem instead of producing a broken file.
#[test]
fn missing_entry_glue_is_a_clear_link_error() {
    let dir = scratch("no-entry");
    let krate = dir.join("crate");
    user_crate(
        &krate,
        "no-entry",
        &[(
            "src/main.rs",
            "#![no_std]\n#![no_main]\nuse tiny as _;\n#[unsafe(no_mangle)]\npub extern \"C\" fn _start() -> ! { tiny::exit(3) }\n",
        )],
    );
    let out = cargo_build_in(&krate, &dir.join("target"), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(err.contains("is `main` marked `#[tiny::main]`?"), "{err}");
}

/// Every `main` shape `#[tiny::main]` accepts, and the panic handler, in one user-style crate
/// with several binaries.
#[test]
fn main_shapes_exit_codes_and_panics() {
    let dir = scratch("main-shapes");
    user_crate(&dir, "shapes", &[]);
    let header = "#![no_std]\n#![no_main]\n";
    let bins: &[(&str, &str, Option<i32>, &str, &str)] = &[
        (
            "unit",
            "#[tiny::main]\nfn main() { tiny::print(\"unit\\n\"); }",
            Some(0),
            "unit\n",
            "",
        ),
        (
            "ret_u8",
            "#[tiny::main]\nfn main() -> u8 { 200 }",
            Some(200),
            "",
            "",
        ),
        (
            "ret_i32",
            "#[tiny::main]\nfn main() -> i32 { -1 }",
            Some(255),
            "",
            "",
        ),
        (
            "result_ok",
            "#[tiny::main]\nfn main() -> Result<(), &'static str> { Ok(()) }",
            Some(0),
            "",
            "",
        ),
        (
            "result_err",
            "#[tiny::main]\nfn main() -> Result<(), &'static str> { Err(\"no input\") }",
            Some(1),
            "",
            "result_err: no input\n",
        ),
        (
            "result_errno",
            "#[tiny::main]\nfn main() -> Result<(), tiny::Errno> { tiny::open(b\"/nonexistent/x\").map(drop) }",
            Some(1),
            "",
            "result_errno: No such file or directory\n",
        ),
        (
            "panics",
            "#[tiny::main]\nfn main() { if tiny::args().len() < 5 { panic!(\"boom\") } }",
            Some(101),
            "",
            "panicked at src/bin/panics.rs:4:41:\nboom\n",
        ),
        // a panic whose message is formatted (an index out of bounds): the program holds
        // `core::fmt` anyway, so the report formats it, as std does
        (
            "panics_fmt",
            "#[tiny::main]\nfn main() -> u8 { let a = [1u8, 2, 3]; a[tiny::args().len() + 2] }",
            Some(101),
            "",
            "panicked at src/bin/panics_fmt.rs:4:40:\nindex out of bounds: the len is 3 but the index is 3\n",
        ),
        // `tiny::Failure`: `&str` and `Errno` errors in one `main`, with what failed
        (
            "failure",
            "#[tiny::main]\nfn main() -> Result<(), tiny::Failure> {\n    let name = tiny::ZStr::new(c\"/nonexistent/x\");\n    if tiny::args().len() > 1 { Err(\"too many arguments\")?; }\n    tiny::open_z(name).map_err(|e| e.on(name))?;\n    Ok(())\n}",
            Some(1),
            "",
            "failure: /nonexistent/x: No such file or directory\n",
        ),
        (
            "errors",
            "#[tiny::main]\nfn main() { for n in [2, 13, 21, 20, 5, 28, 1, 0, 127, 128, 133, 159, 258, -2] { tiny::error(tiny::ZStr::new(c\"x\"), tiny::Errno::new(n)); } }",
            Some(0),
            "",
            "errors: x: No such file or directory\nerrors: x: Permission denied\nerrors: x: Is a directory\nerrors: x: Not a directory\nerrors: x: Input/output error\nerrors: x: No space left on device\nerrors: x: Unknown error\nerrors: x: Unknown error\nerrors: x: Unknown error\nerrors: x: Unknown error\nerrors: x: Unknown error\nerrors: x: Unknown error\nerrors: x: Unknown error\nerrors: x: Unknown error\n",
        ),
        (
            "exits",
            "#[tiny::main]\nfn main() { tiny::print(\"before\\n\"); tiny::exit(42) }",
            Some(42),
            "before\n",
            "",
        ),
    ];
    for (name, body, ..) in bins {
        user_crate(
            &dir,
            "shapes",
            &[(&format!("src/bin/{name}.rs"), &format!("{header}{body}\n"))],
        );
    }
    let target_dir = root().join("target/examples");
    let out = cargo_build_in(&dir, &target_dir, &[]);
    assert_success(&out);
    for (name, _, code, stdout, stderr) in bins {
        let r = run(
            &target_dir.join("release").join(name),
            name,
            &[],
            Stdin::Null,
            &dir,
        );
        assert_eq!(
            (r.code, r.out().as_str(), r.err().as_str()),
            (*code, *stdout, *stderr),
            "{name}"
        );
    }
}

/// A plain `cargo build` (debug profile: no LTO, unoptimized `core` with unwind tables) links
/// and runs too; only its size is not tiny.
#[test]
fn debug_profile_builds_and_runs() {
    let target_dir = root().join("target/examples");
    let out = tiny_tests::cargo()
        .current_dir(root().join("examples/echo"))
        .args(["build", "--quiet", "--target-dir"])
        .arg(&target_dir)
        .output()
        .unwrap();
    assert_success(&out);
    let r = run(
        &target_dir.join("debug/echo"),
        "echo",
        &["debug", "build"],
        Stdin::Null,
        &root(),
    );
    assert_eq!((r.code, r.out()), (Some(0), "debug build\n".into()));
}

/// `tiny::syscall!` and `tiny::try_syscall!` from a user's program: calls the runtime does not
/// make, with 0 to 6 arguments, raw and checked results, constants from `tiny::sys`.
#[test]
fn syscall_macro_reaches_any_call() {
    let dir = scratch("syscall-macro");
    let header = "#![no_std]\n#![no_main]\n#[allow(unused_imports)]\nuse tiny::sys::*;\n";
    let bins: &[(&str, &str)] = &[
        // 0 arguments: the pid, in decimal
        (
            "sys-pid",
            "#[tiny::main]\nfn main() {\n    // SAFETY: getpid touches no memory.\n    let pid = unsafe { tiny::syscall!(getpid) }; let _ = tiny::fmt::write_number(tiny::STDOUT, pid as u64, 0); }",
        ),
        // 3 arguments, a C string, a negative constant; checked: the second call fails with
        // EEXIST, whose number is the exit code
        (
            "sys-mkdir",
            "#[tiny::main]\nfn main() -> u8 {\n    // SAFETY: the path is a C string literal, which the kernel only reads (both calls).\n    let made = unsafe { tiny::try_syscall!(mkdirat, AT_FDCWD, c\"made\", 0o750) };\n    if made != Ok(0) { return 1; }\n    match unsafe { tiny::try_syscall!(mkdirat, AT_FDCWD, c\"made\", 0o750) } { Err(e) => e.raw() as u8, Ok(_) => 2 }\n}",
        ),
        // 2 arguments, a reference to a kernel structure
        (
            "sys-nap",
            "#[tiny::main]\nfn main() -> u8 {\n    let t = __kernel_timespec { tv_sec: 0, tv_nsec: 300_000_000 };\n    // SAFETY: `t` is a live timespec the kernel only reads.\n    (unsafe { tiny::syscall!(nanosleep, &t, 0usize) }) as u8\n}",
        ),
        // 6 arguments (mmap), then 2 (munmap): a page written and read back
        (
            "sys-map",
            "#[tiny::main]\nfn main() -> u8 {\n    // SAFETY: an anonymous private page of our own, written and read inside its bounds, then unmapped.\n    let p = match unsafe { tiny::try_syscall!(mmap, 0usize, 4096usize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1i32, 0usize) } { Ok(p) => p as *mut u8, Err(_) => return 1 };\n    unsafe { p.add(4095).write_volatile(7) };\n    let v = unsafe { p.add(4095).read_volatile() };\n    if unsafe { tiny::syscall!(munmap, p, 4096usize) } != 0 { return 2; }\n    v\n}",
        ),
        // the kernel writes into the program's buffer (a reference to an array), which it prints
        (
            "sys-cwd",
            "#[tiny::main]\nfn main() -> Result<(), tiny::Errno> {\n    let mut buf = [0u8; 512];\n    // SAFETY: the kernel writes at most 512 bytes into `buf`, which has 512.\n    let n = unsafe { tiny::try_syscall!(getcwd, &mut buf, 512usize) }?;\n    tiny::print_bytes(&buf[..n - 1]);\n    Ok(())\n}",
        ),
    ];
    for (name, body) in bins {
        user_crate(
            &dir,
            "sys",
            &[(&format!("src/bin/{name}.rs"), &format!("{header}{body}\n"))],
        );
    }
    let target_dir = root().join("target/examples");
    assert_success(&cargo_build_in(&dir, &target_dir, &[]));
    let bin = |name: &str| target_dir.join("release").join(name);

    let child = std::process::Command::new(bin("sys-pid"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), pid.to_string());

    let work = scratch("syscall-macro-run");
    let r = run(&bin("sys-mkdir"), "mkdir", &[], Stdin::Null, &work);
    assert_eq!(r.code, Some(17), "EEXIST on the second mkdirat: {r:?}");
    assert!(work.join("made").is_dir());

    let start = std::time::Instant::now();
    let r = run(&bin("sys-nap"), "nap", &[], Stdin::Null, &work);
    assert_eq!(r.code, Some(0));
    assert!(start.elapsed() >= std::time::Duration::from_millis(300));

    let r = run(&bin("sys-map"), "map", &[], Stdin::Null, &work);
    assert_eq!(r.code, Some(7));

    let r = run(&bin("sys-cwd"), "cwd", &[], Stdin::Null, &work);
    let want = work.canonicalize().unwrap();
    assert_eq!((r.code, r.out()), (Some(0), want.display().to_string()));
}

/// The generated file checks each stub's type against what the runtime declares: a build
/// script that changes one (here `close`'s descriptor from `u32` to `u64`) fails to compile,
/// naming the contract.
#[test]
fn generated_stub_with_another_type_fails_to_compile() {
    let dir = scratch("contract-mismatch");
    user_crate(
        &dir,
        "mismatch",
        &[(
            "src/main.rs",
            "#![no_std]\n#![no_main]\n#[tiny::main]\nfn main() { tiny::print(\"hi\\n\"); }\n",
        )],
    );
    std::fs::write(
        dir.join("build.rs"),
        "fn main() {\n    tiny_build::Builder::new().emit().expect(\"tiny-build\");\n    let path = std::path::Path::new(&std::env::var(\"OUT_DIR\").unwrap()).join(\"tiny.rs\");\n    let src = std::fs::read_to_string(&path).unwrap();\n    let changed = src.replace(\"fn __tiny_sys_close(a0: u32)\", \"fn __tiny_sys_close(a0: u64)\");\n    assert_ne!(src, changed, \"no close stub to change\");\n    std::fs::write(&path, changed).unwrap();\n}\n",
    )
    .unwrap();
    let out = cargo_build_in(&dir, &root().join("target/examples"), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "built with a mismatched stub");
    assert!(
        err.contains("mismatched types") && err.contains("contract::__tiny_sys_close"),
        "{err}"
    );
}

/// `tiny::println!` and friends (`core::fmt`), `tiny::atexit` (newest first, also on
/// `tiny::exit`), and the check at exit that reports a failed write to standard output as
/// coreutils do.
#[test]
fn printing_macros_atexit_and_write_errors() {
    let dir = scratch("printing");
    let header = "#![no_std]\n#![no_main]\n";
    let bins: &[(&str, &str)] = &[(
        "fmt-print",
        "fn first() { tiny::println!(\"first registered, run last\"); }\nfn second() { tiny::println!(\"second registered, run first\"); }\n#[tiny::main]\nfn main() -> u8 {\n    tiny::atexit(first).unwrap();\n    tiny::atexit(second).unwrap();\n    let n = tiny::args().len();\n    tiny::print!(\"{n} argument{}: \", if n == 1 { \"\" } else { \"s\" });\n    tiny::println!(\"[{:>6}] [{:<4}] {:#x} {:?}\", \"right\", 7, 255, Some(-3));\n    tiny::eprintln!(\"to stderr {}\", 1.5);\n    tiny::println!();\n    if n > 2 { tiny::exit(3) }\n    0\n}",
    )];
    for (name, body) in bins {
        user_crate(
            &dir,
            "printing",
            &[(&format!("src/bin/{name}.rs"), &format!("{header}{body}\n"))],
        );
    }
    let target_dir = root().join("target/examples");
    assert_success(&cargo_build_in(&dir, &target_dir, &[]));
    let exe = target_dir.join("release/fmt-print");
    let r = run(&exe, "fmt-print", &["x"], Stdin::Null, &dir);
    assert_eq!(
        (r.code, r.out().as_str(), r.err().as_str()),
        (
            Some(0),
            "2 arguments: [ right] [7   ] 0xff Some(-3)\n\nsecond registered, run first\nfirst registered, run last\n",
            "to stderr 1.5\n"
        )
    );
    // `tiny::exit` runs the handlers too, and keeps its code
    let r = run(&exe, "fmt-print", &["x", "y"], Stdin::Null, &dir);
    assert_eq!(r.code, Some(3));
    assert!(
        r.out().ends_with("run first\nfirst registered, run last\n"),
        "{r:?}"
    );
    // a full disk: GNU's message and exit code 1, as `cat > /dev/full` gives
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut cmd = std::process::Command::new(&exe);
    cmd.arg0("fmt-print").stdout(full);
    let out = cmd.output().unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).as_ref()
        ),
        (
            Some(1),
            "to stderr 1.5\nfmt-print: write error: No space left on device\n"
        )
    );
}

/// `tiny::env::var` and `tiny::env::vars`: the environment the program was started with, in
/// order, bytes as they are (not UTF-8 here), an entry without `=`, an empty one.
#[test]
fn environment_variables() {
    let dir = scratch("env-vars");
    user_crate(&dir, "envvars", &[("src/main.rs", tiny_tests::ENV_PROGRAM)]);
    let target_dir = root().join("target/examples");
    assert_success(&cargo_build_in(&dir, &target_dir, &[]));
    let exe = target_dir.join("release/envvars");
    let out = std::process::Command::new(&exe)
        .env_clear()
        .env("A", "1")
        .env("TINY_PROBE", "h\u{e9}=x")
        .env("EMPTY", "")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "TINY_PROBE is h\u{e9}=x\nA=1\nEMPTY=\nTINY_PROBE=h\u{e9}=x\n"
    );
    let out = std::process::Command::new(&exe)
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "TINY_PROBE is unset\n"
    );
}

/// `tiny::fs`: create, write, append, overwrite, truncate, read, and the errors std gives.
#[test]
fn files_create_write_append_truncate() {
    let dir = scratch("fs");
    user_crate(&dir, "files", &[("src/main.rs", tiny_tests::FS_PROGRAM)]);
    let target_dir = root().join("target/examples");
    assert_success(&cargo_build_in(&dir, &target_dir, &[]));
    let work = scratch("fs-run");
    let r = run(
        &target_dir.join("release/files"),
        "files",
        &[],
        Stdin::Null,
        &work,
    );
    assert_eq!(
        (r.code, r.out().as_str(), r.err().as_str()),
        (Some(0), tiny_tests::FS_PROGRAM_OUTPUT, "")
    );
    assert_eq!(std::fs::read(work.join("out.txt")).unwrap(), b"three\n");
    // a created file gets 0o666 less the umask (the program inherits the test's)
    use std::os::unix::fs::PermissionsExt;
    let umask = Command::new("sh").args(["-c", "umask"]).output().unwrap();
    let umask = u32::from_str_radix(String::from_utf8_lossy(&umask.stdout).trim(), 8).unwrap();
    let mode = std::fs::metadata(work.join("out.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o666 & !umask, "{mode:o}");
}

/// README's "Use it in your program" snippets, as a newcomer copies them into a new package:
/// they build and run with plain `cargo build`/`cargo run` (the debug profile) and with
/// `cargo build --release` (the tiny file).
#[test]
fn readme_snippets_build_in_debug_and_release() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = &readme[readme.find("## Use it in your program").unwrap()..];
    let block = |first_line: &str| -> String {
        let at = section.find(first_line).unwrap();
        let body = &section[at..];
        body[..body.find("```").unwrap()].to_string()
    };
    let manifest = format!(
        "[package]\nname = \"readme\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n{}\n[workspace]\n",
        block("# Cargo.toml").replace('…', &root().display().to_string())
    );
    let dir = scratch("readme-snippet");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("build.rs"), block("// build.rs")).unwrap();
    std::fs::write(dir.join("src/main.rs"), block("// src/main.rs")).unwrap();
    let target_dir = root().join("target/examples");
    let out = tiny_tests::cargo()
        .current_dir(&dir)
        .args(["run", "--quiet", "--target-dir"])
        .arg(&target_dir)
        .output()
        .unwrap();
    assert_success(&out);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "Hello, World!\n");
    assert_success(&cargo_build_in(&dir, &target_dir, &[]));
    let r = run(
        &target_dir.join("release/readme"),
        "readme",
        &[],
        Stdin::Null,
        &dir,
    );
    assert_eq!((r.code, r.out().as_str()), (Some(0), "Hello, World!\n"));
    // the same program as examples/hello, so the same bytes
    assert_eq!(
        std::fs::read(target_dir.join("release/readme")).unwrap(),
        std::fs::read(tiny_tests::example("hello")).unwrap()
    );
}

/// `#[tiny::ctor]`: constructors run before `main`, in source order, see the arguments, and
/// may register `atexit` handlers; a program without one is unchanged (hello's bytes).
#[test]
fn constructors_run_before_main() {
    let dir = scratch("ctors");
    let header = "#![no_std]\n#![no_main]\n";
    let bins: &[(&str, &str, &str)] = &[
        (
            "ctor-order",
            "#[tiny::ctor]\nfn first() { tiny::print(\"first\\n\"); }\n#[tiny::ctor]\nfn second() {\n    tiny::print(\"second sees \");\n    let _ = tiny::fmt::write_number(tiny::STDOUT, tiny::args().len() as u64, 0);\n    tiny::print(\" arguments\\n\");\n    let _ = tiny::atexit(bye);\n}\nfn bye() { tiny::print(\"bye\\n\"); }\n#[tiny::main]\nfn main() { tiny::print(\"main\\n\"); }",
            "first\nsecond sees 3 arguments\nmain\nbye\n",
        ),
        // no arguments read anywhere: `_start` is left out, the constructor is the entry
        (
            "ctor-only",
            "#[tiny::ctor]\nfn init() { tiny::print(\"init\\n\"); }\n#[tiny::main]\nfn main() { tiny::print(\"main\\n\"); }",
            "init\nmain\n",
        ),
    ];
    for (name, body, _) in bins {
        user_crate(
            &dir,
            "ctors",
            &[(&format!("src/bin/{name}.rs"), &format!("{header}{body}\n"))],
        );
    }
    let target_dir = root().join("target/examples");
    assert_success(&cargo_build_in(&dir, &target_dir, &[]));
    for (name, _, want) in bins {
        let r = run(
            &target_dir.join("release").join(name),
            name,
            &["a", "b"],
            Stdin::Null,
            &dir,
        );
        assert_eq!((r.code, r.out().as_str()), (Some(0), *want), "{name}");
    }
}

/// The programs of `examples/features` (README's table of what each feature costs) do what
/// their first line says.
#[test]
fn feature_programs_do_what_they_say() {
    let target_dir = root().join("target/examples");
    assert_success(&cargo_build_in(
        &root().join("examples/features"),
        &target_dir,
        &[],
    ));
    let work = scratch("features");
    let bin = |name: &str| target_dir.join("release").join(name);
    // program, arguments, exit code, stdout, stderr
    type Case<'a> = (&'a str, &'a [&'a str], Option<i32>, &'a str, &'a str);
    let cases: &[Case] = &[
        ("base", &[], Some(0), "", ""),
        ("println_text", &[], Some(0), "Hello, World!\n", ""),
        ("println_number", &["a", "b"], Some(0), "3 arguments\n", ""),
        ("ufmt_number", &["a", "b"], Some(0), "3 arguments\n", ""),
        ("heap_vec", &["a", "bcd"], Some(0), "813", ""),
        ("atexit", &[], Some(0), "bye\n", ""),
        ("ctor", &[], Some(0), "init\n", ""),
        ("syscall_mkdirat", &[], Some(0), "", ""),
        ("syscall_nanosleep", &[], Some(0), "", ""),
        ("file_create", &[], Some(0), "", ""),
        (
            "panic_static",
            &["1", "2", "3", "4", "5"],
            Some(101),
            "",
            "panicked at src/bin/panic_static.rs:8:9:\ntoo many arguments\n",
        ),
        (
            "panic_index",
            &["1", "2", "3"],
            Some(101),
            "",
            "panicked at src/bin/panic_index.rs:8:5:\nindex out of bounds: the len is 3 but the index is 4\n",
        ),
    ];
    for (name, args, code, out, err) in cases {
        let r = run(&bin(name), name, args, Stdin::Null, &work);
        assert_eq!(
            (r.code, r.out().as_str(), r.err().as_str()),
            (*code, *out, *err),
            "{name}"
        );
    }
    assert!(work.join("dir").is_dir());
    assert_eq!(std::fs::read(work.join("out")).unwrap(), b"out\n");
    let out = Command::new(bin("env_var"))
        .env_clear()
        .env("HOME", "/h")
        .output()
        .unwrap();
    assert_eq!(out.stdout, b"/h");
}

/// hello makes exactly two system calls, `write(1, "Hello, World!\n", 14)` and `exit(0)`, as
/// `strace -f` sees them after the `execve` that started it (Debian's `strace`, installed by
/// `cargo xtask setup`).
#[test]
fn hello_makes_two_system_calls() {
    let strace = tiny_tests::which("strace")
        .expect("strace not found on PATH: install Debian's strace (cargo xtask setup)");
    let dir = scratch("strace-hello");
    let log = dir.join("trace");
    let out = Command::new(strace)
        .args(["-f", "-qq", "-o"])
        .arg(&log)
        .arg(example("hello"))
        .output()
        .unwrap();
    assert_eq!(
        (out.status.code(), out.stdout.as_slice()),
        (Some(0), &b"Hello, World!\n"[..])
    );
    let trace = std::fs::read_to_string(&log).unwrap();
    // each line: `PID  call(args) = result`
    let calls: Vec<&str> = trace
        .lines()
        .map(|l| {
            l.split_once(char::is_whitespace)
                .map_or(l, |(_, c)| c.trim())
        })
        .filter(|c| !c.starts_with("+++"))
        .collect();
    let after_exec = calls
        .iter()
        .position(|c| c.starts_with("execve("))
        .map(|i| &calls[i + 1..]);
    assert_eq!(
        after_exec.map(|c| c.iter().map(|c| squeeze(c)).collect::<Vec<_>>()),
        Some(vec![
            "write(1, \"Hello, World!\\n\", 14) = 14".to_owned(),
            "exit(0) = ?".to_owned(),
        ]),
        "{trace}"
    );
}

/// `s` with every run of spaces made one space (strace aligns results in columns).
fn squeeze(s: &str) -> String {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The heap's test programs (`tiny_tests::heap_crate`), built once per test process: the
/// directory they are in.
fn heap_bins() -> std::path::PathBuf {
    static BUILT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let dir = scratch("heap");
            tiny_tests::heap_crate(&dir);
            let target_dir = root().join("target/examples");
            assert_success(&cargo_build_in(&dir, &target_dir, &[]));
            target_dir.join("release")
        })
        .clone()
}

/// `tiny::Heap` under a randomized alloc/realloc/free workload checked against a model
/// (`tiny_tests::heap_workload`: contents, alignments up to 4096 and beyond, blocks across
/// the mmap threshold, growth and shrink, the collections, zero-size requests) prints what the
/// same workload prints under std's allocator, for several seeds.
#[test]
fn heap_workload_matches_the_model() {
    let exe = heap_bins().join("heap-workload");
    for seed in ["1", "2", "3"] {
        let r = run(
            &exe,
            "heap-workload",
            &[seed, "20000", "1"],
            Stdin::Null,
            &root(),
        );
        let expected = tiny_tests::heap_summary(seed.parse().unwrap(), 20000, 1);
        assert_eq!(
            (r.code, r.out(), r.err()),
            (Some(0), expected, String::new()),
            "seed {seed}"
        );
    }
}

/// A request no system can meet (2^62 bytes), at once or by growing a `Vec`: the program
/// reports it on stderr and exits 101 (the panic of `alloc`'s error handler), no signal.
#[test]
fn heap_out_of_memory_is_reported() {
    let exe = heap_bins().join("heap-oom");
    for how in ["alloc", "realloc"] {
        let r = run(&exe, "heap-oom", &[how], Stdin::Null, &root());
        assert_eq!(r.code, Some(101), "{how}: {r:?}");
        assert_eq!(r.out(), "", "{how}");
        // alloc's message, formatted by the panic report (the program holds `core::fmt` for it)
        assert!(
            r.err()
                .contains(":\nmemory allocation of 461168601842738790"),
            "{how}: {r:?}"
        );
    }
}

/// The heap's cost: the same small program with a `Vec` (and `tiny::Heap`) and with an array.
/// Both print the same; the `Vec` one stays within its budget.
#[test]
fn heap_vec_program_within_budget() {
    const BUDGET: u64 = HEAP_VEC_BUDGET;
    let bins = heap_bins();
    let (with, without) = (bins.join("heap-vec"), bins.join("heap-no-vec"));
    let args = ["a", "bcd", "efghijklm"];
    let a = run(&with, "x", &args, Stdin::Null, &root());
    let b = run(&without, "x", &args, Stdin::Null, &root());
    assert_eq!((a.code, a.out()), (Some(0), "1139".to_string()));
    assert_eq!(a, b);
    let (n, m) = (size(&with), size(&without));
    eprintln!(
        "heap-vec: {n} bytes, heap-no-vec: {m} bytes (the heap and Vec: {})",
        n - m
    );
    assert!(n <= BUDGET, "heap-vec is {n} bytes, budget {BUDGET}");
}

/// The size budget of `heap-vec` (bytes): 3689 measured with rustc 1.95, and a little room.
/// (2797 before panics printed formatted messages: `alloc`'s out-of-memory message is
/// formatted, so a program that allocates holds `core::fmt`, and its panic report prints it.)
const HEAP_VEC_BUDGET: u64 = 3700;

/// The heap feature costs nothing in programs that never allocate: `cat` and `wc` built with
/// it (the default) and without it (`default-features = false`) are the same bytes. Without
/// it a program can declare its own `#[global_allocator]` (here a bump allocator) and use
/// `alloc` with that one.
#[test]
fn heap_feature_costs_nothing_unused_and_can_be_replaced() {
    const BUMP_MAIN: &str = r#"#![no_std]
#![no_main]
extern crate alloc;
use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

struct Bump(UnsafeCell<([u8; 4096], usize)>);
unsafe impl Sync for Bump {}
unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        // SAFETY: one thread; no other reference to the arena is alive.
        let (arena, used) = unsafe { &mut *self.0.get() };
        let start = (arena.as_ptr() as usize + *used).next_multiple_of(l.align()) - arena.as_ptr() as usize;
        if start + l.size() > arena.len() { return core::ptr::null_mut(); }
        *used = start + l.size();
        // SAFETY: `start + size <= 4096`, checked above: inside the arena.
        unsafe { arena.as_mut_ptr().add(start) }
    }
    unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
}

#[global_allocator]
static BUMP: Bump = Bump(UnsafeCell::new(([0; 4096], 0)));

#[tiny::main]
fn main() {
    let mut v = alloc::vec::Vec::new();
    for a in tiny::operands() {
        v.extend_from_slice(a);
    }
    v.push(b'\n');
    tiny::print_bytes(&v);
}
"#;
    // `cat` and `wc` as crates of their own (the examples' names and paths) without the
    // feature, in a target directory of their own
    let target = root().join("target/examples-heap-off");
    for (name, extra) in [("cat", None), ("wc", Some(("src/bin/bump.rs", BUMP_MAIN)))] {
        let dir = scratch(&format!("heap-off-{name}"));
        let main = std::fs::read_to_string(root().join("examples").join(name).join("src/main.rs"));
        let main = main.unwrap();
        let mut files = vec![("src/main.rs", main.as_str())];
        files.extend(extra);
        user_crate(&dir, name, &files);
        let manifest = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        let text = text.replace("tiny-rt\" }", "tiny-rt\", default-features = false }");
        assert!(text.contains("default-features = false"), "{text}");
        std::fs::write(manifest, text).unwrap();
        assert_success(&cargo_build_in(&dir, &target, &[]));
        let (on, off) = (
            std::fs::read(example(name)).unwrap(),
            std::fs::read(target.join("release").join(name)).unwrap(),
        );
        assert!(
            on == off,
            "{name}: {} bytes with the heap feature, {} without",
            on.len(),
            off.len()
        );
    }
    let without = target.join("release");
    let r = run(
        &without.join("bump"),
        "bump",
        &["own ", "allocator"],
        Stdin::Null,
        &root(),
    );
    assert_eq!(
        (r.code, r.out(), r.err()),
        (Some(0), "own allocator\n".into(), String::new())
    );
}

/// `tiny::fs::read`, `File::read_to_end` (from a pipe too) and `tiny::format!`, with the heap.
#[test]
fn read_to_end_and_format() {
    let dir = scratch("read-to-end");
    user_crate(
        &dir,
        "readall",
        &[("src/main.rs", tiny_tests::READ_PROGRAM)],
    );
    let target_dir = root().join("target/examples");
    assert_success(&cargo_build_in(&dir, &target_dir, &[]));
    let input = tiny_tests::noise(300_000, 7);
    let r = run(
        &target_dir.join("release/readall"),
        "readall",
        &[],
        Stdin::Bytes(&input),
        &dir,
    );
    assert_eq!(
        (r.code, r.out().as_str(), r.err().as_str()),
        (Some(0), "file 100000 true, stdin 300000 300000\n", "")
    );
}
