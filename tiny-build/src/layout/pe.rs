//! The PE image: a squeezed PE32+ made from what `lld-link` linked, and the Windows loader
//! rules it must satisfy, as a checked list with sources.
//!
//! Layout (low-alignment, "flat" mode: file offset = RVA, see rule 12), as [`decide`] makes it:
//!
//! | offset | what |
//! |---|---|
//! | 0x00 | `MZ`; the DOS header is otherwise not needed |
//! | 0x04 | `PE\0\0` (`e_lfanew` = 4, which is also `SectionAlignment`, rule 13) |
//! | 0x08 | COFF file header |
//! | 0x1C | PE32+ optional header (0x70 bytes), no data directories (rule 10) |
//! | 0x8C | the one section header |
//! | 0xB4 | the section, where the headers end (at 0xC0 when it holds data: see [`decide`]): code, read-only data, data, then zero padding to 268 bytes |
//!
//! The section is moved from where `lld-link` put it, so its absolute addresses (the base
//! relocations `lld-link` recorded) are adjusted; nothing else in it depends on its address,
//! because x86-64 code reaches its data relative to `rip`.

use object::LittleEndian as LE;
use object::pe;
use object::read::coff::CoffHeader;
use object::read::pe::{ImageNtHeaders, ImageOptionalHeader, PeFile64};

/// Offset of the PE signature (`e_lfanew`).
pub const E_LFANEW: u32 = 4;
/// Data directories: none (`NumberOfRvaAndSizes` = 0, rule 10). The image imports nothing, has
/// no relocations left (the squeeze applies them), no exception table and no TLS.
const DATA_DIRECTORIES: u32 = 0;
/// Size of the optional header with its data directories.
const OPTIONAL_HEADER_SIZE: u16 = 0x70 + 8 * DATA_DIRECTORIES as u16;
/// Offset of the section table.
const SECTION_TABLE: u32 = E_LFANEW + 4 + 20 + OPTIONAL_HEADER_SIZE as u32;
/// End of the headers: where the section starts when its contents need no more alignment than
/// the file's (4).
pub const HEADERS_END: u32 = SECTION_TABLE + 40;
/// The alignment the section keeps when it holds read-only data or data and what the
/// program's objects ask for is not known (an object the link took from an archive): what
/// `lld-link` gives its sections (`/align:16`, so the section keeps its offsets modulo 16).
/// When it is known, [`data_alignment`] says it. Code alone needs none (jump tables are in
/// `.rdata`).
pub const DATA_ALIGN: u32 = 16;
/// 64-bit Windows refuses an image smaller than `e_lfanew + sizeof(IMAGE_NT_HEADERS64)` (rule 4).
pub const MIN_FILE_SIZE: u32 = E_LFANEW + 0x108;
/// Load address: a multiple of 64 KiB (rule 18), the usual one for x64 executables.
pub const IMAGE_BASE: u64 = 0x1_4000_0000;

/// The program as `lld-link` linked it: its sections as one span, and its fixups.
#[derive(Debug)]
pub struct Linked {
    /// `ImageBase` it was linked at.
    pub image_base: u64,
    /// RVA of the section.
    pub rva: u32,
    /// The span's initialized bytes (gaps and what follows the last non-zero byte left out).
    pub bytes: Vec<u8>,
    /// The section's size in memory (bss included).
    pub virtual_size: u32,
    /// RVA of the entry point.
    pub entry: u32,
    /// RVAs of the 64-bit absolute addresses in the section (`IMAGE_REL_BASED_DIR64`).
    pub fixups: Vec<u32>,
    /// Whether any section other than `.text` has bytes or a size.
    pub has_data: bool,
    /// The alignment that data needs: the section's file offset keeps the linked one modulo
    /// this ([`DATA_ALIGN`] unless the link step knows better: [`data_alignment`]).
    pub data_align: u32,
}

