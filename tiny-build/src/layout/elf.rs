//! The ELF image: placement of the program's parts, the overlapping headers, and validation.
//! [`decide()`] makes every choice of the layout from the first link's measurement; [`write()`]
//! and [`validate`] make and check the file.
//!
//! Each architecture has its [`Shape`] ([`shape`]): the class's header sizes and the header
//! bytes that may hold code or data there. ELF64 on x86-64 is the densest (below);
//! ELF32 (x86, arm) puts the 32-byte program header at 0x2C, over the ELF header's last 8
//! bytes in the same way (`p_type` = 1 is `e_phnum`, `p_offset` = 0 is `e_shnum` and
//! `e_shstrndx`), so that the headers end at 0x4C. The other architectures run under
//! `qemu-user` in the tests, which also checks `e_ehsize` and, for some, `e_flags`: those stay
//! valid there.
//!
//! The x86-64 file is a 64-byte ELF header with the single program header starting at offset 0x38,
//! overlapping the header's last 8 bytes (`e_phnum`, `e_shentsize`, `e_shnum`, `e_shstrndx`
//! share their bytes with `p_type` and `p_flags`: `p_type` = `PT_LOAD` = 1 makes `e_phnum` 1).
//! The headers end at 0x70. One `PT_LOAD` maps the whole file, from offset 0, at [`BASE`].
//!
//! Linux reads only some header fields (`fs/binfmt_elf.c`: the magic, `e_type`, `e_machine`,
//! `e_entry`, `e_phoff`, `e_phentsize`, `e_phnum`, and in the program header `p_type`,
//! `p_flags`, `p_offset`, `p_vaddr`, `p_filesz`, `p_memsz`). The bytes of the others are
//! [`GAPS`]: code or data that fits goes there. The `e_ident` class, data and version bytes are
//! kept valid so that `readelf` and `object` still parse the header.

use object::elf;
use object::pod::bytes_of;
use object::{LittleEndian as LE, U16, U32, U64};

use super::Piece;
use crate::target::Arch;

mod decide;
pub use decide::{Contents, ElfLayout, Measured, Overlay, Symbol, decide};

/// Load address of the image: the lowest address Linux maps by default (`vm.mmap_min_addr`).
pub const BASE: u64 = 0x10000;
/// Offset of the program header, inside the ELF header.
pub const PHDR_OFFSET: u64 = 0x38;
/// Where the headers end: the program header is 0x38 bytes long.
pub const HEADERS_END: u64 = PHDR_OFFSET + 0x38;
/// Where the parts placed after the headers start: over the program header's last field,
/// `p_align` (0x68..0x70), which Linux reads only for `ET_DYN` files (`load_elf_binary` computes
/// a load alignment for position-independent executables; an `ET_EXEC` file is mapped at its
/// `p_vaddr` whatever `p_align` says). The file is never shorter than the headers.
pub const TAIL_START: u64 = HEADERS_END - 8;

/// A run of header bytes that Linux ignores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    /// File offset.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
    /// The header fields it covers.
    pub fields: &'static str,
}

/// The header bytes Linux ignores in an ELF64 file on x86-64, by offset.
pub const GAPS: &[Gap] = &[
    Gap {
        offset: 0x08,
        len: 8,
        fields: "e_ident[EI_ABIVERSION..EI_NIDENT] (padding)",
    },
    Gap {
        offset: 0x14,
        len: 4,
        fields: "e_version",
    },
    Gap {
        offset: 0x28,
        len: 14,
        fields: "e_shoff, e_flags, e_ehsize",
    },
    Gap {
        offset: 0x50,
        len: 8,
        fields: "p_paddr",
    },
];

/// The header bytes of an ELF64 file on aarch64 and riscv64 that hold code or data:
/// [`GAPS`] without `e_ehsize` (qemu-user checks it) and, on riscv64, without `e_flags`
/// (the float ABI and RVC flags).
const GAPS_A64: &[Gap] = &[
    GAPS[0],
    GAPS[1],
    Gap {
        offset: 0x28,
        len: 12,
        fields: "e_shoff, e_flags",
    },
    GAPS[3],
];
const GAPS_RV64: &[Gap] = &[
    GAPS[0],
    GAPS[1],
    Gap {
        offset: 0x28,
        len: 8,
        fields: "e_shoff",
    },
    GAPS[3],
];

