//! The link step: runs when the C compiler driver starts the build script under the name
//! `ld.bfd` (see [`crate::link`]).
//!
//! It keeps the driver's input files and library options, drops everything else (start files,
//! PIE, relro, build-id: the plan's job), links twice with `rust-lld` and writes the final
//! image over the driver's `-o` file. It only measures, links and writes: what goes where is
//! [`layout::elf::decide`]'s choice, from what the first link measured (and
//! [`layout::pe::decide`]'s on Windows). Intermediate files stay in `<output>.tiny/` for
//! inspection (`measure.ld`, `measure.elf`, `final.ld`, `final.elf`).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::Command;

use object::{Object, ObjectSection, ObjectSymbol, SectionFlags};

use crate::error::IoContext;
use crate::layout::{self, Piece, elf};
use crate::link::{LD_NAMES, LinkPlan, PLAN_VAR};
use crate::target::Os;
use crate::{Error, cargo};

/// If this process is the link step, runs it and exits; otherwise returns.
pub(crate) fn intercept() {
    let mut args = std::env::args_os();
    let is_ld = args.next().is_some_and(|a| {
        let name = Path::new(&a).file_name();
        LD_NAMES.iter().any(|n| name == Some(OsStr::new(n)))
    });
    if is_ld && cargo::env_os(PLAN_VAR).is_some() {
        link_main(&args.collect::<Vec<_>>());
    }
}

/// Whether a `tiny-build` command line is rustc running it as a linker: the build script set
/// the plan variable, and the arguments are not a `tiny-build` command.
pub fn is_linker_invocation(args: &[OsString]) -> bool {
    cargo::env_os(PLAN_VAR).is_some()
        && !args
            .first()
            .is_some_and(|a| matches!(a.to_str(), Some("syscalls" | "-h" | "--help")))
}

/// Runs the link step with the linker command line `args` and exits: 0 when the image was
/// written, 1 (with the error on stderr) otherwise. The plan comes from `TINY_LINK_PLAN`.
///
/// The build script calls this when the compiler driver starts it as the linker; the
/// `tiny-build` command calls it when rustc starts it as the linker of the msvc target
/// (`linker = "tiny-build"` in `.cargo/config.toml`).
pub fn link_main(args: &[OsString]) -> ! {
    let result = match cargo::env_os(PLAN_VAR) {
        Some(plan) => run(Path::new(&plan), args),
        None => Err(Error::MissingEnv {
            var: PLAN_VAR,
            setter: "emit` in the build script, which sets it for rustc",
        }),
    };
    match result {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("tiny-build link step: {e}");
            std::process::exit(1)
        }
    }
}

/// The driver's command line, reduced to what the link needs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Invocation {
    /// `-o` file.
    pub output: PathBuf,
    /// Object files, archives, `-L`/`-l` options, in their order.
    pub inputs: Vec<OsString>,
}

/// Linker options that take their value as the next argument.
const TAKES_VALUE: &[&str] = &[
    "-o",
    "-m",
    "-z",
    "-plugin",
    "-plugin-opt",
    "-dynamic-linker",
    "-soname",
    "-rpath",
    "-e",
    "-T",
    "-L",
    "-l",
    "-u",
    "-y",
    "-h",
    "--sysroot",
    "--version-script",
    "-a",
    "-A",
    "-b",
    "-c",
    "-f",
    "-F",
    "-G",
    "-R",
    "-Y",
];

