//! Project tasks: `cargo xtask <task>` (see `cargo xtask help`).
//!
//! Everything a fresh machine needs is installed by `setup`, which `hello` and `test` run
//! first: rustup targets, and Debian packages (Wine for the Windows resolver tests, binutils
//! for `readelf`, …) when they are missing.

mod bench;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

/// A task: its name, what runs it, its one-line help.
type Task = (&'static str, fn(&[String]) -> Result, &'static str);

const TASKS: &[Task] = &[
    (
        "hello",
        hello,
        "build examples/hello with cargo build --release, run it, print its size",
    ),
    (
        "test",
        test,
        "install what is missing, then fmt, clippy, doc, every test, README check (CI runs this)",
    ),
    (
        "setup",
        |_| setup(),
        "install missing rustup targets and Debian packages",
    ),
    (
        "sizes",
        sizes,
        "build every example and print its size; --write updates README.md, --check compares",
    ),
    (
        "bench",
        bench,
        "measure the examples against std, no_std, C and coreutils (README table, bench.json), then the Windows resolver; --no-write prints only",
    ),
    (
        "gen-abi",
        gen_abi,
        "regenerate tiny-abi's system call name lists (linux-raw-sys, shared/data); --check compares",
    ),
    (
        "bless",
        bless,
        "rewrite golden files: generated code, trybuild expectations, README's Windows kernel-call sizes",
    ),
];

/// Examples in the size table: the budget the tests assert, and the floor the Linux x86_64 issue
/// set (reached by hello, true and false, and by echo until it reported write errors as GNU
/// echo does; not yet by cat and wc; none for the examples of
/// issue 10, which call the kernel with `tiny::syscall!`, nor for those of issue 11 but
/// libctiny-test, whose goal is 1024 bytes).
const EXAMPLES: &[(&str, u64, Option<u64>)] = &[
    ("hello", 129, Some(145)),
    ("true", 112, Some(120)),
    ("false", 112, Some(120)),
    ("echo", 590, Some(300)),
    ("cat", 640, Some(400)),
    ("wc", 1780, Some(800)),
    ("mkdir", MKDIR, None),
    ("sleep", SLEEP, None),
    ("pwd", PWD, None),
    ("yes", 1253, None),
    ("head", 6050, None),
    ("env", 6932, None),
    ("uniq", 3905, None),
    ("sort", 5543, None),
    ("libctiny-test", 1896, Some(1024)),
];

/// The budgets of the examples that call the kernel with `tiny::syscall!` (also in
/// tests/tests/coreutils.rs).
const MKDIR: u64 = 3260;
const SLEEP: u64 = 1805;
const PWD: u64 = 1725;

/// Examples with no Windows implementation yet (`tiny::syscall!` is Linux's; a Windows version
/// calls `tiny::nt!`, as mkdir and sleep do): the size table shows `–` in the Windows columns.
const LINUX_ONLY: &[&str] = &["pwd"];

/// Rustup targets the tests use (`wasm32` is the unsupported-target test; the other Linux
/// architectures run under qemu-user, `tests/tests/arch.rs`).
const TARGETS: &[&str] = &[
    "x86_64-pc-windows-gnu",
    "x86_64-pc-windows-msvc",
    "wasm32-unknown-unknown",
    "i686-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "riscv64gc-unknown-linux-gnu",
    "armv7-unknown-linux-gnueabihf",
];

/// The other Linux targets, with their column in the size table (the budgets the tests assert
/// are in `tests/tests/arch.rs`).
const CROSS: &[(&str, &str)] = &[
    ("i686-unknown-linux-gnu", "Linux i686"),
    ("aarch64-unknown-linux-gnu", "Linux aarch64"),
    ("riscv64gc-unknown-linux-gnu", "Linux riscv64"),
    ("armv7-unknown-linux-gnueabihf", "Linux armv7"),
];

