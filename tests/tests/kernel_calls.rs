//! README.md's "Calling the kernel" programs: each is taken from README.md, built as a user's
//! crate (the manifest and build script of `examples/hello`) with plain `cargo build
//! --release`, run, and its size compared with the figure README.md gives for it.

use std::path::{Path, PathBuf};

use tiny_tests::{Stdin, assert_success, cargo_build_in, root, run, scratch, size, user_crate};

/// README.md.
fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The Rust code block that follows `<!-- kernel:NAME -->` in README.md.
fn snippet(name: &str) -> String {
    let readme = readme();
    let marker = format!("<!-- kernel:{name} -->\n```rust\n");
    let start = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("README.md has no {marker:?}"))
        + marker.len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_owned()
}

/// The figure README.md gives as `<!-- kernel-size:NAME -->N<!-- /kernel-size -->`.
fn figure(name: &str) -> u64 {
    let readme = readme();
    let open = format!("<!-- kernel-size:{name} -->");
    let start = readme
        .find(&open)
        .unwrap_or_else(|| panic!("README.md has no {open}"))
        + open.len();
    let end = start + readme[start..].find("<!--").unwrap();
    readme[start..end].trim().parse().unwrap()
}

/// Builds `code` (a `#![no_std]`, `#![no_main]` program's items) as the user crate `name`,
/// with tiny's `features`; returns the executable.
fn build(name: &str, code: &str, features: &str) -> PathBuf {
    let dir = scratch(&format!("kernel-calls/{name}"));
    let source = format!("#![no_std]\n#![no_main]\n\n{code}");
    user_crate(&dir, name, &[("src/main.rs", &source)]);
    if !features.is_empty() {
        let manifest = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        let text = text.replace(
            "tiny-rt\" }",
            &format!("tiny-rt\", features = [{features}] }}"),
        );
        std::fs::write(&manifest, text).unwrap();
    }
    let target = root().join("target/examples");
    assert_success(&cargo_build_in(&dir, &target, &[]));
    target.join("release").join(name)
}

/// Asserts that `exe` is as big as README.md says (`name`'s figure).
fn assert_figure(name: &str, exe: &Path) {
    let size = size(exe);
    assert_eq!(
        size,
        figure(name),
        "README.md's figure for {name}: write <!-- kernel-size:{name} -->{size}<!-- /kernel-size -->"
    );
}

#[test]
fn getpid() {
    let exe = build("getpid", &snippet("getpid"), "");
    let child = std::process::Command::new(&exe).spawn().unwrap();
    let pid = child.id();
    let status = child.wait_with_output().unwrap().status;
    assert_eq!(status.code(), Some((pid & 0xff) as i32));
    assert_figure("getpid", &exe);
}

#[test]
fn mkdirat() {
    let exe = build("mkdirat", &snippet("mkdirat"), "");
    let dir = scratch("kernel-calls-mkdirat");
    let first = run(&exe, "mkdirat", &[], Stdin::Null, &dir);
    assert_eq!(first.code, Some(0));
    assert!(dir.join("made").is_dir());
    let again = run(&exe, "mkdirat", &[], Stdin::Null, &dir);
    assert_eq!(again.code, Some(linux_raw_sys::errno::EEXIST as i32));
    assert_figure("mkdirat", &exe);
}

/// The variant README.md describes: `try_syscall!`, `main` returning the error, the message
/// table with the feature `more-errors`.
#[test]
fn mkdirat_result() {
    let code = snippet("mkdirat")
        .replace("-> u8", "-> Result<(), tiny::Errno>")
        .replace(
            "let ret = unsafe { tiny::syscall!",
            "unsafe { tiny::try_syscall!",
        )
        .replace(
            ";\n    ret.unsigned_abs() as u8 // 0, or the error number\n",
            "?;\n    Ok(())\n",
        );
    assert!(code.contains("Result") && code.contains("Ok(())"), "{code}");
    let exe = build("mkdirat_result", &code, "\"more-errors\"");
    let dir = scratch("kernel-calls-mkdirat-result");
    let first = run(&exe, "mkdirat", &[], Stdin::Null, &dir);
    assert_eq!((first.code, first.err()), (Some(0), String::new()));
    let again = run(&exe, "mkdirat", &[], Stdin::Null, &dir);
    assert_eq!(
        (again.code, again.err()),
        (Some(1), "mkdirat: File exists\n".to_owned())
    );
    assert_figure("mkdirat_result", &exe);
}

#[test]
fn nanosleep() {
    let exe = build("nanosleep", &snippet("nanosleep"), "");
    let start = std::time::Instant::now();
    let r = run(&exe, "nanosleep", &[], Stdin::Null, &root());
    assert!(start.elapsed().as_secs_f64() >= 0.25);
    assert_eq!(
        (r.code, r.out(), r.err()),
        (Some(0), String::new(), String::new())
    );
    assert_figure("nanosleep", &exe);
}