/// Parses a linker command line: what a compiler driver passes to `ld` (`-o out`, objects,
/// archives, `-L`/`-l`), or what rustc passes to a `link.exe`-style linker for the msvc target
/// (`/OUT:out`, objects, `.rlib`s; import libraries are left out, a tiny image imports
/// nothing).
pub fn parse_args(args: &[OsString]) -> Result<Invocation, String> {
    let out_flag = |s: &str| {
        let lower = s.to_ascii_lowercase();
        ["/out:", "-out:"]
            .iter()
            .find_map(|f| lower.starts_with(f).then(|| s[f.len()..].to_owned()))
    };
    if args
        .iter()
        .any(|a| out_flag(&a.to_string_lossy()).is_some())
    {
        let mut inv = Invocation::default();
        for arg in args {
            let s = arg.to_string_lossy();
            if let Some(out) = out_flag(&s) {
                inv.output = out.into();
            } else if s.starts_with('@') {
                return Err(format!("response files are not supported ({s})"));
            } else if [".o", ".obj", ".rlib", ".a"]
                .iter()
                .any(|e| s.to_ascii_lowercase().ends_with(e))
            {
                // objects and archives; options (`/NOLOGO`, `/LIBPATH:…`) and import
                // libraries (`kernel32.lib`) are not
                inv.inputs.push(arg.clone());
            }
        }
        return Ok(inv);
    }
    let mut inv = Invocation::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let s = arg.to_string_lossy();
        if s.starts_with('@') {
            return Err(format!("response files are not supported ({s})"));
        }
        if s == "-o" {
            inv.output = it.next().ok_or("-o without a file")?.into();
        } else if s == "-L" || s == "-l" {
            let value = it.next().ok_or_else(|| format!("{s} without a value"))?;
            inv.inputs
                .push(format!("{s}{}", value.to_string_lossy()).into());
        } else if s.starts_with("-L")
            || s.starts_with("-l")
            || s == "--whole-archive"
            || s == "--no-whole-archive"
        {
            inv.inputs.push(arg.clone());
        } else if s.starts_with('-') {
            if TAKES_VALUE.contains(&s.as_ref()) {
                it.next();
            }
        } else {
            inv.inputs.push(arg.clone());
        }
    }
    if inv.output.as_os_str().is_empty() {
        return Err("no -o output file".into());
    }
    Ok(inv)
}

/// The link step: link 1 measures, [`layout::elf::decide`] chooses the layout, link 2 places
/// every piece where it chose, and the image is written and checked.
fn run(plan_file: &Path, args: &[OsString]) -> Result<(), Error> {
    let text = std::fs::read_to_string(plan_file).at("read", plan_file)?;
    let plan = LinkPlan::from_text(&text, plan_file)?;
    let inv = parse_args(args).map_err(|problem| Error::BadPlan {
        file: plan_file.to_owned(),
        problem: format!("cannot understand the linker command line: {problem}"),
    })?;
    let work = PathBuf::from(format!("{}.tiny", inv.output.display()));
    std::fs::create_dir_all(&work).at("create", &work)?;
    if plan.os == Os::Windows {
        return run_pe(&plan, &inv, &work);
    }
    let layout_err = |problem: String| Error::Layout {
        file: inv.output.clone(),
        problem,
    };

    // Link 1: sizes (and the panic report, see `panic_report`).
    let shape = elf::shape(plan.arch);
    let measure = layout::script::measure(plan.arch, elf::BASE + shape.headers_end);
    let formats = |linked: &Path| {
        let data = std::fs::read(linked).at("read", linked)?;
        Ok(object::File::parse(&*data).is_ok_and(|file| {
            file.symbols()
                .any(|s| s.name().is_ok_and(|n| n.contains(CORE_FMT)))
        }))
    };
    let (measured, panic) = panic_report(
        |extra| lld(&plan, &work, "measure", &measure, &inv, false, extra),
        formats,
    )?;
    let data = std::fs::read(&measured).at("read", &measured)?;
    let file = object::File::parse(&*data)
        .map_err(|e| layout_err(format!("{}: {e}", measured.display())))?;
    let (pieces, bss) = sections(&file).map_err(layout_err)?;
    let text = file.section_by_name(".text");
    let measurement = elf::Measured {
        arch: plan.arch,
        pieces,
        bss,
        text: text
            .as_ref()
            .and_then(|t| Some((t.address(), t.data().ok()?))),
        chain: layout::ENTRY_CHAIN.map(|link| {
            let sym = file.symbols().find(|s| s.name() == Ok(link.symbol))?;
            Some(elf::Symbol {
                address: sym.address(),
                size: sym.size(),
            })
        }),
        reads_args: file.section_by_name(layout::ARGS_MARKER).is_some(),
        ctors: file
            .symbols()
            .any(|s| s.name().is_ok_and(|n| n.starts_with(tiny_abi::CTOR_SYMBOL))),
    };
    let chosen = elf::decide(&measurement).map_err(layout_err)?;
    let (lead, trap) = (chosen.lead(), chosen.trap());

    // Link 2: every piece at its chosen address (its lead before it).
    // A piece placed over the trap of `.text` overlaps it in the link: allowed then.
    let linked = lld(
        &plan,
        &work,
        "final",
        &chosen.script(),
        &inv,
        chosen.text_apart(),
        &panic,
    )?;
    let data = std::fs::read(&linked).at("read", &linked)?;
    let file = object::File::parse(&*data)
        .map_err(|e| layout_err(format!("{}: {e}", linked.display())))?;
    let (mut placed, _) = sections(&file).map_err(layout_err)?;
    if chosen.unread_got.is_some() {
        placed.retain(|p| p.name != ".got");
    }
    placed.sort_by_key(|p| layout::SECTIONS.iter().position(|n| *n == p.name));
    if let Some(text) = placed.iter_mut().find(|p| p.name == ".text") {
        text.size -= lead;
        text.lead = lead;
        text.trap = trap;
    }
    if placed != chosen.pieces {
        return Err(layout_err(format!(
            "section sizes changed between the two links: {:?} → {placed:?}",
            chosen.pieces
        )));
    }
    let entry = check_entry(&file, chosen.first_link).map_err(layout_err)?;

    let mut linked = Vec::new();
    for (piece, &(_, linked_addr)) in chosen.pieces.iter().zip(&chosen.linked) {
        let section = file.section_by_name(piece.name).expect("measured above");
        let bytes = section
            .data()
            .map_err(|e| layout_err(format!("{}: {e}", piece.name)))?;
        if section.address() != linked_addr {
            return Err(layout_err(format!(
                "{} linked at {:#x}, planned {linked_addr:#x}",
                piece.name,
                section.address()
            )));
        }
        linked.push(bytes);
    }
    let (entry, contents) = chosen.contents(&linked, entry).map_err(layout_err)?;
    let image = elf::Image {
        arch: plan.arch,
        entry,
        file_len: chosen.placement.file_len,
        mem_len: chosen.placement.mem_len,
        writable: chosen.writable,
        sections: contents.iter().map(|(at, bytes)| (*at, &**bytes)).collect(),
    };
    let bytes = elf::write(&image).map_err(layout_err)?;
    elf::validate(&bytes, &image).map_err(layout_err)?;
    if plan.verbose {
        eprintln!(
            "tiny-build: {} → {} bytes; {:?} at {:?}; entry {entry:#x}{}",
            inv.output.display(),
            bytes.len(),
            chosen.pieces,
            chosen.placement.offsets,
            match &chosen.overlay {
                Some(o) => format!(
                    " written over the last {} of {} bytes of pushes that save registers (first {} bytes not in the file)",
                    o.code.len(),
                    o.saves_len,
                    chosen.lead()
                ),
                None => String::new(),
            }
        );
    }
    write_executable(&inv.output, &bytes)
}