/// Debian packages the tests use, with a file that shows each is installed.
const PACKAGES: &[(&str, &str)] = &[
    ("binutils", "/usr/bin/readelf"),
    ("coreutils", "/usr/bin/wc"),
    ("wine", "/usr/bin/wine"),
    ("wine64", "/usr/lib/wine/wine64"),
    (
        "libwine",
        "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/ntdll.dll",
    ),
    ("qemu-user-static", "/usr/bin/qemu-aarch64-static"),
    // the 32-bit glibc, for the i686 cross-check of the syscall numbers
    ("libc6-i386", "/lib32/libc.so.6"),
    ("gcc-mingw-w64-x86-64", "/usr/bin/x86_64-w64-mingw32-gcc"),
    ("lld", "/usr/bin/ld.lld"),
    ("strace", "/usr/bin/strace"),
    ("acl", "/usr/bin/setfacl"),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args
        .first()
        .filter(|a| !matches!(a.as_str(), "help" | "-h" | "--help"))
    else {
        return help();
    };
    let Some((_, task, _)) = TASKS.iter().find(|(n, _, _)| n == name) else {
        eprintln!("unknown task `{name}`");
        help();
        std::process::exit(2);
    };
    if let Err(e) = task(&args[1..]) {
        eprintln!("xtask {name}: {e}");
        std::process::exit(1);
    }
}