/// The header bytes of an ELF32 file on x86 that hold code or data: the `e_ident` padding,
/// `e_version`, `e_shoff` and `e_flags` (not `e_ehsize`: qemu-user checks it), `p_paddr`.
const GAPS_32: &[Gap] = &[
    GAPS[0],
    GAPS[1],
    Gap {
        offset: 0x20,
        len: 8,
        fields: "e_shoff, e_flags",
    },
    Gap {
        offset: 0x38,
        len: 4,
        fields: "p_paddr",
    },
];
/// The same on arm, without `e_flags` (the kernel reads the EABI version and float ABI).
const GAPS_ARM: &[Gap] = &[
    GAPS[0],
    GAPS[1],
    Gap {
        offset: 0x20,
        len: 4,
        fields: "e_shoff",
    },
    GAPS_32[3],
];

/// The headers of one architecture's files: their sizes and the bytes that may hold code or
/// data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// 64-bit ELF (`ELFCLASS64`), else 32-bit.
    pub elf64: bool,
    /// Size of the ELF header (`e_ehsize`).
    pub ehdr_size: u64,
    /// Size of the program header (`e_phentsize`).
    pub phdr_size: u64,
    /// Offset of the program header, over the ELF header's last 8 bytes.
    pub phdr_offset: u64,
    /// Where the headers end.
    pub headers_end: u64,
    /// Where the parts after the headers start: over `p_align`, the program header's last
    /// field.
    pub tail_start: u64,
    /// The header bytes that may hold code or data.
    pub gaps: &'static [Gap],
    /// `e_flags`.
    pub flags: u32,
}

const fn elf64(gaps: &'static [Gap]) -> Shape {
    Shape {
        elf64: true,
        ehdr_size: 64,
        phdr_size: 56,
        phdr_offset: PHDR_OFFSET,
        headers_end: HEADERS_END,
        tail_start: TAIL_START,
        gaps,
        flags: 0,
    }
}

const fn elf32(gaps: &'static [Gap], flags: u32) -> Shape {
    Shape {
        elf64: false,
        ehdr_size: 52,
        phdr_size: 32,
        phdr_offset: 52 - 8,
        headers_end: 52 - 8 + 32,
        tail_start: 52 - 8 + 32 - 4,
        gaps,
        flags,
    }
}

/// ARM's `e_flags`: EABI version 5, hard-float calling convention (what rustc's objects say).
const ARM_FLAGS: u32 = elf::EF_ARM_EABI_VER5 | 0x400;
/// RISC-V's `e_flags`: RVC code, double-precision float ABI (`riscv64gc`).
const RISCV_FLAGS: u32 = elf::EF_RISCV_RVC | elf::EF_RISCV_FLOAT_ABI_DOUBLE;

/// The header shape of `arch`'s files.
pub fn shape(arch: Arch) -> Shape {
    match arch {
        Arch::X86_64 => elf64(GAPS),
        Arch::Aarch64 => elf64(GAPS_A64),
        Arch::Riscv64 => Shape {
            flags: RISCV_FLAGS,
            ..elf64(GAPS_RV64)
        },
        Arch::X86 => elf32(GAPS_32, 0),
        Arch::Arm => elf32(GAPS_ARM, ARM_FLAGS),
    }
}

/// Where every piece goes, and the resulting file and memory sizes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    /// File offset of each piece, in the order given to [`place`].
    pub offsets: Vec<u64>,
    /// File offset of `.bss` (past the end of the file).
    pub bss_offset: u64,
    /// File size.
    pub file_len: u64,
    /// Size of the loaded image, bss included.
    pub mem_len: u64,
}

fn align_up(x: u64, align: u64) -> u64 {
    x.div_ceil(align.max(1)) * align.max(1)
}

/// Chooses an offset for every piece so that the file is as small as possible.
///
/// Each piece goes into one of the [`GAPS`] (several may share a gap, packed in order) or after
/// the headers, where a piece may start over the trap of the one before (see [`Piece::trap`])
/// and the trap of the last one is cut. Every assignment is tried — there are at most a handful of pieces — and every
/// order of the pieces after the headers; the first smallest result wins, so the choice is
/// deterministic.
pub fn place(pieces: &[Piece], bss: (u64, u64)) -> Placement {
    place_in(&shape(Arch::X86_64), pieces, bss)
}

