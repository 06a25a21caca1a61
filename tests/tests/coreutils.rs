//! The example programs `echo`, `cat`, `wc`, `mkdir`, `sleep` and `pwd` against GNU coreutils:
//! each is built with plain `cargo build --release`, then run next to the coreutils program
//! with the same `argv[0]`, arguments, standard input and directory, in the C locale
//! (`LC_ALL=C` for both); stdout, stderr and the exit code must agree (for mkdir also the
//! directories both leave, in two directories prepared alike). Size budgets (x86_64 Linux) are
//! asserted too. Errors that need another user or a file system of their own are made where
//! the environment allows: as root, the permission tests run both programs as `nobody`
//! (`setpriv`); read-only and full file systems are tmpfs mounts in a mount namespace
//! (`unshare -m`); default ACLs need `setfacl`. Otherwise those tests print why they skip.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tiny_tests::{
    Coreutils, Stdin, assert_within_budget, example, noise, same_as_coreutils, scratch,
};

const TEN_MB: usize = 10 * 1024 * 1024;

/// Size budgets (bytes, x86_64 Linux) of the examples that call the kernel with
/// `tiny::syscall!`: measured, with a little room.
const MKDIR_BUDGET: u64 = 3260;
const SLEEP_BUDGET: u64 = 1805;
const PWD_BUDGET: u64 = 1725;

/// Input files shared by the tests (created once per test process).
struct Inputs {
    dir: PathBuf,
    big: &'static [u8],
    text: &'static [u8],
    binary: &'static [u8],
}

fn inputs() -> &'static Inputs {
    static INPUTS: OnceLock<Inputs> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let dir = scratch("coreutils");
        // 10 MB of text-like bytes: words, spaces, newlines, tabs, controls and high bytes.
        let big: Vec<u8> = noise(TEN_MB, 7)
            .into_iter()
            .map(|b| match b % 16 {
                0 => b'\n',
                1 | 2 => b' ',
                3 => b'\t',
                4 => b & 0x1f,
                5 => b | 0x80,
                _ => b'a' + b % 26,
            })
            .collect();
        let text = b"one two  three\n\tfour\nfive six seven\n".to_vec();
        let binary = noise(70_000, 42);
        let files: [(&str, &[u8]); 7] = [
            ("empty", b""),
            ("text", &text),
            ("no-newline", b"last line without newline"),
            ("binary", &binary),
            ("big", &big),
            (
                "c-locale",
                b"\xff\xfe a\x01b \x01 \xc3\xa9t\xc3\xa9 x\x85y \x00 \x7f\r\x0b\x0c\xa0z\n",
            ),
            ("spaces in name", b"x y\n"),
        ];
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        std::fs::create_dir_all(dir.join("a-dir")).unwrap();
        Inputs {
            dir,
            big: big.leak(),
            text: text.leak(),
            binary: binary.leak(),
        }
    })
}

fn dir() -> &'static Path {
    &inputs().dir
}

fn path(name: &str) -> PathBuf {
    dir().join(name)
}

/// The comparisons, in the inputs' directory.
fn coreutils() -> Coreutils {
    Coreutils { dir: dir() }
}

/// Runs ours and coreutils with `args` and no input on stdin (`/dev/null`).
fn check(program: &str, args: &[&str]) {
    coreutils().check(program, args);
}

/// Runs ours and coreutils with `args` and `input` through a pipe on stdin.
fn check_pipe(program: &str, args: &[&str], input: &'static [u8]) {
    coreutils().pipe(program, args, input);
}

/// Runs ours and coreutils with `args` and the file `name` on stdin.
fn check_file_stdin(program: &str, args: &[&str], name: &str) {
    coreutils().file_stdin(program, args, name);
}

/// Asserts the size budget of `program` (see [`assert_within_budget`]); `floor` is the budget the
/// Linux x86_64 issue set, which cat and wc do not reach yet (see README.md, "Sizes"): it is
/// printed, not asserted.
fn assert_budget(program: &str, budget: u64, floor: u64) {
    let size = assert_within_budget(program, budget);
    eprintln!("{program}: {size} bytes; issue floor {floor}");
}

// ---------------------------------------------------------------- echo

#[test]
fn echo_size() {
    // the floor (300) was met until echo reported write errors as GNU echo does (issue 11),
    // which takes the error report and the message table: 583 bytes measured
    assert_budget("echo", 590, 300);
}

#[test]
fn echo_no_args() {
    check("echo", &[]);
}

#[test]
fn echo_words_and_spaces() {
    check("echo", &["hello"]);
    check("echo", &["hello", "world"]);
    check("echo", &["  leading", "in side", "trailing  ", ""]);
    check("echo", &["", ""]);
    check("echo", &["tab\there", "new\nline", "\u{e9}t\u{e9}"]);
}

#[test]
fn echo_options() {
    check("echo", &["-n"]);
    check("echo", &["-n", "no newline"]);
    check("echo", &["-nn", "x"]);
    check("echo", &["-n", "-n", "x"]);
    check("echo", &["-E", "a\\tb"]);
    check("echo", &["-nE", "x", "-n"]);
    check("echo", &["-En"]);
}

#[test]
fn echo_not_options() {
    check("echo", &["-x"]);
    check("echo", &["-nx", "y"]);
    check("echo", &["--"]);
    check("echo", &["--", "-n"]);
    check("echo", &["-"]);
    check("echo", &["x", "-n"]);
    check("echo", &["-n", "x", "-n"]);
    // Not matched: GNU echo prints its help or version for a sole `--help` or `--version`.
    check("echo", &["--help", "x"]);
}

