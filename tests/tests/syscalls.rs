//! Cross-check of the syscall numbers tiny uses on Linux x86_64: the `linux-raw-sys` constants
//! the generated stubs name must be the numbers the host C library's own wrappers load into
//! `eax` before `syscall` (decoded with iced-x86 from `libc.so.6`), a source we did not write.

#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use iced_x86::{Code, Decoder, DecoderOptions, Mnemonic, OpKind, Register};
use object::{Object, ObjectSection, ObjectSymbol};

/// The values `eax` holds at each `syscall` of the function, as far as a straight-line walk
/// of `mov r32, imm`, `xor r32, r32` and `mov r32, r32` can tell.
fn syscall_numbers(code: &[u8], ip: u64) -> Vec<u32> {
    let mut known = [None::<u32>; 16];
    // registers are numbered EAX..R15D and RAX..R15 in iced's enum
    let slot = |r: Register| {
        let n = r as usize;
        [Register::EAX, Register::RAX]
            .iter()
            .find_map(|base| n.checked_sub(*base as usize).filter(|i| *i < 16))
    };
    let mut found = Vec::new();
    for insn in Decoder::with_ip(64, code, ip, DecoderOptions::NONE).iter() {
        if insn.mnemonic() == Mnemonic::Syscall {
            if let Some(n) = known[0] {
                found.push(n);
            }
            continue;
        }
        if insn.op_count() == 0 || insn.op0_kind() != OpKind::Register {
            continue;
        }
        let Some(dst) = slot(insn.op0_register()) else {
            continue;
        };
        known[dst] = match (insn.code(), insn.op_count()) {
            (Code::Mov_r32_imm32, _) => Some(insn.immediate32()),
            (Code::Xor_r32_rm32 | Code::Xor_rm32_r32, 2)
                if insn.op1_kind() == OpKind::Register
                    && insn.op0_register() == insn.op1_register() =>
            {
                Some(0)
            }
            (Code::Mov_r32_rm32 | Code::Mov_rm32_r32, 2) if insn.op1_kind() == OpKind::Register => {
                slot(insn.op1_register()).and_then(|s| known[s])
            }
            _ => None,
        };
    }
    found
}

fn libc_numbers(data: &[u8], file: &object::File<'_>, symbol: &str) -> Vec<u32> {
    let sym = file
        .dynamic_symbols()
        .find(|s| s.name() == Ok(symbol))
        .unwrap_or_else(|| panic!("libc has no `{symbol}`"));
    let section = file.section_by_index(sym.section_index().unwrap()).unwrap();
    let offset = section.file_range().unwrap().0 + (sym.address() - section.address());
    let code = &data[offset as usize..(offset + sym.size()) as usize];
    syscall_numbers(code, sym.address())
}