/// [`place`] in the headers of `shape`.
pub fn place_in(shape: &Shape, pieces: &[Piece], bss: (u64, u64)) -> Placement {
    let slots = shape.gaps.len() + 1; // the last slot is "after the headers"
    let mut best: Option<Placement> = None;
    let mut choice = vec![0usize; pieces.len()];
    'assignments: loop {
        if let Some(p) = try_assignment(shape, pieces, &choice, bss)
            && best.as_ref().is_none_or(|b| p.file_len < b.file_len)
        {
            best = Some(p);
        }
        // next assignment (odometer over slots)
        for c in choice.iter_mut() {
            *c += 1;
            if *c < slots {
                continue 'assignments;
            }
            *c = 0;
        }
        break;
    }
    best.expect("placing every piece after the headers always works")
}

fn try_assignment(
    shape: &Shape,
    pieces: &[Piece],
    choice: &[usize],
    bss: (u64, u64),
) -> Option<Placement> {
    let mut offsets = vec![0u64; pieces.len()];
    for (g, gap) in shape.gaps.iter().enumerate() {
        let mut cursor = gap.offset;
        for (i, piece) in pieces.iter().enumerate().filter(|(i, _)| choice[*i] == g) {
            cursor = align_up(cursor, piece.align);
            offsets[i] = cursor;
            cursor += piece.size;
        }
        if cursor > gap.offset + gap.len {
            return None;
        }
    }
    let tail: Vec<usize> = (0..pieces.len())
        .filter(|i| choice[*i] == shape.gaps.len())
        .collect();
    let mut best: Option<(u64, Vec<u64>)> = None;
    for order in permutations(&tail) {
        let mut cursor = shape.tail_start;
        let mut offs = offsets.clone();
        let mut trap = 0;
        for &i in &order {
            cursor -= trap; // over the trap of the piece before
            if cursor > shape.tail_start {
                cursor += pieces[i].lead; // not over the piece before
            }
            cursor = align_up(cursor, pieces[i].align);
            offs[i] = cursor;
            cursor += pieces[i].size;
            trap = pieces[i].trap;
        }
        cursor -= trap; // cut at the end of the file
        if leads_clear(pieces, &offs) && best.as_ref().is_none_or(|(end, _)| cursor < *end) {
            best = Some((cursor, offs));
        }
    }
    let (file_len, offsets) = best?;
    let file_len = file_len.max(shape.headers_end);
    let bss_offset = align_up(file_len, bss.1);
    let mem_len = if bss.0 == 0 {
        file_len
    } else {
        bss_offset + bss.0
    };
    Some(Placement {
        offsets,
        bss_offset,
        file_len,
        mem_len,
    })
}

/// Whether the lead of every piece (see [`Piece::lead`]) lies inside the file and over no
/// other piece.
fn leads_clear(pieces: &[Piece], offsets: &[u64]) -> bool {
    pieces.iter().zip(offsets).all(|(p, &off)| {
        p.lead == 0
            || off >= p.lead
                && pieces
                    .iter()
                    .zip(offsets)
                    .all(|(q, &q_off)| q_off + q.size <= off - p.lead || q_off >= off)
    })
}

fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for (i, &first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first);
            all.push(p);
        }
    }
    all
}

/// `e_machine` for `arch`.
pub fn machine(arch: Arch) -> u16 {
    match arch {
        Arch::X86_64 => elf::EM_X86_64,
        Arch::X86 => elf::EM_386,
        Arch::Aarch64 => elf::EM_AARCH64,
        Arch::Riscv64 => elf::EM_RISCV,
        Arch::Arm => elf::EM_ARM,
    }
}

/// What the image is made of: the headers' values and the bytes of each section.
#[derive(Clone, Debug)]
pub struct Image<'a> {
    /// Target architecture.
    pub arch: Arch,
    /// Entry point address.
    pub entry: u64,
    /// File and memory sizes, from [`place`].
    pub file_len: u64,
    /// Size of the loaded image.
    pub mem_len: u64,
    /// Whether the segment must be writable (data or bss present).
    pub writable: bool,
    /// `(address, bytes)` of every section with file contents.
    pub sections: Vec<(u64, &'a [u8])>,
}

/// The headers alone, `headers_end` bytes: the ELF header, then the program header over its
/// last 8 bytes.
fn headers(img: &Image<'_>) -> Vec<u8> {
    let shape = shape(img.arch);
    let flags = elf::PF_R | elf::PF_X | if img.writable { elf::PF_W } else { 0 };
    let (ehdr, phdr) = if shape.elf64 {
        headers64(img, flags)
    } else {
        headers32(img, flags)
    };
    let mut out = vec![0u8; shape.headers_end as usize];
    let p = shape.phdr_offset as usize;
    out[..ehdr.len()].copy_from_slice(&ehdr);
    assert_eq!(
        out[p..ehdr.len()],
        phdr[..ehdr.len() - p],
        "overlapping header fields disagree"
    );
    out[p..].copy_from_slice(&phdr);
    out
}

