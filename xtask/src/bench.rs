//! `cargo xtask bench`: tiny's examples measured next to the same programs built as users
//! otherwise would, in one run; prints the tables, writes `bench.json` and README.md's table
//! (between `BEGIN` and `END`).
//!
//! The other builds of each example (sources in `xtask/bench/`): Rust with `std`
//! (`opt-level = "z"`, `lto`, `codegen-units = 1`, `panic = "abort"`, `strip`), Rust
//! `#![no_std]` on glibc with the default linker and `strip`, C with `gcc -Os -s` (glibc) and
//! static musl C (`musl-gcc -static -Os -s`). An example with no source there shows `—`.
//!
//! Measured: sizes; start-up of `true` and `hello` (`hyperfine -N`, median and quartiles);
//! system calls (`strace -f -c`); throughput of `cat` and `wc` against GNU coreutils under
//! `LC_ALL=C` (median wall time of a few runs, files under `target/bench/data`); and the time
//! tiny-build adds to `cargo build`. Speed is measured here only, never in the tests.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::{EXAMPLES, Result, build_example, cargo, install, root, run};

/// Debian packages the benchmark runs, with a file that shows each is installed.
const PACKAGES: &[(&str, &str)] = &[
    ("hyperfine", "/usr/bin/hyperfine"),
    ("strace", "/usr/bin/strace"),
    ("musl-tools", "/usr/bin/musl-gcc"),
    ("gcc", "/usr/bin/gcc"),
    ("coreutils", "/usr/bin/wc"),
];

/// README.md's markers around the generated tables.
const BEGIN: &str = "<!-- bench:begin (cargo xtask bench) -->";
const END: &str = "<!-- bench:end -->";

/// The builds compared, as (key in bench.json, column title).
const BUILDS: &[(&str, &str)] = &[
    ("tiny", "tiny"),
    ("rust_std", "Rust std"),
    ("rust_no_std", "Rust no_std"),
    ("c_glibc", "C glibc"),
    ("c_musl", "C musl static"),
];

/// Runs of `hyperfine -N` per start-up command: `STARTUP_ROUNDS` rounds over all the commands
/// (so that a change in the machine's load falls on all of them), of `STARTUP_RUNS /
/// STARTUP_ROUNDS` runs each after 20 warm-up runs.
const STARTUP_RUNS: u32 = 1000;
const STARTUP_ROUNDS: u32 = 5;
/// Timed runs per throughput case and program (after one warm-up run), tiny's and GNU's in
/// turns; the medians are kept.
const RUNS: usize = 7;
/// Sizes of the generated inputs.
const CAT_BYTES: usize = 1 << 30;
const TEXT_BYTES: usize = 180 << 20;
const EMPTY_LINES_BYTES: usize = 150 << 20;