/// Windows: `lld-link` links everything into one `.text` section (unwind tables aside), then
/// [`layout::pe`] writes the squeezed image and checks it against the loader rules.
fn run_pe(plan: &LinkPlan, inv: &Invocation, work: &Path) -> Result<(), Error> {
    let layout_err = |problem: String| Error::Layout {
        file: inv.output.clone(),
        problem,
    };
    if !plan.rust_lld {
        return Err(Error::MissingTool {
            tool: "rust-lld (the Windows link step needs its lld-link flavor)".into(),
            hint: "use a rustup toolchain, which ships rust-lld in its sysroot",
        });
    }
    let out = work.join("final.exe");
    // The alignment the program's data needs, from its objects (see `link_pe`); an object
    // taken from an archive is not read, and then the section alignment stays 16.
    let mut data_align = layout::pe::E_LFANEW;
    for input in inv.inputs.iter().map(Path::new) {
        if input.extension().is_some_and(|e| e == "o" || e == "obj") {
            let bytes = std::fs::read(input).at("read", input)?;
            let align = layout::pe::data_alignment(&bytes).map_err(|problem| Error::Layout {
                file: input.to_owned(),
                problem,
            })?;
            data_align = data_align.max(align);
        }
    }
    let mut map = link_pe(plan, inv, work, &out, data_align)?;
    if layout::pe::from_archive(&map) && data_align < layout::pe::DATA_ALIGN {
        data_align = layout::pe::DATA_ALIGN;
        map = link_pe(plan, inv, work, &out, data_align)?;
    }
    layout::pe::check_init_chain(&map).map_err(layout_err)?;
    if plan.verbose {
        eprintln!("tiny-build: data alignment {data_align}");
        for (name, at_start) in layout::pe::ntdll_functions(&map) {
            eprintln!(
                "tiny-build: {name}: {}",
                if at_start {
                    "through the loaded ntdll (its export, found at start)"
                } else {
                    "a stub in the image (a copy of the pinned ntdll's, or a number of the table)"
                }
            );
        }
    }
    let data = std::fs::read(&out).at("read", &out)?;
    let mut linked = layout::pe::read_linked(&data).map_err(layout_err)?;
    linked.data_align = data_align;
    let image = layout::pe::squeeze(&linked).map_err(layout_err)?;
    let broken = layout::pe::check(&image).map_err(layout_err)?;
    if let Some(rule) = broken.first() {
        return Err(layout_err(format!(
            "the image breaks Windows loader rule {}: {} ({})",
            rule.id, rule.text, rule.source
        )));
    }
    if plan.verbose {
        eprintln!(
            "tiny-build: {} → {} bytes (PE)",
            inv.output.display(),
            image.len()
        );
    }
    write_executable(&inv.output, &image)
}

