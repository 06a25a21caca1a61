//! Test support for the resolver: stub bytes encoded with iced-x86's assembler and small x64 PE
//! images (an `ntdll.dll` stand-in) written with object's PE writer. No binary blobs: every
//! fixture is generated here.
#![allow(dead_code)] // each test binary uses a different part

use iced_x86::code_asm::CodeAssembler;
use iced_x86::{Code, Instruction, MemoryOperand, Register};
use object::pe;
use object::write::pe::{NtHeaders, Writer};

/// `mov r10, rcx` as Windows and Wine encode it (`4c 8b d1`).
fn mov_r10_rcx() -> Instruction {
    Instruction::with2(Code::Mov_r64_rm64, Register::R10, Register::RCX).unwrap()
}

fn mov_eax(number: u32) -> Instruction {
    Instruction::with2(Code::Mov_r32_imm32, Register::EAX, number).unwrap()
}

/// `test byte ptr [0x7FFE0308], 1` (absolute disp32, no base: `f6 04 25 08 03 fe 7f 01`).
fn test_shared_data() -> Instruction {
    Instruction::with2(
        Code::Test_rm8_imm8,
        MemoryOperand::with_displ(0x7FFE_0308, 8),
        1u32,
    )
    .unwrap()
}

/// `call qword ptr [0x7FFE1000]` (`ff 14 25 00 10 fe 7f`).
fn call_wine_dispatcher() -> Instruction {
    Instruction::with1(Code::Call_rm64, MemoryOperand::with_displ(0x7FFE_1000, 8)).unwrap()
}

fn assemble(build: impl FnOnce(&mut CodeAssembler)) -> Vec<u8> {
    let mut a = CodeAssembler::new(64).unwrap();
    build(&mut a);
    a.assemble(0).unwrap()
}

/// Windows 7/8 (and Server 2003): `mov r10,rcx; mov eax,N; syscall; ret` (11 bytes).
pub fn win7_stub(number: u32) -> Vec<u8> {
    assemble(|a| {
        a.add_instruction(mov_r10_rcx()).unwrap();
        a.add_instruction(mov_eax(number)).unwrap();
        a.syscall().unwrap();
        a.ret().unwrap();
    })
}

/// Windows 10/11: `mov r10,rcx; mov eax,N; test byte ptr [7FFE0308h],1; jne L; syscall; ret;
/// L: int 2Eh; ret` (24 bytes).
pub fn win10_stub(number: u32) -> Vec<u8> {
    assemble(|a| {
        let mut alt = a.create_label();
        a.add_instruction(mov_r10_rcx()).unwrap();
        a.add_instruction(mov_eax(number)).unwrap();
        a.add_instruction(test_shared_data()).unwrap();
        a.jne(alt).unwrap();
        a.syscall().unwrap();
        a.ret().unwrap();
        a.set_label(&mut alt).unwrap();
        a.int(0x2e).unwrap();
        a.ret().unwrap();
    })
}

/// Wine 8.0: `mov r10,rcx; mov eax,N; test byte ptr [7FFE0308h],1; jne L1; syscall; ret;
/// L1: jmp L2; ret; L2: call qword ptr [7FFE1000h]; ret` (32 bytes).
pub fn wine_stub(number: u32) -> Vec<u8> {
    assemble(|a| {
        let mut l1 = a.create_label();
        let mut l2 = a.create_label();
        a.add_instruction(mov_r10_rcx()).unwrap();
        a.add_instruction(mov_eax(number)).unwrap();
        a.add_instruction(test_shared_data()).unwrap();
        a.jne(l1).unwrap();
        a.syscall().unwrap();
        a.ret().unwrap();
        a.set_label(&mut l1).unwrap();
        a.jmp(l2).unwrap();
        a.ret().unwrap();
        a.set_label(&mut l2).unwrap();
        a.add_instruction(call_wine_dispatcher()).unwrap();
        a.ret().unwrap();
    })
}

/// A hooked stub: `jmp` (to a detour) where `mov r10, rcx` belongs.
pub fn jmp_hook() -> Vec<u8> {
    assemble(|a| {
        let mut detour = a.create_label();
        a.jmp(detour).unwrap();
        a.set_label(&mut detour).unwrap();
        a.ret().unwrap();
    })
}

