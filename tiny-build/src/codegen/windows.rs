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

use proc_macro2::TokenStream;
use quote::quote;

use crate::resolve::windows::KnownBuild;

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
    /// The ntdll's `TimeDateStamp`.
    pub time_date_stamp: u32,
    /// The ntdll's `SizeOfImage`.
    pub size_of_image: u32,
    /// `(name, stub bytes)` for each of [`WINDOWS_SYSCALLS`], in that order.
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
    /// `(name, number)` for each of [`WINDOWS_SYSCALLS`] the table covers, in that order.
    pub numbers: Vec<(String, u32)>,
}

impl Table {
    /// The table for `known` (tiny-build's embedded data): the builds from
    /// [`TABLE_FIRST_BUILD`] on, and each system call whose number every one of them lists and
    /// agrees on.
    pub fn from_known(known: &[KnownBuild]) -> Table {
        let covered: Vec<&KnownBuild> = known
            .iter()
            .filter(|k| k.build >= TABLE_FIRST_BUILD)
            .collect();
        let numbers = WINDOWS_SYSCALLS
            .iter()
            .filter_map(|name| {
                let first = covered.first()?.number(name)?;
                covered
                    .iter()
                    .all(|k| k.number(name) == Some(first))
                    .then(|| ((*name).to_owned(), first))
            })
            .collect();
        Table {
            builds: covered.iter().map(|k| k.build as u16).collect(),
            numbers,
        }
    }

