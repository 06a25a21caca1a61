//! The four other Linux architectures end to end: every example, built with plain `cargo build
//! --release --target …`, runs under `qemu-<arch>-static` (binfmt_misc need not be set up: qemu
//! is called explicitly) with the same stdout, stderr and exit code as the x86_64 build; i686
//! also runs natively. Every file parses with `readelf -h -l`, stays within its budget, and two
//! clean builds give the same bytes.

#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use tiny_tests::{Run, Stdin, assert_success, cargo_build, example, example_for, root, scratch};

/// A target: its triple, the qemu that runs it, `readelf`'s name for its machine, and the
/// budget of each example (bytes; the issue's floors: hello ≤ 125 on i686, ≤ 175 on the
/// others).
pub struct Target {
    pub triple: &'static str,
    pub qemu: &'static str,
    pub machine: &'static str,
    pub budgets: &'static [(&'static str, u64)],
}

/// Every target of the issue, with the budgets `cargo xtask sizes` reports.
pub const TARGETS: &[Target] = &[
    Target {
        triple: "i686-unknown-linux-gnu",
        qemu: "qemu-i386-static",
        machine: "Intel 80386",
        budgets: &[
            ("hello", 122),
            ("true", 80),
            ("false", 80),
            ("echo", 705),
            ("cat", 740),
            ("wc", 3175),
            ("mkdir", 3491),
            ("sleep", 2612),
            ("pwd", 2368),
            ("yes", 1704),
            ("head", 6871),
            ("env", 7379),
            ("uniq", 4469),
            ("sort", 5646),
            ("libctiny-test", 2377),
        ],
    },
    Target {
        triple: "aarch64-unknown-linux-gnu",
        qemu: "qemu-aarch64-static",
        machine: "AArch64",
        budgets: &[
            ("hello", 154),
            ("true", 116),
            ("false", 116),
            ("echo", 872),
            ("cat", 890),
            ("wc", 4000),
            ("mkdir", 3706),
            ("sleep", 2447),
            ("pwd", 3776),
            ("yes", 3040),
            ("head", 7552),
            ("env", 8560),
            ("uniq", 5484),
            ("sort", 7072),
            ("libctiny-test", 2236),
        ],
    },
    Target {
        triple: "riscv64gc-unknown-linux-gnu",
        qemu: "qemu-riscv64-static",
        machine: "RISC-V",
        budgets: &[
            ("hello", 148),
            ("true", 114),
            ("false", 114),
            ("echo", 750),
            ("cat", 772),
            ("wc", 2532),
            ("mkdir", 3295),
            ("sleep", 2155),
            ("pwd", 2242),
            ("yes", 1625),
            ("head", 5810),
            ("env", 6026),
            ("uniq", 4036),
            ("sort", 5476),
            ("libctiny-test", 1808),
        ],
    },
    Target {
        triple: "armv7-unknown-linux-gnueabihf",
        qemu: "qemu-arm-static",
        machine: "ARM",
        budgets: &[
            ("hello", 134),
            ("true", 92),
            ("false", 92),
            ("echo", 904),
            ("cat", 882),
            ("wc", 4619),
            ("mkdir", 3791),
            ("sleep", 4227),
            ("pwd", 2656),
            ("yes", 2491),
            ("head", 8463),
            ("env", 9249),
            ("uniq", 5870),
            ("sort", 6211),
            ("libctiny-test", 3732),
        ],
    },
];

/// The issue's floors for hello: 125 bytes on i686, 175 on the others.
const HELLO_FLOORS: &[(&str, u64)] = &[
    ("i686-unknown-linux-gnu", 125),
    ("aarch64-unknown-linux-gnu", 175),
    ("riscv64gc-unknown-linux-gnu", 175),
    ("armv7-unknown-linux-gnueabihf", 175),
];

/// One run of an example: its arguments, its input, and the files its directory holds first.
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    stdin: &'static [u8],
    files: &'static [(&'static str, &'static [u8])],
}

const TEXT: &[u8] = b"one two  three\nfour\n\nfive six\n";