/// The largest alignment any data section of the COFF object `file` asks for, and at least the
/// file alignment (4): read-only data, data and bss, not code (which runs at any address) and
/// not the unwind tables (`.pdata`, `.xdata`: left out of the image) or debug and linker
/// sections. Linked with this section alignment (`/align:N`), every piece of data lands at an
/// address its own alignment divides, as long as the section's offset is a multiple of it too.
pub fn data_alignment(file: &[u8]) -> Result<u32, String> {
    use object::{Object, ObjectSection, SectionKind};
    let object = object::File::parse(file).map_err(|e| format!("cannot read the object: {e}"))?;
    let mut align = u64::from(E_LFANEW);
    for section in object.sections() {
        let name = section.name().unwrap_or("");
        let unwind = name.starts_with(".pdata") || name.starts_with(".xdata");
        let data = matches!(
            section.kind(),
            SectionKind::Data
                | SectionKind::ReadOnlyData
                | SectionKind::ReadOnlyString
                | SectionKind::UninitializedData
                | SectionKind::Tls
                | SectionKind::UninitializedTls
        );
        if data && !unwind && section.size() > 0 {
            align = align.max(section.align());
        }
    }
    u32::try_from(align).map_err(|_| format!("a section asks for an alignment of {align}"))
}

/// Sections `lld-link` may produce that the image leaves out: the function table of the unwind
/// data (merged into `.tinyuw` by the link command, which lld places after the data; nothing in
/// the program reads it) and the base relocations (applied here instead).
pub const DROPPED_SECTIONS: &[&str] = &[".tinyuw", ".reloc"];

/// Reads what `lld-link` produced. Refuses imports, TLS and any section other than `.text`,
/// `.rdata`, `.data`, `.bss` and [`DROPPED_SECTIONS`], naming them.
pub fn read_linked(data: &[u8]) -> Result<Linked, String> {
    let file = PeFile64::parse(data).map_err(|e| format!("cannot parse the linked PE: {e}"))?;
    let e = LE;
    let opt = file.nt_headers().optional_header();
    let dirs = file.data_directories();
    for (index, what) in [
        (pe::IMAGE_DIRECTORY_ENTRY_IMPORT, "imports a DLL"),
        (pe::IMAGE_DIRECTORY_ENTRY_TLS, "uses thread-local storage"),
    ] {
        if dirs
            .get(index)
            .is_some_and(|d| d.virtual_address.get(e) != 0)
        {
            return Err(format!(
                "the program {what}, which a tiny image cannot hold"
            ));
        }
    }
    // The sections lld-link laid out at 16-byte section alignment, in RVA order; the image
    // keeps the span from the first to the end of the last one's initialized bytes, gaps
    // zero-filled, so every RIP-relative distance between them stays what the linker made it.
    let mut kept = Vec::new();
    for s in file.section_table().iter() {
        let name = String::from_utf8_lossy(s.raw_name())
            .trim_end_matches('\0')
            .to_owned();
        match name.as_str() {
            ".text" | ".rdata" | ".data" | ".bss" => kept.push(s),
            n if DROPPED_SECTIONS.contains(&n) => {}
            n => return Err(format!("the program has a section tiny cannot place: {n}")),
        }
    }
    kept.sort_by_key(|s| s.virtual_address.get(e));
    let first = kept.first().ok_or("the linked program has no sections")?;
    let rva = first.virtual_address.get(e);
    let mut bytes = Vec::new();
    let mut virtual_end = rva;
    let mut has_data = false;
    for s in &kept {
        let at = (s.virtual_address.get(e) - rva) as usize;
        let size = s.virtual_size.get(e) as usize;
        let raw = s
            .pe_data(data)
            .map_err(|err| format!("section data: {err}"))?;
        let raw = &raw[..raw.len().min(size)];
        let used = raw.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        if used > 0 {
            bytes.resize(bytes.len().max(at + used), 0);
            bytes[at..at + used].copy_from_slice(&raw[..used]);
        }
        virtual_end = virtual_end.max(s.virtual_address.get(e) + size as u32);
        has_data |= size > 0 && s.raw_name() != b".text\0\0\0";
    }
    let mut fixups = Vec::new();
    if let Some(mut blocks) = dirs
        .relocation_blocks(data, &file.section_table())
        .map_err(|err| err.to_string())?
    {
        while let Some(block) = blocks.next().map_err(|err| err.to_string())? {
            for r in block {
                match r.typ {
                    pe::IMAGE_REL_BASED_ABSOLUTE => {}
                    pe::IMAGE_REL_BASED_DIR64 => fixups.push(r.virtual_address),
                    t => {
                        return Err(format!(
                            "unsupported base relocation type {t} at {:#x}",
                            r.virtual_address
                        ));
                    }
                }
            }
        }
    }
    Ok(Linked {
        image_base: opt.image_base(),
        rva,
        virtual_size: (virtual_end - rva).max(bytes.len() as u32),
        bytes,
        entry: opt.address_of_entry_point(),
        fixups,
        has_data,
        data_align: DATA_ALIGN,
    })
}

