//! Windows: how the runtime reaches ntdll.
//!
//! The runtime (`tiny-rt`, `os/windows.rs`) calls every ntdll function it uses as an
//! `extern "system"` function named `__tiny_nt_<Name>`, and the two functions its refusal
//! message needs (`NtWriteFile`, `NtTerminateProcess`) as `__tiny_ntr_<Name>` as well. The
//! generated code defines all of them, each in its own COMDAT section so that the linker keeps
//! only those the program calls; the mode decides the body:
//!
//! - `Runtime`: a 12-byte record `mov rax, imm64; jmp rax` whose immediate holds the export's
//!   name hash until start-up, when the runtime (`__tiny_resolve`) finds the export in the
//!   loaded ntdll, checks it and writes its address there, before anything else runs. The call
//!   then reaches ntdll's own stub, which works on every build and under Wine.
//! - `Pinned`: a byte-for-byte copy of the resolved ntdll's stub (Wine's stubs work only when
//!   entered through an exact copy); the entry point first checks that the loaded ntdll is the
//!   one the stubs were copied from, unless the build opted out explicitly
//!   ([`Pinning::check`]).
//! - `Table`: `mov r10, rcx; mov eax, N; syscall; ret` with the number from tiny-build's
//!   embedded per-build table, for the functions whose number is the same in every build the
//!   table lists from Windows 10 on; the entry point first checks that the running kernel is
//!   one of those builds and that system calls use `syscall` (Wine, and Windows configured for
//!   `int 2Eh`, are refused). Functions the table does not cover are called as in `Runtime`.
//!
//! ntdll functions that are not system calls (`Rtl*`) are called as in `Runtime` in every
//! mode, and so are the `__tiny_ntr_*` refusal functions: a refusal happens exactly when the
//! pinned or tabled numbers cannot be trusted.
//!
//! `tiny::nt!` calls any other `Nt*` function (one of [`tiny_abi::windows::NT_NAMES`]) through
//! the same `__tiny_nt_<Name>` symbols: the generated file also holds the *catalog*, one
//! `global_asm!` that defines every `Nt*` function the mode can serve, each in its own COMDAT
//! section (a line of an assembler macro each, so that the catalog costs the build little), and
//! the linker keeps only the ones the program calls. A `Pinned` catalog has the functions the
//! pinned ntdll has; a call to another one is left undefined, and the link step names it and
//! the file.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use tiny_abi::windows::{
    FAST_FAIL_CODE, NT_NAMES, RECORD_HEAD, RECORD_IMM, RECORD_NOT_SYSCALL, RECORD_TAIL,
    RECORDS_SYMBOL, REFUSAL_SYMBOL, RESOLVE_SYMBOL, STUB_HEAD, export_hash,
};
use tiny_abi::{INIT_SECTION_PREFIX, NT_PREFIX, NTR_PREFIX};

use crate::resolve::windows::KnownBuild;
use crate::resolve::windows::table::AllReleases;

/// The `Nt*` system calls the Windows runtime makes.
pub const WINDOWS_SYSCALLS: &[&str] = &[
    "NtClose",
    "NtOpenFile",
    "NtQueryInformationFile",
    "NtQueryVolumeInformationFile",
    "NtReadFile",
    "NtTerminateProcess",
    "NtWaitForSingleObject",
    "NtWriteFile",
];

/// The ntdll functions the runtime calls that are not system calls.
pub const WINDOWS_FUNCTIONS: &[&str] = &[
    "RtlAllocateHeap",
    "RtlDosPathNameToNtPathName_U",
    "RtlFreeHeap",
    "RtlFreeUnicodeString",
    "RtlReAllocateHeap",
    "RtlUTF8ToUnicodeN",
    "RtlUnicodeToUTF8N",
];

/// What the runtime's refusal message calls, always through the loaded ntdll.
pub const REFUSAL_CALLS: &[&str] = &["NtTerminateProcess", "NtWriteFile"];

/// The first build whose kernel publishes its build number in `KUSER_SHARED_DATA`
/// (`NtBuildNumber`, at 0x7FFE0260): Windows 10 1507. `Table` mode covers this build and later
/// ones only, because the build number in the PEB can be changed by compatibility shims and the
/// kernel's cannot.
pub const TABLE_FIRST_BUILD: u32 = 10240;