#[test]
fn linux_raw_sys_agrees_with_the_host_libc() {
    use linux_raw_sys::general as nr;
    let path = [
        "/lib/x86_64-linux-gnu/libc.so.6",
        "/usr/lib/x86_64-linux-gnu/libc.so.6",
        "/lib64/libc.so.6",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
    .expect("no glibc libc.so.6 on this host");
    let data = std::fs::read(path).unwrap();
    let file = object::File::parse(&*data).unwrap();
    for sys in tiny_build::codegen::LINUX_SYSCALLS {
        let header_only = match sys.name {
            "fstat" => Some(nr::__NR_fstat),
            "open" => Some(nr::__NR_open),
            _ => None,
        };
        if let Some(number) = header_only {
            // glibc builds `fstat` on `newfstatat` and `open` on `openat`: check against the
            // kernel's own header (linux-libc-dev) instead.
            assert_eq!(
                kernel_header_number(sys.name),
                number,
                "`{}`: linux-raw-sys and asm/unistd_64.h disagree",
                sys.name
            );
            continue;
        }
        let (symbol, number) = match sys.name {
            "close" => ("close", nr::__NR_close),
            "exit" => ("_exit", nr::__NR_exit),
            "read" => ("read", nr::__NR_read),
            "write" => ("write", nr::__NR_write),
            other => panic!("add `{other}` to this cross-check"),
        };
        let seen = libc_numbers(&data, &file, symbol);
        assert!(!seen.is_empty(), "found no syscall in libc's `{symbol}`");
        assert!(
            seen.contains(&number),
            "`{}`: linux-raw-sys says {number}, libc's `{symbol}` uses {seen:?}",
            sys.name
        );
    }
}

/// The number `asm/unistd_64.h` (the kernel's UAPI header, from linux-libc-dev) defines for
/// `name`.
fn kernel_header_number(name: &str) -> u32 {
    let path = [
        "/usr/include/x86_64-linux-gnu/asm/unistd_64.h",
        "/usr/include/asm/unistd_64.h",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
    .expect("no asm/unistd_64.h on this host (install linux-libc-dev)");
    let text = std::fs::read_to_string(path).unwrap();
    let define = format!("#define __NR_{name} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&define))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{path} does not define __NR_{name}"))
}

/// The i686 system call numbers tiny's runtime uses, from `linux-raw-sys`'s x86 module (read
/// from its source: the tests run on x86_64, where that module is not compiled), against the
/// numbers the 32-bit glibc's wrappers load into `eax` before entering the kernel (`int 0x80`,
/// or the vDSO's `__kernel_vsyscall` through `call gs:[0x10]`). Skipped, saying why, when no
/// 32-bit glibc is installed (`cargo xtask setup` installs `libc6-i386`).
#[test]
fn linux_raw_sys_agrees_with_the_32_bit_libc() {
    let Some(path) = ["/lib32/libc.so.6", "/usr/lib32/libc.so.6"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
    else {
        eprintln!("skipped: no 32-bit glibc (/lib32/libc.so.6; Debian package libc6-i386)");
        return;
    };
    let source = linux_raw_sys_source().join("src/x86/general.rs");
    let source =
        std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let number = |name: &str| -> u32 {
        let define = format!("pub const __NR_{name}: u32 = ");
        source
            .lines()
            .find_map(|l| l.strip_prefix(&define))
            .and_then(|n| n.trim_end_matches(';').parse().ok())
            .unwrap_or_else(|| panic!("linux-raw-sys's x86 module has no __NR_{name}"))
    };
    let data = std::fs::read(path).unwrap();
    let file = object::File::parse(&*data).unwrap();
    let spec = tiny_build::Spec::new("i686-unknown-linux-gnu", None, None).unwrap();
    let calls = tiny_build::codegen::syscalls(&spec);
    assert!(!calls.is_empty());
    for sys in calls {
        let symbol = match sys.name {
            "exit" => "_exit",
            other => other,
        };
        let sym = file
            .dynamic_symbols()
            .find(|s| s.name() == Ok(symbol))
            .unwrap_or_else(|| panic!("the 32-bit libc has no `{symbol}`"));
        let section = file.section_by_index(sym.section_index().unwrap()).unwrap();
        let offset = section.file_range().unwrap().0 + (sym.address() - section.address());
        let code = &data[offset as usize..(offset + sym.size()) as usize];
        let seen = syscall_numbers_32(code, sym.address());
        let want = number(sys.name);
        assert!(
            seen.contains(&want),
            "`{}`: linux-raw-sys's x86 module says {want}, the 32-bit libc's `{symbol}` uses {seen:?}",
            sys.name
        );
    }
}

/// The values `eax` holds at each kernel entry of a 32-bit function (`int 0x80`, or a `call`
/// through `gs`, the vDSO's `__kernel_vsyscall`), as far as a straight-line walk of
/// `mov r32, imm32` and `mov r32, r32` can tell.
fn syscall_numbers_32(code: &[u8], ip: u64) -> Vec<u32> {
    let mut known = [None::<u32>; 8];
    let slot = |r: Register| {
        (r as usize)
            .checked_sub(Register::EAX as usize)
            .filter(|i| *i < 8)
    };
    let mut found = Vec::new();
    for insn in Decoder::with_ip(32, code, ip, DecoderOptions::NONE).iter() {
        let enters = (insn.mnemonic() == Mnemonic::Int && insn.immediate8() == 0x80)
            || (insn.mnemonic() == Mnemonic::Call && insn.segment_prefix() == Register::GS);
        if enters {
            found.extend(known[0]);
            continue;
        }
        if insn.op_count() == 0 || insn.op0_kind() != OpKind::Register {
            continue;
        }
        let Some(dst) = slot(insn.op0_register()) else {
            continue;
        };
        known[dst] = match insn.code() {
            Code::Mov_r32_imm32 => Some(insn.immediate32()),
            Code::Mov_r32_rm32 | Code::Mov_rm32_r32 if insn.op1_kind() == OpKind::Register => {
                slot(insn.op1_register()).and_then(|s| known[s])
            }
            _ => None,
        };
    }
    found
}

/// Where cargo keeps the `linux-raw-sys` the workspace uses (`cargo metadata`).
fn linux_raw_sys_source() -> std::path::PathBuf {
    let out =
        std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["metadata", "--format-version", "1", "--locked"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("cargo metadata");
    let text = String::from_utf8_lossy(&out.stdout);
    let manifest = text
        .split('"')
        .find(|s| s.contains("/linux-raw-sys-") && s.ends_with("/Cargo.toml"))
        .expect("cargo metadata does not list linux-raw-sys");
    std::path::Path::new(manifest).parent().unwrap().to_owned()
}