/// Checks, in `lld-link`'s map, that the Windows start-up pieces (the `.text$tiny_init_*`
/// sections, see tiny-rt's `__tiny_init`: the start-up code and the `Runtime` records) lie one
/// right after the other: the code walks the records as an array that ends at the final
/// `ret`, so a gap (alignment padding, another section sorted among them) would be read as a
/// record or end the walk early. Maps without records pass.
pub fn check_init_chain(map: &str) -> Result<(), String> {
    let mut pieces: Vec<(u32, u64, u64, &str)> = Vec::new();
    for line in map.lines() {
        let mut fields = line.split_whitespace();
        let (Some(at), Some(len), Some(name)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if !name.starts_with(tiny_abi::INIT_SECTION_PREFIX) {
            continue;
        }
        let parsed = at.split_once(':').and_then(|(section, offset)| {
            Some((
                u32::from_str_radix(section, 16).ok()?,
                u64::from_str_radix(offset, 16).ok()?,
                u64::from_str_radix(len.strip_suffix('H')?, 16).ok()?,
            ))
        });
        let (section, offset, len) =
            parsed.ok_or_else(|| format!("cannot read the link map line `{line}`"))?;
        pieces.push((section, offset, len, name));
    }
    pieces.sort_by_key(|&(section, offset, _, _)| (section, offset));
    for pair in pieces.windows(2) {
        let ((s0, o0, l0, n0), (s1, o1, _, n1)) = (pair[0], pair[1]);
        if s0 != s1 || o0 + l0 != o1 {
            return Err(format!(
                "the start-up records are not contiguous: {n0} ends at {s0:04x}:{:08x}, {n1} starts at {s1:04x}:{o1:08x}",
                o0 + l0
            ));
        }
    }
    Ok(())
}

/// Whether `lld-link`'s map names an object taken from an archive (`library:object` in its
/// last column): its data alignment was not read (see [`data_alignment`]).
pub fn from_archive(map: &str) -> bool {
    map.lines()
        .filter(|line| line.trim_start().starts_with("000"))
        .filter_map(|line| line.split_whitespace().last())
        .any(|object| object.contains(':'))
}

/// The `Nt*`/`Rtl*` functions the program kept (`__tiny_nt_*`, from the link map's section
/// list), sorted, each with whether it goes through the loaded ntdll (a record filled in at
/// start) rather than a stub in the image.
pub fn ntdll_functions(map: &str) -> Vec<(String, bool)> {
    let mut found: Vec<(String, bool)> = map
        .lines()
        .filter_map(|line| {
            let section = line.split_whitespace().nth(2)?;
            let at_start = section.starts_with(tiny_abi::INIT_SECTION_PREFIX);
            let (_, name) = section.split_once(&format!("_{}", tiny_abi::NT_PREFIX))?;
            Some((name.to_owned(), at_start))
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Where everything goes in the squeezed image: a pure decision from the linked program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeLayout {
    /// RVA (= file offset) of the section.
    pub section_rva: u32,
    /// RVA of the entry point.
    pub entry: u32,
    /// The section's file bytes (a multiple of the file alignment, 4).
    pub raw_size: u32,
    /// The section's size in memory.
    pub virtual_size: u32,
    /// The file's length: at least [`MIN_FILE_SIZE`].
    pub file_len: u32,
    /// `SizeOfImage`.
    pub image_size: u32,
}

/// Decides the layout of `linked`: the section right where the headers end ([`HEADERS_END`]),
/// or at the next multiple of the alignment its data needs (`data_align`) when it holds data;
/// the file zero-padded to [`MIN_FILE_SIZE`].
pub fn decide(linked: &Linked) -> Result<PeLayout, String> {
    let align = if linked.has_data {
        linked.data_align.max(E_LFANEW)
    } else {
        E_LFANEW
    };
    let section_rva = HEADERS_END.next_multiple_of(align);
    let entry = linked
        .entry
        .checked_sub(linked.rva)
        .filter(|off| *off < linked.virtual_size)
        .ok_or("the entry point is outside .text")?
        + section_rva;
    let raw_size = (linked.bytes.len() as u32).next_multiple_of(E_LFANEW);
    let virtual_size = linked.virtual_size.max(raw_size);
    let file_len = (section_rva + raw_size).max(MIN_FILE_SIZE);
    let image_size = (section_rva + virtual_size)
        .max(file_len)
        .next_multiple_of(E_LFANEW);
    Ok(PeLayout {
        section_rva,
        entry,
        raw_size,
        virtual_size,
        file_len,
        image_size,
    })
}

/// Writes the squeezed image, laid out by [`decide`].
pub fn squeeze(linked: &Linked) -> Result<Vec<u8>, String> {
    let e = LE;
    let PeLayout {
        section_rva,
        entry,
        raw_size,
        virtual_size,
        file_len,
        image_size,
    } = decide(linked)?;
    let in_section = |rva: u32| {
        rva.checked_sub(linked.rva)
            .filter(|off| *off < linked.virtual_size)
    };
    let mut section = linked.bytes.to_vec();
    // Every absolute address moves with the section.
    let delta = (IMAGE_BASE + u64::from(section_rva))
        .wrapping_sub(linked.image_base + u64::from(linked.rva));
    for &rva in &linked.fixups {
        let off = in_section(rva).ok_or_else(|| format!("a fixup at {rva:#x} is outside .text"))?
            as usize;
        let Some(slot) = section.get_mut(off..off + 8) else {
            continue; // in the zero-filled tail: nothing to adjust... unless non-zero, which it is not
        };
        let value = u64::from_le_bytes(slot.try_into().expect("8 bytes"));
        slot.copy_from_slice(&value.wrapping_add(delta).to_le_bytes());
    }

    let mut out = vec![0u8; file_len as usize];
    out[..2].copy_from_slice(b"MZ");
    let file_header = pe::ImageFileHeader {
        machine: object::U16::new(e, pe::IMAGE_FILE_MACHINE_AMD64),
        number_of_sections: object::U16::new(e, 1),
        time_date_stamp: object::U32::new(e, 0),
        pointer_to_symbol_table: object::U32::new(e, 0),
        number_of_symbols: object::U32::new(e, 0),
        size_of_optional_header: object::U16::new(e, OPTIONAL_HEADER_SIZE),
        characteristics: object::U16::new(
            e,
            pe::IMAGE_FILE_EXECUTABLE_IMAGE | pe::IMAGE_FILE_LARGE_ADDRESS_AWARE,
        ),
    };
    let opt = pe::ImageOptionalHeader64 {
        magic: object::U16::new(e, pe::IMAGE_NT_OPTIONAL_HDR64_MAGIC),
        major_linker_version: 0,
        minor_linker_version: 0,
        size_of_code: object::U32::new(e, raw_size),
        size_of_initialized_data: object::U32::new(e, 0),
        size_of_uninitialized_data: object::U32::new(e, 0),
        address_of_entry_point: object::U32::new(e, entry),
        base_of_code: object::U32::new(e, section_rva),
        image_base: object::U64::new(e, IMAGE_BASE),
        section_alignment: object::U32::new(e, E_LFANEW),
        file_alignment: object::U32::new(e, E_LFANEW),
        major_operating_system_version: object::U16::new(e, 6),
        minor_operating_system_version: object::U16::new(e, 0),
        major_image_version: object::U16::new(e, 0),
        minor_image_version: object::U16::new(e, 0),
        major_subsystem_version: object::U16::new(e, 6),
        minor_subsystem_version: object::U16::new(e, 0),
        win32_version_value: object::U32::new(e, 0),
        size_of_image: object::U32::new(e, image_size),
        size_of_headers: object::U32::new(e, HEADERS_END),
        check_sum: object::U32::new(e, 0),
        subsystem: object::U16::new(e, pe::IMAGE_SUBSYSTEM_WINDOWS_CUI),
        dll_characteristics: object::U16::new(e, 0),
        size_of_stack_reserve: object::U64::new(e, 0x10_0000),
        size_of_stack_commit: object::U64::new(e, 0x1000),
        size_of_heap_reserve: object::U64::new(e, 0x10_0000),
        size_of_heap_commit: object::U64::new(e, 0x1000),
        loader_flags: object::U32::new(e, 0),
        number_of_rva_and_sizes: object::U32::new(e, DATA_DIRECTORIES),
    };
    let section_header = pe::ImageSectionHeader {
        name: *b".text\0\0\0",
        virtual_size: object::U32::new(e, virtual_size),
        virtual_address: object::U32::new(e, section_rva),
        size_of_raw_data: object::U32::new(e, raw_size),
        pointer_to_raw_data: object::U32::new(e, section_rva),
        pointer_to_relocations: object::U32::new(e, 0),
        pointer_to_linenumbers: object::U32::new(e, 0),
        number_of_relocations: object::U16::new(e, 0),
        number_of_linenumbers: object::U16::new(e, 0),
        characteristics: object::U32::new(
            e,
            pe::IMAGE_SCN_CNT_CODE
                | pe::IMAGE_SCN_CNT_INITIALIZED_DATA
                | pe::IMAGE_SCN_MEM_EXECUTE
                | pe::IMAGE_SCN_MEM_READ
                | pe::IMAGE_SCN_MEM_WRITE,
        ),
    };
    let mut at = E_LFANEW as usize;
    for bytes in [
        &b"PE\0\0"[..],
        object::pod::bytes_of(&file_header),
        object::pod::bytes_of(&opt),
        &[0; 8 * DATA_DIRECTORIES as usize],
        object::pod::bytes_of(&section_header),
    ] {
        out[at..at + bytes.len()].copy_from_slice(bytes);
        at += bytes.len();
    }
    debug_assert_eq!(at as u32, HEADERS_END);
    let start = section_rva as usize;
    out[start..start + section.len()].copy_from_slice(&section);
    Ok(out)
}

/// A Windows loader rule the image is checked against.
pub struct Rule {
    /// Number in `pe-loader-rules.md` (tiny's notes, from the sources below); 100 and up for
    /// rules that list does not have.
    pub id: u32,
    /// What the rule demands.
    pub text: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    check: fn(&Headers) -> bool,
}

/// The header fields the rules look at.
#[derive(Debug)]
pub struct Headers {
    file_len: u32,
    e_lfanew: u32,
    machine: u16,
    sections: u16,
    size_of_optional_header: u16,
    characteristics: u16,
    magic: u16,
    entry: u32,
    image_base: u64,
    section_alignment: u32,
    file_alignment: u32,
    subsystem_version: (u16, u16),
    win32_version_value: u32,
    size_of_image: u32,
    size_of_headers: u32,
    dll_characteristics: u16,
    loader_flags: u32,
    number_of_rva_and_sizes: u32,
    /// `(VirtualAddress, PointerToRawData, VirtualSize, SizeOfRawData)` of each section.
    section_table: Vec<(u32, u32, u32, u32)>,
}

const SPEC: &str =
    "Microsoft PE format specification (learn.microsoft.com/windows/win32/debug/pe-format)";
const CORKAMI: &str = "corkami/docs PE.md, corkami/pocs PE";

/// The rules, as checks. Wine checks far fewer of them, so passing under Wine proves none.
pub const RULES: &[Rule] = &[
    Rule {
        id: 1,
        text: "starts with MZ; e_lfanew points at PE\\0\\0",
        source: SPEC,
        check: |h| h.e_lfanew < h.file_len,
    },
    Rule {
        id: 2,
        text: "e_lfanew >= 4 and DWORD-aligned",
        source: CORKAMI,
        check: |h| h.e_lfanew >= 4 && h.e_lfanew % 4 == 0,
    },
    Rule {
        id: 4,
        text: "64-bit Windows needs file size >= e_lfanew + 0x108 (268 with e_lfanew 4)",
        source: "corkami tinyW7x64; min-sized-rust-windows #18 (Win11)",
        check: |h| h.file_len >= h.e_lfanew + 0x108,
    },
    Rule {
        id: 5,
        text: "Machine 0x8664 with Magic 0x20B",
        source: SPEC,
        check: |h| {
            h.machine == pe::IMAGE_FILE_MACHINE_AMD64
                && h.magic == pe::IMAGE_NT_OPTIONAL_HDR64_MAGIC
        },
    },
    Rule {
        id: 6,
        text: "EXECUTABLE_IMAGE set, DLL clear",
        source: SPEC,
        check: |h| {
            h.characteristics & pe::IMAGE_FILE_EXECUTABLE_IMAGE != 0
                && h.characteristics & pe::IMAGE_FILE_DLL == 0
        },
    },
    Rule {
        id: 7,
        text: "at most 96 sections",
        source: SPEC,
        check: |h| h.sections <= 96,
    },
    Rule {
        id: 8,
        text: "at least one section header (Windows 8 and later)",
        source: "corkami pocs readme (nosectionW7 !W8); pts-tinype hh1",
        check: |h| h.sections >= 1,
    },
    Rule {
        id: 9,
        text: "SizeOfOptionalHeader is 0x70 + 8n",
        source: "pferrie pehdr; min-sized-rust-windows",
        check: |h| h.size_of_optional_header >= 0x70 && h.size_of_optional_header % 8 == 0,
    },
    Rule {
        id: 10,
        text: "NumberOfRvaAndSizes fits SizeOfOptionalHeader (0 is allowed: no directories)",
        source: "corkami PE.md NumberOfRvaAndSizes; InkboxSoftware/smallEXE 268.asm (0 on Windows 10/11)",
        check: |h| {
            h.number_of_rva_and_sizes <= 16
                && 0x70 + 8 * h.number_of_rva_and_sizes <= u32::from(h.size_of_optional_header)
        },
    },
    Rule {
        id: 11,
        text: "SectionAlignment >= FileAlignment, powers of two; below 4 KiB they are equal",
        source: SPEC,
        check: |h| {
            h.section_alignment.is_power_of_two()
                && h.file_alignment.is_power_of_two()
                && h.section_alignment >= h.file_alignment
                && (h.section_alignment >= 0x1000 || h.section_alignment == h.file_alignment)
        },
    },
    Rule {
        id: 12,
        text: "low alignment: every section's VirtualAddress equals its PointerToRawData",
        source: "pferrie pehdr; Wine virtual.c map_image_into_view",
        check: |h| h.section_alignment >= 0x1000 || h.section_table.iter().all(|s| s.0 == s.1),
    },
    Rule {
        id: 13,
        text: "e_lfanew = 4 makes SectionAlignment = FileAlignment = 4",
        source: CORKAMI,
        check: |h| h.e_lfanew != 4 || (h.section_alignment == 4 && h.file_alignment == 4),
    },
    Rule {
        id: 14,
        text: "AddressOfEntryPoint >= SizeOfHeaders (Windows 8 and later)",
        source: "corkami PE.md AddressOfEntryPoint; pocs tiny.asm",
        check: |h| h.entry == 0 || h.entry >= h.size_of_headers,
    },
    Rule {
        id: 16,
        text: "sections lie inside the image, raw data inside the file",
        source: SPEC,
        check: |h| {
            h.section_table
                .iter()
                .all(|s| s.0 + s.2 <= h.size_of_image && s.1 + s.3 <= h.file_len)
        },
    },
    Rule {
        id: 17,
        text: "SizeOfImage is a multiple of SectionAlignment and >= 0x40",
        source: SPEC,
        check: |h| h.size_of_image % h.section_alignment.max(1) == 0 && h.size_of_image >= 0x40,
    },
    Rule {
        id: 18,
        text: "ImageBase is a multiple of 64 KiB",
        source: SPEC,
        check: |h| h.image_base % 0x1_0000 == 0,
    },
    Rule {
        id: 21,
        text: "subsystem version between 3.10 and the OS version (6.0 here)",
        source: "corkami PE.md MajorSubsystemVersion",
        check: |h| h.subsystem_version >= (3, 10) && h.subsystem_version <= (6, 2),
    },
    Rule {
        id: 23,
        text: "Win32VersionValue and LoaderFlags are 0",
        source: SPEC,
        check: |h| h.win32_version_value == 0 && h.loader_flags == 0,
    },
    Rule {
        id: 25,
        text: "no APPCONTAINER (0x1000) or FORCE_INTEGRITY (0x80) DllCharacteristics",
        source: "corkami PE.md DllCharacteristics",
        check: |h| h.dll_characteristics & 0x1080 == 0,
    },
    Rule {
        id: 100,
        text: "the entry point lies inside a section",
        source: SPEC,
        check: |h| {
            h.section_table
                .iter()
                .any(|s| (s.0..s.0 + s.2.max(s.3)).contains(&h.entry))
        },
    },
];

/// Parses the headers of a squeezed image with `object` (independently of [`squeeze`]).
pub fn headers(file: &[u8]) -> Result<Headers, String> {
    // object reads the NT headers in place and needs them 8-byte aligned in memory; at
    // e_lfanew = 4 they are not, in a plain byte buffer: copy the file to where they are.
    let lfanew = file
        .get(0x3C..0x40)
        .map_or(0, |b| u32::from_le_bytes(b.try_into().expect("4 bytes")));
    let shift = (8 - lfanew as usize % 8) % 8;
    let mut storage = vec![0u64; (file.len() + shift).div_ceil(8)];
    let bytes: &mut [u8] = object::pod::bytes_of_slice_mut(&mut storage);
    bytes[shift..shift + file.len()].copy_from_slice(file);
    parse_headers(&bytes[shift..shift + file.len()])
}

fn parse_headers(file: &[u8]) -> Result<Headers, String> {
    let e = LE;
    let dos = pe::ImageDosHeader::parse(file).map_err(|err| format!("DOS header: {err}"))?;
    // Read in place rather than with `ImageNtHeaders64::parse`, which cannot read a table of
    // zero data directories (object 0.37 casts its empty slice at a dangling address and
    // reports a misalignment).
    let nt_at = dos.nt_headers_offset() as usize;
    let (nt, _) = file
        .get(nt_at..)
        .and_then(|rest| object::pod::from_bytes::<pe::ImageNtHeaders64>(rest).ok())
        .ok_or("NT headers: the file is too short for them")?;
    if nt.signature.get(e) != pe::IMAGE_NT_SIGNATURE {
        return Err("NT headers: no PE signature".into());
    }
    let fh = nt.file_header();
    let opt = nt.optional_header();
    let offset = (nt_at + 4 + 20) as u64 + u64::from(fh.size_of_optional_header.get(e));
    let table = fh
        .sections(file, offset)
        .map_err(|err| format!("section table: {err}"))?;
    // pelite, an independent reader, must accept the image too.
    pelite::pe64::PeFile::from_bytes(file).map_err(|err| format!("pelite: {err}"))?;
    Ok(Headers {
        file_len: file.len() as u32,
        e_lfanew: dos.nt_headers_offset(),
        machine: fh.machine.get(e),
        sections: fh.number_of_sections.get(e),
        size_of_optional_header: fh.size_of_optional_header.get(e),
        characteristics: fh.characteristics.get(e),
        magic: opt.magic(),
        entry: opt.address_of_entry_point(),
        image_base: opt.image_base(),
        section_alignment: opt.section_alignment(),
        file_alignment: opt.file_alignment(),
        subsystem_version: (opt.major_subsystem_version(), opt.minor_subsystem_version()),
        win32_version_value: opt.win32_version_value(),
        size_of_image: opt.size_of_image(),
        size_of_headers: opt.size_of_headers(),
        dll_characteristics: opt.dll_characteristics(),
        loader_flags: opt.loader_flags(),
        number_of_rva_and_sizes: opt.number_of_rva_and_sizes(),
        section_table: table
            .iter()
            .map(|s| {
                (
                    s.virtual_address.get(e),
                    s.pointer_to_raw_data.get(e),
                    s.virtual_size.get(e),
                    s.size_of_raw_data.get(e),
                )
            })
            .collect(),
    })
}

/// Checks `file` against every rule; returns the broken ones.
pub fn check(file: &[u8]) -> Result<Vec<&'static Rule>, String> {
    let h = headers(file)?;
    Ok(RULES.iter().filter(|r| !(r.check)(&h)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linked(bytes: &[u8]) -> Linked {
        Linked {
            image_base: IMAGE_BASE,
            rva: 0x1000,
            bytes: bytes.to_vec(),
            virtual_size: bytes.len() as u32,
            entry: 0x1000,
            fixups: vec![],
            has_data: false,
            data_align: DATA_ALIGN,
        }
    }

    #[test]
    fn init_chain_must_be_contiguous() {
        let good = " Start         Length     Name                   Class
 0001:00000000 000000dfH .text                   CODE
 0001:000000df 00000000H .text$tiny_init_a       CODE
 0001:000000df 0000003fH .text$tiny_init_a1      CODE
 0001:0000011e 0000000cH .text$tiny_init_b1___tiny_nt_NtWriteFile CODE
 0001:0000012a 00000001H .text$tiny_init_z       CODE
 0002:00000000 00000033H .rdata                  DATA
";
        assert_eq!(check_init_chain(good), Ok(()));
        let padded = good.replace("0001:0000012a", "0001:00000130");
        let err = check_init_chain(&padded).unwrap_err();
        assert!(
            err.contains("not contiguous") && err.contains("tiny_init_z"),
            "{err}"
        );
        assert_eq!(check_init_chain("no records here\n"), Ok(()));
        let objects = " 0001:00000000       __tiny_start               0000000140000400     hello.cgu.0.rcgu.o
 0001:000000ac       __tiny_exit                00000001400004ac     hello.cgu.0.rcgu.o
";
        assert!(!from_archive(good) && !from_archive(objects));
        let member = " 0001:000000f0       __udivti3                  00000001400004f0     libcompiler_builtins.rlib:udivti3.o\n";
        assert!(from_archive(&format!("{objects}{member}")));
        assert_eq!(ntdll_functions(good), [("NtWriteFile".to_owned(), true)]);
        let copied = " 0001:00000200 00000020H .text$tiny___tiny_nt_NtDelayExecution CODE\n";
        assert_eq!(
            ntdll_functions(copied),
            [("NtDelayExecution".to_owned(), false)]
        );
    }

    #[test]
    fn squeezed_image_parses_and_keeps_every_rule() {
        let code = [0xC3u8; 20];
        let image = squeeze(&linked(&code)).unwrap();
        assert_eq!(image.len() as u32, MIN_FILE_SIZE);
        let broken: Vec<u32> = check(&image).unwrap().iter().map(|r| r.id).collect();
        assert!(broken.is_empty(), "broken rules: {broken:?}");
        assert_eq!(&image[HEADERS_END as usize..][..20], &code);
        // no data directories: the section table follows a 0x70-byte optional header
        assert_eq!(HEADERS_END, 0xB4);
        assert_eq!(u16::from_le_bytes([image[0x18], image[0x19]]), 0x70);
    }

    #[test]
    fn data_alignment_is_the_largest_of_the_data_sections() {
        use object::write::{Object as Writer, StandardSection};
        use object::{Architecture, BinaryFormat, Endianness};
        let object = |sections: &[(StandardSection, u64)]| {
            let mut w = Writer::new(BinaryFormat::Coff, Architecture::X86_64, Endianness::Little);
            for &(kind, align) in sections {
                let id = w.section_id(kind);
                w.append_section_data(id, &[1; 4], align);
            }
            w.write().unwrap()
        };
        // code asks for 16, which does not count; a string for 1: the file alignment
        let text = object(&[
            (StandardSection::Text, 16),
            (StandardSection::ReadOnlyDataWithRel, 1),
        ]);
        assert_eq!(data_alignment(&text), Ok(4));
        let data = object(&[(StandardSection::Text, 16), (StandardSection::Data, 8)]);
        assert_eq!(data_alignment(&data), Ok(8));
        let sse = object(&[
            (StandardSection::ReadOnlyData, 16),
            (StandardSection::Data, 8),
        ]);
        assert_eq!(data_alignment(&sse), Ok(16));
        assert!(data_alignment(b"not an object").is_err());
    }

    #[test]
    fn decide_puts_the_section_where_the_headers_end() {
        let mut code = linked(&[0xC3; 300]);
        code.entry = 0x1010;
        let l = decide(&code).unwrap();
        assert_eq!(l.section_rva, HEADERS_END);
        assert_eq!(l.entry, HEADERS_END + 0x10);
        assert_eq!((l.raw_size, l.file_len), (300, HEADERS_END + 300));
        assert_eq!(l.image_size, l.file_len);
        // data keeps its offsets modulo 16
        let mut data = linked(&[0xC3; 300]);
        data.has_data = true;
        data.virtual_size = 400; // bss
        let l = decide(&data).unwrap();
        assert_eq!(l.section_rva, HEADERS_END.next_multiple_of(DATA_ALIGN));
        assert_eq!(l.section_rva % DATA_ALIGN, 0);
        // data that needs no more than the file alignment starts where the headers end
        data.data_align = 4;
        assert_eq!(decide(&data).unwrap().section_rva, HEADERS_END);
        data.data_align = 8;
        assert_eq!(
            decide(&data).unwrap().section_rva,
            HEADERS_END.next_multiple_of(8)
        );
        assert_eq!((l.virtual_size, l.image_size), (400, l.section_rva + 400));
        // a small program is padded to the floor 64-bit Windows needs
        let l = decide(&linked(&[0xC3; 5])).unwrap();
        assert_eq!((l.raw_size, l.file_len), (8, MIN_FILE_SIZE));
        let mut outside = linked(&[0xC3; 5]);
        outside.entry = 0x2000;
        assert!(decide(&outside).is_err());
    }
}
