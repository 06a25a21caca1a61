//! The Linux x86_64 pipeline end to end: plain `cargo build --release` of the examples gives
//! tiny, valid ELF files that the kernel runs; the same sources give the same bytes; bad
//! input fails the build with a clear message.

use std::path::Path;
use std::process::Command;

use tiny_tests::{
    Stdin, assert_success, cargo_build, cargo_build_in, example, root, run, scratch, size,
    user_crate,
};

/// Size budgets (bytes) for x86_64 Linux. The floors are 145 (hello) and 120 (true,
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
            "Error: no input\n",
        ),
        (
            "result_errno",
            "#[tiny::main]\nfn main() -> Result<(), tiny::Errno> { tiny::open(b\"/nonexistent/x\").map(drop) }",
            Some(1),
            "",
            "Error: No such file or directory\n",
        ),
        (
            "panics",
            "#[tiny::main]\nfn main() { if tiny::args().len() < 5 { panic!(\"boom\") } }",
            Some(101),
            "",
            "panicked at src/bin/panics.rs:\nboom\n",
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