/// A stub whose first byte was replaced by a breakpoint.
pub fn int3_hook(number: u32) -> Vec<u8> {
    let mut bytes = win10_stub(number);
    bytes[0] = 0xcc;
    bytes
}

/// `call` to a detour at the start of the stub.
pub fn call_hook() -> Vec<u8> {
    assemble(|a| {
        let mut detour = a.create_label();
        a.call(detour).unwrap();
        a.ret().unwrap();
        a.set_label(&mut detour).unwrap();
        a.ret().unwrap();
    })
}

/// `mov r10,rcx; mov eax,N; nop; syscall; ret`: a stub shape nobody ships.
pub fn odd_stub(number: u32) -> Vec<u8> {
    assemble(|a| {
        a.add_instruction(mov_r10_rcx()).unwrap();
        a.add_instruction(mov_eax(number)).unwrap();
        a.nop().unwrap();
        a.syscall().unwrap();
        a.ret().unwrap();
    })
}

/// An ordinary function (`mov rax, gs:[30h]; ret`, NtCurrentTeb-like).
pub fn function() -> Vec<u8> {
    assemble(|a| {
        let teb = MemoryOperand::new(
            Register::None,
            Register::None,
            1,
            0x30,
            8,
            false,
            Register::GS,
        );
        let insn = Instruction::with2(Code::Mov_r64_rm64, Register::RAX, teb).unwrap();
        a.add_instruction(insn).unwrap();
        a.ret().unwrap();
    })
}

/// What one export of a fixture is.
#[derive(Clone, Debug)]
pub enum Export {
    /// Code in `.text` (32-byte aligned, padded with `int3`).
    Code(Vec<u8>),
    /// Code placed last in `.text`, with nothing after it: the section ends where these bytes do.
    CodeAtEnd(Vec<u8>),
    /// Data in `.rdata`.
    Data(Vec<u8>),
    /// Forwarded to `Dll.Name`.
    Forward(String),
    /// A raw RVA (e.g. outside every section).
    Rva(u32),
}

/// An x64 (or other machine) PE image with named exports.
#[derive(Clone, Debug)]
pub struct Fixture {
    pub machine: u16,
    /// PE32+ (true) or PE32.
    pub is_64: bool,
    pub time_date_stamp: u32,
    pub exports: Vec<(String, Export)>,
}

impl Fixture {
    pub fn new() -> Self {
        Fixture {
            machine: pe::IMAGE_FILE_MACHINE_AMD64,
            is_64: true,
            time_date_stamp: 0x5a5a_1234,
            exports: Vec::new(),
        }
    }

    pub fn export(mut self, name: &str, export: Export) -> Self {
        self.exports.push((name.to_owned(), export));
        self
    }

    /// Adds `stub(number)` for every `(name, number)`, plus a few non-Nt exports around them.
    pub fn stubs(mut self, numbers: &[(&str, u32)], stub: fn(u32) -> Vec<u8>) -> Self {
        for &(name, number) in numbers {
            self = self.export(name, Export::Code(stub(number)));
        }
        self.export("RtlGetVersion", Export::Code(function()))
            .export("DbgBreakPoint", Export::Code(vec![0xcc, 0xc3]))
    }