/// The ELF64 headers, apart.
fn headers64(img: &Image<'_>, flags: u32) -> (Vec<u8>, Vec<u8>) {
    let e = LE;
    let shape = shape(img.arch);
    let ehdr = elf::FileHeader64::<LE> {
        e_ident: elf::Ident {
            magic: elf::ELFMAG,
            class: elf::ELFCLASS64,
            data: elf::ELFDATA2LSB,
            version: elf::EV_CURRENT,
            os_abi: elf::ELFOSABI_NONE,
            abi_version: 0,
            padding: [0; 7],
        },
        e_type: U16::new(e, elf::ET_EXEC),
        e_machine: U16::new(e, machine(img.arch)),
        e_version: U32::new(e, elf::EV_CURRENT.into()),
        e_entry: U64::new(e, img.entry),
        e_phoff: U64::new(e, shape.phdr_offset),
        e_shoff: U64::new(e, 0),
        e_flags: U32::new(e, shape.flags),
        e_ehsize: U16::new(e, 64),
        e_phentsize: U16::new(e, 56),
        // These four share their bytes with p_type and p_flags below.
        e_phnum: U16::new(e, 1),
        e_shentsize: U16::new(e, 0),
        e_shnum: U16::new(e, flags as u16),
        e_shstrndx: U16::new(e, 0),
    };
    let phdr = elf::ProgramHeader64::<LE> {
        p_type: U32::new(e, elf::PT_LOAD),
        p_flags: U32::new(e, flags),
        p_offset: U64::new(e, 0),
        p_vaddr: U64::new(e, BASE),
        p_paddr: U64::new(e, BASE),
        p_filesz: U64::new(e, img.file_len),
        p_memsz: U64::new(e, img.mem_len),
        p_align: U64::new(e, 0x1000),
    };
    (bytes_of(&ehdr).to_vec(), bytes_of(&phdr).to_vec())
}

/// The ELF32 headers, apart.
fn headers32(img: &Image<'_>, flags: u32) -> (Vec<u8>, Vec<u8>) {
    let e = LE;
    let shape = shape(img.arch);
    let word = |v: u64| U32::new(e, v as u32);
    let ehdr = elf::FileHeader32::<LE> {
        e_ident: elf::Ident {
            magic: elf::ELFMAG,
            class: elf::ELFCLASS32,
            data: elf::ELFDATA2LSB,
            version: elf::EV_CURRENT,
            os_abi: elf::ELFOSABI_NONE,
            abi_version: 0,
            padding: [0; 7],
        },
        e_type: U16::new(e, elf::ET_EXEC),
        e_machine: U16::new(e, machine(img.arch)),
        e_version: U32::new(e, elf::EV_CURRENT.into()),
        e_entry: word(img.entry),
        e_phoff: word(shape.phdr_offset),
        e_shoff: U32::new(e, 0),
        e_flags: U32::new(e, shape.flags),
        e_ehsize: U16::new(e, 52),
        e_phentsize: U16::new(e, 32),
        // These four share their bytes with p_type and p_offset below.
        e_phnum: U16::new(e, 1),
        e_shentsize: U16::new(e, 0),
        e_shnum: U16::new(e, 0),
        e_shstrndx: U16::new(e, 0),
    };
    let phdr = elf::ProgramHeader32::<LE> {
        p_type: U32::new(e, elf::PT_LOAD),
        p_offset: U32::new(e, 0),
        p_vaddr: word(BASE),
        p_paddr: word(BASE),
        p_filesz: word(img.file_len),
        p_memsz: word(img.mem_len),
        p_flags: U32::new(e, flags),
        p_align: U32::new(e, 0x1000),
    };
    (bytes_of(&ehdr).to_vec(), bytes_of(&phdr).to_vec())
}