/// Write errors are reported as GNU echo reports them (`echo: write error: MESSAGE`, exit
/// code 1): standard output on a full disk (`/dev/full`) and closed (`>&-`).
#[test]
fn echo_write_errors() {
    let gnu = tiny_tests::which("echo").unwrap();
    for redirect in ["> /dev/full", ">&-"] {
        // the program's path is `$0`, its name in the message: compared from the first `:`
        let run = |exe: &Path| {
            let out = std::process::Command::new("sh")
                .args(["-c", &format!("\"$0\" a b {redirect}")])
                .arg(exe)
                .env("LC_ALL", "C")
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            let at = err.find(": ").unwrap_or(0);
            (out.status.code(), err[at..].to_owned())
        };
        let ours = run(&example("echo"));
        assert_eq!(ours, run(&gnu), "echo a b {redirect}");
        assert_eq!(ours.0, Some(1), "echo a b {redirect}");
    }
}

#[test]
fn echo_many_and_long_args() {
    let long = "x".repeat(100_000);
    let many: Vec<String> = (0..2000).map(|i| format!("arg{i}")).collect();
    let mut args: Vec<&str> = many.iter().map(String::as_str).collect();
    args.push(&long);
    check("echo", &args);
}

// ---------------------------------------------------------------- cat

#[test]
fn cat_size() {
    assert_budget("cat", 640, 400);
}

#[test]
fn cat_stdin() {
    check("cat", &[]);
    check_pipe("cat", &[], b"");
    check_pipe("cat", &[], inputs().text);
    check_pipe("cat", &[], b"no trailing newline");
    check_pipe("cat", &[], inputs().binary);
    check_pipe("cat", &["-"], inputs().text);
    check_file_stdin("cat", &[], "text");
    check_file_stdin("cat", &["-"], "binary");
}

#[test]
fn cat_files() {
    check("cat", &["empty"]);
    check("cat", &["text"]);
    check("cat", &["no-newline"]);
    check("cat", &["binary"]);
    check("cat", &["spaces in name"]);
    check("cat", &["text", "no-newline", "empty", "binary", "text"]);
    check_pipe("cat", &["text", "-", "no-newline"], b"from stdin\n");
    check_pipe("cat", &["-", "-"], b"read once\n");
    check("cat", &[path("text").to_str().unwrap()]);
}

#[test]
fn cat_ten_megabytes() {
    check("cat", &["big"]);
    check_pipe("cat", &[], inputs().big);
    check_file_stdin("cat", &[], "big");
}

#[test]
fn cat_errors() {
    check("cat", &["missing"]);
    check("cat", &["text", "missing", "no-newline"]);
    check("cat", &["missing", "also-missing"]);
    // Not matched: GNU quotes names that need shell quoting ('also missing') in messages.
    check("cat", &["a-dir"]);
    check("cat", &["text", "a-dir", "no-newline"]);
    check("cat", &["text/not-a-dir"]);
}