    /// Writes the image.
    pub fn build(&self) -> Vec<u8> {
        const SECTION_ALIGN: u32 = 0x1000;
        const FILE_ALIGN: u32 = 0x200;

        // .text: 32-byte aligned stubs, int3 between them; CodeAtEnd last, unpadded.
        let mut text = Vec::new();
        let mut text_offsets = vec![None; self.exports.len()];
        for (i, (_, export)) in self.exports.iter().enumerate() {
            if let Export::Code(code) = export {
                text_offsets[i] = Some(text.len() as u32);
                text.extend_from_slice(code);
                text.resize(text.len().next_multiple_of(32), 0xcc);
            }
        }
        for (i, (_, export)) in self.exports.iter().enumerate() {
            if let Export::CodeAtEnd(code) = export {
                text_offsets[i] = Some(text.len() as u32);
                text.extend_from_slice(code);
            }
        }
        if text.is_empty() {
            text.push(0xc3);
        }
        let mut rdata = Vec::new();
        let mut rdata_offsets = vec![None; self.exports.len()];
        for (i, (_, export)) in self.exports.iter().enumerate() {
            if let Export::Data(data) = export {
                rdata_offsets[i] = Some(rdata.len() as u32);
                rdata.extend_from_slice(data);
                rdata.resize(rdata.len().next_multiple_of(8), 0);
            }
        }
        if rdata.is_empty() {
            rdata.push(0);
        }

        let mut out = Vec::new();
        let mut w = Writer::new(self.is_64, SECTION_ALIGN, FILE_ALIGN, &mut out);
        w.reserve_dos_header_and_stub();
        w.reserve_nt_headers(16);
        w.reserve_section_headers(3);
        let text_range = w.reserve_text_section(text.len() as u32);
        let rdata_range = w.reserve_rdata_section(rdata.len() as u32);

        // The export directory, laid out once its size is known.
        let mut names: Vec<(usize, &str)> = self
            .exports
            .iter()
            .enumerate()
            .map(|(i, (n, _))| (i, n.as_str()))
            .collect();
        names.sort_by(|a, b| a.1.cmp(b.1));
        let n = names.len() as u32;
        let dll_name = b"ntdll.dll\0";
        let strings_len: usize = self
            .exports
            .iter()
            .map(|(name, e)| {
                name.len()
                    + 1
                    + if let Export::Forward(t) = e {
                        t.len() + 1
                    } else {
                        0
                    }
            })
            .sum();
        let edata_len = 40 + 4 * n + 4 * n + 2 * n + dll_name.len() as u32 + strings_len as u32;
        let edata_range = w.reserve_edata_section(edata_len);
        let base = edata_range.virtual_address;
        let functions_rva = base + 40;
        let names_rva = functions_rva + 4 * n;
        let ordinals_rva = names_rva + 4 * n;
        let dll_name_rva = ordinals_rva + 2 * n;
        let mut edata = Vec::with_capacity(edata_len as usize);
        let dir = pe::ImageExportDirectory {
            characteristics: le32(0),
            time_date_stamp: le32(self.time_date_stamp),
            major_version: le16(0),
            minor_version: le16(0),
            name: le32(dll_name_rva),
            base: le32(1),
            number_of_functions: le32(n),
            number_of_names: le32(n),
            address_of_functions: le32(functions_rva),
            address_of_names: le32(names_rva),
            address_of_name_ordinals: le32(ordinals_rva),
        };
        edata.extend_from_slice(object::pod::bytes_of(&dir));
        // Strings after the fixed tables: the dll name, then per export (name order) its name
        // and its forwarder string.
        let mut string_rva = dll_name_rva + dll_name.len() as u32;
        let mut strings = dll_name.to_vec();
        let mut function_rvas = vec![0u32; names.len()];
        let mut name_rvas = Vec::new();
        for (slot, &(i, name)) in names.iter().enumerate() {
            name_rvas.push(string_rva);
            strings.extend_from_slice(name.as_bytes());
            strings.push(0);
            string_rva += name.len() as u32 + 1;
            function_rvas[slot] = match &self.exports[i].1 {
                Export::Code(_) | Export::CodeAtEnd(_) => {
                    text_range.virtual_address + text_offsets[i].unwrap()
                }
                Export::Data(_) => rdata_range.virtual_address + rdata_offsets[i].unwrap(),
                Export::Rva(rva) => *rva,
                Export::Forward(target) => {
                    let rva = string_rva;
                    strings.extend_from_slice(target.as_bytes());
                    strings.push(0);
                    string_rva += target.len() as u32 + 1;
                    rva
                }
            };
        }
        for rva in &function_rvas {
            edata.extend_from_slice(&rva.to_le_bytes());
        }
        for rva in &name_rvas {
            edata.extend_from_slice(&rva.to_le_bytes());
        }
        for slot in 0..n as u16 {
            edata.extend_from_slice(&slot.to_le_bytes());
        }
        edata.extend_from_slice(&strings);
        assert_eq!(edata.len(), edata_len as usize);

        w.write_dos_header_and_stub().unwrap();
        w.write_nt_headers(NtHeaders {
            machine: self.machine,
            time_date_stamp: self.time_date_stamp,
            characteristics: pe::IMAGE_FILE_EXECUTABLE_IMAGE
                | pe::IMAGE_FILE_DLL
                | pe::IMAGE_FILE_LARGE_ADDRESS_AWARE,
            major_linker_version: 14,
            minor_linker_version: 0,
            address_of_entry_point: 0,
            image_base: 0x1_8000_0000,
            major_operating_system_version: 10,
            minor_operating_system_version: 0,
            major_image_version: 10,
            minor_image_version: 0,
            major_subsystem_version: 10,
            minor_subsystem_version: 0,
            subsystem: pe::IMAGE_SUBSYSTEM_WINDOWS_CUI,
            dll_characteristics: 0,
            size_of_stack_reserve: 0x40000,
            size_of_stack_commit: 0x1000,
            size_of_heap_reserve: 0x100000,
            size_of_heap_commit: 0x1000,
        });
        w.write_section_headers();
        w.write_section(text_range.file_offset, &text);
        w.write_section(rdata_range.file_offset, &rdata);
        w.write_section(edata_range.file_offset, &edata);
        out
    }
}