/// What a `Pinned` program is pinned to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pinning {
    /// The ntdll file (named when a program calls a function it lacks).
    pub file: PathBuf,
    /// The ntdll's `TimeDateStamp`.
    pub time_date_stamp: u32,
    /// The ntdll's `SizeOfImage`.
    pub size_of_image: u32,
    /// `(name, stub bytes)` for each of [`WINDOWS_SYSCALLS`], in that order, then for every
    /// other function of [`NT_NAMES`] the ntdll has a stub for, sorted by name.
    pub stubs: Vec<(String, Vec<u8>)>,
    /// Whether the program checks at start that the loaded ntdll is this one (the default).
    /// Without the check (an explicit setting) a program started with another ntdll would make
    /// the pinned system calls anyway; it is smaller, and is for systems the builder controls.
    pub check: bool,
}

impl Pinning {
    /// The identity as the runtime computes it: `TimeDateStamp << 32 | SizeOfImage`.
    pub fn identity(&self) -> u64 {
        u64::from(self.time_date_stamp) << 32 | u64::from(self.size_of_image)
    }
}

/// What a `Table` program carries: the builds it runs on and the numbers that are the same in
/// all of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The build numbers, ascending.
    pub builds: Vec<u16>,
    /// `(name, number)` for each system call whose number every one of those builds has and
    /// agrees on, sorted by name.
    pub numbers: Vec<(String, u32)>,
}

impl Table {
    /// The table of tiny-build's embedded data: the builds of `known` from
    /// [`TABLE_FIRST_BUILD`] on, and each system call of `all` that every release of those
    /// builds has with one number. A build none of whose releases `all` has a column for
    /// leaves every number unknown (nothing is numbered then).
    pub fn new(known: &[KnownBuild], all: &AllReleases) -> Table {
        let covered: Vec<&KnownBuild> = known
            .iter()
            .filter(|k| k.build >= TABLE_FIRST_BUILD)
            .collect();
        let per_build: Vec<Vec<usize>> = covered
            .iter()
            .map(|k| {
                all.releases
                    .iter()
                    .enumerate()
                    .filter(|(_, (os, version))| {
                        k.releases
                            .iter()
                            .any(|r| r.os == os && r.version == version)
                    })
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let numbers = if per_build.is_empty() || per_build.iter().any(Vec::is_empty) {
            Vec::new()
        } else {
            let columns: Vec<usize> = per_build.concat();
            all.calls
                .iter()
                .filter_map(|(name, numbers)| {
                    let first = numbers[columns[0]]?;
                    columns
                        .iter()
                        .all(|&c| numbers[c] == Some(first))
                        .then(|| (name.clone(), first))
                })
                .collect()
        };
        Table {
            builds: covered.iter().map(|k| k.build as u16).collect(),
            numbers,
        }
    }

    /// The table of tiny-build's embedded data (see [`Table::new`]).
    pub fn embedded() -> Table {
        Table::new(
            crate::resolve::windows::table::builds(),
            crate::resolve::windows::table::all_releases(),
        )
    }

    /// The number of `name`, when the table covers it.
    pub fn number(&self, name: &str) -> Option<u32> {
        self.numbers
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()
            .map(|i| self.numbers[i].1)
    }
}

/// How a Windows program refuses to run (a `Pinned` program on another ntdll, a `Table` program
/// on an unlisted build or under Wine, any program whose ntdll lacks an export or has a hooked
/// one).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// `tiny: …` on standard error, written through the loaded ntdll's own checked exports, and
    /// the mode's exit code (the default).
    #[default]
    Message,
    /// The exit code alone, which makes the program smaller: the program ends with `__fastfail`
    /// (`STATUS_STACK_BUFFER_OVERRUN`, 0xC0000409) in every mode, which calls no ntdll
    /// function, so a `Pinned` or `Table` program carries no export lookup for the refusal.
    /// Nothing unverified is ever called.
    ExitCode,
}

/// How the generated code reaches ntdll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Calls {
    /// Through the loaded ntdll's exports, found at run time.
    Runtime,
    /// Through copies of one ntdll's stubs.
    Pinned(Pinning),
    /// Through numbers from the embedded table.
    Table(Table),
}

