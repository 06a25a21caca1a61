//! The PE side of the resolver, with pelite: headers, named exports, code bytes at an RVA, and
//! the version resource.

use pelite::image::{
    IMAGE_DIRECTORY_ENTRY_EXPORT, IMAGE_DIRECTORY_ENTRY_RESOURCE, IMAGE_FILE_MACHINE_AMD64,
    IMAGE_SCN_MEM_EXECUTE,
};
use pelite::pe64::{Pe, PeFile, PeObject};

use super::FileVersion;

/// Why a file could not be opened as an x64 PE image.
pub(crate) enum OpenError {
    /// Not a PE image at all (or headers too broken to tell).
    NotPe(pelite::Error),
    /// A PE image for another machine (`IMAGE_FILE_HEADER.Machine`).
    NotX64 { machine: u16 },
}

/// Where an image must start, modulo 8, for pelite to read it without misaligned references.
///
/// pelite references the NT headers (`IMAGE_NT_HEADERS64` holds `u64` fields: align 8) and the
/// section table (align 4) in place, but checks only that the image and `e_lfanew` are 4-byte
/// aligned, and not the section table's alignment at all; a misaligned reference is undefined
/// behaviour (and an abort in debug builds). So: the image must start at `-e_lfanew mod 8`, and
/// layouts that would be misaligned wherever the image starts are refused here. The fuzz target
/// found both refusals: an odd `SizeOfOptionalHeader`, and a section whose `PointerToRawData`
/// and `VirtualAddress` differ modulo 4.
pub(crate) fn required_start(bytes: &[u8]) -> Result<usize, pelite::Error> {
    let read_u32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let read_u16 = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    // Too short for a DOS header, or a misaligned e_lfanew: pelite refuses these before it
    // references anything.
    let Some(e_lfanew) = read_u32(0x3c) else {
        return Ok(0);
    };
    if !e_lfanew.is_multiple_of(4) {
        return Ok(0);
    }
    let e_lfanew = e_lfanew as usize;
    // Signature (4) + IMAGE_FILE_HEADER (20): the section table follows the optional header.
    let number_of_sections = read_u16(e_lfanew.saturating_add(6)).unwrap_or(0);
    if let Some(size_of_optional_header) = read_u16(e_lfanew.saturating_add(20)) {
        let table = e_lfanew + 24 + usize::from(size_of_optional_header);
        if !table.is_multiple_of(4) {
            return Err(pelite::Error::Misaligned);
        }
        // pelite checks the alignment of data it references at `image + rva`, but references
        // it at `image + PointerToRawData + (rva - VirtualAddress)`: the two agree only if every
        // section's file offset and RVA are alike modulo 4 (as in every loadable image).
        for index in 0..usize::from(number_of_sections) {
            let header = table + index * 40;
            let (Some(virtual_address), Some(size_of_raw_data), Some(pointer_to_raw_data)) = (
                read_u32(header + 12),
                read_u32(header + 16),
                read_u32(header + 20),
            ) else {
                break; // pelite refuses a table that runs past the end
            };
            if size_of_raw_data != 0 && (pointer_to_raw_data ^ virtual_address) % 4 != 0 {
                return Err(pelite::Error::Misaligned);
            }
        }
    }
    Ok((8 - e_lfanew % 8) % 8)
}

/// Opens `bytes` as an x64 (PE32+, AMD64) image. The caller has placed the image where
/// [`required_start`] says.
pub(crate) fn open(bytes: &[u8]) -> Result<PeFile<'_>, OpenError> {
    match PeFile::from_bytes(bytes) {
        Ok(pe) => {
            let machine = pe.file_header().Machine;
            if machine == IMAGE_FILE_MACHINE_AMD64 {
                Ok(pe)
            } else {
                Err(OpenError::NotX64 { machine })
            }
        }
        // A PE32 image: the 32-bit parser can read its machine.
        Err(pelite::Error::PeMagic) => match pelite::pe32::PeFile::from_bytes(bytes) {
            Ok(pe) => {
                use pelite::pe32::Pe as _;
                Err(OpenError::NotX64 {
                    machine: pe.file_header().Machine,
                })
            }
            Err(e) => Err(OpenError::NotPe(e)),
        },
        Err(e) => Err(OpenError::NotPe(e)),
    }
}

/// Where a named export points.
pub(crate) enum Target {
    /// Code or data at this RVA.
    Rva(u32),
    /// Forwarded to `Dll.Name`.
    Forward(String),
}

/// The export directory could not be read.
pub(crate) struct ExportsError {
    pub what: &'static str,
    pub source: pelite::Error,
}

/// The `Nt*`/`Zw*` exports of an image, and whether it is Wine's ntdll.
pub(crate) struct NtExports {
    /// Every named export whose name starts with `Nt` or `Zw`, sorted by name.
    pub exports: Vec<(String, Target)>,
    /// Whether the image exports `wine_get_version` (Wine's ntdll does).
    pub wine: bool,
}