fn le32(v: u32) -> object::U32<object::LittleEndian> {
    object::U32::new(object::LittleEndian, v)
}

fn le16(v: u16) -> object::U16<object::LittleEndian> {
    object::U16::new(object::LittleEndian, v)
}

/// `(os, version, build, function, number)` rows of the CSV the crate embeds.
pub fn csv_rows() -> Vec<(String, String, u32, String, u32)> {
    include_str!("../../data/windows-x64-syscalls.csv")
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            let number = u32::from_str_radix(f[4].trim_start_matches("0x"), 16).unwrap();
            (
                f[0].into(),
                f[1].into(),
                f[2].parse().unwrap(),
                f[3].into(),
                number,
            )
        })
        .collect()
}

/// The `(function, number)` pairs of one build in the CSV.
pub fn csv_build(build: u32) -> Vec<(String, u32)> {
    let mut pairs: Vec<(String, u32)> = csv_rows()
        .into_iter()
        .filter(|r| r.2 == build)
        .map(|r| (r.3, r.4))
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs
}

/// A small deterministic PRNG (xorshift64*), for the stable fuzz fallback.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Small images covering every path of the resolver: the fuzz seed corpus (written by
/// `tests/resolve_fuzz.rs`) and the stable fuzz fallback's starting points.
pub fn seed_fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let few = [
        ("NtClose", 0xf),
        ("NtReadFile", 6),
        ("NtWriteFile", 8),
        ("ZwClose", 0xf),
    ];
    let with = |name: &str, export: Export| {
        Fixture::new()
            .stubs(&few, win10_stub)
            .export(name, export)
            .build()
    };
    let mut arm64 = Fixture::new().stubs(&few, win10_stub);
    arm64.machine = pe::IMAGE_FILE_MACHINE_ARM64;
    let mut i386 = Fixture::new().stubs(&few, win7_stub);
    i386.machine = pe::IMAGE_FILE_MACHINE_I386;
    i386.is_64 = false;
    let mut truncated = win10_stub(3);
    truncated.truncate(19);
    vec![
        ("win10", Fixture::new().stubs(&few, win10_stub).build()),
        ("win7", Fixture::new().stubs(&few, win7_stub).build()),
        (
            "wine",
            Fixture::new()
                .stubs(&few, wine_stub)
                .export("NtGetTickCount", Export::Code(function()))
                .build(),
        ),
        (
            "hooked-jmp",
            with("NtAlertThread", Export::Code(jmp_hook())),
        ),
        (
            "hooked-int3",
            with("NtAlertThread", Export::Code(int3_hook(3))),
        ),
        (
            "unknown-shape",
            with("NtAlertThread", Export::Code(odd_stub(3))),
        ),
        (
            "truncated",
            with("NtAlertThread", Export::CodeAtEnd(truncated)),
        ),
        (
            "rva-outside",
            with("NtAlertThread", Export::Rva(0x7fff_0000)),
        ),
        (
            "forwarded",
            with("NtAlertThread", Export::Forward("x.NtAlertThread".into())),
        ),
        (
            "data-export",
            with("NtBuildNumber", Export::Data(vec![0x5a, 0x4a, 0, 0xf0])),
        ),
        (
            "no-nt",
            Fixture::new()
                .export("RtlGetVersion", Export::Code(function()))
                .build(),
        ),
        ("arm64", arm64.build()),
        ("i386", i386.build()),
    ]
}