/// Links the program with `lld-link` into `out`, its sections aligned to `align` (the
/// alignment its data needs: with no more than that, data and code follow one another without
/// padding); returns the link map.
fn link_pe(
    plan: &LinkPlan,
    inv: &Invocation,
    work: &Path,
    out: &Path,
    align: u32,
) -> Result<String, Error> {
    let mut cmd = linker(plan, "link");
    cmd.args([
        "/nologo",
        "/entry:__tiny_start",
        "/subsystem:console",
        "/nodefaultlib",
        "/dynamicbase", // record the base relocations, which the squeeze applies
        "/highentropyva:no",
        "/debug:none",
        "/opt:ref",
        // No merging of sections (rust-lld 22 crashed, signal 11, on some programs when
        // `.rdata` and `.data` were merged into `.text`, whose defaults already take `.xdata`
        // and `.bss`): the section alignment the data needs keeps them close, and the squeeze
        // copies the span. Only the unwind function table goes to a section placed last and
        // dropped.
        "/merge:.pdata=.tinyuw",
        "/merge:.xdata=.tinyuw",
    ])
    .arg(format!("/align:{align}"))
    .arg(format!("/base:{:#x}", layout::pe::IMAGE_BASE))
    .arg(format!("/out:{}", out.display()))
    // the symbol map, kept next to the linked image for inspection
    .arg(format!("/map:{}", work.join("final.map").display()));
    for input in &inv.inputs {
        let s = input.to_string_lossy();
        // The target's default libraries (msvcrt, kernel32, …) are left out: a tiny image
        // imports nothing, so anything taken from them would be refused anyway.
        if !s.starts_with('-') {
            cmd.arg(input);
        }
    }
    run_linker(plan, cmd).map_err(|e| pinned_call_missing(plan, e))?;
    let map_path = work.join("final.map");
    std::fs::read_to_string(&map_path).at("read", &map_path)
}

