//! Windows x86_64: the start-up record of `Runtime` mode and the hash that names an export.

mod names;

pub use names::NT_NAMES;

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

/// Whether `name` is an `Nt*` system call some x64 Windows release has (see [`NT_NAMES`]).
pub fn is_nt_name(name: &str) -> bool {
    NT_NAMES.binary_search(&name).is_ok()
}