const fn case(name: &'static str, args: &'static [&'static str]) -> Case {
    Case {
        name,
        args,
        stdin: b"",
        files: &[("in.txt", TEXT), ("empty", b"")],
    }
}

/// What every target runs, each case in a fresh directory of the same path (`yes` is built and
/// measured; it runs until its output closes, which this harness does not do).
const CASES: &[Case] = &[
    case("hello", &[]),
    case("hello", &["a", "b c"]),
    case("true", &["--help"]),
    case("false", &[]),
    case("echo", &[]),
    case("echo", &["hello", "world"]),
    case("echo", &["-n", "no", "newline"]),
    case("echo", &["-nE", "-x", "a\\tb"]),
    case("cat", &["in.txt"]),
    case("cat", &["in.txt", "empty", "in.txt"]),
    case("cat", &["missing"]),
    case("cat", &["-z"]),
    Case {
        stdin: b"from standard input\n",
        ..case("cat", &[])
    },
    Case {
        stdin: b"dash\n",
        ..case("cat", &["in.txt", "-"])
    },
    case("wc", &["in.txt"]),
    case("wc", &["-l", "in.txt", "empty"]),
    case("wc", &["-c", "in.txt"]),
    case("wc", &["-w", "missing", "in.txt"]),
    case("wc", &["-q"]),
    Case {
        stdin: b"a b\nc\n",
        ..case("wc", &[])
    },
    case("mkdir", &["made"]),
    case("mkdir", &["in.txt"]),
    case("mkdir", &["-p", "a/b/c"]),
    case("mkdir", &["-m", "700", "m"]),
    case("mkdir", &["missing/x"]),
    case("mkdir", &[]),
    case("sleep", &["0.1"]),
    case("sleep", &["1x"]),
    case("sleep", &[]),
    case("pwd", &[]),
    case("pwd", &["-P"]),
    case("head", &["-n", "2", "in.txt"]),
    case("head", &["-c", "5", "in.txt", "empty"]),
    case("head", &["missing"]),
    Case {
        stdin: b"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
        ..case("head", &[])
    },
    case("env", &["-i", "A=1", "B=two"]),
    case("env", &["-i", "-u", "A", "A=1", "C=3"]),
    case("env", &["-x"]),
    Case {
        stdin: b"a\na\nb\nb\nb\nc\na\n",
        ..case("uniq", &[])
    },
    Case {
        stdin: b"a\na\nb\nb\nb\nc\na\n",
        ..case("uniq", &["-c"])
    },
    case("uniq", &["-d", "in.txt"]),
    case("sort", &["in.txt"]),
    case("sort", &["-r", "in.txt", "in.txt"]),
    Case {
        stdin: b"10\n9\n-3\n100\n2.5\nx\n",
        ..case("sort", &["-n"])
    },
    case("sort", &["missing"]),
    case("libctiny-test", &["one", "two"]),
];

/// Runs `program` (through `qemu` when given) for `case` in a fresh `dir`; returns what it did
/// and the names in `dir` afterwards (what `mkdir` made).
fn run_case(program: &Path, qemu: Option<&str>, case: &Case, dir: &Path) -> (Run, Vec<String>) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for (name, data) in case.files {
        std::fs::write(dir.join(name), data).unwrap();
    }
    let mut cmd = match qemu {
        Some(q) => {
            let mut c = Command::new(q);
            c.arg("-0").arg(case.name).arg(program);
            c
        }
        None => {
            let mut c = Command::new(program);
            c.arg0(case.name);
            c
        }
    };
    cmd.args(case.args)
        .current_dir(dir)
        .env("PWD", dir)
        .env("LC_ALL", "C");
    let run = tiny_tests::run_command(cmd, Stdin::Bytes(case.stdin));
    let mut names: Vec<String> = walk(dir);
    names.sort();
    (run, names)
}

/// Every path under `dir`, relative, with its mode for directories.
fn walk(dir: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let meta = entry.metadata().unwrap();
            let rel = path.strip_prefix(dir).unwrap().display().to_string();
            if meta.is_dir() {
                out.push(format!("{rel}/ {:o}", meta.permissions().mode() & 0o7777));
                stack.push(path);
            } else {
                out.push(rel);
            }
        }
    }
    out
}

