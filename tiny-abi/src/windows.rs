//! Windows x86_64: the start-up record of `Runtime` mode and the hash that names an export.

mod names;

pub use names::NT_NAMES;

/// A symbol of the Windows start-up code that the generated code and the runtime share, by its
/// role: `"init"` (`__tiny_init`, tiny-rt: fills in the `Runtime` records), `"resolve"`
/// (`__tiny_resolve`, tiny-rt: the export lookup, which every record references),
/// `"refusal"` (`__tiny_refusal`, generated: what the lookup falls into when an export cannot
/// be used), `"records"` (`__tiny_records`, generated: where the refusal ends and the records
/// begin, which the lookup walks from) and `"exit"` (`__tiny_exit`, tiny-rt:
/// `NtTerminateProcess` of the process). Any other role does not expand.
#[macro_export]
macro_rules! start_symbol {
    ("init") => {
        "__tiny_init"
    };
    ("resolve") => {
        "__tiny_resolve"
    };
    ("refusal") => {
        "__tiny_refusal"
    };
    ("records") => {
        "__tiny_records"
    };
    ("exit") => {
        "__tiny_exit"
    };
}

/// [`start_symbol!`]`("init")`.
pub const INIT_SYMBOL: &str = start_symbol!("init");
/// [`start_symbol!`]`("resolve")`.
pub const RESOLVE_SYMBOL: &str = start_symbol!("resolve");
/// [`start_symbol!`]`("refusal")`.
pub const REFUSAL_SYMBOL: &str = start_symbol!("refusal");
/// [`start_symbol!`]`("records")`.
pub const RECORDS_SYMBOL: &str = start_symbol!("records");

/// The `__fastfail` code of every fail-fast end of the Windows runtime
/// (`FAST_FAIL_FATAL_APP_EXIT`); the process ends with `STATUS_STACK_BUFFER_OVERRUN`
/// (0xC0000409) whatever the code.
pub const FAST_FAIL_CODE: u32 = 7;

/// 32-bit FNV-1a: the offset basis.
pub const FNV_OFFSET: u32 = 0x811C_9DC5;
/// 32-bit FNV-1a: the prime.
pub const FNV_PRIME: u32 = 0x0100_0193;

/// The hash a `Runtime` record stores for the export `name`: 32-bit FNV-1a over the name's
/// bytes and its terminating NUL (the runtime hashes export names up to and including the NUL).
pub const fn export_hash(name: &str) -> u32 {
    let bytes = name.as_bytes();
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ bytes[i] as u32).wrapping_mul(FNV_PRIME);
        i += 1;
    }
    h.wrapping_mul(FNV_PRIME) // the NUL: h ^ 0 == h
}

/// Size of a `Runtime` record: `mov rax, imm64` (10 bytes) then `jmp rax` (2).
pub const RECORD_SIZE: usize = 12;
/// A record's first bytes, `mov rax, imm64` without the immediate (the start-up code walks the
/// records while the next byte is `RECORD_HEAD[0]`).
pub const RECORD_HEAD: [u8; 2] = [0x48, 0xB8];
/// A record's last bytes, `jmp rax`.
pub const RECORD_TAIL: [u8; 2] = [0xFF, 0xE0];
/// Where a record's 64-bit immediate starts: until start-up, the export's name hash (low 32
/// bits) and an image-relative reference to `__tiny_resolve` (high 32 bits, bit 31 set when the
/// function is not a system call, [`RECORD_NOT_SYSCALL`]); after it, the export's address.
pub const RECORD_IMM: usize = RECORD_HEAD.len();
/// Added to the immediate's high half for a function that is not a system call (an `Rtl*`
/// function): the start-up code checks no stub shape for it. Image RVAs are below it.
pub const RECORD_NOT_SYSCALL: u32 = 0x8000_0000;
/// The byte of a record that holds the top of [`RECORD_NOT_SYSCALL`] (bit 7).
pub const RECORD_KIND_BYTE: usize = RECORD_IMM + 7;
const _: () = assert!(RECORD_HEAD.len() + 8 + RECORD_TAIL.len() == RECORD_SIZE);

/// How every `Nt*` system call stub of Windows and Wine begins: `mov r10, rcx; mov eax, imm32`
/// (the number follows). `Runtime` refuses a system call export that begins otherwise, and
/// `Table` stubs are written in this encoding.
pub const STUB_HEAD: [u8; 4] = [0x4C, 0x8B, 0xD1, 0xB8];

/// Whether `name` is an `Nt*` system call some x64 Windows release has (see [`NT_NAMES`]).
pub fn is_nt_name(name: &str) -> bool {
    NT_NAMES.binary_search(&name).is_ok()
}
