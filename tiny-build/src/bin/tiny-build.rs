//! `tiny-build`: tiny's command line, for people.
//!
//! ```text
//! tiny-build syscalls [PATH] [--json] [--build N]
//! ```
//! prints every `Nt*`/`Zw*` syscall stub of an x64 `ntdll.dll` as `name number dispatch`
//! (number in hex), then the exports that are not syscall stubs: the `Nt*` stubs are what a
//! program pinned to that ntdll (`Pinned` mode) can call with `tiny::nt!`. Without PATH it uses the default
//! source order (`TINY_NTDLL`, the host's ntdll on Windows, Wine's); `--build N` falls back to
//! (or, without a file, prints) the embedded table for Windows build N. Errors print
//! `tiny-build: <message>` and exit with status 1.
//!
//! ```text
//! tiny-build table
//! ```
//! prints what a `Table`-mode Windows program carries: the builds it runs on and the system
//! calls it makes by number (the others go through the loaded ntdll).
//!
//! Started by rustc as a linker (the msvc target, with `linker = "tiny-build"` in
//! `.cargo/config.toml`; tiny-build's build-script half sets `TINY_LINK_PLAN`), it is tiny's
//! link step instead.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use tiny_build::resolve::windows::{self, Resolution, Resolved, Source};

const USAGE: &str = "usage: tiny-build syscalls [PATH] [--json] [--build N] | tiny-build table";

fn main() -> ExitCode {
    // Started by rustc as the msvc target's linker (`linker = "tiny-build"`): the link step.
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if tiny_build::is_linker_invocation(&args) {
        tiny_build::link_main(&args);
    }
    match run(std::env::args().skip(1).collect()) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("tiny-build: {message}");
            ExitCode::FAILURE
        }
    }
}

/// What `Table` mode covers (see `tiny_build::WindowsMode::Table`).
fn table_mode_text() -> String {
    use tiny_build::codegen::windows::{Table, WINDOWS_SYSCALLS};
    let table = Table::embedded();
    let mut out = String::from("Table mode runs on these Windows builds (NtBuildNumber):\n");
    for build in &table.builds {
        let known = windows::table::lookup(u32::from(*build)).expect("a listed build");
        let names: Vec<String> = known
            .releases
            .iter()
            .map(|r| format!("{} {}", r.os, r.version))
            .collect();
        let _ = writeln!(out, "  {build:>5}  {}", names.join(", "));
    }
    let _ = writeln!(
        out,
        "and makes these {} system calls by number (same on every build above; `tiny::nt!` \
         reaches every other Nt* function through the loaded ntdll):",
        table.numbers.len()
    );
    for (name, n) in &table.numbers {
        let _ = writeln!(out, "  {name:<44} {n:#x}");
    }
    out.push_str("The runtime's own calls:\n");
    for name in WINDOWS_SYSCALLS {
        match table.number(name) {
            Some(n) => {
                let _ = writeln!(out, "  {name:<44} {n:#x}");
            }
            None => {
                let _ = writeln!(out, "  {name:<44} through the loaded ntdll");
            }
        }
    }
    out
}

fn run(args: Vec<String>) -> Result<String, String> {
    let mut args = args.into_iter();
    match args.next().as_deref() {
        Some("syscalls") => {}
        Some("table") if args.len() == 0 => return Ok(table_mode_text()),
        Some("-h" | "--help") => return Ok(format!("{USAGE}\n")),
        Some(other) => return Err(format!("unknown command `{other}`; {USAGE}")),
        None => return Err(USAGE.to_owned()),
    }
    let mut path = None;
    let mut json = false;
    let mut build = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => json = true,
            "--build" => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("--build needs a number; {USAGE}"))?;
                let number = value
                    .parse::<u32>()
                    .map_err(|_| format!("--build `{value}` is not a build number"))?;
                build = Some(number);
            }
            "-h" | "--help" => return Ok(format!("{USAGE}\n")),
            flag if flag.starts_with('-') => {
                return Err(format!("unknown option `{flag}`; {USAGE}"));
            }
            _ if path.is_some() => return Err(format!("more than one PATH; {USAGE}")),
            _ => path = Some(PathBuf::from(arg)),
        }
    }
    let resolved = match path {
        Some(path) => windows::resolve_file(path).map(Resolved::Image),
        None => windows::resolve_default(build),
    }
    .map_err(|e| e.to_string())?;
    Ok(match (&resolved, json) {
        (Resolved::Image(r), false) => image_text(r),
        (Resolved::Image(r), true) => image_json(r),
        (Resolved::Table(known), false) => table_text(known),
        (Resolved::Table(known), true) => table_json(known, resolved.source()),
    })
}