/// Writes the image: headers, then every section at its offset (those in [`GAPS`] overwrite
/// ignored header fields). Fails if a section would cover a header byte Linux reads.
pub fn write(img: &Image<'_>) -> Result<Vec<u8>, String> {
    let shape = shape(img.arch);
    let hdr = headers(img);
    let mut out = vec![0u8; img.file_len.max(shape.headers_end) as usize];
    out[..hdr.len()].copy_from_slice(&hdr);
    for &(addr, bytes) in &img.sections {
        let off = addr
            .checked_sub(BASE)
            .ok_or("a section lies below the image base")? as usize;
        let end = off + bytes.len();
        if end > out.len() {
            return Err(format!(
                "a section at {addr:#x} ends past the file ({end} > {})",
                out.len()
            ));
        }
        for i in off..end.min(shape.headers_end as usize) {
            let ignored = (shape.tail_start..shape.headers_end).contains(&(i as u64))
                || shape
                    .gaps
                    .iter()
                    .any(|g| (g.offset..g.offset + g.len).contains(&(i as u64)));
            if !ignored {
                return Err(format!("a section at {addr:#x} covers header byte {i:#x}"));
            }
        }
        out[off..end].copy_from_slice(bytes);
    }
    Ok(out)
}

/// Re-parses a written image with `object` and checks it against what it was made from: the
/// header fields Linux reads, the one `PT_LOAD`, the entry inside it, every section's bytes.
pub fn validate(file: &[u8], img: &Image<'_>) -> Result<(), String> {
    let shape = shape(img.arch);
    let parsed = if shape.elf64 {
        read_headers::<elf::FileHeader64<LE>>(file)
    } else {
        read_headers::<elf::FileHeader32<LE>>(file)
    }?;
    let check = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(format!("{what} is wrong"))
        }
    };
    check(parsed.e_type == elf::ET_EXEC, "e_type")?;
    check(parsed.e_machine == machine(img.arch), "e_machine")?;
    check(parsed.e_phoff == shape.phdr_offset, "e_phoff")?;
    check(
        u64::from(parsed.e_phentsize) == shape.phdr_size,
        "e_phentsize",
    )?;
    check(parsed.phdrs == 1, "e_phnum")?;
    check(parsed.p_type == elf::PT_LOAD, "p_type")?;
    check(
        parsed.p_offset == 0 && parsed.p_vaddr == BASE,
        "p_offset/p_vaddr",
    )?;
    check(parsed.p_filesz == file.len() as u64, "p_filesz")?;
    check(parsed.p_memsz >= parsed.p_filesz, "p_memsz")?;
    check(parsed.p_flags & elf::PF_X != 0, "p_flags (not executable)")?;
    check(
        !img.writable || parsed.p_flags & elf::PF_W != 0,
        "p_flags (data not writable)",
    )?;
    let entry = parsed.e_entry;
    check(
        entry >= BASE && entry < BASE + file.len() as u64,
        "e_entry (outside the file)",
    )?;
    for &(addr, bytes) in &img.sections {
        let off = (addr - BASE) as usize;
        check(
            file.get(off..off + bytes.len()) == Some(bytes),
            "a section's bytes",
        )?;
    }
    Ok(())
}

/// The header fields [`validate`] checks, as `object` reads them from either class.
struct Parsed {
    e_type: u16,
    e_machine: u16,
    e_phoff: u64,
    e_phentsize: u16,
    e_entry: u64,
    phdrs: usize,
    p_type: u32,
    p_flags: u32,
    p_offset: u64,
    p_vaddr: u64,
    p_filesz: u64,
    p_memsz: u64,
}