/// A JSON value, written by hand (xtask has no dependencies).
enum Json {
    Num(f64),
    Int(u64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
    Null,
}

impl Json {
    fn obj<K: Into<String>>(fields: impl IntoIterator<Item = (K, Json)>) -> Json {
        Json::Obj(fields.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    fn write(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        match self {
            Json::Num(x) if x.is_finite() => {
                let _ = write!(out, "{}", (x * 1e6).round() / 1e6);
            }
            Json::Num(_) | Json::Null => out.push_str("null"),
            Json::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Str(s) => {
                out.push('"');
                for c in s.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        c if (c as u32) < 0x20 => {
                            let _ = write!(out, "\\u{:04x}", c as u32);
                        }
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            Json::Arr(items) if items.is_empty() => out.push_str("[]"),
            Json::Arr(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    item.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            Json::Obj(fields) => {
                out.push_str("{\n");
                for (i, (k, v)) in fields.iter().enumerate() {
                    pad(out, indent + 2);
                    Json::Str(k.clone()).write(out, indent + 2);
                    out.push_str(": ");
                    v.write(out, indent + 2);
                    out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

/// The program `name` of build `build`, when the benchmark has one.
type Programs = BTreeMap<(&'static str, &'static str), PathBuf>;

pub(crate) fn programs(args: &[String]) -> Result {
    let write = !args.iter().any(|a| a == "--no-write");
    install(PACKAGES)?;
    let total = Instant::now();
    let dir = root().join("target/bench");
    std::fs::create_dir_all(dir.join("data"))?;
    let names: Vec<&'static str> = EXAMPLES.iter().map(|e| e.0).collect();
    let programs = build_all(&names, &dir)?;
    let mut json = vec![("machine".to_owned(), machine())];
    let mut readme = String::new();

    // ---- sizes
    let mut table = String::from("| example |");
    for (_, title) in BUILDS {
        let _ = write!(table, " {title} |");
    }
    table.push_str(" musl ÷ tiny |\n|---|");
    table.push_str(&"---:|".repeat(BUILDS.len() + 1));
    table.push('\n');
    let mut sizes = Vec::new();
    for &name in &names {
        let size = |build| {
            programs
                .get(&(build, name))
                .and_then(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
        };
        let _ = write!(table, "| `{name}` |");
        let mut fields = vec![("example", Json::Str(name.into()))];
        for &(build, _) in BUILDS {
            let _ = write!(table, " {} |", opt(size(build)));
            fields.push((build, size(build).map_or(Json::Null, Json::Int)));
        }
        let ratio = size("c_musl")
            .zip(size("tiny"))
            .map(|(m, t)| m as f64 / t as f64);
        let _ = writeln!(
            table,
            " {} |",
            ratio.map_or("—".into(), |r| format!("{r:.0}×"))
        );
        sizes.push(Json::obj(fields));
    }
    println!("\nSizes (bytes, Linux x86_64)\n\n{table}");
    let _ = write!(
        readme,
        "Sizes in bytes on Linux x86_64 (Windows sizes: the table above):\n\n{table}\n"
    );
    json.push(("sizes".into(), Json::Arr(sizes)));

    // ---- start-up
    let coreutils = |p: &str| PathBuf::from("/usr/bin").join(p);
    let mut startup = Vec::new();
    let mut table = String::from("| program |");
    let startup_builds: Vec<(&str, &str)> = std::iter::once(("coreutils", "coreutils"))
        .chain(BUILDS.iter().copied())
        .collect();
    for (_, title) in &startup_builds {
        let _ = write!(table, " {title} |");
    }
    let _ = writeln!(table, "\n|---|{}", "---:|".repeat(startup_builds.len()));
    for name in ["true", "hello"] {
        let mut commands = Vec::new();
        for &(build, _) in &startup_builds {
            let command = match (build, name) {
                ("coreutils", "hello") => {
                    Some(format!("{} 'Hello, World!'", coreutils("echo").display()))
                }
                ("coreutils", _) => Some(coreutils(name).display().to_string()),
                _ => programs
                    .get(&(build, name))
                    .map(|p| p.display().to_string()),
            };
            if let Some(c) = command {
                commands.push((build, c));
            }
        }
        let results = hyperfine(&commands, &dir.join(format!("startup-{name}.json")))?;
        let tiny = results.iter().find(|r| r.0 == "tiny").map(|r| r.1.median);
        let _ = write!(table, "| `{name}` |");
        let mut fields = vec![("program", Json::Str(name.into()))];
        for &(build, _) in &startup_builds {
            let Some((_, t)) = results.iter().find(|r| r.0 == build) else {
                table.push_str(" — |");
                continue;
            };
            let ratio = tiny.map(|tiny| t.median / tiny);
            let _ = write!(
                table,
                " {} ({}) |",
                ms(t.median),
                ratio.map_or("—".into(), |r| format!("{r:.2}×"))
            );
            fields.push((
                build,
                Json::obj([
                    ("command", Json::Str(t.command.clone())),
                    ("median_s", Json::Num(t.median)),
                    ("p25_s", Json::Num(t.p25)),
                    ("p75_s", Json::Num(t.p75)),
                    ("runs", Json::Int(t.runs as u64)),
                    ("ratio_to_tiny", ratio.map_or(Json::Null, Json::Num)),
                ]),
            ));
        }
        table.push('\n');
        startup.push(Json::obj(fields));
    }
    println!(
        "Start-up, exec to exit (hyperfine -N, {STARTUP_RUNS} runs in {STARTUP_ROUNDS} rounds: median, and its ratio to tiny's)\n\n{table}"
    );
    let _ = write!(
        readme,
        "Start-up, exec to exit (`hyperfine -N`, {STARTUP_RUNS} runs in {STARTUP_ROUNDS} rounds; median, and its ratio to tiny's; quartiles in `bench.json`):\n\n{table}\n"
    );
    json.push(("startup".into(), Json::Arr(startup)));

    // ---- system calls
    let small = dir.join("data/small.txt");
    std::fs::write(&small, text(4096))?;
    let mut table = table_head("program", &startup_builds);
    let mut syscalls = Vec::new();
    for name in ["hello", "true", "cat"] {
        let _ = write!(table, "| `{name}` |");
        let mut fields = vec![("program", Json::Str(name.into()))];
        for &(build, _) in &startup_builds {
            let (exe, args): (PathBuf, Vec<&Path>) = match (build, name) {
                ("coreutils", "hello") => (coreutils("echo"), vec![Path::new("Hello, World!")]),
                ("coreutils", _) => (coreutils(name), vec![]),
                _ => match programs.get(&(build, name)) {
                    Some(p) => (p.clone(), vec![]),
                    None => {
                        table.push_str(" — |");
                        continue;
                    }
                },
            };
            let mut args = args;
            if name == "cat" {
                args.push(&small);
            }
            let counts = strace(&exe, &args, &dir.join("strace.txt"))?;
            let total: u64 = counts.iter().map(|c| c.1).sum();
            let _ = write!(table, " {total} |");
            fields.push((
                build,
                Json::obj([
                    ("total", Json::Int(total)),
                    (
                        "calls",
                        Json::obj(counts.into_iter().map(|(k, v)| (k, Json::Int(v)))),
                    ),
                ]),
            ));
        }
        table.push('\n');
        syscalls.push(Json::obj(fields));
    }
    let note = "`strace -f -c`: every call from `execve` on; the final `exit` is not counted";
    println!("System calls ({note})\n\n{table}");
    let _ = write!(
        readme,
        "System calls ({note}; `cat` of a 4 KiB file):\n\n{table}\n"
    );
    json.push(("syscalls".into(), Json::Arr(syscalls)));

    // ---- throughput
    let big = dir.join("data/big");
    let words = dir.join("data/text");
    let empty = dir.join("data/empty-lines");
    make_file(&big, CAT_BYTES, |_| text(1 << 20))?;
    make_file(&words, TEXT_BYTES, |_| text(1 << 20))?;
    make_file(&empty, EMPTY_LINES_BYTES, |_| vec![b'\n'; 1 << 20])?;
    // the file sink: on tmpfs when there is one, so that the disk's write-back (and whatever
    // else writes to the disk) is not what is measured
    let shm = Path::new("/dev/shm");
    let (out_file, file_label) = if shm.is_dir() {
        (shm.join("tiny-bench-cat-out"), "a file on tmpfs")
    } else {
        (dir.join("data/out"), "a file")
    };
    let gnu = |p: &str| coreutils(p);
    let tiny = |p: &'static str| programs[&("tiny", p)].clone();
    let mut table = String::from(
        "| case | tiny | GNU coreutils | GNU time ÷ tiny time |\n|---|---:|---:|---:|\n",
    );
    let mut throughput = Vec::new();
    let mut case = |what: String, bytes: usize, t: f64, g: f64| {
        let rate = |s: f64| {
            let digits = if s < 0.01 { 2 } else { 0 };
            format!(
                "{:.digits$} ms ({:.2} GB/s)",
                s * 1e3,
                bytes as f64 / s / 1e9
            )
        };
        let _ = writeln!(
            table,
            "| {what} | {} | {} | {:.2}× |",
            rate(t),
            rate(g),
            g / t
        );
        throughput.push(Json::obj([
            ("case", Json::Str(what)),
            ("bytes", Json::Int(bytes as u64)),
            ("tiny_s", Json::Num(t)),
            ("coreutils_s", Json::Num(g)),
            ("ratio", Json::Num(g / t)),
        ]));
    };
    for (sink, label) in [
        (Sink::Null, "`/dev/null`"),
        (Sink::File(&out_file), file_label),
        (Sink::Pipe, "a pipe"),
    ] {
        let (t, g) = medians(
            RUNS,
            || cat(&tiny("cat"), &big, &sink),
            || cat(&gnu("cat"), &big, &sink),
        )?;
        case(format!("`cat` 1 GiB to {label}"), CAT_BYTES, t, g);
    }
    let _ = std::fs::remove_file(&out_file);
    for (file, bytes, label) in [
        (&words, TEXT_BYTES, "text"),
        (&empty, EMPTY_LINES_BYTES, "empty lines"),
    ] {
        for opt in ["", "-l", "-w", "-c"] {
            let (t, g) = medians(
                RUNS,
                || wc(&tiny("wc"), opt, file),
                || wc(&gnu("wc"), opt, file),
            )?;
            let space = if opt.is_empty() { "" } else { " " };
            case(
                format!("`wc{space}{opt}` {} MiB of {label}", bytes >> 20),
                bytes,
                t,
                g,
            );
        }
    }
    println!("Throughput (median of {RUNS} runs, LC_ALL=C)\n\n{table}");
    let _ = write!(
        readme,
        "Throughput against GNU coreutils (`LC_ALL=C`, median wall time of {RUNS} runs each, in turns; the pipe's reader is GNU `cat` to `/dev/null`):\n\n{table}\n"
    );
    json.push(("throughput".into(), Json::Arr(throughput)));

    // ---- build overhead
    let (build_json, line) = build_overhead(&dir)?;
    println!("{line}\n");
    let _ = writeln!(readme, "{line}");
    json.push(("build".into(), build_json));
    json.push((
        "bench_seconds".into(),
        Json::Num(total.elapsed().as_secs_f64()),
    ));

    let mut text_json = String::new();
    Json::Obj(json).write(&mut text_json, 0);
    text_json.push('\n');
    println!("bench: {:.0} s", total.elapsed().as_secs_f64());
    if write {
        std::fs::write(root().join("bench.json"), text_json)?;
        let path = root().join("README.md");
        let old = std::fs::read_to_string(&path)?;
        let (Some(b), Some(e)) = (old.find(BEGIN), old.find(END)) else {
            return Err("README.md has no bench markers".into());
        };
        let new = format!("{}{BEGIN}\n{readme}{}", &old[..b], &old[e..]);
        std::fs::write(&path, new)?;
        println!("wrote bench.json and README.md");
    }
    Ok(())
}

fn opt(v: Option<u64>) -> String {
    v.map_or("—".into(), |v| v.to_string())
}

fn ms(s: f64) -> String {
    format!("{:.2} ms", s * 1e3)
}

fn table_head(first: &str, builds: &[(&str, &str)]) -> String {
    let mut t = format!("| {first} |");
    for (_, title) in builds {
        let _ = write!(t, " {title} |");
    }
    let _ = writeln!(t, "\n|---|{}", "---:|".repeat(builds.len()));
    t
}

/// Machine facts for bench.json.
fn machine() -> Json {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    let output = |cmd: &str, args: &[&str]| {
        Command::new(cmd)
            .args(args)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    Json::obj([
        ("cpu", Json::Str(cpu)),
        (
            "cpus",
            Json::Int(std::thread::available_parallelism().map_or(0, |n| n.get() as u64)),
        ),
        ("kernel", Json::Str(output("uname", &["-r"]))),
        ("rustc", Json::Str(output("rustc", &["--version"]))),
        (
            "coreutils",
            Json::Str(
                output("/usr/bin/wc", &["--version"])
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_owned(),
            ),
        ),
        (
            "commit",
            Json::Str(output(
                "git",
                &["-C", &root().display().to_string(), "rev-parse", "HEAD"],
            )),
        ),
    ])
}

/// Builds every example with tiny and every reference program there is a source for.
fn build_all(names: &[&'static str], dir: &Path) -> Result<Programs> {
    let mut programs = Programs::new();
    let src = root().join("xtask/bench");
    for &name in names {
        programs.insert(("tiny", name), build_example(name)?);
    }
    for (build, krate) in [("rust_std", "rust-std"), ("rust_no_std", "rust-nostd")] {
        let target = dir.join(krate);
        run(cargo()
            .current_dir(src.join(krate))
            .args(["build", "--release", "--quiet", "--target-dir"])
            .arg(&target))?;
        for &name in names {
            let exe = target.join("release").join(name);
            if src.join(krate).join(format!("src/bin/{name}.rs")).exists() && exe.exists() {
                programs.insert((build, name), exe);
            }
        }
    }
    for (build, cc, flags) in [
        ("c_glibc", "gcc", &["-Os", "-s"][..]),
        ("c_musl", "musl-gcc", &["-static", "-Os", "-s"][..]),
    ] {
        let out = dir.join(build);
        std::fs::create_dir_all(&out)?;
        for &name in names {
            let c = src.join("c").join(format!("{name}.c"));
            if !c.exists() {
                continue;
            }
            let exe = out.join(name);
            run(Command::new(cc).args(flags).arg("-o").arg(&exe).arg(&c))?;
            programs.insert((build, name), exe);
        }
    }
    Ok(programs)
}

/// One command's start-up times.
struct Startup {
    command: String,
    median: f64,
    p25: f64,
    p75: f64,
    runs: usize,
}

/// Runs `hyperfine -N` over `commands` (build, command line); the results in that order.
fn hyperfine(commands: &[(&str, String)], json: &Path) -> Result<Vec<(String, Startup)>> {
    let mut times = vec![Vec::new(); commands.len()];
    for _ in 0..STARTUP_ROUNDS {
        let mut cmd = command("hyperfine");
        cmd.args(["-N", "--style", "none", "--warmup", "20", "--runs"])
            .arg((STARTUP_RUNS / STARTUP_ROUNDS).to_string())
            .arg("--export-json")
            .arg(json)
            .stdout(Stdio::null());
        for (_, c) in commands {
            cmd.arg(c);
        }
        run(&mut cmd)?;
        let text = std::fs::read_to_string(json)?;
        // hyperfine's JSON: one object per command, in order, each with "times": [ … ]
        for (times, part) in times.iter_mut().zip(text.split("\"command\":").skip(1)) {
            let list = part
                .split("\"times\":")
                .nth(1)
                .and_then(|s| s.split(']').next())
                .ok_or("hyperfine JSON without times")?;
            times.extend(
                list.trim_start_matches([' ', '\n', '['])
                    .split(',')
                    .filter_map(|t| t.trim().parse::<f64>().ok()),
            );
        }
    }
    let mut results = Vec::new();
    for ((build, command), mut times) in commands.iter().zip(times) {
        times.sort_by(f64::total_cmp);
        if times.is_empty() {
            return Err(format!("hyperfine gave no times for {command}").into());
        }
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        results.push((
            build.to_string(),
            Startup {
                command: command.clone(),
                median: at(0.5),
                p25: at(0.25),
                p75: at(0.75),
                runs: times.len(),
            },
        ));
    }
    Ok(results)
}

/// A command for a measured program: in the C locale, without the `LD_LIBRARY_PATH` that
/// `cargo run` sets (the dynamic loader would search its directories first).
fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_remove("LD_LIBRARY_PATH").env("LC_ALL", "C");
    cmd
}

/// `strace -f -c` of `exe args` (standard output to `/dev/null`): calls per system call.
fn strace(exe: &Path, args: &[&Path], log: &Path) -> Result<Vec<(String, u64)>> {
    let status = command("strace")
        .args(["-f", "-c", "-o"])
        .arg(log)
        .arg(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()?;
    if !status.success() {
        return Err(format!("strace {} failed ({status})", exe.display()).into());
    }
    // rows: `% time seconds usecs/call calls [errors] syscall`, between dashed lines
    let text = std::fs::read_to_string(log)?;
    let mut counts = Vec::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 5 || cols[0].starts_with('%') || cols[0].starts_with('-') {
            continue;
        }
        let name = cols[cols.len() - 1];
        if name == "total" {
            continue;
        }
        counts.push((name.to_owned(), cols[3].parse()?));
    }
    Ok(counts)
}

/// Deterministic text: words of 1–12 letters, single and double spaces, a tab now and then,
/// lines of about 60 bytes.
fn text(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut line = 0;
    while out.len() < len {
        let r = next();
        for i in 0..1 + r % 12 {
            out.push(b'a' + (r >> (8 + 5 * i)) as u8 % 26);
        }
        line += 1;
        out.push(match (r >> 60, line % 10) {
            (_, 0) => b'\n',
            (0, _) => b'\t',
            _ => b' ',
        });
    }
    out.truncate(len);
    out
}

/// Writes `len` bytes of `chunk(i)` to `path` unless it is already that long.
fn make_file(path: &Path, len: usize, chunk: impl Fn(usize) -> Vec<u8>) -> Result {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == len as u64) {
        return Ok(());
    }
    use std::io::Write;
    let mut f = std::io::BufWriter::new(File::create(path)?);
    let mut written = 0;
    let mut i = 0;
    while written < len {
        let c = chunk(i);
        let n = c.len().min(len - written);
        f.write_all(&c[..n])?;
        written += n;
        i += 1;
    }
    f.flush()?;
    Ok(())
}

/// The median of `runs` times that `f` measured (each call times the part that counts),
/// after one more call.
fn median(runs: usize, mut f: impl FnMut() -> Result<f64>) -> Result<f64> {
    f()?;
    let mut times = Vec::new();
    for _ in 0..runs {
        times.push(f()?);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

/// The medians of `runs` times that `a` and `b` measured, in turns (so that a change in the
/// machine's load falls on both), after one more call of each.
fn medians(
    runs: usize,
    mut a: impl FnMut() -> Result<f64>,
    mut b: impl FnMut() -> Result<f64>,
) -> Result<(f64, f64)> {
    a()?;
    b()?;
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ta.push(a()?);
        tb.push(b()?);
    }
    let mid = |mut t: Vec<f64>| {
        t.sort_by(f64::total_cmp);
        t[t.len() / 2]
    };
    Ok((mid(ta), mid(tb)))
}

/// The wall time of `cmd` from spawn to exit; an error if it fails.
fn timed(cmd: &mut Command) -> Result<f64> {
    let start = Instant::now();
    let status = cmd.status()?;
    let time = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{cmd:?} failed ({status})").into());
    }
    Ok(time)
}

/// Where `cat`'s output goes.
enum Sink<'a> {
    Null,
    File(&'a Path),
    Pipe,
}

/// The time of `cat file` to `sink`. A file sink is removed and the page cache written back
/// (`sync`) first, so that no run pays for the last one's writes.
fn cat(exe: &Path, file: &Path, sink: &Sink<'_>) -> Result<f64> {
    let mut cmd = command(exe);
    cmd.arg(file);
    match sink {
        Sink::Null => timed(cmd.stdout(File::create("/dev/null")?)),
        Sink::File(p) => {
            let _ = std::fs::remove_file(p);
            run(&mut Command::new("sync"))?;
            timed(cmd.stdout(File::create(p)?))
        }
        Sink::Pipe => {
            let start = Instant::now();
            let mut writer = cmd.stdout(Stdio::piped()).spawn()?;
            let pipe = writer.stdout.take().ok_or("no pipe")?;
            let reader = command("/usr/bin/cat")
                .stdin(pipe)
                .stdout(File::create("/dev/null")?)
                .status()?;
            let status = writer.wait()?;
            let time = start.elapsed().as_secs_f64();
            if !reader.success() || !status.success() {
                return Err(format!("{} into a pipe failed ({status})", exe.display()).into());
            }
            Ok(time)
        }
    }
}

/// The time of `wc [opt] file`, output discarded.
fn wc(exe: &Path, opt: &str, file: &Path) -> Result<f64> {
    let mut cmd = command(exe);
    if !opt.is_empty() {
        cmd.arg(opt);
    }
    timed(cmd.arg(file).stdout(Stdio::null()))
}

/// The time tiny-build adds to `cargo build --release` of hello: a copy of `examples/hello`
/// against the same program without tiny (`#![no_std]` on glibc, default linker) and with
/// `std`, each cold (a fresh target directory, dependencies included) and rebuilt after
/// touching `src/main.rs` (the build script does not run again; the link step does).
fn build_overhead(dir: &Path) -> Result<(Json, String)> {
    let work = dir.join("build");
    let _ = std::fs::remove_dir_all(&work);
    let src = root().join("xtask/bench");
    let profile = "[profile.release]\npanic = \"abort\"\nopt-level = \"z\"\nlto = true\ncodegen-units = 1\nstrip = true\n\n[workspace]\n";
    let package = "[package]\nname = \"hello\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n";
    let hello = root().join("examples/hello");
    let tiny = work.join("tiny");
    std::fs::create_dir_all(tiny.join("src"))?;
    let manifest = std::fs::read_to_string(hello.join("Cargo.toml"))?
        .replace("../../", &format!("{}/", root().display()));
    std::fs::write(tiny.join("Cargo.toml"), manifest)?;
    std::fs::copy(hello.join("build.rs"), tiny.join("build.rs"))?;
    std::fs::copy(hello.join("src/main.rs"), tiny.join("src/main.rs"))?;
    let no_std = work.join("no_std");
    std::fs::create_dir_all(no_std.join("src"))?;
    std::fs::write(no_std.join("Cargo.toml"), format!("{package}{profile}"))?;
    std::fs::copy(src.join("rust-nostd/src/libc.rs"), no_std.join("libc.rs"))?;
    std::fs::copy(
        src.join("rust-nostd/src/bin/hello.rs"),
        no_std.join("src/main.rs"),
    )?;
    let with_std = work.join("std");
    std::fs::create_dir_all(with_std.join("src"))?;
    std::fs::write(with_std.join("Cargo.toml"), format!("{package}{profile}"))?;
    std::fs::copy(
        src.join("rust-std/src/bin/hello.rs"),
        with_std.join("src/main.rs"),
    )?;
    let build = |krate: &Path| -> Result<f64> {
        timed(
            cargo()
                .current_dir(krate)
                .args(["build", "--release", "--quiet", "--offline"]),
        )
    };
    let mut results = Vec::new();
    for krate in [&tiny, &no_std, &with_std] {
        let cold = build(krate)?;
        let main = krate.join("src/main.rs");
        let warm = median(3, || {
            File::options()
                .append(true)
                .open(&main)?
                .set_modified(std::time::SystemTime::now())?;
            build(krate)
        })?;
        results.push((cold, warm));
    }
    let [(tc, tw), (nc, nw), (sc, sw)] = [results[0], results[1], results[2]];
    let line = format!(
        "Build time of hello (`cargo build --release`, cold: a fresh target directory; rebuild: after touching `src/main.rs`, median of 3): with tiny {tc:.1} s cold (tiny-build and its dependencies compiled, the build script run) and {tw:.2} s to rebuild (tiny's link step included); the same program without tiny (`no_std`, default linker) {nc:.1} s and {nw:.2} s; with `std` {sc:.1} s and {sw:.2} s. tiny adds {:.1} s to a cold build and {:.2} s to a rebuild.",
        tc - nc,
        tw - nw
    );
    let json = Json::obj([
        ("tiny_cold_s", Json::Num(tc)),
        ("tiny_rebuild_s", Json::Num(tw)),
        ("no_std_cold_s", Json::Num(nc)),
        ("no_std_rebuild_s", Json::Num(nw)),
        ("std_cold_s", Json::Num(sc)),
        ("std_rebuild_s", Json::Num(sw)),
    ]);
    Ok((json, line))
}