fn image_text(r: &Resolution) -> String {
    let mut s = String::new();
    let id = &r.identity;
    let version = id
        .file_version
        .map_or_else(|| "none".to_owned(), |v| v.to_string());
    let _ = writeln!(s, "# {} ({})", r.file.display(), r.source);
    let _ = writeln!(
        s,
        "# TimeDateStamp {:#010x} SizeOfImage {:#x} CheckSum {:#010x} stubs {:#018x} version {version}{}",
        id.time_date_stamp,
        id.size_of_image,
        id.checksum,
        id.stubs_hash,
        if id.wine { " (wine)" } else { "" }
    );
    let _ = writeln!(
        s,
        "# a Pinned program built against this file can call each Nt* stub below with tiny::nt!; \
         a Runtime program, any Nt* export of the ntdll it runs with"
    );
    for stub in &r.stubs {
        let _ = writeln!(s, "{} {:#x} {}", stub.name, stub.number, stub.dispatch);
    }
    for other in &r.not_syscall {
        let _ = writeln!(s, "# not a syscall: {} ({})", other.name, other.reason);
    }
    s
}

fn table_text(known: &windows::KnownBuild) -> String {
    let mut s = String::new();
    let releases: Vec<String> = known
        .releases
        .iter()
        .map(|r| format!("{} {}", r.os, r.version))
        .collect();
    let _ = writeln!(
        s,
        "# embedded table, build {} ({})",
        known.build,
        releases.join(", ")
    );
    for (name, number) in known.numbers {
        let _ = writeln!(s, "{name} {number:#x} unknown");
    }
    s
}

fn image_json(r: &Resolution) -> String {
    let id = &r.identity;
    let mut s = String::from("{\n");
    let _ = writeln!(
        s,
        "  \"file\": {},",
        json_str(&r.file.display().to_string())
    );
    let _ = writeln!(s, "  \"source\": {},", json_str(&source_name(r.source)));
    let _ = writeln!(s, "  \"identity\": {{");
    let _ = writeln!(s, "    \"time_date_stamp\": {},", id.time_date_stamp);
    let _ = writeln!(s, "    \"size_of_image\": {},", id.size_of_image);
    let _ = writeln!(s, "    \"checksum\": {},", id.checksum);
    let _ = writeln!(s, "    \"stubs_hash\": \"{:#018x}\",", id.stubs_hash);
    match id.file_version {
        Some(v) => {
            let _ = writeln!(s, "    \"file_version\": \"{v}\",");
            let _ = writeln!(s, "    \"build\": {},", v.build);
        }
        None => s.push_str("    \"file_version\": null,\n    \"build\": null,\n"),
    }
    let _ = writeln!(s, "    \"wine\": {}", id.wine);
    s.push_str("  },\n  \"stubs\": [");
    for (i, stub) in r.stubs.iter().enumerate() {
        let bytes: String = stub.bytes.iter().map(|b| format!("{b:02x}")).collect();
        let _ = write!(
            s,
            "{}\n    {{\"name\": {}, \"number\": {}, \"dispatch\": \"{}\", \"bytes\": \"{bytes}\"}}",
            if i == 0 { "" } else { "," },
            json_str(&stub.name),
            stub.number,
            stub.dispatch
        );
    }
    s.push_str("\n  ],\n  \"not_syscall\": [");
    for (i, other) in r.not_syscall.iter().enumerate() {
        let _ = write!(
            s,
            "{}\n    {{\"name\": {}, \"rva\": {}, \"reason\": {}}}",
            if i == 0 { "" } else { "," },
            json_str(&other.name),
            other.rva,
            json_str(&other.reason.to_string())
        );
    }
    s.push_str("\n  ]\n}\n");
    s
}

fn table_json(known: &windows::KnownBuild, source: Source) -> String {
    let mut s = String::from("{\n");
    let _ = writeln!(s, "  \"source\": {},", json_str(&source_name(source)));
    let _ = writeln!(s, "  \"build\": {},", known.build);
    s.push_str("  \"releases\": [");
    for (i, r) in known.releases.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(s, "{sep}{}", json_str(&format!("{} {}", r.os, r.version)));
    }
    s.push_str("],\n  \"stubs\": [");
    for (i, (name, number)) in known.numbers.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            s,
            "{sep}\n    {{\"name\": {}, \"number\": {number}}}",
            json_str(name)
        );
    }
    s.push_str("\n  ]\n}\n");
    s
}

fn source_name(source: Source) -> String {
    match source {
        Source::Path => "path".to_owned(),
        Source::EnvVar => "env".to_owned(),
        Source::Host => "host".to_owned(),
        Source::Wine => "wine".to_owned(),
        Source::Table { .. } => "table".to_owned(),
        _ => "other".to_owned(),
    }
}

/// A JSON string literal.
fn json_str(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(s, "\\u{:04x}", u32::from(c));
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}