fn read_headers<H: object::read::elf::FileHeader<Endian = LE>>(
    file: &[u8],
) -> Result<Parsed, String> {
    use object::read::elf::ProgramHeader;
    let e = LE;
    let hdr = H::parse(file).map_err(|err| format!("ELF header: {err}"))?;
    let phdrs = hdr
        .program_headers(e, file)
        .map_err(|err| format!("program headers: {err}"))?;
    let ph = phdrs.first().ok_or("no program header")?;
    Ok(Parsed {
        e_type: hdr.e_type(e),
        e_machine: hdr.e_machine(e),
        e_phoff: hdr.e_phoff(e).into(),
        e_phentsize: hdr.e_phentsize(e),
        e_entry: hdr.e_entry(e).into(),
        phdrs: phdrs.len(),
        p_type: ph.p_type(e),
        p_flags: ph.p_flags(e),
        p_offset: ph.p_offset(e).into(),
        p_vaddr: ph.p_vaddr(e).into(),
        p_filesz: ph.p_filesz(e).into(),
        p_memsz: ph.p_memsz(e).into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_lies_over_header_bytes_but_not_over_another_piece() {
        let mut text = Piece::new(".text", 300, 1);
        text.lead = 5;
        // Alone: the lead lies over p_memsz.
        let p = place(&[text], (0, 1));
        assert_eq!(p.offsets, vec![TAIL_START]);
        // With 20 bytes of data aligned to 8 (too big for a gap): the code goes first, where
        // its lead costs nothing, although the data first would save the padding.
        let p = place(&[text, Piece::new(".rodata", 20, 8)], (0, 1));
        assert_eq!(p.offsets, vec![TAIL_START, align_up(TAIL_START + 300, 8)]);
        // After another piece, the lead takes its bytes in the file.
        let mut small = Piece::new(".text.small", 30, 1);
        small.lead = 3;
        let p = place(&[text, small], (0, 1));
        assert_eq!(p.offsets, vec![TAIL_START, TAIL_START + 300 + 3]);
    }

    #[test]
    fn a_trap_lies_under_the_next_piece_or_past_the_end() {
        let mut text = Piece::new(".text", 200, 1);
        text.lead = 1;
        text.trap = 2;
        // Alone: the file ends before the trap.
        let p = place(&[text], (0, 1));
        assert_eq!(p.file_len, TAIL_START + 198);
        // The routines after it start over its trap; the code stays first (its lead).
        let p = place(&[text, Piece::new(".text.lib", 30, 1)], (0, 1));
        assert_eq!(p.offsets, vec![TAIL_START, TAIL_START + 198]);
        assert_eq!(p.file_len, TAIL_START + 198 + 30);
    }

    #[test]
    fn hello_message_goes_into_the_header() {
        // 25 bytes of code, the 14-byte "Hello, World!\n"
        let p = place(
            &[Piece::new(".text", 25, 1), Piece::new(".rodata", 14, 1)],
            (0, 1),
        );
        assert_eq!(p.offsets, vec![TAIL_START, 0x28]);
        assert_eq!(p.file_len, TAIL_START + 25);
    }

    #[test]
    fn tiny_code_fits_entirely_in_the_headers() {
        let p = place(&[Piece::new(".text", 11, 1)], (0, 1));
        assert_eq!(p.file_len, HEADERS_END);
        assert_eq!(p.offsets, vec![0x28]);
    }

    #[test]
    fn alignment_is_respected_and_bss_follows() {
        let p = place(
            &[
                Piece::new(".text", 300, 1),
                Piece::new(".rodata", 40, 16),
                Piece::new(".data", 4, 4),
            ],
            (100, 8),
        );
        for (off, al) in p.offsets.iter().zip([1, 16, 4]) {
            assert_eq!(off % al, 0);
        }
        assert_eq!(p.bss_offset % 8, 0);
        assert!(p.bss_offset >= p.file_len);
        assert_eq!(p.mem_len, p.bss_offset + 100);
    }

    fn image<'a>(sections: Vec<(u64, &'a [u8])>, file_len: u64) -> Image<'a> {
        Image {
            arch: Arch::X86_64,
            entry: BASE + 0x70,
            file_len,
            mem_len: file_len,
            writable: false,
            sections,
        }
    }

    #[test]
    fn written_image_validates_and_overlaps_headers() {
        let code = [0x90u8; 5];
        let msg = b"Hello, World!\n";
        let img = image(vec![(BASE + 0x70, &code), (BASE + 0x28, msg)], 0x75);
        let file = write(&img).unwrap();
        assert_eq!(file.len(), 0x75);
        assert_eq!(&file[0x28..0x36], msg);
        assert_eq!(&file[0x38..0x3c], &[1, 0, 0, 0]); // p_type PT_LOAD == e_phnum 1
        validate(&file, &img).unwrap();
    }

    #[test]
    fn the_tail_starts_over_p_align_and_the_file_keeps_the_headers_whole() {
        let p = place(&[Piece::new(".text", 20, 1)], (0, 1));
        assert_eq!((p.offsets[0], p.file_len), (TAIL_START, TAIL_START + 20));
        for size in 1..40 {
            for (text, rodata) in [(size, 14), (size, 8), (14, size), (size, 30)] {
                let p = place(
                    &[
                        Piece::new(".text", text, 1),
                        Piece::new(".rodata", rodata, 1),
                    ],
                    (0, 1),
                );
                assert!(p.file_len >= HEADERS_END, "{text} {rodata}: {p:?}");
            }
        }
    }

    #[test]
    fn a_section_over_a_read_header_field_is_refused() {
        let code = [0x90u8; 4];
        let img = image(vec![(BASE + 0x18, &code)], 0x70); // e_entry
        assert!(write(&img).unwrap_err().contains("header byte 0x18"));
    }
}