/// The image's `Nt*`/`Zw*` exports; `Ok(None)` if it has no export directory.
///
/// The tables are walked here rather than with pelite's `By` helpers: those compute the export
/// directory's end as a `u32` sum that overflows (a panic in debug builds) on a hostile `Size`
/// (found by the fuzz target).
pub(crate) fn nt_exports(pe: PeFile<'_>) -> Result<Option<NtExports>, ExportsError> {
    let Some(directory) = pe
        .data_directory()
        .get(IMAGE_DIRECTORY_ENTRY_EXPORT)
        .copied()
    else {
        return Ok(None);
    };
    if directory.VirtualAddress == 0 || directory.Size == 0 {
        return Ok(None);
    }
    let exports = pe.exports().map_err(|source| ExportsError {
        what: "the export directory",
        source,
    })?;
    let functions = or_empty(exports.functions()).map_err(|source| ExportsError {
        what: "the export address table",
        source,
    })?;
    let names = or_empty(exports.names()).map_err(|source| ExportsError {
        what: "the export name table",
        source,
    })?;
    let indices = or_empty(exports.name_indices()).map_err(|source| ExportsError {
        what: "the export ordinal table",
        source,
    })?;
    if names.len() != indices.len() {
        let source = pelite::Error::Bounds;
        return Err(ExportsError {
            what: "the export ordinal table",
            source,
        });
    }
    let forwarded = |rva: u32| {
        let start = u64::from(directory.VirtualAddress);
        (start..start + u64::from(directory.Size)).contains(&u64::from(rva))
    };

    let mut out = Vec::new();
    let mut wine = false;
    for (&name_rva, &index) in names.iter().zip(indices) {
        let name = pe.derva_c_str(name_rva).map_err(|source| ExportsError {
            what: "an export name",
            source,
        })?;
        let bytes: &[u8] = name.as_ref();
        if bytes == b"wine_get_version" {
            wine = true;
        }
        if !(bytes.starts_with(b"Nt") || bytes.starts_with(b"Zw")) {
            continue;
        }
        // Names are ASCII in every real ntdll; anything else is not an Nt* function.
        let Ok(name) = name.to_str() else { continue };
        let rva = *functions.get(usize::from(index)).ok_or(ExportsError {
            what: "an export ordinal",
            source: pelite::Error::Bounds,
        })?;
        let target = if forwarded(rva) {
            let to = pe.derva_c_str(rva).map_err(|source| ExportsError {
                what: "a forwarder name",
                source,
            })?;
            Target::Forward(String::from_utf8_lossy(to.as_ref()).into_owned())
        } else {
            Target::Rva(rva)
        };
        out.push((name.to_owned(), target));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.dedup_by(|a, b| a.0 == b.0);
    Ok(Some(NtExports { exports: out, wine }))
}

/// A table whose RVA is zero is empty (as pelite's own `by()` treats it).
fn or_empty<T>(table: pelite::Result<&[T]>) -> pelite::Result<&[T]> {
    match table {
        Err(pelite::Error::Null) => Ok(&[]),
        other => other,
    }
}

/// The bytes at an RVA.
pub(crate) enum Code<'a> {
    /// In an executable section: the section's file data from `rva` on.
    Executable(&'a [u8]),
    /// In a section that is not executable.
    NotExecutable,
    /// In no section, or past `SizeOfImage`.
    Outside,
}

/// The file bytes from `rva` to the end of its section's data (the part of the section that is
/// in the file: zero-filled tails are not code).
pub(crate) fn code_at<'a>(pe: PeFile<'a>, rva: u32) -> Code<'a> {
    if rva >= pe.optional_header().SizeOfImage || rva == 0 {
        return Code::Outside;
    }
    let image = pe.image();
    for section in pe.section_headers() {
        let start = section.VirtualAddress;
        let virtual_size = section.VirtualSize.max(section.SizeOfRawData);
        if rva < start || u64::from(rva) >= u64::from(start) + u64::from(virtual_size) {
            continue;
        }
        if section.Characteristics & IMAGE_SCN_MEM_EXECUTE == 0 {
            return Code::NotExecutable;
        }
        let offset = (rva - start) as usize;
        // Raw data past VirtualSize is file alignment padding, not part of the section.
        let raw_len = match section.VirtualSize {
            0 => section.SizeOfRawData,
            size => size.min(section.SizeOfRawData),
        } as usize;
        let raw_start = section.PointerToRawData as usize;
        let raw = image
            .get(raw_start..)
            .map(|rest| &rest[..rest.len().min(raw_len)])
            .unwrap_or(&[]);
        return Code::Executable(raw.get(offset..).unwrap_or(&[]));
    }
    Code::Outside
}

/// `(TimeDateStamp, SizeOfImage, CheckSum)` from the headers.
pub(crate) fn header_identity(pe: PeFile<'_>) -> (u32, u32, u32) {
    let optional = pe.optional_header();
    (
        pe.file_header().TimeDateStamp,
        optional.SizeOfImage,
        optional.CheckSum,
    )
}

/// The version resource's fixed file version, if the image has a readable one.
pub(crate) fn file_version(pe: PeFile<'_>) -> Option<FileVersion> {
    // pelite checks the alignment of resource structures relative to the resource directory,
    // not in memory: a directory at an RVA that is not 4-aligned would be referenced misaligned
    // (found by the fuzz target). Real images align it; otherwise there is no version to read.
    let directory = pe.data_directory().get(IMAGE_DIRECTORY_ENTRY_RESOURCE)?;
    if !directory.VirtualAddress.is_multiple_of(4) {
        return None;
    }
    let fixed = *pe.resources().ok()?.version_info().ok()?.fixed()?;
    let v = fixed.dwFileVersion;
    // pelite's field names follow the in-memory order of the two DWORDs: `Patch` is the high
    // half of dwFileVersionLS (the build number), `Build` the low half (the revision).
    Some(FileVersion {
        major: v.Major,
        minor: v.Minor,
        build: v.Patch,
        revision: v.Build,
    })
}