/// A write error (standard output is `/dev/full`) ends cat at once: `cat: write error: No space
/// left on device`, exit code 1, the files after it left unread.
#[test]
fn cat_write_error() {
    use std::os::unix::process::CommandExt;
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let run = |program: &Path| {
        let out = std::process::Command::new(program)
            .arg0("cat")
            .args(["text", "missing"])
            .current_dir(dir())
            .env("LC_ALL", "C")
            .stdin(std::process::Stdio::null())
            .stdout(full())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let ours = run(&example("cat"));
    assert_eq!(
        ours,
        (
            Some(1),
            "cat: write error: No space left on device\n".to_owned()
        )
    );
    assert_eq!(ours, run(&tiny_tests::which("cat").unwrap()));
}

// ---------------------------------------------------------------- wc

#[test]
fn wc_size() {
    assert_budget("wc", 1780, 800);
}

#[test]
fn wc_stdin() {
    check("wc", &[]);
    check_pipe("wc", &[], b"");
    check_pipe("wc", &[], inputs().text);
    check_pipe("wc", &[], b"no trailing newline");
    check_pipe("wc", &[], inputs().binary);
    check_pipe("wc", &["-"], inputs().text);
    check_pipe("wc", &["-l"], inputs().text);
    check_pipe("wc", &["-w", "-"], inputs().text);
    check_pipe("wc", &["-lc"], inputs().text);
    // One count of one input: width 1, whatever standard input is.
    check_file_stdin("wc", &["-l"], "text");
    check_file_stdin("wc", &["-c"], "big");
}

#[test]
fn wc_files() {
    check("wc", &["empty"]);
    check("wc", &["text"]);
    check("wc", &["no-newline"]);
    check("wc", &["binary"]);
    check("wc", &["spaces in name"]);
    check("wc", &["text", "no-newline", "empty", "binary"]);
    check("wc", &["empty", "empty"]);
    check_pipe("wc", &["text", "-", "no-newline"], b"from stdin\n");
    check_pipe("wc", &["-", "-"], b"read once\n");
}

#[test]
fn wc_options() {
    for opts in [
        &["-l"][..],
        &["-w"],
        &["-c"],
        &["-lw"],
        &["-cl"],
        &["-wc"],
        &["-c", "-l"],
        &["-lwc"],
        &["-cwl"],
    ] {
        let mut args = opts.to_vec();
        check("wc", &{
            let mut a = args.clone();
            a.push("text");
            a
        });
        args.extend(["text", "binary"]);
        check("wc", &args);
    }
    check("wc", &["text", "-l"]); // options may follow the files
    check("wc", &["-l", "--", "text"]);
    check("wc", &["--", "-l"]); // a file named -l
    check("wc", &["-x", "text"]);
    check("wc", &["-lz", "text"]);
    // Not matched: long options (GNU takes `--lines`; ours says it is unrecognized).
    check("wc", &["--no-such-option", "text"]);
}

#[test]
fn wc_c_locale_words() {
    check("wc", &["c-locale"]);
    check_pipe("wc", &["-w"], b"\xff\xfe");
    check_pipe("wc", &["-w"], b"a\x01b \x01 \x02c");
    check_pipe("wc", &[], b"\xe2\x80\x83 \xc2\xa0 word");
}

#[test]
fn wc_ten_megabytes() {
    check("wc", &["big"]);
    check("wc", &["big", "text"]);
    check_pipe("wc", &[], inputs().big);
    check_file_stdin("wc", &["-c"], "big");
}

#[test]
fn wc_errors() {
    check("wc", &["missing"]);
    check("wc", &["text", "missing", "no-newline"]);
    check("wc", &["missing", "text"]);
    check("wc", &["a-dir"]);
    check("wc", &["text", "a-dir"]);
    check("wc", &["-l", "a-dir", "text"]);
}

/// GNU wc takes the column width from `fstat` of standard input: a regular file on stdin
/// counts with its size, like a named one.
#[test]
fn wc_regular_file_on_stdin() {
    check_file_stdin("wc", &[], "text");
    check_file_stdin("wc", &["-", "text"], "text");
}

/// `wc -c` alone takes a regular file's size from `fstat` and reads only its last page (all of
/// it when it is one page or none: /proc and /sys files report 0 or a page); the counts are
/// GNU's for files of every kind of size, /proc and /sys files, directories and pipes.
#[test]
fn wc_bytes_from_the_size() {
    for (name, len) in [("page", 4096), ("pages", 8192), ("pages-and-more", 10_000)] {
        std::fs::write(path(name), &inputs().big[..len]).unwrap();
        check("wc", &["-c", name]);
        check_file_stdin("wc", &["-c"], name);
    }
    check(
        "wc",
        &["-c", "empty", "text", "big", "pages", "a-dir", "missing"],
    );
    check("wc", &["-cc", "big"]);
    check_pipe("wc", &["-c"], inputs().big);
    for name in ["/proc/version", "/sys/devices/system/cpu/online"] {
        if Path::new(name).exists() {
            assert_eq!(std::fs::metadata(name).unwrap().len() % 4096, 0, "{name}");
            check("wc", &["-c", name]);
        }
    }
}

/// `wc -c` of a regular file on standard input counts from the file's offset: the size minus
/// the offset (`lseek(SEEK_CUR)`), 0 past the end. GNU wc 9.1 agrees except for a size that
/// is a multiple of the page size at an offset before its last page + 1 byte: there it seeks
/// by its own skip from the offset and prints less than what is left (7992 for 8192 bytes at
/// offset 100, where 8092 bytes are left).
#[test]
fn wc_bytes_of_stdin_at_an_offset() {
    use std::io::{Seek, SeekFrom};
    use std::os::unix::process::CommandExt;
    std::fs::write(path("offset-10000"), &inputs().big[..10_000]).unwrap();
    std::fs::write(path("offset-8192"), &inputs().big[..8192]).unwrap();
    let run = |program: &Path, name: &str, offset: u64| {
        let mut file = std::fs::File::open(path(name)).unwrap();
        file.seek(SeekFrom::Start(offset)).unwrap();
        let out = std::process::Command::new(program)
            .arg0("wc")
            .arg("-c")
            .env("LC_ALL", "C")
            .stdin(file)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let gnu = tiny_tests::which("wc").unwrap();
    for (name, offset, left) in [
        ("offset-10000", 0, 10_000),
        ("offset-10000", 100, 9900),
        ("offset-10000", 5000, 5000),
        ("offset-10000", 9999, 1),
        ("offset-10000", 10_000, 0),
        ("offset-10000", 20_000, 0),
        ("offset-8192", 0, 8192),
        ("offset-8192", 100, 8092),
        ("offset-8192", 5000, 3192),
        ("offset-8192", 9000, 0),
    ] {
        let ours = run(&example("wc"), name, offset);
        assert_eq!(ours, (Some(0), format!("{left}\n")), "{name} at {offset}");
        if (name, offset) != ("offset-8192", 100) {
            assert_eq!(ours, run(&gnu, name, offset), "{name} at {offset}");
        }
    }
}

/// `wc -l` (and `-lc`, `-c -l`) counts newlines 16 bytes at a time and the last bytes of each
/// read one at a time: every length around a 16-byte block, newlines at every position, reads
/// of any size (a pipe), the 10 MB file.
#[test]
fn wc_lines_in_blocks() {
    let mut all = Vec::new();
    for len in 0..40 {
        let name = format!("newlines-{len}");
        let bytes: Vec<u8> = (0..len)
            .map(|i| if i % 3 == 0 || i == 15 { b'\n' } else { b'x' })
            .collect();
        std::fs::write(path(&name), &bytes).unwrap();
        std::fs::write(path(&format!("all-newlines-{len}")), vec![b'\n'; len]).unwrap();
        all.push(name);
        all.push(format!("all-newlines-{len}"));
    }
    let mut args = vec!["-l"];
    args.extend(all.iter().map(String::as_str));
    check("wc", &args);
    args[0] = "-lc";
    check("wc", &args);
    for opts in [&["-l"][..], &["-lc"], &["-c", "-l"], &["-lw"]] {
        let mut args = opts.to_vec();
        args.push("big");
        check("wc", &args);
        check_pipe("wc", opts, inputs().big);
        check_file_stdin("wc", opts, "big");
    }
}

/// Where [`cat_into`] sends standard output.
#[derive(Clone, Copy)]
enum Out {
    /// A new regular file (`>`).
    File,
    /// A regular file that already holds a line, opened with `O_APPEND` (`>>`).
    Append,
    /// `/dev/null`.
    Null,
}

/// Runs `program` as `cat args` with `stdin`, standard output into `out` (a file of its own
/// under the test directory); returns the exit code, stderr and what the file holds after.
fn cat_into(
    program: &Path,
    args: &[&str],
    stdin: Stdin<'static>,
    out: Out,
    file: &str,
) -> (Option<i32>, String, Vec<u8>) {
    use std::os::unix::process::CommandExt;
    let target = path(file);
    std::fs::write(&target, b"already here\n").unwrap();
    let stdout = match out {
        Out::File => std::fs::File::create(&target).unwrap(),
        Out::Append => std::fs::OpenOptions::new()
            .append(true)
            .open(&target)
            .unwrap(),
        Out::Null => std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .unwrap(),
    };
    let mut cmd = std::process::Command::new(program);
    cmd.arg0("cat")
        .args(args)
        .current_dir(dir())
        .env("LC_ALL", "C");
    let (code, err) = run_into(cmd, stdin, stdout);
    (code, err, std::fs::read(&target).unwrap())
}

/// Runs `cmd` with `stdin` and standard output into `stdout`; returns the exit code and stderr.
fn run_into(
    mut cmd: std::process::Command,
    stdin: Stdin<'static>,
    stdout: std::fs::File,
) -> (Option<i32>, String) {
    use std::io::Write;
    use std::process::Stdio;
    cmd.stdout(stdout).stderr(Stdio::piped());
    let feed = match stdin {
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
    let mut child = cmd.spawn().unwrap();
    let writer = feed.map(|bytes| {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = pipe.write_all(bytes); // the program may exit without reading everything
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A cat run: its arguments, and what makes its standard input.
type Case = (&'static [&'static str], fn() -> Stdin<'static>);

/// cat copies with `sendfile` (a regular or /proc file to a pipe, a file, /dev/null) or
/// `splice` (from a pipe), and with `read`/`write` where the kernel refuses (an `O_APPEND`
/// output, a directory, /dev/full): the same bytes, messages and exit code as GNU cat on
/// every path.
#[test]
fn cat_kernel_copies() {
    let gnu = tiny_tests::which("cat").unwrap();
    let ours = example("cat");
    let cases: [Case; 8] = [
        (&["big"], || Stdin::Null),
        (&["text", "missing", "big", "a-dir", "empty"], || {
            Stdin::Null
        }),
        (&[], || Stdin::Bytes(inputs().big)),
        (&["text", "-", "binary"], || Stdin::Bytes(inputs().binary)),
        (&["/proc/version", "text"], || Stdin::Null),
        (&["/sys/devices/system/cpu/online"], || Stdin::Null),
        (&[], || {
            Stdin::File(Box::leak(path("big").into_boxed_path()))
        }),
        (&["-", "text"], || Stdin::Null),
    ];
    for (args, stdin) in cases {
        if args
            .iter()
            .any(|a| a.starts_with('/') && !Path::new(a).exists())
        {
            continue;
        }
        for out in [Out::File, Out::Append, Out::Null] {
            let a = cat_into(&ours, args, stdin(), out, "cat-out-ours");
            let b = cat_into(&gnu, args, stdin(), out, "cat-out-gnu");
            assert_eq!(
                (&a.0, &a.1),
                (&b.0, &b.1),
                "exit code and stderr of `cat {args:?}`"
            );
            assert!(a.2 == b.2, "output of `cat {args:?}` differs");
        }
        // and into a pipe
        same_as_coreutils(&ours, "cat", args, stdin, dir());
    }
}

/// A write error while the kernel copies (`sendfile` from a file, `splice` from a pipe, to
/// /dev/full) is reported as GNU cat reports it: `cat: write error: No space left on device`,
/// exit code 1, nothing after it read.
#[test]
fn cat_write_error_from_a_pipe() {
    use std::os::unix::process::CommandExt;
    let run = |program: &Path, stdin: Stdin<'static>| {
        let mut cmd = std::process::Command::new(program);
        cmd.arg0("cat")
            .args(["-", "text"])
            .current_dir(dir())
            .env("LC_ALL", "C");
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        run_into(cmd, stdin, full)
    };
    let gnu = tiny_tests::which("cat").unwrap();
    for stdin in [
        || Stdin::Bytes(inputs().big),
        || Stdin::File(Box::leak(path("big").into_boxed_path())),
    ] {
        let ours = run(&example("cat"), stdin());
        assert_eq!(
            ours,
            (
                Some(1),
                "cat: write error: No space left on device\n".to_owned()
            )
        );
        assert_eq!(ours, run(&gnu, stdin()));
    }
}

/// cat of a regular file on standard input at an offset (`sendfile` with the file's own
/// offset) copies what follows the offset, as GNU cat.
#[test]
fn cat_stdin_at_an_offset() {
    use std::io::{Seek, SeekFrom};
    use std::os::unix::process::CommandExt;
    let run = |program: &Path, offset: u64| {
        let mut file = std::fs::File::open(path("big")).unwrap();
        file.seek(SeekFrom::Start(offset)).unwrap();
        let out = std::process::Command::new(program)
            .arg0("cat")
            .args(["-", "text"])
            .current_dir(dir())
            .env("LC_ALL", "C")
            .stdin(file)
            .output()
            .unwrap();
        (out.status.code(), out.stdout, out.stderr)
    };
    let gnu = tiny_tests::which("cat").unwrap();
    for offset in [0, 1, 100_000, TEN_MB as u64 - 1, TEN_MB as u64 + 5] {
        let ours = run(&example("cat"), offset);
        let start = (offset as usize).min(TEN_MB);
        assert!(ours.1.starts_with(&inputs().big[start..]), "at {offset}");
        assert!(ours == run(&gnu, offset), "at {offset}");
    }
}

// ---------------------------------------------------------------- mkdir
//
// Each case runs ours and coreutils in two fresh directories made the same way, and compares
// stdout, stderr, the exit code and the trees they leave (names, types and permission bits).

/// The tree under `dir`: each entry's path, type (`d`, `f`, `l`) and mode bits, sorted.
fn tree(dir: &Path) -> Vec<(String, char, u32)> {
    use std::os::unix::fs::PermissionsExt;
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, char, u32)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let kind = if meta.is_dir() {
                'd'
            } else if meta.file_type().is_symlink() {
                'l'
            } else {
                'f'
            };
            let name = path.strip_prefix(root).unwrap().display().to_string();
            out.push((name, kind, meta.permissions().mode() & 0o7777));
            if kind == 'd' {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Whether the tests run as root (the owner of `/proc/self`).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").unwrap().uid() == 0
}

/// How [`mkdir_case`] starts a program: `wrap` is a command line the program and its
/// arguments are appended to (`bash -c '…; exec -a NAME "$0" "$@"'` or `setpriv …`), empty
/// for a plain start.
fn mkdir_case(wrap: &[&str], setup: impl Fn(&Path), args: &[&str]) -> tiny_tests::Run {
    mkdir_case_named("mkdir", wrap, setup, args)
}

/// Runs ours and coreutils' `program` (mkdir here) with `args` in two directories that `setup`
/// prepared; asserts the same stdout, stderr, exit code and resulting tree. Returns our run.
fn mkdir_case_named(
    program: &str,
    wrap: &[&str],
    setup: impl Fn(&Path),
    args: &[&str],
) -> tiny_tests::Run {
    use std::os::unix::process::CommandExt;
    let gnu = tiny_tests::which(program).unwrap();
    let ours = example(program);
    static CASES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let case = CASES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut results = Vec::new();
    for (side, exe) in [("ours", &ours), ("gnu", &gnu)] {
        let dir = scratch(&format!("mkdir-case/{case}-{side}"));
        setup(&dir);
        let mut cmd = match wrap.split_first() {
            Some((first, rest)) => {
                let mut c = std::process::Command::new(first);
                c.args(rest).arg(exe);
                c
            }
            None => {
                let mut c = std::process::Command::new(exe);
                c.arg0(program);
                c
            }
        };
        cmd.args(args).current_dir(&dir).env("LC_ALL", "C");
        let run = tiny_tests::run_command(cmd, Stdin::Null);
        // the trees must be readable to compare: give back search permission taken away
        let listing = {
            let _ = std::process::Command::new("chmod")
                .args(["-R", "u+rwx"])
                .arg(&dir)
                .status();
            tree(&dir)
        };
        results.push((run, listing));
    }
    let (theirs, their_tree) = results.pop().unwrap();
    let (ours, our_tree) = results.pop().unwrap();
    let what = format!("`{program} {args:?}` (wrapped in {wrap:?})");
    assert_eq!(
        ours.code,
        theirs.code,
        "exit code of {what}; our stderr: {}",
        ours.err()
    );
    assert_eq!(ours.out(), theirs.out(), "stdout of {what}");
    assert_eq!(ours.err(), theirs.err(), "stderr of {what}");
    assert_eq!(our_tree, their_tree, "directories left by {what}");
    ours
}

/// Nothing prepared.
fn empty(_: &Path) {}

/// A file `f`, a directory `d` with `d/sub`, a symbolic link loop `loop`, a dangling link
/// `dangling` and a link `to-d` to `d`.
fn some_entries(dir: &Path) {
    std::fs::write(dir.join("f"), b"").unwrap();
    std::fs::create_dir_all(dir.join("d/sub")).unwrap();
    std::os::unix::fs::symlink("loop", dir.join("loop")).unwrap();
    std::os::unix::fs::symlink("nowhere", dir.join("dangling")).unwrap();
    std::os::unix::fs::symlink("d", dir.join("to-d")).unwrap();
}

/// `bash -c 'SCRIPT; exec -a mkdir "$0" "$@"'`: runs the program after `script`.
fn bash(script: &str) -> Vec<String> {
    vec![
        "bash".into(),
        "-c".into(),
        format!("{script}; exec -a mkdir \"$0\" \"$@\""),
    ]
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn mkdir_size() {
    assert_budget("mkdir", MKDIR_BUDGET, MKDIR_BUDGET);
}

#[test]
fn mkdir_makes_directories() {
    mkdir_case(&[], empty, &["a"]);
    mkdir_case(&[], empty, &["a", "b", "c d", "-", "x/"]);
    mkdir_case(
        &[],
        some_entries,
        &["d/new", "to-d/new2", "./dot", "d/sub/../up"],
    );
    mkdir_case(&[], empty, &[&"n".repeat(255)]);
}

#[test]
fn mkdir_errors() {
    let has = |run: tiny_tests::Run, text: &str| {
        assert!(run.err().contains(text), "{text} in {}", run.err());
        assert_eq!(run.code, Some(1));
    };
    has(mkdir_case(&[], some_entries, &["f"]), "'f': File exists");
    mkdir_case(&[], some_entries, &["d", "new", "d/sub"]);
    mkdir_case(&[], some_entries, &["missing/x", "also"]);
    mkdir_case(&[], some_entries, &["f/x"]);
    has(
        mkdir_case(
            &[],
            some_entries,
            &["loop", "loop/x", "dangling", "dangling/x"],
        ),
        "'loop/x': Too many levels of symbolic links",
    );
    mkdir_case(&[], some_entries, &["", "."]);
    has(
        mkdir_case(&[], empty, &[&"n".repeat(256)]),
        "File name too long",
    );
    mkdir_case(&[], empty, &[&format!("{}/x", "n".repeat(300))]);
    // GNU's quoting of names in messages (C locale)
    mkdir_case(
        &[],
        some_entries,
        &[
            "f/it's",
            "f/a b",
            "f/tab\there",
            "f/new\nline",
            "f/back\\slash",
            "f/\u{e9}",
        ],
    );
    mkdir_case(&[], some_entries, &["f/\x01\x1b\x7f", "f/\"q\" $x ? *"]);
}

#[test]
fn mkdir_parents() {
    mkdir_case(&[], empty, &["-p", "a/b/c"]);
    mkdir_case(&[], empty, &["-p", "a/b/c", "a/b", "a", "a/b/c/d"]);
    mkdir_case(&[], some_entries, &["-p", "d", "d/sub", "to-d", ".", "/"]);
    mkdir_case(&[], some_entries, &["-p", "x//y///z//", "./p/./q/../r"]);
    mkdir_case(&[], some_entries, &["-p", "f", "f/x/y", "d/f2/g"]);
    mkdir_case(
        &[],
        some_entries,
        &["-p", "loop", "loop/x", "dangling/x", "dangling"],
    );
    mkdir_case(&[], some_entries, &["-p", "to-d/a/b", "d/sub/f/../x"]);
    mkdir_case(&[], empty, &["-p", ""]);
    mkdir_case(&[], empty, &["-p", &format!("{}/x", "n".repeat(256))]);
    let abs = scratch("mkdir-absolute");
    let target = abs.join("p/q");
    mkdir_case(&[], empty, &["-p", target.to_str().unwrap()]);
}

#[test]
fn mkdir_modes() {
    for mode in [
        "700", "0755", "1777", "777", "0", "2755", "4700", "7777", "07777", "00755", "644",
    ] {
        mkdir_case(&[], empty, &["-m", mode, "x"]);
        mkdir_case(&[], empty, &["-p", "-m", mode, "a/b/c"]);
    }
    for mode in [
        "u=rwx,go=rx",
        "a=rwx",
        "+w",
        "-w",
        "=",
        "u=rwx,g=u,o=",
        "go-rwx",
        "g+s",
        "u+s,o+t",
        "+t",
        "a-w,u+w",
        "u=rw,g=u,o=rX",
        "=rX",
        "u=g",
        "o=u-w",
        "ug=rwx,o-rwx+x",
        "a+rwxXst",
        "u+x-x",
    ] {
        mkdir_case(&[], empty, &["-m", mode, "x"]);
    }
    // invalid modes: nothing is made
    for mode in [
        "999", "8", "07778", "17777", "u", "u=rwx,", ",", "", "x", "u=rwx,q", "ugo", "+q", "u=gx",
        "rwx", "0o755",
    ] {
        mkdir_case(&[], empty, &["-m", mode, "x", "y"]);
    }
    mkdir_case(&[], empty, &["-m", "it's\tbad", "x"]);
    // option forms
    mkdir_case(&[], empty, &["-m700", "x"]);
    mkdir_case(&[], empty, &["-pm", "700", "a/b"]);
    mkdir_case(&[], empty, &["-pm700", "a/b"]);
    mkdir_case(&[], empty, &["-mp", "x"]);
    mkdir_case(&[], empty, &["x", "-m", "700", "y", "-p", "z/w"]);
    mkdir_case(&[], empty, &["-m", "700", "-m", "750", "x"]);
}

/// The umask masks the default mode and the parents' (`u+wx` always), not `-m`'s (except a
/// symbolic mode without who letters, as in chmod).
#[test]
fn mkdir_umask() {
    for umask in ["022", "077", "0", "0777", "0277", "0522"] {
        let wrap = bash(&format!("umask {umask}"));
        let wrap = strs(&wrap);
        mkdir_case(&wrap, empty, &["x"]);
        mkdir_case(&wrap, empty, &["-p", "a/b/c"]);
        mkdir_case(&wrap, empty, &["-p", "-m", "0777", "a/b/c"]);
        mkdir_case(&wrap, empty, &["-m", "+rw", "x"]);
        mkdir_case(&wrap, empty, &["-m", "a+r", "x"]);
        mkdir_case(&wrap, empty, &["-m", "=rwx,g+s", "x"]);
    }
}

#[test]
fn mkdir_options_and_operands() {
    mkdir_case(&[], empty, &[]);
    mkdir_case(&[], empty, &["-p"]);
    mkdir_case(&[], empty, &["-m"]);
    mkdir_case(&[], empty, &["x", "-m"]);
    mkdir_case(&[], empty, &["-q", "x"]);
    mkdir_case(&[], empty, &["x", "-pq"]);
    mkdir_case(&[], empty, &["--", "-p", "x"]);
    mkdir_case(&[], empty, &["-p", "--", "-m", "a/b"]);
    mkdir_case(&[], empty, &["--"]);
    mkdir_case(&[], empty, &["x", "--", "--"]);
    // Not matched: long options (GNU takes `--parents`; ours says it is unrecognized).
    mkdir_case(&[], empty, &["--bogus", "x"]);
}

/// A directory with a default ACL: the kernel ignores the umask there and takes the mode a
/// program gives, so the modes given must be GNU's (0777 for a directory without `-m`).
#[test]
fn mkdir_default_acl() {
    let setfacl = |dir: &Path| {
        std::process::Command::new("setfacl")
            .args(["-d", "-m", "u::rwx,g::rwx,o::rx,m::rwx"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !setfacl(&scratch("mkdir-acl-probe")) {
        eprintln!("skipped: no setfacl (Debian package acl), or no ACLs on this file system");
        return;
    }
    let setup = |dir: &Path| {
        assert!(setfacl(dir), "setfacl failed");
    };
    for umask in ["022", "077"] {
        let wrap = bash(&format!("umask {umask}"));
        let wrap = strs(&wrap);
        mkdir_case(&wrap, setup, &["x"]);
        mkdir_case(&wrap, setup, &["-p", "a/b/c"]);
        mkdir_case(&wrap, setup, &["-m", "700", "x"]);
        mkdir_case(&wrap, setup, &["-p", "-m", "751", "a/b"]);
        mkdir_case(&wrap, setup, &["-m", "2770", "x"]);
        mkdir_case(&wrap, setup, &["-m", "+w", "x"]);
    }
}

/// Permission denied: a directory that cannot be written or entered. As root (who may write
/// anywhere) both programs run as `nobody` through `setpriv`.
#[test]
fn mkdir_permission_denied() {
    let wrap: Vec<&str> = if is_root() {
        let as_nobody = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
            .status();
        if !as_nobody.is_ok_and(|s| s.success()) {
            eprintln!("skipped: running as root, and setpriv cannot run a program as nobody");
            return;
        }
        vec![
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
            "bash",
            "-c",
            "exec -a mkdir \"$0\" \"$@\"",
        ]
    } else {
        vec![]
    };
    let setup = |dir: &Path| {
        use std::os::unix::fs::PermissionsExt;
        // the directory itself: writable by all (the runner may be nobody)
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        for (name, mode) in [("ro", 0o555), ("locked", 0o000), ("wo", 0o333)] {
            let d = dir.join(name);
            std::fs::create_dir_all(d.join("sub")).unwrap();
            std::fs::set_permissions(&d, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    };
    let run = mkdir_case(&wrap, setup, &["ro/x", "locked/x", "ro/sub/x", "ok"]);
    let denied = "cannot create directory 'ro/x': Permission denied";
    assert!(run.err().contains(denied), "{}", run.err());
    mkdir_case(
        &wrap,
        setup,
        &["-p", "ro/x/y", "locked/x/y", "locked/sub/x", "ro/sub"],
    );
    mkdir_case(&wrap, setup, &["-p", "wo/sub/x", "wo/new/x", "ok/a"]);
}

/// Read-only file system and no space left, on a tmpfs mounted for the test in a mount
/// namespace of its own (skipped, with the reason, where that is not allowed).
#[test]
fn mkdir_read_only_and_full_file_systems() {
    let probe_dir = scratch("mkdir-mount-probe");
    let probe = std::process::Command::new("unshare")
        .args(["-m", "mount", "-t", "tmpfs", "-o", "ro", "none"])
        .arg(&probe_dir)
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: cannot mount a tmpfs in a mount namespace of its own (unshare -m)");
        return;
    }
    for options in ["ro", "nr_inodes=2"] {
        let wrap = vec![
            "unshare".to_owned(),
            "-m".to_owned(),
            "bash".to_owned(),
            "-c".to_owned(),
            format!(
                "mkdir -p fs/d && mount -t tmpfs -o {options} none fs && \
                 exec -a mkdir \"$0\" \"$@\""
            ),
        ];
        let wrap = strs(&wrap);
        let run = mkdir_case(&wrap, empty, &["fs/x", "fs/y", "fs/z", "fs/"]);
        let expected = if options == "ro" {
            "'fs/x': Read-only file system"
        } else {
            "'fs/y': No space left on device"
        };
        assert!(run.err().contains(expected), "{}", run.err());
        mkdir_case(&wrap, empty, &["-p", "fs/a/b/c", "fs", "fs/q"]);
    }
    // EPERM: sysfs refuses directories (where it is mounted)
    if Path::new("/sys/kernel").is_dir() {
        let run = mkdir_case(&[], empty, &["/sys/kernel/tiny-test", "-p"]);
        eprintln!("/sys/kernel: {}", run.err());
    }
}

// ---------------------------------------------------------------- sleep

#[test]
fn sleep_size() {
    assert_budget("sleep", SLEEP_BUDGET, SLEEP_BUDGET);
}

/// Invalid intervals and bad options: the messages, exit code 1, no sleeping.
#[test]
fn sleep_errors() {
    for args in [
        &[][..],
        &["x"],
        &["1x"],
        &["1ss"],
        &["."],
        &["-"],
        &["1e"],
        &["1e+"],
        &["infx"],
        &["infin"],
        &["nan"],
        &["0", "x", "y"],
        &["1..2"],
        &["1d", "x"],
        &["", "2"],
        &["it's", "\u{e9}\t\x01"],
        &["--", "-1"],
        &["--", "-0.5"],
        &["-1"],
        &["-x", "5"],
        &["5", "-x"],
        &["-0"],
        &["--bogus"],
        &["1", "--bogus"],
    ] {
        check("sleep", args);
    }
}

/// Zero intervals in every form: the same (silent) success as coreutils.
#[test]
fn sleep_zero() {
    for args in [
        &["0"][..],
        &["0s"],
        &["0m"],
        &["0.0h"],
        &[".0d"],
        &["0."],
        &["0e5"],
        &["+0"],
        &[" 0"],
        &["\t\n0"],
        &["--", "-0"],
        &["--"],
        &["0", "0", "0"],
        &["0.0000000001"],
        &["1e-99999"],
    ] {
        check("sleep", args);
    }
}

/// The time slept is at least what was asked (a loose lower bound; never an upper one).
#[test]
fn sleep_sleeps() {
    let exe = example("sleep");
    for (args, at_least) in [
        (&["0.2"][..], 0.2),
        (&[".15"], 0.15),
        (&["0.1", "0.2"], 0.3),
        (&["0.004m"], 0.24),
        (&["0.00005h"], 0.18),
        (&["0.000002d"], 0.17),
        (&["15e-2s"], 0.15),
        (&["0.05", ".05s", "5e-2"], 0.15),
    ] {
        let start = std::time::Instant::now();
        let r = tiny_tests::run(&exe, "sleep", args, Stdin::Null, dir());
        let took = start.elapsed().as_secs_f64();
        assert_eq!(
            (r.code, r.out(), r.err()),
            (Some(0), String::new(), String::new()),
            "sleep {args:?}"
        );
        assert!(took >= at_least, "sleep {args:?} took {took} s");
    }
}

/// `inf` sleeps until killed (still running after 300 ms).
#[test]
fn sleep_infinity() {
    for arg in ["inf", "INFINITY", "infs", "infinityd"] {
        let mut child = std::process::Command::new(example("sleep"))
            .arg(arg)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(child.try_wait().unwrap().is_none(), "sleep {arg} ended");
        child.kill().unwrap();
        child.wait().unwrap();
    }
    check("sleep", &["-inf"]);
    check("sleep", &["--", "-inf"]);
}

// ---------------------------------------------------------------- pwd

#[test]
fn pwd_size() {
    assert_budget("pwd", PWD_BUDGET, PWD_BUDGET);
}

/// Runs ours and coreutils' pwd in `dir` with `env` (and `LC_ALL=C`).
fn check_pwd(args: &[&str], dir: &Path, env: &[(&str, &str)]) {
    let env: Vec<(&str, &str)> = env.iter().copied().chain([("LC_ALL", "C")]).collect();
    let ours = tiny_tests::run_with_env(&example("pwd"), "pwd", args, Stdin::Null, dir, &env);
    let gnu = tiny_tests::which("pwd").unwrap();
    let theirs = tiny_tests::run_with_env(&gnu, "pwd", args, Stdin::Null, dir, &env);
    assert_eq!(
        ours,
        theirs,
        "pwd {args:?} in {} with {env:?}",
        dir.display()
    );
}

#[test]
fn pwd_prints_the_directory() {
    let base = scratch("pwd");
    let real = base.join("real dir/sub");
    std::fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink("real dir", base.join("link")).unwrap();
    // names that start with dots but are not `.` or `..`: GNU takes them
    std::os::unix::fs::symlink("real dir", base.join("...")).unwrap();
    std::os::unix::fs::symlink("real dir", base.join(".x")).unwrap();
    let via_link = base.join("link/sub");
    let link = via_link.to_str().unwrap();
    let real_s = real.to_str().unwrap();
    let with_dot = format!("{}/./link/sub", base.display());
    let with_dotdot = format!("{}/link/../link/sub", base.display());
    let with_slash = format!("{link}/");
    let with_final_dot = format!("{link}/.");
    let dots = format!("{}/.../sub", base.display());
    let dot_x = format!("{}/.x/sub", base.display());
    let pwds: [&[(&str, &str)]; 11] = [
        &[],
        &[("PWD", &with_final_dot)],
        &[("PWD", &dots)],
        &[("PWD", &dot_x)],
        &[("PWD", link)],
        &[("PWD", real_s)],
        &[("PWD", &with_dot)],
        &[("PWD", &with_dotdot)],
        &[("PWD", &with_slash)],
        &[("PWD", "link/sub")],
        &[("PWD", "/")],
    ];
    for env in pwds {
        for args in [
            &[][..],
            &["-L"],
            &["-P"],
            &["-LP"],
            &["-PL"],
            &["-L", "-P"],
            &["-P", "-L"],
            &["-L", "--", "-P"],
            &["operand"],
            &["-L", "x", "y"],
            &["-"],
            &["--"],
        ] {
            check_pwd(args, &via_link, env);
            let mut posix = env.to_vec();
            posix.push(("POSIXLY_CORRECT", "1"));
            check_pwd(args, &via_link, &posix);
        }
    }
    check_pwd(&[], Path::new("/"), &[]);
    check_pwd(&["-L"], Path::new("/"), &[("PWD", "/")]);
}

#[test]
fn pwd_errors() {
    let dir = scratch("pwd-errors");
    check_pwd(&["-x"], &dir, &[]);
    check_pwd(&["-Lx"], &dir, &[]);
    check_pwd(&["x", "-x"], &dir, &[]);
    // Not matched: GNU takes `--logical`; ours says it is unrecognized.
    check_pwd(&["--bogus"], &dir, &[]);
}

/// A write error: `pwd: write error: No space left on device`, exit code 1.
#[test]
fn pwd_write_error() {
    use std::os::unix::process::CommandExt;
    let run = |program: &Path| {
        let out = std::process::Command::new(program)
            .arg0("pwd")
            .current_dir(dir())
            .env("LC_ALL", "C")
            .stdout(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open("/dev/full")
                    .unwrap(),
            )
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let ours = run(&example("pwd"));
    assert_eq!(
        ours,
        (
            Some(1),
            "pwd: write error: No space left on device\n".to_owned()
        )
    );
    assert_eq!(ours, run(&tiny_tests::which("pwd").unwrap()));
}

/// The current directory was removed: GNU's message (ours does not search for it).
#[test]
fn pwd_removed_directory() {
    let dir = scratch("pwd-removed");
    let run = |program: &Path| {
        let out = std::process::Command::new("bash")
            .args([
                "-c",
                "cd gone && rmdir ../gone && exec -a pwd \"$0\"",
                program.to_str().unwrap(),
            ])
            .current_dir(&dir)
            .env("LC_ALL", "C")
            .output()
            .unwrap();
        let _ = std::fs::create_dir(dir.join("gone"));
        (
            out.status.code(),
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    std::fs::create_dir(dir.join("gone")).unwrap();
    let ours = run(&example("pwd"));
    let theirs = run(&tiny_tests::which("pwd").unwrap());
    assert_eq!(ours, theirs);
    assert_eq!(ours.0, Some(1));
}