/// The generated Windows code: the entry point, its start-up check and every
/// `__tiny_nt_*`/`__tiny_ntr_*` function.
pub fn tokens(calls: &Calls, refusal: Refusal) -> TokenStream {
    // A refusal writes through the loaded ntdll's own exports (`__tiny_ntr_*`), except where the
    // program's own functions are those (`Runtime`). An unchecked `Pinned` program trusts its
    // ntdll: an export missing there ends it with `__fastfail` (no message, so that a program
    // that calls only pinned system calls carries no lookup and no refusal at all).
    // An exit-code-only refusal writes nothing: it needs no `__tiny_ntr_*` function.
    let message = refusal == Refusal::Message;
    let trusted = match calls {
        Calls::Runtime => true,
        Calls::Pinned(pin) => !pin.check || !message,
        Calls::Table(_) => !message,
    };
    // The lookup's refusal reports through the mode's message function, unless the build has
    // no message or (an unchecked `Pinned` program) trusts its ntdll.
    let report = match calls {
        _ if !message => None,
        Calls::Runtime => Some(quote! { tiny::__private::unusable_runtime }),
        _ if trusted => None,
        _ => Some(quote! { tiny::__private::unusable_checked }),
    };
    let refusal_code = refusal_tail(report);
    let check = match calls {
        Calls::Runtime => quote! {},
        Calls::Pinned(pin) if !pin.check => quote! {},
        Calls::Pinned(pin) => {
            let identity: TokenStream = format!("{:#018x}_u64", pin.identity())
                .parse()
                .expect("a hex literal");
            quote! {
                ::tiny::__private::check_pinned(#identity, #message);
            }
        }
        Calls::Table(table) => {
            let builds = &table.builds;
            quote! {
                ::tiny::__private::check_table(&[#(#builds),*], #message);
            }
        }
    };
    let mut functions = Vec::new();
    for name in WINDOWS_SYSCALLS.iter().chain(WINDOWS_FUNCTIONS) {
        let refusal = REFUSAL_CALLS.contains(name);
        let body = match calls {
            Calls::Pinned(pin) => pin
                .stubs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, bytes)| Body::Copy(bytes)),
            Calls::Table(table) => table.number(name).map(Body::Number),
            Calls::Runtime => None,
        };
        match body {
            // The refusal calls share the runtime trampoline (one symbol, two names).
            None => functions.push(function(name, Body::Runtime, refusal)),
            Some(body) => {
                functions.push(function(name, body, false));
                if refusal && !trusted {
                    functions.push(refusal_function(name));
                }
            }
        }
    }
    let catalog = catalog(calls);
    quote! {
        /// The process entry point (`AddressOfEntryPoint`): fills in the records of the exports found
        /// at run time, checks that the system calls the program was built with can be used
        /// here, then runs the program.
        #[unsafe(no_mangle)]
        unsafe extern "C" fn __tiny_start() -> ! {
            comment!("SAFETY: called once, by the loader, as the process entry point, before anything calls ntdll.");
            unsafe { ::tiny::__private::init() };
            #check
            comment!("SAFETY: as above.");
            unsafe { ::tiny::__private::start(::core::ptr::null(), __tiny_main) }
        }
        #refusal_code
        #(#functions)*
        #catalog
    }
}

/// `__tiny_refusal`: what the export lookup (tiny-rt's `__tiny_resolve`) falls into when an
/// export cannot be used, with `r11` at the record it could not fill in; it ends at
/// `__tiny_records`, where the records begin (the lookup walks them from there, which also
/// keeps this section linked exactly when the lookup is). By exit code only (`report` is
/// `None`; also an unchecked `Pinned` program, which trusts its ntdll, and a `Table` program
/// with exit-code refusals): `__fastfail`, which calls nothing. With a message: the record gets
/// that `__fastfail` and the program ends through `report` (the mode's message function), whose
/// own `NtWriteFile` and `NtTerminateProcess` come first among the records, so each is either
/// checked or the `__fastfail`.
fn refusal_tail(report: Option<TokenStream>) -> TokenStream {
    let mut lines = vec![
        format!(".section {INIT_SECTION_PREFIX}a2,\"xr\",discard,{REFUSAL_SYMBOL}"),
        format!(".globl {REFUSAL_SYMBOL}"),
        format!("{REFUSAL_SYMBOL}:"),
    ];
    let doc;
    let operands = match report {
        None => {
            doc = "Refusals by exit code only: `__fastfail` (exit status 0xC0000409).";
            quote! {}
        }
        Some(report) => {
            doc = "Refusals with a message: the unusable record becomes `__fastfail`, then the message.";
            lines.extend([
                "lea rax, [rip + 2f]".to_owned(),
                format!("mov [r11 + {RECORD_IMM}], rax"),
                "push rax".to_owned(), // the stack as at a function's entry
                "jmp {report}".to_owned(),
                "2:".to_owned(),
            ]);
            quote! { , report = sym #report }
        }
    };
    lines.extend([
        format!("mov ecx, {FAST_FAIL_CODE}"),
        "int 0x29".to_owned(),
        format!(".globl {RECORDS_SYMBOL}"),
        format!("{RECORDS_SYMBOL}:"),
        ".text".to_owned(),
    ]);
    quote! {
        comment!(#doc);
        ::core::arch::global_asm!(#(#lines),* #operands);
    }
}

/// The body of one `__tiny_nt_*` function.
enum Body<'a> {
    /// Resolve the export at run time.
    Runtime,
    /// A copy of the pinned ntdll's stub.
    Copy(&'a [u8]),
    /// A system call with this number.
    Number(u32),
}

/// The COMDAT section directive for `symbol`'s code.
fn code_section(symbol: &str) -> String {
    format!(".section .text$tiny_{symbol},\"xr\",discard,{symbol}")
}

fn function(name: &str, body: Body<'_>, refusal_alias: bool) -> TokenStream {
    let symbol = format!("{NT_PREFIX}{name}");
    let mut lines = vec![code_section(&symbol), format!(".globl {symbol}")];
    if refusal_alias {
        let alias = format!("{NTR_PREFIX}{name}");
        lines.push(format!(".globl {alias}"));
        lines.push(format!("{alias}:"));
    }
    lines.push(format!("{symbol}:"));
    let doc;
    match body {
        Body::Runtime => {
            doc = format!("`{name}`: the loaded ntdll's export, found at start.");
            return record(&symbol, lines, &doc, name, refusal_alias);
        }
        Body::Copy(bytes) => {
            doc = format!(
                "`{name}`: a copy of the pinned ntdll's stub ({} bytes).",
                bytes.len()
            );
            lines.push(byte_directive(bytes));
        }
        Body::Number(number) => {
            doc = format!("`{name}`: system call {number:#x} (every build of the table).");
            let bytes = [&STUB_HEAD[..], &number.to_le_bytes(), &STUB_TAIL].concat();
            lines.push(byte_directive(&bytes));
        }
    }
    lines.push(".text".to_owned());
    quote! {
        comment!(#doc);
        ::core::arch::global_asm!(#(#lines),*);
    }
}

/// A numbered stub is [`STUB_HEAD`], the number (32 bits), `STUB_TAIL`: `mov r10, rcx;
/// mov eax, N; syscall; ret`, in the encoding of Windows' own stubs (an assembler may pick
/// another one for `mov r10, rcx`).
const STUB_TAIL: [u8; 3] = [0x0F, 0x05, 0xC3];

/// `.byte` with `bytes`.
fn byte_directive(bytes: &[u8]) -> String {
    let list: Vec<String> = bytes.iter().map(|b| format!("{b:#04x}")).collect();
    format!(".byte {}", list.join(", "))
}

/// The refusal's own `__tiny_ntr_<name>`, a runtime trampoline.
fn refusal_function(name: &str) -> TokenStream {
    let symbol = format!("{NTR_PREFIX}{name}");
    let lines = vec![
        code_section(&symbol),
        format!(".globl {symbol}"),
        format!("{symbol}:"),
    ];
    let doc = format!("`{name}` for the refusal message: the loaded ntdll's export.");
    record(&symbol, lines, &doc, name, true)
}

/// The section-name key of a record: lld-link sorts the records by section name, and the
/// runtime needs the refusal's `NtWriteFile` first and its `NtTerminateProcess` second (so that
/// a refusal never calls a record that has not been looked at; see tiny-rt's
/// `__tiny_resolve`), then the other `Nt*` system calls (`n`), then the functions that are not
/// system calls (`r`).
fn record_order(name: &str, refusal: bool) -> &'static str {
    match name {
        "NtWriteFile" if refusal => "b1",
        "NtTerminateProcess" if refusal => "b2",
        _ if name.starts_with("Nt") => "n",
        _ => "r",
    }
}

/// A `Runtime` record: 12 bytes of code, `mov rax, imm64; jmp rax`, in a COMDAT section of its
/// own, which is the function `symbol`. Until start-up fills in the export's address, the
/// immediate holds the export's name hash ([`export_hash`]) in its low half and, in its high
/// half, an image-relative reference to tiny-rt's `__tiny_resolve`, which makes the linker keep
/// the start-up code exactly when a record is kept. lld-link sorts the `.text$tiny_init_*`
/// sections by name after `__tiny_init`'s start-up code; they have byte alignment, so the
/// records are an array the start-up code walks (each starts with the byte 0x48, and the `ret`
/// after the last one does not).
fn record(
    symbol: &str,
    mut lines: Vec<String>,
    doc: &str,
    name: &str,
    refusal: bool,
) -> TokenStream {
    let order = record_order(name, refusal);
    lines[0] = record_section(&format!("{order}_{symbol}"), symbol);
    lines.extend(record_body(
        &format!("{:#010x}", export_hash(name)),
        name.starts_with("Nt"),
    ));
    lines.push(".text".to_owned());
    quote! {
        comment!(#doc);
        ::core::arch::global_asm!(#(#lines),*);
    }
}

/// The COMDAT section directive of the record `symbol`, sorted under `key`.
fn record_section(key: &str, symbol: &str) -> String {
    format!(".section {INIT_SECTION_PREFIX}{key},\"xr\",discard,{symbol}")
}

/// The 12 bytes of a record after its label, with the name hash `hash` (an assembler
/// expression); `system_call`: the start-up code checks the export's stub shape.
fn record_body(hash: &str, system_call: bool) -> [String; 4] {
    let hex = |bytes: &[u8]| -> String {
        let list: Vec<String> = bytes.iter().map(|b| format!("{b:#04X}")).collect();
        format!(".byte {}", list.join(", ")).replace("0X", "0x")
    };
    [
        hex(&RECORD_HEAD),
        format!(".long {hash}"),
        // bit 31 set: not a system call, so no stub shape to check (an image RVA is below it)
        if system_call {
            format!(".long {RESOLVE_SYMBOL}@IMGREL")
        } else {
            format!(".long {RESOLVE_SYMBOL}@IMGREL + {RECORD_NOT_SYSCALL:#x}")
        },
        hex(&RECORD_TAIL),
    ]
}

/// How the catalog reaches one function.
enum Entry<'a> {
    Record,
    Copy(&'a [u8]),
    Number(u32),
}

/// The catalog: every `Nt*` function of [`NT_NAMES`] the mode can serve, other than the
/// runtime's own ([`WINDOWS_SYSCALLS`], generated above), for `tiny::nt!`. One `global_asm!`
/// with an assembler macro per kind of body and a line per function, each function in its own
/// COMDAT section: the linker keeps the ones the program calls, and a program that calls none
/// is the same file as without the catalog.
fn catalog(calls: &Calls) -> TokenStream {
    let mut entries: Vec<(&str, Entry<'_>)> = Vec::new();
    for &name in NT_NAMES {
        if WINDOWS_SYSCALLS.contains(&name) {
            continue;
        }
        let entry = match calls {
            Calls::Runtime => Entry::Record,
            Calls::Pinned(pin) => match pin.stubs.iter().find(|(n, _)| n == name) {
                Some((_, bytes)) => Entry::Copy(bytes),
                None => continue, // the link step names the function and the file
            },
            Calls::Table(table) => table.number(name).map_or(Entry::Record, Entry::Number),
        };
        entries.push((name, entry));
    }
    let symbol = format!("{NT_PREFIX}\\name");
    // (in the raw string below, `\name` is the assembler macro's parameter)
    let label = [format!(".globl {symbol}"), format!("{symbol}:")];
    let mut lines: Vec<String> = Vec::new();
    let mut used = [false; 3];
    for (_, entry) in &entries {
        used[match entry {
            Entry::Record => 0,
            Entry::Copy(_) => 1,
            Entry::Number(_) => 2,
        }] = true;
    }
    if used[0] {
        lines.push(".macro tiny_nt_record name, hash".to_owned());
        lines.push(record_section(&format!("n_{symbol}"), &symbol));
        lines.extend(label.iter().cloned());
        lines.extend(record_body("\\hash", true));
        lines.push(".endm".to_owned());
    }
    if used[1] {
        lines.push(".macro tiny_nt_copy name, bytes:vararg".to_owned());
        lines.push(code_section(&symbol));
        lines.extend(label.iter().cloned());
        lines.push(".byte \\bytes".to_owned());
        lines.push(".endm".to_owned());
    }
    if used[2] {
        lines.push(".macro tiny_nt_number name, number".to_owned());
        lines.push(code_section(&symbol));
        lines.extend(label.iter().cloned());
        lines.push(byte_directive(&STUB_HEAD));
        lines.push(".long \\number".to_owned());
        lines.push(byte_directive(&STUB_TAIL));
        lines.push(".endm".to_owned());
    }
    for (name, entry) in &entries {
        lines.push(match entry {
            Entry::Record => format!("tiny_nt_record {name}, {:#010x}", export_hash(name)),
            Entry::Copy(bytes) => format!(
                "tiny_nt_copy {name}, {}",
                byte_directive(bytes).trim_start_matches(".byte ")
            ),
            Entry::Number(number) => format!("tiny_nt_number {name}, {number:#x}"),
        });
    }
    for (macro_name, used) in ["tiny_nt_record", "tiny_nt_copy", "tiny_nt_number"]
        .iter()
        .zip(used)
    {
        if used {
            lines.push(format!(".purgem {macro_name}"));
        }
    }
    if lines.is_empty() {
        return quote! {};
    }
    lines.push(".text".to_owned());
    let doc = format!(
        "The catalog of `tiny::nt!`: {} more `Nt*` functions, each in a COMDAT section of its own.",
        entries.len()
    );
    // One raw string, a line each: prettyplease prints it as it is.
    let text: TokenStream = format!("r#\"\n{}\n\"#", lines.join("\n"))
        .parse()
        .expect("a raw string literal");
    quote! {
        comment!(#doc);
        ::core::arch::global_asm!(#text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Spec;

    fn spec() -> Spec {
        Spec::new("x86_64-pc-windows-gnu", None, None).unwrap()
    }

    #[test]
    fn pinned_code_copies_the_stubs_byte_for_byte() {
        let wine_stub = vec![0x4c, 0x8b, 0xd1, 0xb8, 0xe0, 0, 0, 0, 0xc3];
        let pin = Pinning {
            file: "/wine/ntdll.dll".into(),
            time_date_stamp: 0x63f1_4e2b,
            size_of_image: 0x36_1000,
            stubs: vec![
                ("NtWriteFile".into(), wine_stub.clone()),
                ("NtDelayExecution".into(), wine_stub),
            ],
            check: true,
        };
        let src = crate::codegen::generate_windows(
            &spec(),
            &Calls::Pinned(pin.clone()),
            Refusal::Message,
        );
        assert!(
            src.contains("\".byte 0x4c, 0x8b, 0xd1, 0xb8, 0xe0, 0x00, 0x00, 0x00, 0xc3\""),
            "{src}"
        );
        assert!(
            src.contains("check_pinned(0x63f14e2b00361000_u64, true)"),
            "{src}"
        );
        // the refusal writes through the loaded ntdll, not through the copy
        assert!(
            src.contains(".section .text$tiny_init_b1___tiny_ntr_NtWriteFile"),
            "{src}"
        );
        // a function the pinning has no stub for is resolved at run time
        assert!(
            src.contains(".section .text$tiny_init_n___tiny_nt_NtClose"),
            "{src}"
        );
        // the catalog: a copy of each other stub the ntdll has, and nothing for the rest (a
        // call to one is an undefined symbol the link step names)
        assert!(
            src.contains(
                "\ntiny_nt_copy NtDelayExecution, 0x4c, 0x8b, 0xd1, 0xb8, 0xe0, 0x00, 0x00, 0x00, 0xc3\n"
            ),
            "{src}"
        );
        assert!(!src.contains("NtCreateFile"), "{src}");
        assert!(!src.contains("tiny_nt_record"), "{src}");
        assert_eq!(
            src,
            crate::codegen::generate_windows(&spec(), &Calls::Pinned(pin), Refusal::Message),
            "deterministic"
        );
    }

    #[test]
    fn runtime_code_has_no_numbers_and_no_check() {
        let src = crate::codegen::generate(&spec());
        assert!(!src.contains("\"syscall\""), "{src}");
        assert!(!src.contains("check_"), "{src}");
        for name in WINDOWS_SYSCALLS.iter().chain(WINDOWS_FUNCTIONS) {
            assert!(
                src.contains(&format!(".long {:#010x}", export_hash(name))),
                "{name}: {src}"
            );
        }
        // one trampoline answers to both names
        assert!(src.contains("__tiny_ntr_NtWriteFile:"), "{src}");
        // the records are an array the start-up code walks: no alignment padding
        assert!(!src.contains("p2align"), "{src}");
        assert!(src.contains("report = sym"), "{src}");
        assert!(src.contains("tiny::__private::unusable_runtime"), "{src}");
        assert!(!src.contains("__tiny_ntr_NtWriteFile\\\",\\\"xr"), "{src}");
        // records sort: the refusal's two calls, other system calls, then the rest
        assert!(
            src.contains(".section .text$tiny_init_b1___tiny_nt_NtWriteFile")
                && src.contains(".section .text$tiny_init_b2___tiny_nt_NtTerminateProcess")
                && src.contains(".section .text$tiny_init_r___tiny_nt_RtlAllocateHeap"),
            "{src}"
        );
        // the catalog: a record for every other Nt* name, sorted with the other system calls
        assert!(
            src.contains(
                "\n.section .text$tiny_init_n___tiny_nt_\\name,\"xr\",discard,__tiny_nt_\\name\n"
            ),
            "{src}"
        );
        let records = src.matches("\ntiny_nt_record Nt").count();
        assert_eq!(records, NT_NAMES.len() - WINDOWS_SYSCALLS.len(), "{src}");
        assert!(
            src.contains(&format!(
                "\ntiny_nt_record NtDelayExecution, {:#010x}\n",
                export_hash("NtDelayExecution")
            )),
            "{src}"
        );
        assert!(!src.contains("tiny_nt_record NtClose,"), "{src}");
    }

    #[test]
    fn export_hash_is_fnv1a_with_the_nul() {
        // FNV-1a of the empty string is the offset basis; the NUL adds one round
        assert_eq!(export_hash(""), 0x811C_9DC5_u32.wrapping_mul(0x0100_0193));
        assert_ne!(export_hash("NtWriteFile"), export_hash("NtReadFile"));
        // the reference values of 32-bit FNV-1a ("a" → 0xE40C292C), with one more round
        assert_eq!(
            export_hash("a"),
            0xE40C_292C_u32.wrapping_mul(tiny_abi::windows::FNV_PRIME)
        );
    }

    /// No two names tiny-build knows (every system call of every build in its data, and the
    /// functions the runtime calls) share a hash, so the runtime's "exactly one export with
    /// this hash" finds the one meant on every listed build. (The tests also check Wine's
    /// ntdll, every export of it.)
    #[test]
    fn known_names_have_distinct_hashes() {
        let mut names: Vec<&str> = WINDOWS_SYSCALLS
            .iter()
            .chain(WINDOWS_FUNCTIONS)
            .copied()
            .collect();
        for build in crate::resolve::windows::table::builds() {
            names.extend(build.numbers.iter().map(|(name, _)| *name));
        }
        // every name `tiny::nt!` accepts
        names.extend(NT_NAMES);
        names.sort_unstable();
        names.dedup();
        let mut hashes: Vec<(u32, &str)> = names.iter().map(|n| (export_hash(n), *n)).collect();
        hashes.sort_unstable();
        for pair in hashes.windows(2) {
            assert_ne!(
                pair[0].0, pair[1].0,
                "{} and {} share a hash",
                pair[0].1, pair[1].1
            );
        }
        assert!(names.len() > 20, "{} names", names.len());
    }

    #[test]
    fn table_covers_windows_10_on_with_agreeing_numbers_only() {
        let table = Table::embedded();
        assert_eq!(table.builds.first(), Some(&10240));
        assert!(table.builds.contains(&26200) && table.builds.contains(&19045));
        assert!(
            !table.builds.contains(&9600),
            "Windows 8.1 has no NtBuildNumber"
        );
        // j00ru's tables: NtWriteFile is 8 and NtClose 0xF on every Windows 10 and 11
        assert_eq!(table.number("NtWriteFile"), Some(8));
        assert_eq!(table.number("NtClose"), Some(0xF));
        assert_eq!(table.number("NtDelayExecution"), Some(0x34));
        assert_eq!(table.number("NtCreateFile"), Some(0x55));
        // data/README.md: 103 of the 441 calls every release from 1507 on has keep one number
        assert_eq!(table.numbers.len(), 103);
        // changed between releases: through the loaded ntdll
        assert_eq!(table.number("NtCreateUserProcess"), None);
        // missing from some releases
        assert_eq!(table.number("NtCreateCrossVmEvent"), None);
        let src = crate::codegen::generate_windows(&spec(), &Calls::Table(table), Refusal::Message);
        assert!(
            src.contains(
                "\".byte 0x4c, 0x8b, 0xd1, 0xb8, 0x08, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3\""
            ),
            "{src}"
        );
        assert!(
            src.contains("check_table(\n        &[\n            10240u16,"),
            "{src}"
        );
        assert!(
            src.contains("\ntiny_nt_number NtDelayExecution, 0x34\n"),
            "{src}"
        );
        assert!(
            src.contains(&format!(
                "\ntiny_nt_record NtCreateUserProcess, {:#010x}\n",
                export_hash("NtCreateUserProcess")
            )),
            "{src}"
        );
        assert!(src.contains("\ntiny_nt_record NtAddBootEntry, "), "{src}");
    }

    /// Exit-code-only refusals: no message and no `__tiny_ntr_*` function; an unusable export
    /// (every mode) and a failed check (`Pinned`, `Table`) end in `__fastfail`, and the
    /// lookup's refusal is that alone.
    #[test]
    fn exit_code_refusals_carry_no_message_and_no_refusal_exports() {
        let pin = Pinning {
            file: "/wine/ntdll.dll".into(),
            time_date_stamp: 0x63f1_4e2b,
            size_of_image: 0x36_1000,
            stubs: vec![(
                "NtWriteFile".into(),
                vec![0x4c, 0x8b, 0xd1, 0xb8, 8, 0, 0, 0, 0xc3],
            )],
            check: true,
        };
        let fastfail = "Refusals by exit code only: `__fastfail`";
        for calls in [Calls::Pinned(pin), Calls::Table(Table::embedded())] {
            let src = crate::codegen::generate_windows(&spec(), &calls, Refusal::ExitCode);
            // no refusal function of its own (a Runtime record may still carry the alias)
            assert!(!src.contains("for the refusal message"), "{src}");
            assert!(
                !src.contains("tiny_init_b1___tiny_ntr_NtWriteFile"),
                "{src}"
            );
            assert!(src.contains(fastfail), "{src}");
            assert!(src.contains("refusals by exit code only"), "{src}");
            assert!(
                src.contains("check_pinned(0x63f14e2b00361000_u64, false)")
                    || src.contains("],\n        false,\n    );"),
                "{src}"
            );
            let loud = crate::codegen::generate_windows(&spec(), &calls, Refusal::Message);
            assert!(
                loud.contains("tiny_init_b1___tiny_ntr_NtWriteFile") && !loud.contains(fastfail)
            );
            assert!(loud.contains("unusable_checked"), "{loud}");
        }
        let src = crate::codegen::generate_windows(&spec(), &Calls::Runtime, Refusal::ExitCode);
        assert!(src.contains(fastfail), "{src}");
        assert!(!src.contains("unusable_runtime"), "{src}");
        let loud = crate::codegen::generate_windows(&spec(), &Calls::Runtime, Refusal::Message);
        assert!(
            loud.contains("unusable_runtime") && !loud.contains(fastfail),
            "{loud}"
        );
        // the refusal's NtTerminateProcess still comes first among the records
        assert!(
            src.contains(".section .text$tiny_init_b2___tiny_nt_NtTerminateProcess"),
            "{src}"
        );
    }

    #[test]
    fn table_refuses_a_function_whose_number_changed() {
        use crate::resolve::windows::table::{KnownBuild, Release};
        static RELEASES: [Release; 2] = [
            Release {
                os: "Windows 10",
                version: "x",
            },
            Release {
                os: "Windows 10",
                version: "y",
            },
        ];
        let a = KnownBuild {
            build: 19041,
            releases: &RELEASES[..1],
            numbers: &[],
        };
        let b = KnownBuild {
            build: 19045,
            releases: &RELEASES[1..],
            numbers: &[],
        };
        let old = KnownBuild {
            build: 7601,
            releases: &[],
            numbers: &[],
        };
        let columns = |names: &[&str]| -> Vec<(String, String)> {
            names
                .iter()
                .map(|v| ("Windows 10".to_owned(), (*v).to_owned()))
                .collect()
        };
        let all = AllReleases {
            releases: columns(&["old", "x", "y"]),
            calls: vec![
                ("NtClose".into(), vec![Some(0xC), Some(0xF), Some(0xF)]),
                ("NtNew".into(), vec![None, None, Some(0x1)]),
                ("NtWriteFile".into(), vec![Some(5), Some(8), Some(9)]),
            ],
        };
        let table = Table::new(&[old, a, b], &all);
        assert_eq!(table.builds, [19041, 19045]);
        assert_eq!(table.numbers, [("NtClose".to_owned(), 0xF)]);
        // a build the per-release data has no column for: nothing is numbered
        let unknown = AllReleases {
            releases: columns(&["x"]),
            calls: vec![("NtClose".into(), vec![Some(0xF)])],
        };
        assert!(Table::new(&[a, b], &unknown).numbers.is_empty());
    }

    /// Golden files of the generated Windows code in `Runtime` and `Table` mode (the catalog
    /// included): `cargo xtask bless` (or `TINY_BLESS=1`) rewrites them.
    #[test]
    fn golden_x86_64_windows() {
        for (mode, calls) in [
            ("runtime", Calls::Runtime),
            ("table", Calls::Table(Table::embedded())),
        ] {
            let path = format!(
                "{}/src/fixtures/x86_64-pc-windows-gnu-{mode}.rs",
                env!("CARGO_MANIFEST_DIR")
            );
            let got = crate::codegen::generate_windows(&spec(), &calls, Refusal::Message);
            let want = std::fs::read_to_string(&path).unwrap_or_default();
            if got != want {
                #[allow(clippy::disallowed_methods)] // test-only switch, not a build input
                if std::env::var_os("TINY_BLESS").is_some() {
                    std::fs::write(&path, &got).unwrap();
                    continue;
                }
                panic!(
                    "{path} differs from the generated code; run `cargo xtask bless` and review the diff"
                );
            }
        }
    }
}