fn help() {
    eprintln!("usage: cargo xtask <task>\n");
    for (name, _, what) in TASKS {
        eprintln!("  {name:8} {what}");
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn run(cmd: &mut Command) -> Result {
    eprintln!("$ {cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
    if !status.success() {
        return Err(format!("{cmd:?} failed ({status})").into());
    }
    Ok(())
}

/// Installs missing rustup targets and Debian packages.
fn setup() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()?;
    let installed = String::from_utf8_lossy(&installed.stdout).into_owned();
    let missing: Vec<&str> = TARGETS
        .iter()
        .copied()
        .filter(|t| !installed.lines().any(|l| l == *t))
        .collect();
    if !missing.is_empty() {
        run(Command::new("rustup")
            .args(["target", "add"])
            .args(&missing))?;
    }
    install(PACKAGES)
}

/// Installs the Debian packages of `packages` (name, a file that shows it is installed) that
/// are missing, with `apt-get` (through `sudo` when not root).
fn install(packages: &[(&str, &str)]) -> Result {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|(_, file)| !Path::new(file).exists())
        .map(|(p, _)| *p)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("installing Debian packages: {}", missing.join(" "));
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0"));
    let apt = |args: &[&str]| {
        let mut cmd = if root_user {
            Command::new("apt-get")
        } else {
            Command::new("sudo")
        };
        if !root_user {
            cmd.arg("apt-get");
        }
        cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        cmd
    };
    run(&mut apt(&["update", "-q"]))
        .and_then(|_| run(apt(&["install", "-y", "-q"]).args(&missing)))
        .map_err(|e| {
            format!(
                "{e}\ninstall these Debian packages by hand: {}",
                missing.join(" ")
            )
            .into()
        })
}

/// The main job: build hello as a user would, run it, show its size.
fn hello(_: &[String]) -> Result {
    let exe = build_example("hello")?;
    let out = Command::new(&exe).stderr(Stdio::inherit()).output()?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    let size = std::fs::metadata(&exe)?.len();
    println!(
        "{}: {size} bytes, exit code {}",
        exe.display(),
        out.status.code().unwrap_or(-1)
    );
    Ok(())
}

/// Where the examples are built from: the repository, or for `sizes` a copy of it at a fixed
/// path (see [`fixed_copy`]).
static EXAMPLES_ROOT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

fn examples_root() -> PathBuf {
    EXAMPLES_ROOT.get().cloned().unwrap_or_else(root)
}

/// A copy of the working tree's files (those git tracks and the untracked ones it does not
/// ignore), at `<temp>/tiny-sizes` (its `target` kept between runs).
///
/// Cargo's `-C metadata` for a path dependency outside the package's workspace (every example
/// depends on `../../tiny-rt`) hashes its absolute path, and rustc's symbol names and LLVM's
/// order of functions and constants follow those hashes: the same program checked out at two
/// paths can differ by a few bytes of alignment (seen: Windows `env`, 6980 and 6984 bytes). The
/// figures in README.md are measured from this fixed path, so that every checkout (CI's too)
/// measures the same.
fn fixed_copy() -> Result<PathBuf> {
    let dest = std::env::temp_dir().join("tiny-sizes");
    let files = Command::new("git")
        .current_dir(root())
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()?;
    if !files.status.success() {
        return Err("git ls-files failed: the size check needs the repository's git".into());
    }
    for entry in std::fs::read_dir(&dest).into_iter().flatten() {
        let path = entry?.path();
        if path.file_name() != Some("target".as_ref()) {
            if path.is_dir() {
                std::fs::remove_dir_all(&path)?;
            } else {
                std::fs::remove_file(&path)?;
            }
        }
    }
    for file in files.stdout.split(|&b| b == 0).filter(|f| !f.is_empty()) {
        let rel = Path::new(std::str::from_utf8(file)?);
        if !root().join(rel).is_file() {
            continue; // deleted in the working tree
        }
        let to = dest.join(rel);
        std::fs::create_dir_all(to.parent().unwrap())?;
        std::fs::copy(root().join(rel), &to)?;
    }
    Ok(dest)
}

fn build_example(name: &str) -> Result<PathBuf> {
    build_example_for(name, None, &[])
}

/// Builds example `name` (for `target`, or the host) with plain `cargo build --release`.
fn build_example_for(name: &str, target: Option<&str>, extra: &[&str]) -> Result<PathBuf> {
    build_example_in(name, target, extra, "examples", &[])
}

/// [`build_example_for`] into `target/<dir>`, with `env` set.
fn build_example_in(
    name: &str,
    target: Option<&str>,
    extra: &[&str],
    dir: &str,
    env: &[(&str, &str)],
) -> Result<PathBuf> {
    let target_dir = examples_root().join("target").join(dir);
    let mut cmd = cargo();
    cmd.envs(env.iter().copied());
    cmd.current_dir(examples_root().join("examples").join(name))
        .args(["build", "--release", "--quiet", "--target-dir"])
        .arg(&target_dir)
        .args(extra);
    if let Some(t) = target {
        cmd.args(["--target", t]);
    }
    run(&mut cmd)?;
    Ok(match target {
        None => target_dir.join("release").join(name),
        Some(t) if !t.contains("windows") => target_dir.join(t).join("release").join(name),
        Some(t) => target_dir
            .join(t)
            .join("release")
            .join(format!("{name}.exe")),
    })
}

/// The sizes of example `name` for the Windows targets: gnu (mingw-w64's driver) and msvc
/// (the `tiny-build` command as the configured linker) in `Runtime` mode, and gnu in `Table`
/// mode.
fn windows_sizes(name: &str, tool: &Path) -> Result<[u64; 3]> {
    let gnu = build_example_for(name, Some("x86_64-pc-windows-gnu"), &[])?;
    let linker = format!(
        "target.x86_64-pc-windows-msvc.linker=\"{}\"",
        tool.display()
    );
    let msvc = build_example_for(name, Some("x86_64-pc-windows-msvc"), &["--config", &linker])?;
    let table = build_example_in(
        name,
        Some("x86_64-pc-windows-gnu"),
        &[],
        "examples-table",
        &[("TINY_WINDOWS_MODE", "table")],
    )?;
    Ok([
        std::fs::metadata(gnu)?.len(),
        std::fs::metadata(msvc)?.len(),
        std::fs::metadata(table)?.len(),
    ])
}

/// A column of the Windows modes table: title, target directory, build environment.
type WindowsSetting = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The Windows modes and refusal settings of the second size table: column title, target
/// directory and build environment (gnu target; `Pinned` to the ntdll tiny-build finds, Wine's
/// here).
const WINDOWS_SETTINGS: &[WindowsSetting] = &[
    ("Runtime", "examples", &[]),
    (
        "Runtime, exit-code refusals",
        "examples-quiet",
        &[("TINY_REFUSAL", "exit-code")],
    ),
    (
        "Pinned",
        "examples-pinned",
        &[("TINY_WINDOWS_MODE", "pinned")],
    ),
    (
        "Pinned, exit-code refusals",
        "examples-pinned-quiet",
        &[
            ("TINY_WINDOWS_MODE", "pinned"),
            ("TINY_REFUSAL", "exit-code"),
        ],
    ),
    (
        "Pinned, check off",
        "examples-pinned-unchecked",
        &[("TINY_WINDOWS_MODE", "pinned"), ("TINY_PINNED_CHECK", "0")],
    ),
    ("Table", "examples-table", &[("TINY_WINDOWS_MODE", "table")]),
    (
        "Table, exit-code refusals",
        "examples-table-quiet",
        &[
            ("TINY_WINDOWS_MODE", "table"),
            ("TINY_REFUSAL", "exit-code"),
        ],
    ),
];

const MODES_BEGIN: &str = "<!-- windows-modes:begin (cargo xtask sizes --write) -->";
const MODES_END: &str = "<!-- windows-modes:end -->";

/// The second size table: every Windows example (gnu) in every mode and refusal setting.
fn windows_modes_table() -> Result<String> {
    let mut table = String::from("| example |");
    let mut rule = String::from("|---|");
    for (title, _, _) in WINDOWS_SETTINGS {
        table.push_str(&format!(" {title} |"));
        rule.push_str("---:|");
    }
    table.push('\n');
    table.push_str(&rule);
    table.push('\n');
    for &(name, _, _) in EXAMPLES {
        if LINUX_ONLY.contains(&name) {
            continue;
        }
        table.push_str(&format!("| `{name}` |"));
        for (_, dir, env) in WINDOWS_SETTINGS {
            let exe = build_example_in(name, Some("x86_64-pc-windows-gnu"), &[], dir, env)?;
            table.push_str(&format!(" {} |", std::fs::metadata(exe)?.len()));
        }
        table.push('\n');
    }
    Ok(table)
}

fn test(_: &[String]) -> Result {
    setup()?;
    run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run(cargo()
        .args(["doc", "--workspace", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings"))?;
    // the runtime's Windows layer compiles only for Windows targets
    let windows = ["-p", "tiny-rt", "--target", "x86_64-pc-windows-gnu"];
    run(cargo()
        .arg("clippy")
        .args(windows)
        .args(["--", "-D", "warnings"]))?;
    run(cargo()
        .arg("doc")
        .args(windows)
        .arg("--no-deps")
        .env("RUSTDOCFLAGS", "-D warnings"))?;
    gen_abi(&["--check".into()])?;
    run(cargo().args(["test", "--workspace"]))?;
    sizes(&["--check".into()])
}

const BEGIN: &str = "<!-- sizes:begin (cargo xtask sizes --write) -->";
const END: &str = "<!-- sizes:end -->";

fn sizes(args: &[String]) -> Result {
    let copy = fixed_copy()?;
    eprintln!("measuring from {} (see `fixed_copy`)", copy.display());
    EXAMPLES_ROOT
        .set(copy)
        .map_err(|_| "the examples' root was set twice")?;
    run(cargo().args([
        "build",
        "--quiet",
        "-p",
        "tiny-build",
        "--bin",
        "tiny-build",
    ]))?;
    let tool = root().join("target/debug/tiny-build");
    let mut table = String::from("| example | Linux x86_64 | asserted budget | issue floor |");
    for (_, column) in CROSS {
        table.push_str(&format!(" {column} |"));
    }
    table.push_str(" Windows gnu | Windows msvc | Windows Table (gnu) |\n|---|---:|---:|---:|");
    table.push_str(&"---:|".repeat(CROSS.len() + 3));
    table.push('\n');
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path)?;
    let mut updated = readme.clone();
    for &(name, budget, floor) in EXAMPLES {
        let size = std::fs::metadata(build_example(name)?)?.len();
        let [gnu, msvc, table_mode] = if LINUX_ONLY.contains(&name) {
            ["–".to_owned(), "–".to_owned(), "–".to_owned()]
        } else {
            windows_sizes(name, &tool)?.map(|n| n.to_string())
        };
        let floor = floor.map_or("–".to_owned(), |n| n.to_string());
        let mut cross = String::new();
        for (triple, _) in CROSS {
            let n = std::fs::metadata(build_example_for(name, Some(triple), &[])?)?.len();
            cross.push_str(&format!(" {n} |"));
        }
        table.push_str(&format!(
            "| `{name}` | {size} | {budget} | {floor} |{cross} {gnu} | {msvc} | {table_mode} |\n"
        ));
        // figures in the prose: `<!-- size:NAME -->N<!-- /size -->`, and the bytes from 0x68
        // on (the headers' last field, `p_align`, holds code): `<!-- tail:NAME -->N<!-- /tail -->`
        updated = fill(
            &updated,
            &format!("<!-- size:{name} -->"),
            "<!-- /size -->",
            size,
        );
        updated = fill(
            &updated,
            &format!("<!-- tail:{name} -->"),
            "<!-- /tail -->",
            size.saturating_sub(0x68),
        );
    }
    print!("{table}");
    let (Some(b), Some(e)) = (updated.find(BEGIN), updated.find(END)) else {
        return Err("README.md has no sizes markers".into());
    };
    let updated = format!("{}{BEGIN}\n{table}{}", &updated[..b], &updated[e..]);
    let modes = windows_modes_table()?;
    print!("{modes}");
    let (Some(b), Some(e)) = (updated.find(MODES_BEGIN), updated.find(MODES_END)) else {
        return Err("README.md has no windows-modes markers".into());
    };
    let updated = format!("{}{MODES_BEGIN}\n{modes}{}", &updated[..b], &updated[e..]);
    let features = features_table()?;
    print!("{features}");
    let (Some(b), Some(e)) = (updated.find(FEATURES_BEGIN), updated.find(FEATURES_END)) else {
        return Err("README.md has no features markers".into());
    };
    let updated = format!(
        "{}{FEATURES_BEGIN}\n{features}{}",
        &updated[..b],
        &updated[e..]
    );
    match args.first().map(String::as_str) {
        Some("--write") => std::fs::write(&readme_path, updated)?,
        Some("--check") if updated != readme => {
            return Err("README.md sizes are stale: run `cargo xtask sizes --write`".into());
        }
        _ => {}
    }
    Ok(())
}

const FEATURES_BEGIN: &str = "<!-- features:begin (cargo xtask sizes --write) -->";
const FEATURES_END: &str = "<!-- features:end -->";

/// What each runtime feature costs: every program of `examples/features` (one binary each,
/// its first doc line saying what it does), its size and what it adds to `base` (a `main` that
/// does nothing).
fn features_table() -> Result<String> {
    let dir = examples_root().join("examples/features");
    let target_dir = examples_root().join("target/examples");
    run(cargo()
        .current_dir(&dir)
        .args(["build", "--release", "--quiet", "--target-dir"])
        .arg(&target_dir))?;
    let mut bins: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(dir.join("src/bin"))? {
        let path = entry?.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path)?;
        let what = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("//! "))
            .ok_or_else(|| format!("{}: no `//! ` line first", path.display()))?
            .to_owned();
        bins.push((name, what));
    }
    bins.sort();
    let size =
        |name: &str| std::fs::metadata(target_dir.join("release").join(name)).map(|m| m.len());
    let base = size("base")?;
    let mut table = String::from(
        "| program (`examples/features/src/bin`) | what it does | Linux x86_64 bytes | over `base` |\n|---|---|---:|---:|\n",
    );
    for (name, what) in &bins {
        let n = size(name)?;
        let _ = std::fmt::Write::write_fmt(
            &mut table,
            format_args!("| `{name}` | {what} | {n} | {} |\n", n as i64 - base as i64),
        );
    }
    Ok(table)
}

/// Replaces the text between every `open` marker and the next `close` marker with `value`.
fn fill(text: &str, open: &str, close: &str, value: u64) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(close) else { break };
        out.push_str(&rest[..i + open.len()]);
        out.push_str(&value.to_string());
        rest = &after[j..];
    }
    out.push_str(rest);
    out
}