/// Every case: the target's build, under qemu (and natively for i686), does what the x86_64
/// build does.
fn same_as_x86_64(target: &Target) {
    let dir = scratch(&format!("arch-{}", target.triple));
    let mut failures = Vec::new();
    for case in CASES {
        let host = run_case(&example(case.name), None, case, &dir);
        let exe = example_for(case.name, Some(target.triple));
        let mut runs = vec![(target.qemu, run_case(&exe, Some(target.qemu), case, &dir))];
        if target.triple.starts_with("i686") {
            runs.push(("natively", run_case(&exe, None, case, &dir)));
        }
        for (how, got) in runs {
            let show = |(r, names): &(Run, Vec<String>)| {
                format!(
                    "exit {:?}, stdout {:?}, stderr {:?}, files {names:?}",
                    r.code,
                    r.out(),
                    r.err()
                )
            };
            if show(&got) != show(&host) {
                failures.push(format!(
                    "{} {:?} ({how}):\n  x86_64: {}\n  {}: {}",
                    case.name,
                    case.args,
                    show(&host),
                    target.triple,
                    show(&got)
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn i686_runs_like_x86_64_under_qemu_and_natively() {
    same_as_x86_64(&TARGETS[0]);
}

#[test]
fn aarch64_runs_like_x86_64_under_qemu() {
    same_as_x86_64(&TARGETS[1]);
}

#[test]
fn riscv64_runs_like_x86_64_under_qemu() {
    same_as_x86_64(&TARGETS[2]);
}

#[test]
fn armv7_runs_like_x86_64_under_qemu() {
    same_as_x86_64(&TARGETS[3]);
}

/// Every example of every target within its budget (hello within the issue's floor too), and
/// its headers parsed by `readelf -h -l`: the class, the machine, one `LOAD` segment.
#[test]
fn sizes_within_budget_and_headers_parse() {
    let mut report = String::new();
    let mut bad = Vec::new();
    for target in TARGETS {
        for &(name, budget) in target.budgets {
            let exe = example_for(name, Some(target.triple));
            let n = std::fs::metadata(&exe).unwrap().len();
            report.push_str(&format!(
                "{} {name}: {n} bytes (budget {budget})\n",
                target.triple
            ));
            if n > budget {
                bad.push(format!("{} {name}: {n} > {budget}", target.triple));
            }
            let out = Command::new("readelf")
                .args(["-h", "-l"])
                .arg(&exe)
                .output()
                .expect("readelf (binutils) not found");
            let text = String::from_utf8_lossy(&out.stdout);
            let class = if target.triple.starts_with("i686") || target.triple.starts_with("armv7") {
                "ELF32"
            } else {
                "ELF64"
            };
            if !out.status.success()
                || !text.contains(class)
                || !text.contains(&format!(
                    "Machine:                           {}",
                    target.machine
                ))
                || !text.contains("EXEC (Executable file)")
                || !text.contains("LOAD")
            {
                bad.push(format!(
                    "{} {name}: readelf says:\n{text}{}",
                    target.triple,
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
        }
        let hello = example_for("hello", Some(target.triple));
        let floor = HELLO_FLOORS
            .iter()
            .find(|f| f.0 == target.triple)
            .unwrap()
            .1;
        let n = std::fs::metadata(&hello).unwrap().len();
        if n > floor {
            bad.push(format!(
                "{} hello: {n} > the issue's floor {floor}",
                target.triple
            ));
        }
    }
    eprint!("{report}");
    assert!(bad.is_empty(), "{}\n{report}", bad.join("\n"));
}

/// Two builds from clean target directories give byte-identical files, for every target.
#[test]
fn builds_are_deterministic_for_every_target() {
    let a = scratch("arch-determinism-a");
    let b = scratch("arch-determinism-b");
    for target in TARGETS {
        for name in ["hello", "cat"] {
            for dir in [&a, &b] {
                assert_success(&cargo_build(name, dir, &["--target", target.triple]));
            }
            let read = |d: &Path| std::fs::read(d.join(target.triple).join("release").join(name));
            assert!(
                read(&a).unwrap() == read(&b).unwrap(),
                "{} {name}: two clean builds differ",
                target.triple
            );
        }
    }
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

/// Every program of `examples/features` (constructors, `atexit`, panics with and without
/// `core::fmt`, the heap, files, the environment, `tiny::syscall!`) prints and exits on every
/// target as on x86_64 (`syscall_getpid` exits with the process id: only that it runs).
#[test]
fn feature_programs_run_like_x86_64() {
    let target_dir = root().join("target/examples");
    let build = |target: Option<&str>| {
        let extra: Vec<&str> = target.map(|t| vec!["--target", t]).unwrap_or_default();
        assert_success(&cargo_build("features", &target_dir, &extra));
        match target {
            Some(t) => target_dir.join(t).join("release"),
            None => target_dir.join("release"),
        }
    };
    let host = build(None);
    let bins: Vec<String> = std::fs::read_dir(root().join("examples/features/src/bin"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .path()
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let dir = scratch("arch-features");
    let mut failures = Vec::new();
    for target in TARGETS {
        let bin_dir = build(Some(target.triple));
        for bin in &bins {
            let case = Case {
                name: "features",
                args: &["a", "bb", "ccc"],
                stdin: b"",
                files: &[],
            };
            let (want, want_files) = run_case(&host.join(bin), None, &case, &dir);
            let (got, got_files) = run_case(&bin_dir.join(bin), Some(target.qemu), &case, &dir);
            let same = if bin == "syscall_getpid" {
                got.stdout.is_empty() && got.stderr.is_empty()
            } else {
                (want.code, &want.stdout, &want.stderr, &want_files)
                    == (got.code, &got.stdout, &got.stderr, &got_files)
            };
            if !same {
                failures.push(format!(
                    "{} {bin}: x86_64 exit {:?} {:?} {:?}, got exit {:?} {:?} {:?}",
                    target.triple,
                    want.code,
                    want.out(),
                    want.err(),
                    got.code,
                    got.out(),
                    got.err()
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