/// A failed link of a `Pinned` program that calls `Nt*` functions its ntdll lacks (their
/// `__tiny_nt_*` symbols are undefined: the generated catalog has only the stubs of that ntdll)
/// becomes the error that names them and the file; any other error stays as it is.
fn pinned_call_missing(plan: &LinkPlan, e: Error) -> Error {
    let (Some(file), Error::LinkFailed { output, .. }) = (&plan.pinned_ntdll, &e) else {
        return e;
    };
    let needle = format!("undefined symbol: {}", tiny_abi::NT_PREFIX);
    let mut functions: Vec<String> = output
        .match_indices(&needle)
        .map(|(i, _)| {
            output[i + needle.len()..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect()
        })
        .collect();
    functions.sort();
    functions.dedup();
    if functions.is_empty() {
        return e;
    }
    Error::PinnedCallMissing {
        file: file.clone(),
        functions,
    }
}

/// The real linker, in `flavor` (`gnu`: ELF, `link`: PE/COFF) when it is `rust-lld`; `ld.lld`
/// is always the ELF flavor.
fn linker(plan: &LinkPlan, flavor: &str) -> Command {
    let mut cmd = Command::new(&plan.linker);
    if plan.rust_lld {
        cmd.args(["-flavor", flavor]);
    }
    cmd
}

/// Runs a linker command; its output becomes the error when it fails.
fn run_linker(plan: &LinkPlan, mut cmd: Command) -> Result<(), Error> {
    let shown = format!("{cmd:?}");
    if plan.verbose {
        eprintln!("tiny-build: {shown}");
    }
    let result = cmd.output().map_err(|_| Error::MissingTool {
        tool: plan.linker.display().to_string(),
        hint: "rebuild so that the build script finds the linker again (`cargo clean -p <crate>`)",
    })?;
    if !result.status.success() {
        let mut output = String::from_utf8_lossy(&result.stderr).into_owned();
        output.push_str(&String::from_utf8_lossy(&result.stdout));
        if output.contains("undefined symbol: __tiny_") {
            output.insert_str(
                0,
                "tiny's entry point and syscall stubs are missing: is `main` marked `#[tiny::main]`?\n",
            );
        }
        return Err(Error::LinkFailed {
            command: shown,
            output,
        });
    }
    Ok(())
}

/// Runs the real linker with `script`; returns the linked ELF. `overlaps`: sections may overlap
/// (a piece over the trap that ends `.text`, see `Piece::trap`); the image is checked anyway
/// (`elf::write`, `elf::validate`).
fn lld(
    plan: &LinkPlan,
    work: &Path,
    name: &str,
    script: &str,
    inv: &Invocation,
    overlaps: bool,
    extra: &[String],
) -> Result<PathBuf, Error> {
    let script_path = work.join(format!("{name}.ld"));
    std::fs::write(&script_path, script).at("write", &script_path)?;
    let out = work.join(format!("{name}.elf"));
    let mut cmd = linker(plan, "gnu");
    cmd.args([
        "--gc-sections",
        "--strip-debug",
        "-static",
        "-nostdlib",
        "--no-dynamic-linker",
        "--build-id=none",
    ])
    .args(["-z", "norelro", "-z", "noexecstack", "--no-eh-frame-hdr"])
    .args(overlaps.then_some("--no-check-sections"))
    .args(extra)
    .arg("-T")
    .arg(&script_path)
    .arg("-o")
    .arg(&out)
    .args(&inv.inputs);
    run_linker(plan, cmd)?;
    Ok(out)
}

/// What the (mangled, legacy or v0) name of every `core::fmt` symbol contains.
const CORE_FMT: &str = "4core3fmt";

/// The runtime's panic report (`tiny_abi::panic_symbol!`): `link` links with the extra linker
/// options it is given and returns the linked file, which `formats` reads to tell whether the
/// program holds `core::fmt` code; the result is that path and the
/// options that choose the report, for the links that follow. (ELF only: on Windows the
/// runtime calls the report without `core::fmt` directly.)
///
/// A program that cannot panic does not refer to the report: it links as it is, with no
/// option (an assignment of the symbol would keep its target alive). Otherwise the report is
/// the one without `core::fmt`, unless the program carries `core::fmt` code anyway: then the
/// one that formats the message, which costs only the glue to what is already there.
fn panic_report(
    link: impl Fn(&[String]) -> Result<PathBuf, Error>,
    formats: impl Fn(&Path) -> Result<bool, Error>,
) -> Result<(PathBuf, Vec<String>), Error> {
    let report = tiny_abi::panic_symbol!("report");
    let choose = |which: &str| vec![format!("--defsym={report}={which}")];
    match link(&[]) {
        Err(Error::LinkFailed { output, .. })
            if output.contains(&format!("undefined symbol: {report}")) => {}
        other => return other.map(|path| (path, Vec::new())),
    }
    let args = choose(tiny_abi::panic_symbol!("static"));
    let linked = link(&args)?;
    if !formats(&linked)? {
        return Ok((linked, args));
    }
    let args = choose(tiny_abi::panic_symbol!("fmt"));
    Ok((link(&args)?, args))
}

/// The pieces with file contents and the `(size, align)` of `.bss`; refuses any other
/// allocated section, since the image would silently lack it.
fn sections(file: &object::File<'_>) -> Result<(Vec<Piece>, (u64, u64)), String> {
    let mut pieces = Vec::new();
    let mut bss = (0, 1);
    for s in file.sections() {
        let name = s.name().map_err(|e| e.to_string())?;
        let allocated = match s.flags() {
            SectionFlags::Elf { sh_flags } => sh_flags & u64::from(object::elf::SHF_ALLOC) != 0,
            _ => return Err("the linked program is not ELF".into()),
        };
        if !allocated || s.size() == 0 {
            continue;
        }
        match layout::SECTIONS.iter().find(|n| **n == name) {
            Some(&".bss") => bss = (s.size(), s.align()),
            Some(&known) => pieces.push(Piece::new(known, s.size(), s.align())),
            None => {
                return Err(format!(
                    "the program has a section tiny cannot place yet: {name} ({} bytes)",
                    s.size()
                ));
            }
        }
    }
    Ok((pieces, bss))
}

/// The entry address: the first kept link of the entry chain. Checks that each link falls
/// through into the next (it ends exactly where the next begins).
fn check_entry(file: &object::File<'_>, first_link: usize) -> Result<u64, String> {
    // `#[tiny::ctor]` entry pieces, in address order: after `_start`, before the rest.
    let mut ctors: Vec<(&str, u64, u64)> = file
        .symbols()
        .filter_map(|s| {
            let name = s.name().ok()?;
            name.starts_with(tiny_abi::CTOR_SYMBOL)
                .then(|| (name, s.address(), s.size()))
        })
        .collect();
    ctors.sort_by_key(|c| c.1);
    let mut links = Vec::new();
    for (i, link) in layout::ENTRY_CHAIN[first_link..].iter().enumerate() {
        if i == 0 && first_link > 0 {
            links.append(&mut ctors);
        }
        let sym = file
            .symbols()
            .find(|s| s.name() == Ok(link.symbol))
            .ok_or_else(|| format!("no `{}`: is `main` marked `#[tiny::main]`?", link.symbol))?;
        links.push((link.symbol, sym.address(), sym.size()));
        if i == 0 && first_link == 0 {
            links.append(&mut ctors);
        }
    }
    for pair in links.windows(2) {
        let [(a, a_addr, a_size), (b, b_addr, _)] = [pair[0], pair[1]];
        if a_size == 0 || a_addr + a_size != b_addr {
            return Err(format!(
                "`{a}` ({a_addr:#x}, {a_size} bytes) does not fall through into `{b}` ({b_addr:#x})"
            ));
        }
    }
    Ok(links[0].1)
}

fn write_executable(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    std::fs::write(path, bytes).at("write", path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).at("chmod", path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn keeps_inputs_and_output_drops_the_rest() {
        let inv = parse_args(&args(&[
            "-plugin",
            "/usr/lib/gcc/liblto_plugin.so",
            "-plugin-opt=-fresolution=/tmp/x.res",
            "--build-id",
            "-m",
            "elf_x86_64",
            "-static",
            "-o",
            "/t/deps/hello-123",
            "-L/sysroot/lib",
            "/t/deps/hello.o",
            "-Bstatic",
            "/s/libcompiler_builtins.rlib",
            "-z",
            "relro",
            "-L",
            "/other",
            "-lfoo",
        ]))
        .unwrap();
        assert_eq!(inv.output, PathBuf::from("/t/deps/hello-123"));
        assert_eq!(
            inv.inputs,
            args(&[
                "-L/sysroot/lib",
                "/t/deps/hello.o",
                "/s/libcompiler_builtins.rlib",
                "-L/other",
                "-lfoo"
            ])
        );
    }

    #[test]
    fn refuses_missing_output_and_response_files() {
        assert!(parse_args(&args(&["a.o"])).unwrap_err().contains("-o"));
        assert!(
            parse_args(&args(&["@/tmp/rsp"]))
                .unwrap_err()
                .contains("response")
        );
    }

    #[test]
    fn msvc_style_command_lines() {
        let inv = parse_args(&args(&[
            "/NOLOGO",
            "/tmp/x/hello.hello.cgu.0.rcgu.o",
            "/LIBPATH:/sysroot/lib",
            "kernel32.lib",
            "/s/libcompiler_builtins.rlib",
            "/OUT:/t/deps/hello-1.exe",
            "/DEBUG",
        ]))
        .unwrap();
        assert_eq!(inv.output, PathBuf::from("/t/deps/hello-1.exe"));
        assert_eq!(
            inv.inputs,
            args(&[
                "/tmp/x/hello.hello.cgu.0.rcgu.o",
                "/s/libcompiler_builtins.rlib"
            ])
        );
    }
}