    /// The number of `name`, when the table covers it.
    pub fn number(&self, name: &str) -> Option<u32> {
        self.numbers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, n)| *n)
    }
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
pub fn tokens(calls: &Calls) -> TokenStream {
    // A refusal writes through the loaded ntdll's own exports (`__tiny_ntr_*`), except where the
    // program's own functions are those (`Runtime`). An unchecked `Pinned` program trusts its
    // ntdll: an export missing there ends it with `__fastfail` (no message, so that a program
    // that calls only pinned system calls carries no lookup and no refusal at all).
    let trusted = match calls {
        Calls::Runtime => true,
        Calls::Pinned(pin) => !pin.check,
        Calls::Table(_) => false,
    };
    let unusable = match calls {
        Calls::Runtime => {
            quote! { ".set __tiny_unusable, {unusable}", unusable = sym tiny::__private::unusable_runtime }
        }
        Calls::Pinned(pin) if !pin.check => quote! { ".set __tiny_unusable, __tiny_fastfail" },
        _ => {
            quote! { ".set __tiny_unusable, {unusable}", unusable = sym tiny::__private::unusable_checked }
        }
    };
    let check = match calls {
        Calls::Runtime => quote! {},
        Calls::Pinned(pin) if !pin.check => quote! {},
        Calls::Pinned(pin) => {
            let identity: TokenStream = format!("{:#018x}_u64", pin.identity())
                .parse()
                .expect("a hex literal");
            quote! {
                ::tiny::__private::check_pinned(#identity);
            }
        }
        Calls::Table(table) => {
            let builds = &table.builds;
            quote! {
                ::tiny::__private::check_table(&[#(#builds),*]);
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
        comment!("What the start-up code calls when an export cannot be used.");
        ::core::arch::global_asm!(".globl __tiny_unusable", #unusable);
        #(#functions)*
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
    let symbol = format!("__tiny_nt_{name}");
    let mut lines = vec![code_section(&symbol), format!(".globl {symbol}")];
    if refusal_alias {
        let alias = format!("__tiny_ntr_{name}");
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
            // `mov r10, rcx; mov eax, N; syscall; ret`, in the encoding of Windows' own stubs
            // (an assembler may pick another one for `mov r10, rcx`)
            let mut bytes = vec![0x4C, 0x8B, 0xD1, 0xB8];
            bytes.extend(number.to_le_bytes());
            bytes.extend([0x0F, 0x05, 0xC3]);
            lines.push(byte_directive(&bytes));
        }
    }
    lines.push(".text".to_owned());
    quote! {
        comment!(#doc);
        ::core::arch::global_asm!(#(#lines),*);
    }
}

/// `.byte` with `bytes`.
fn byte_directive(bytes: &[u8]) -> String {
    let list: Vec<String> = bytes.iter().map(|b| format!("{b:#04x}")).collect();
    format!(".byte {}", list.join(", "))
}

/// The refusal's own `__tiny_ntr_<name>`, a runtime trampoline.
fn refusal_function(name: &str) -> TokenStream {
    let symbol = format!("__tiny_ntr_{name}");
    let lines = vec![
        code_section(&symbol),
        format!(".globl {symbol}"),
        format!("{symbol}:"),
    ];
    let doc = format!("`{name}` for the refusal message: the loaded ntdll's export.");
    record(&symbol, lines, &doc, name, true)
}

/// The hash a `Runtime` record stores for the export `name`: 32-bit FNV-1a over the name's
/// bytes and its terminating NUL (the runtime's `__tiny_resolve` computes the same over each
/// export name of the loaded ntdll). The runtime accepts an export only when exactly one name
/// has the hash; the tests check that no two names in tiny-build's per-build data, and none of
/// the names the runtime uses, share one.
pub fn export_hash(name: &str) -> u32 {
    name.bytes().chain([0]).fold(0x811C_9DC5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
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
    lines[0] = format!(".section .text$tiny_init_{order}_{symbol},\"xr\",discard,{symbol}");
    lines.extend([
        ".byte 0x48, 0xB8".to_owned(),
        format!(".long {:#010x}", export_hash(name)),
        // bit 31 set: not a system call, so no stub shape to check (an image RVA is below it)
        if name.starts_with("Nt") {
            ".long __tiny_resolve@IMGREL".to_owned()
        } else {
            ".long __tiny_resolve@IMGREL + 0x80000000".to_owned()
        },
        ".byte 0xFF, 0xE0".to_owned(),
        ".text".to_owned(),
    ]);
    quote! {
        comment!(#doc);
        ::core::arch::global_asm!(#(#lines),*);
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
            time_date_stamp: 0x63f1_4e2b,
            size_of_image: 0x36_1000,
            stubs: vec![("NtWriteFile".into(), wine_stub)],
            check: true,
        };
        let src = crate::codegen::generate_windows(&spec(), &Calls::Pinned(pin.clone()));
        assert!(
            src.contains("\".byte 0x4c, 0x8b, 0xd1, 0xb8, 0xe0, 0x00, 0x00, 0x00, 0xc3\""),
            "{src}"
        );
        assert!(
            src.contains("check_pinned(0x63f14e2b00361000_u64)"),
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
        assert_eq!(
            src,
            crate::codegen::generate_windows(&spec(), &Calls::Pinned(pin)),
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
        assert!(src.contains(".set __tiny_unusable, {unusable}"), "{src}");
        assert!(src.contains("tiny::__private::unusable_runtime"), "{src}");
        assert!(!src.contains("__tiny_ntr_NtWriteFile\\\",\\\"xr"), "{src}");
        // records sort: the refusal's two calls, other system calls, then the rest
        assert!(
            src.contains(".section .text$tiny_init_b1___tiny_nt_NtWriteFile")
                && src.contains(".section .text$tiny_init_b2___tiny_nt_NtTerminateProcess")
                && src.contains(".section .text$tiny_init_r___tiny_nt_RtlAllocateHeap"),
            "{src}"
        );
    }

    #[test]
    fn export_hash_is_fnv1a_with_the_nul() {
        // FNV-1a of the empty string is the offset basis; the NUL adds one round
        assert_eq!(export_hash(""), 0x811C_9DC5_u32.wrapping_mul(0x0100_0193));
        assert_ne!(export_hash("NtWriteFile"), export_hash("NtReadFile"));
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
        let table = Table::from_known(crate::resolve::windows::table::builds());
        assert_eq!(table.builds.first(), Some(&10240));
        assert!(table.builds.contains(&26200) && table.builds.contains(&19045));
        assert!(
            !table.builds.contains(&9600),
            "Windows 8.1 has no NtBuildNumber"
        );
        // j00ru's tables: NtWriteFile is 8 and NtClose 0xF on every Windows 10 and 11
        assert_eq!(table.number("NtWriteFile"), Some(8));
        assert_eq!(table.number("NtClose"), Some(0xF));
        // not in the data: called through the loaded ntdll
        assert_eq!(table.number("NtQueryVolumeInformationFile"), None);
        let src = crate::codegen::generate_windows(&spec(), &Calls::Table(table));
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
            src.contains(".section .text$tiny_init_n___tiny_nt_NtQueryVolumeInformationFile"),
            "{src}"
        );
    }

    #[test]
    fn table_refuses_a_function_whose_number_changed() {
        use crate::resolve::windows::table::{KnownBuild, Release};
        static RELEASES: [Release; 1] = [Release {
            os: "Windows 10",
            version: "x",
        }];
        let a = KnownBuild {
            build: 19041,
            releases: &RELEASES,
            numbers: &[("NtClose", 0xF), ("NtWriteFile", 8)],
        };
        let b = KnownBuild {
            build: 19045,
            releases: &RELEASES,
            numbers: &[("NtClose", 0xF), ("NtWriteFile", 9)],
        };
        let old = KnownBuild {
            build: 7601,
            releases: &RELEASES,
            numbers: &[("NtClose", 0xC), ("NtWriteFile", 5)],
        };
        let table = Table::from_known(&[old, a, b]);
        assert_eq!(table.builds, [19041, 19045]);
        assert_eq!(table.numbers, [("NtClose".to_owned(), 0xF)]);
    }
}