fn bench(args: &[String]) -> Result {
    setup()?;
    bench::programs(args)?;
    run(cargo().args(["bench", "-p", "tiny-build", "--bench", "resolve"]))
}

fn bless(_: &[String]) -> Result {
    run(cargo()
        .args(["test", "-p", "tiny-build", "--lib", "codegen"])
        .env("TINY_BLESS", "1"))?;
    run(cargo()
        .args(["test", "-p", "tiny-macros", "--test", "compiletest"])
        .env("TRYBUILD", "overwrite"))?;
    // README.md's sizes of its Windows "Calling the kernel" programs, measured by the test
    run(cargo()
        .args([
            "test",
            "-p",
            "tiny-tests",
            "--test",
            "windows",
            "readme_nt_calls",
        ])
        .env("TINY_BLESS", "1"))
}

/// The architectures of tiny-abi's Linux name lists: (constant, linux-raw-sys directory).
const ABI_ARCHES: &[(&str, &str)] = &[
    ("X86_64", "x86_64"),
    ("X86", "x86"),
    ("AARCH64", "aarch64"),
    ("RISCV64", "riscv64"),
    ("ARM", "arm"),
];

/// Writes (or with `--check`, compares) `tiny-abi/src/linux/names.rs`, every `__NR_*` name of
/// each architecture in the `linux-raw-sys` that Cargo.lock pins, and
/// `tiny-abi/src/windows/names.rs`, every `Nt*` name of `tiny-build/data`'s all-releases table.
fn gen_abi(args: &[String]) -> Result {
    let check = args.first().is_some_and(|a| a == "--check");
    let meta = cargo()
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()?;
    let meta = String::from_utf8(meta.stdout)?;
    // the manifest path of linux-raw-sys, without a JSON parser: `"…/linux-raw-sys-V/Cargo.toml"`
    let manifest = meta
        .split('"')
        .find(|s| s.contains("/linux-raw-sys-") && s.ends_with("/Cargo.toml"))
        .ok_or("cargo metadata does not list linux-raw-sys")?;
    let src = Path::new(manifest).parent().unwrap().join("src");
    let version = src
        .parent()
        .and_then(|d| d.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("linux-raw-sys");
    let mut linux = format!(
        "//! @generated by `cargo xtask gen-abi` from {version}, do not edit.\n//!\n//! The system call names of each architecture (`__NR_<name>`), sorted.\n"
    );
    for (constant, dir) in ABI_ARCHES {
        let text = std::fs::read_to_string(src.join(dir).join("general.rs"))?;
        let mut names: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("pub const __NR_"))
            .filter_map(|l| l.split(':').next())
            .collect();
        names.sort_unstable();
        names.dedup();
        linux.push_str(&format!(
            "\n/// `target_arch = \"{dir}\"`: {} system calls.\npub const {constant}: &[&str] = &[\n",
            names.len()
        ));
        for n in names {
            linux.push_str(&format!("    \"{n}\",\n"));
        }
        linux.push_str("];\n");
    }
    let csv =
        std::fs::read_to_string(root().join("tiny-build/data/windows-x64-nt-all-releases.csv"))?;
    let mut nt: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .filter(|n| n.starts_with("Nt"))
        .collect();
    nt.sort_unstable();
    nt.dedup();
    let mut windows = format!(
        "//! @generated by `cargo xtask gen-abi` from `tiny-build/data/windows-x64-nt-all-releases.csv`, do not edit.\n\n/// Every `Nt*` system call of some x64 Windows release (XP to 11 25H2), sorted: {} names.\npub const NT_NAMES: &[&str] = &[\n",
        nt.len()
    );
    for n in nt {
        windows.push_str(&format!("    \"{n}\",\n"));
    }
    windows.push_str("];\n");
    for (path, text) in [
        ("tiny-abi/src/linux/names.rs", linux),
        ("tiny-abi/src/windows/names.rs", windows),
    ] {
        let path = root().join(path);
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                return Err(
                    format!("{} is stale: run `cargo xtask gen-abi`", path.display()).into(),
                );
            }
        } else {
            std::fs::create_dir_all(path.parent().unwrap())?;
            std::fs::write(&path, text)?;
        }
    }
    Ok(())
}
