//! What goes where in an ELF image: [`decide`], a pure function from what the first link
//! measured ([`Measured`]) to the [`ElfLayout`] the second link produces and the writer fills
//! in. No linker runs here; the link step (`interpose.rs`) reads the first link into a
//! [`Measured`], links again with [`ElfLayout::script`] and writes the image.

use std::borrow::Cow;

use super::{BASE, Placement, place_in, shape};
use crate::layout::{self, ENTRY_CHAIN, Piece, code, script};
use crate::target::Arch;

/// A symbol of the measured link: its address and size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// Address.
    pub address: u64,
    /// Size in bytes.
    pub size: u64,
}

/// What the first link ([`script::measure`]) tells about the program: the facts [`decide`]
/// works from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measured<'a> {
    /// Target architecture (its header shape: [`shape`]).
    pub arch: Arch,
    /// The output sections with file contents, in link order, as linked (no lead, no trap).
    pub pieces: Vec<Piece>,
    /// `(size, align)` of `.bss`; `(0, 1)` when there is none.
    pub bss: (u64, u64),
    /// `.text`: its address and bytes.
    pub text: Option<(u64, &'a [u8])>,
    /// Each link of [`ENTRY_CHAIN`], in its order, when the link has its symbol.
    pub chain: [Option<Symbol>; ENTRY_CHAIN.len()],
    /// Whether the program kept code that reads its arguments (it has a
    /// [`layout::ARGS_MARKER`] section).
    pub reads_args: bool,
    /// Whether it has `#[tiny::ctor]` entry pieces (symbols starting with
    /// [`tiny_abi::CTOR_SYMBOL`]).
    pub ctors: bool,
}

/// The entry links written over the last bytes of the pushes `__tiny_start` opens with (see
/// [`code::unread_saves`]); the program starts there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlay {
    /// The code of the entry links the program needs (`_start`, `__tiny_realign`), in order.
    pub code: Vec<u8>,
    /// Length of the pushes, at least `code.len()`.
    pub saves_len: u64,
}

/// The `(address, bytes)` of every piece in the image, from [`ElfLayout::contents`].
pub type Contents<'a> = Vec<(u64, Cow<'a, [u8]>)>;

/// Where every part of the image goes: the result of [`decide`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ElfLayout {
    /// Target architecture.
    pub arch: Arch,
    /// The pieces of the image, in link order: `.text` without the entry links left out (and
    /// the bytes before an overlay, its lead), with its trap. The second link must give these
    /// sizes.
    pub pieces: Vec<Piece>,
    /// `(size, align)` of `.bss`.
    pub bss: (u64, u64),
    /// The file offset of each piece, the file and memory sizes.
    pub placement: Placement,
    /// The first link of [`ENTRY_CHAIN`] the image keeps: the entry point.
    pub first_link: usize,
    /// The entry links written over unread pushes, if any.
    pub overlay: Option<Overlay>,
    /// x86's unread GOT header (see [`layout::X86_GOT_HEADER`]): its address, past the image
    /// and left out of the file.
    pub unread_got: Option<u64>,
    /// The address of each piece in the image (in the order of `pieces`), then of `.bss` and
    /// the unread GOT when there are.
    pub addresses: Vec<(&'static str, u64)>,
    /// The same with each lead before its piece: the addresses the second link places them at.
    pub linked: Vec<(&'static str, u64)>,
    /// Whether the segment must be writable (data or bss present).
    pub writable: bool,
}

impl ElfLayout {
    /// The index of `.text` in [`Self::pieces`].
    pub fn text(&self) -> Option<usize> {
        self.pieces.iter().position(|p| p.name == ".text")
    }

    /// The lead of `.text` (see [`Piece::lead`]).
    pub fn lead(&self) -> u64 {
        self.text().map_or(0, |t| self.pieces[t].lead)
    }

    /// The trap of `.text` (see [`Piece::trap`]).
    pub fn trap(&self) -> u64 {
        self.text().map_or(0, |t| self.pieces[t].trap)
    }

    /// Whether a piece lies over the trap of `.text` (sections overlap in the second link):
    /// `.text` is linked apart then (see [`script::place`]).
    pub fn text_apart(&self) -> bool {
        self.trap() > 0
    }

    /// What the image holds of the second link: `linked[i]` is the bytes of `pieces[i]` as
    /// linked (at `linked[i]` of [`Self::linked`]) and `entry` the address of the first kept
    /// link of the entry chain. Returns the entry point and each piece's `(address, bytes)` in
    /// the image: with an [`Overlay`], the entry links written over the pushes and the lead
    /// left out; without the trap of `.text`, whose bytes the piece after it, or the end of the
    /// file, takes (see [`Piece::trap`]).
    pub fn contents<'a>(
        &self,
        linked: &[&'a [u8]],
        entry: u64,
    ) -> Result<(u64, Contents<'a>), String> {
        let mut entry = entry;
        let mut out = Vec::new();
        for ((piece, &(_, at)), &bytes) in self.pieces.iter().zip(&self.linked).zip(linked) {
            if piece.name != ".text" {
                out.push((at, Cow::Borrowed(bytes)));
                continue;
            }
            let short = || {
                format!(
                    ".text has {} bytes, fewer than its lead and trap",
                    bytes.len()
                )
            };
            let lead = usize::try_from(piece.lead).map_err(|e| e.to_string())?;
            let end = bytes
                .len()
                .checked_sub(usize::try_from(piece.trap).map_err(|e| e.to_string())?)
                .filter(|end| *end >= lead)
                .ok_or_else(short)?;
            let code = &bytes[lead..end];
            let Some(overlay) = &self.overlay else {
                out.push((at, Cow::Borrowed(code)));
                continue;
            };
            // `__tiny_start` is the first thing in `.text` (the script keeps it first), and the
            // overlay takes the bytes right after the lead.
            if entry != at {
                return Err(format!(
                    "`{}` is at {entry:#x}, not at the start of .text ({at:#x})",
                    ENTRY_CHAIN[2].symbol
                ));
            }
            let mut code = code.to_vec();
            code.get_mut(..overlay.code.len())
                .ok_or_else(short)?
                .copy_from_slice(&overlay.code);
            entry = at + piece.lead;
            out.push((entry, Cow::Owned(code)));
        }
        Ok((entry, out))
    }

    /// The script of the second link: every piece at its address in [`Self::linked`].
    pub fn script(&self) -> String {
        script::place(
            self.arch,
            &self.linked,
            BASE + shape(self.arch).headers_end,
            self.first_link,
            self.text_apart(),
        )
    }
}

/// Decides the layout of the image from what the first link measured:
///
/// - x86's GOT, when it holds only the header of `.got.plt` that only a dynamic loader reads,
///   is linked past the image and left out of the file;
/// - the entry links the program does not need are left out: `_start` when nothing reads the
///   arguments, `__tiny_realign` too when `__tiny_start` does not depend on the stack's
///   alignment ([`code::alignment_free_in`], x86 only; the other architectures never need it);
/// - on x86-64, when `__tiny_start` opens with pushes that save registers for a caller it never
///   returns to ([`code::unread_saves`]), the links it needs are written over the last bytes of
///   those pushes (an [`Overlay`]) and the bytes before them become the lead of `.text`;
/// - the trap after the final `exit` ([`code::trailing_trap_in`] and the others) is the trap
///   of `.text`;
/// - then every piece gets its file offset ([`place_in`], in the header holes of
///   [`shape`]`(arch)` where it fits) and its address.
///
/// Fails when a link of the entry chain lies outside `.text`.
pub fn decide(m: &Measured<'_>) -> Result<ElfLayout, String> {
    let arch = m.arch;
    let mut pieces = m.pieces.clone();
    // x86: position-independent code addresses its data from the GOT
    // (`_GLOBAL_OFFSET_TABLE_`), which a static link with no GOT entry leaves as the 12-byte
    // header of `.got.plt` that only a dynamic loader reads. Nothing of the program reads it:
    // it is linked past the image and left out of the file; only its address counts.
    let unread_got = arch == Arch::X86
        && pieces
            .iter()
            .any(|p| p.name == ".got" && p.size == layout::X86_GOT_HEADER);
    if unread_got {
        pieces.retain(|p| p.name != ".got");
    }
    // The bytes of each link of the entry chain in the measured `.text`, and its address.
    let mut chain_code: [Option<(&[u8], u64)>; ENTRY_CHAIN.len()] = [None; ENTRY_CHAIN.len()];
    for ((link, sym), code) in ENTRY_CHAIN.iter().zip(&m.chain).zip(&mut chain_code) {
        let Some(sym) = sym else { continue };
        let bytes = m
            .text
            .and_then(|(at, bytes)| {
                let from = usize::try_from(sym.address.checked_sub(at)?).ok()?;
                bytes.get(from..from.checked_add(usize::try_from(sym.size).ok()?)?)
            })
            .ok_or_else(|| {
                format!(
                    "`{}` ({:#x}, {} bytes) lies outside .text{}",
                    link.symbol,
                    sym.address,
                    sym.size,
                    m.text
                        .map(|(at, b)| format!(" ({at:#x}..{:#x})", at + b.len() as u64))
                        .unwrap_or_default()
                )
            })?;
        *code = Some((bytes, sym.address));
    }
    let [sp_code, realign_code, start_code] = chain_code;
    // The code is decoded on x86-64 and x86; the other architectures keep their code as
    // linked, and only the two x86 need `__tiny_realign` (see `codegen::entry`).
    let bitness = match arch {
        Arch::X86_64 => Some(64),
        Arch::X86 => Some(32),
        _ => None,
    };
    let alignment_free = !layout::realigns(arch)
        || start_code
            .zip(bitness)
            .is_some_and(|((code, ip), bits)| code::alignment_free_in(bits, code, ip));
    // Entry links the program does not need are left out of the second link: `_start` when
    // nothing reads the arguments, and `__tiny_realign` too when `__tiny_start` does not
    // depend on the stack's alignment. The code shrinks by their sizes.
    let mut first_link = match (m.reads_args, alignment_free) {
        // `__tiny_realign` passes the stack pointer itself where nothing is to realign
        (true, true) if !layout::realigns(arch) => 1,
        (true, _) => 0,
        (false, true) => 2,
        (false, false) => 1,
    };
    // Better still, when `__tiny_start` opens with pushes that save registers for a caller it
    // never returns to (see `code::unread_saves`): the links it needs are written over the
    // last bytes of those pushes, and the program starts there. One push leaves the alignment
    // as `__tiny_realign` sets it for an odd number of pushes skipped; for an even number,
    // `__tiny_realign` is kept (unless the alignment does not matter). The overlay of pushes is
    // x86-64's. `#[tiny::ctor]` entry pieces call their constructors (relative calls, which
    // cannot be copied elsewhere): with them, the entry chain stays as it is linked.
    let overlay = start_code
        .filter(|_| arch == Arch::X86_64 && !m.ctors)
        .and_then(|(code, ip)| code::unread_saves(code, ip))
        .and_then(|saves| {
            let mut entry = Vec::new();
            if m.reads_args {
                entry.extend_from_slice(sp_code?.0);
            }
            if saves.count % 2 == 0 && !alignment_free {
                entry.extend_from_slice(realign_code?.0);
            }
            (entry.len() <= saves.len).then_some(Overlay {
                code: entry,
                saves_len: saves.len as u64,
            })
        });
    if overlay.is_some() {
        first_link = 2;
    }
    let text_piece = pieces.iter().position(|p| p.name == ".text");
    if let Some(t) = text_piece {
        for sym in m.chain[..first_link].iter().flatten() {
            pieces[t].size -= sym.size;
        }
        // With an overlay, the bytes of the pushes before the entry code are never run:
        // `.text` in the image starts after them (its lead, which may lie over header bytes).
        if let Some(o) = &overlay {
            let dead = o.saves_len - o.code.len() as u64;
            pieces[t].size -= dead;
            pieces[t].lead = dead;
        }
        // The trap after the final `exit`, when `.text` ends with one: the piece placed after
        // it may lie over it (the runtime routines of `.text.lib`), or the end of the file
        // cuts it.
        if let Some((at, code)) = m.text {
            let trap = match (arch, bitness) {
                (_, Some(bits)) => code::trailing_trap_in(bits, code, at),
                (Arch::Aarch64, None) => code::trailing_trap_a64(code),
                (Arch::Riscv64, None) => code::trailing_trap_rv64(code),
                _ => None,
            };
            pieces[t].trap = trap.unwrap_or(0) as u64;
        }
    }

    let placement = place_in(&shape(arch), &pieces, m.bss);
    let mut addresses: Vec<(&str, u64)> = pieces
        .iter()
        .zip(&placement.offsets)
        .map(|(p, off)| (p.name, BASE + off))
        .collect();
    if m.bss.0 != 0 {
        addresses.push((".bss", BASE + placement.bss_offset));
    }
    let unread_got = unread_got.then(|| BASE + placement.mem_len.next_multiple_of(4));
    if let Some(got) = unread_got {
        addresses.push((".got", got));
    }
    let linked = addresses
        .iter()
        .map(|&(n, a)| {
            let lead = pieces.iter().find(|p| p.name == n).map_or(0, |p| p.lead);
            (n, a - lead)
        })
        .collect();
    Ok(ElfLayout {
        arch,
        writable: pieces.iter().any(|p| p.name == ".data") || m.bss.0 != 0,
        pieces,
        bss: m.bss,
        placement,
        first_link,
        overlay,
        unread_got,
        addresses,
        linked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::elf::HEADERS_END;

    /// `.text` of `size` bytes (aligned to `align`) that ends with a trap of `trap` bytes.
    fn trapped(size: u64, align: u64, trap: u64) -> Piece {
        Piece {
            trap,
            ..Piece::new(".text", size, align)
        }
    }

    /// The placement of a program without bss: the image ends where the file does.
    fn no_bss(offsets: Vec<u64>, file_len: u64) -> Placement {
        Placement {
            offsets,
            bss_offset: file_len,
            file_len,
            mem_len: file_len,
        }
    }

    /// The chain of a measured `.text` at `at`: `_start`, `__tiny_realign` and `__tiny_start`
    /// one after the other, `sizes` bytes long.
    fn chain(at: u64, sizes: [u64; 3]) -> [Option<Symbol>; 3] {
        let mut address = at;
        sizes.map(|size| {
            let sym = Symbol { address, size };
            address += size;
            Some(sym)
        })
    }

    /// A measured `text` of `arch` at `at` that starts with the entry chain (its links
    /// `sizes` bytes long), nothing reading the arguments, no bss.
    fn measured(
        arch: Arch,
        at: u64,
        text: &[u8],
        sizes: [u64; 3],
        pieces: Vec<Piece>,
    ) -> Measured<'_> {
        Measured {
            arch,
            pieces,
            bss: (0, 1),
            text: Some((at, text)),
            chain: chain(at, sizes),
            reads_args: false,
            ctors: false,
        }
    }

    /// A measured x86-64 `text`: `_start` (`mov rdi, rsp`), `__tiny_realign` (`push rdi`),
    /// then `__tiny_start`, where the first link puts it: right after the headers.
    fn x86_64(text: &[u8], pieces: Vec<Piece>, bss: (u64, u64)) -> Measured<'_> {
        let at = BASE + HEADERS_END; // 0x10070
        let sizes = [3, 1, text.len() as u64 - 4];
        Measured {
            bss,
            ..measured(Arch::X86_64, at, text, sizes, pieces)
        }
    }

    fn with_chain(prefix: &[u8], start: &[u8]) -> Vec<u8> {
        [prefix, start].concat()
    }

    /// x86-64's `mov rdi, rsp` and `push rdi`.
    const X86_64_CHAIN: [u8; 4] = [0x48, 0x89, 0xe7, 0x57];

    #[test]
    fn true_fits_the_header_holes() {
        // push 60; pop rax; xor edi, edi; syscall; ud2: 9 bytes
        let start = [0x6a, 0x3c, 0x58, 0x31, 0xff, 0x0f, 0x05, 0x0f, 0x0b];
        let text = with_chain(&X86_64_CHAIN, &start);
        let m = x86_64(&text, vec![Piece::new(".text", 13, 1)], (0, 1));
        // Nothing reads the arguments, no call: `_start` (3 bytes) and `__tiny_realign` (1)
        // go, 13 - 4 = 9 bytes of code with a 2-byte trap. 9 bytes fit the 14 of
        // `e_shoff`/`e_flags`/`e_ehsize` at 0x28 (the gaps at 0x08, 0x14 and 0x50 are 8, 4 and
        // 8 bytes), and the file is the headers alone, 0x70 bytes (after the headers it would
        // end at 0x68 + 9 - 2 = 0x6F, no smaller).
        let l = decide(&m).unwrap();
        let text_piece = trapped(9, 1, 2);
        assert_eq!(
            l,
            ElfLayout {
                arch: Arch::X86_64,
                pieces: vec![text_piece],
                bss: (0, 1),
                placement: no_bss(vec![0x28], 0x70),
                first_link: 2,
                overlay: None,
                unread_got: None,
                addresses: vec![(".text", 0x10028)],
                linked: vec![(".text", 0x10028)],
                writable: false,
            }
        );
        assert!(l.text_apart());
        let script = l.script();
        assert!(script.contains("ENTRY(__tiny_start)"), "{script}");
        assert!(script.contains(".text 0x10028 : AT(0x1010028)"), "{script}");
        // The second link puts `__tiny_start` there; the trap is not written.
        let (entry, contents) = l.contents(&[&start], 0x10028).unwrap();
        assert_eq!(entry, 0x10028);
        assert_eq!(contents, vec![(0x10028, Cow::Borrowed(&start[..7]))]);
    }

    #[test]
    fn hello_code_follows_the_headers_and_its_message_takes_a_hole() {
        // lea rsi, [rip-0x50]; push 1; pop rax; push 14; pop rdx; mov rdi, rax; syscall;
        // push 60; pop rax; xor edi, edi; syscall; ud2: 27 bytes
        let start = [
            0x48, 0x8d, 0x35, 0xb0, 0xff, 0xff, 0xff, 0x6a, 0x01, 0x58, 0x6a, 0x0e, 0x5a, 0x48,
            0x89, 0xc7, 0x0f, 0x05, 0x6a, 0x3c, 0x58, 0x31, 0xff, 0x0f, 0x05, 0x0f, 0x0b,
        ];
        let text = with_chain(&X86_64_CHAIN, &start);
        let pieces = vec![Piece::new(".text", 31, 1), Piece::new(".rodata", 14, 1)];
        let l = decide(&x86_64(&text, pieces, (0, 1))).unwrap();
        // 31 - 4 = 27 bytes of code, trap 2: too big for any hole, so after the headers from
        // 0x68 (over `p_align`) to 0x68 + 27 - 2 = 0x81, 129 bytes. The 14-byte message fits
        // the 14 bytes at 0x28 exactly (after the code instead, the file would end at 0x8F).
        assert_eq!(
            l.pieces,
            vec![trapped(27, 1, 2), Piece::new(".rodata", 14, 1)]
        );
        assert_eq!(l.placement, no_bss(vec![0x68, 0x28], 0x81));
        assert_eq!(l.first_link, 2);
        assert_eq!(l.addresses, vec![(".text", 0x10068), (".rodata", 0x10028)]);
        assert_eq!(l.linked, l.addresses);
        assert!(!l.writable);
    }

    #[test]
    fn data_takes_a_hole_and_bss_follows_the_file() {
        // call (the next instruction), then 20 nops: 25 bytes that need the alignment
        let mut start = vec![0xe8, 0, 0, 0, 0];
        start.resize(25, 0x90);
        let text = with_chain(&X86_64_CHAIN, &start);
        let pieces = vec![Piece::new(".text", 29, 1), Piece::new(".data", 4, 4)];
        let l = decide(&x86_64(&text, pieces, (100, 8))).unwrap();
        // The call needs `__tiny_realign`: only `_start` goes, 29 - 3 = 26 bytes of code, no
        // trap (a nop ends it), after the headers: 0x68..0x82. The 4 bytes of data take the
        // first hole, 0x08 (aligned to 4). The bss starts at 0x82 aligned to 8, 0x88, and the
        // image ends 100 bytes later, at 0xEC; the segment is writable.
        assert_eq!(
            l,
            ElfLayout {
                arch: Arch::X86_64,
                pieces: vec![Piece::new(".text", 26, 1), Piece::new(".data", 4, 4)],
                bss: (100, 8),
                placement: Placement {
                    offsets: vec![0x68, 0x08],
                    bss_offset: 0x88,
                    file_len: 0x82,
                    mem_len: 0xEC,
                },
                first_link: 1,
                overlay: None,
                unread_got: None,
                addresses: vec![(".text", 0x10068), (".data", 0x10008), (".bss", 0x10088)],
                linked: vec![(".text", 0x10068), (".data", 0x10008), (".bss", 0x10088)],
                writable: true,
            }
        );
        let script = l.script();
        assert!(script.contains("ENTRY(__tiny_realign)"), "{script}");
        assert!(script.contains(".bss 0x10088 :"), "{script}");
        assert!(!l.text_apart());
    }

    #[test]
    fn the_entry_links_go_over_unread_pushes() {
        // push r14; push rbx; push rax (4 bytes, 3 pushes nothing reads back);
        // mov rax, [rbx]; call (the next instruction); jmp (itself): 14 bytes
        let start = [
            0x41, 0x56, 0x53, 0x50, 0x48, 0x8b, 0x03, 0xe8, 0, 0, 0, 0, 0xeb, 0xfe,
        ];
        let text = with_chain(&X86_64_CHAIN, &start);
        let mut m = x86_64(&text, vec![Piece::new(".text", 18, 1)], (0, 1));
        m.reads_args = true;
        let l = decide(&m).unwrap();
        // `_start` (3 bytes) is needed and goes over the last 3 bytes of the pushes; 3 pushes
        // left out change the alignment as `__tiny_realign` does, so it goes too. `.text`:
        // 18 - 3 - 1 = 14 bytes linked, the first 4 - 3 = 1 of them its lead, 13 in the image.
        // They fit the 14 bytes at 0x28 (the lead over 0x27, a header byte), linked at 0x27.
        assert_eq!(
            l.overlay,
            Some(Overlay {
                code: X86_64_CHAIN[..3].to_vec(),
                saves_len: 4,
            })
        );
        assert_eq!(l.first_link, 2);
        assert_eq!(
            l.pieces,
            vec![Piece {
                lead: 1,
                ..Piece::new(".text", 13, 1)
            }]
        );
        assert_eq!((l.placement.offsets[0], l.placement.file_len), (0x28, 0x70));
        assert_eq!(l.addresses, vec![(".text", 0x10028)]);
        assert_eq!(l.linked, vec![(".text", 0x10027)]);
        // The image: `mov rdi, rsp` over `push r14` and `push rbx`, then `push rax` on; the
        // program starts at 0x10028.
        let (entry, contents) = l.contents(&[&start], 0x10027).unwrap();
        assert_eq!(entry, 0x10028);
        let mut code = X86_64_CHAIN[..3].to_vec();
        code.extend_from_slice(&start[4..]);
        assert_eq!(contents, vec![(0x10028, Cow::Owned(code))]);
        // `__tiny_start` must be where `.text` starts.
        let err = l.contents(&[&start], 0x10030).unwrap_err();
        assert!(err.contains("not at the start of .text"), "{err}");
    }

    #[test]
    fn elf32_drops_the_unread_got_and_lays_data_over_the_trap() {
        // i686: `_start` `mov ecx, esp` (2 bytes), `__tiny_realign` `push ecx` (1), then
        // push 4; pop eax; int 0x80; push 1; pop eax; xor ebx, ebx; int 0x80; ud2 (14)
        let start = [
            0x6a, 0x04, 0x58, 0xcd, 0x80, 0x6a, 0x01, 0x58, 0x31, 0xdb, 0xcd, 0x80, 0x0f, 0x0b,
        ];
        let text = with_chain(&[0x89, 0xe1, 0x51], &start);
        let at = BASE + shape(Arch::X86).headers_end; // 0x1004C
        let pieces = vec![
            Piece::new(".text", 17, 1),
            Piece::new(".rodata", 14, 1),
            Piece::new(".got", layout::X86_GOT_HEADER, 4),
        ];
        let m = measured(Arch::X86, at, &text, [2, 1, 14], pieces);
        let l = decide(&m).unwrap();
        // The 12-byte GOT is only `.got.plt`'s header: out of the file. 17 - 3 = 14 bytes of
        // code with a 2-byte trap and 14 of data: ELF32's holes hold at most 8, so both go
        // after the headers, from 0x48 (over `p_align`): the code 0x48..0x56, the data over
        // its trap 0x54..0x62 (the other order also ends at 0x62; the first wins). The GOT
        // goes past the image, at 0x62 aligned to 4.
        assert_eq!(
            l.pieces,
            vec![trapped(14, 1, 2), Piece::new(".rodata", 14, 1)]
        );
        assert_eq!(l.placement, no_bss(vec![0x48, 0x54], 0x62));
        assert_eq!(l.first_link, 2);
        assert_eq!(l.unread_got, Some(0x10064));
        assert_eq!(
            l.addresses,
            vec![(".text", 0x10048), (".rodata", 0x10054), (".got", 0x10064)]
        );
        assert!(l.text_apart());
        let rodata = b"Hello, World!\n";
        let (entry, contents) = l.contents(&[&start, rodata], 0x10048).unwrap();
        assert_eq!(entry, 0x10048);
        assert_eq!(
            contents,
            vec![
                (0x10048, Cow::Borrowed(&start[..12])),
                (0x10054, Cow::Borrowed(&rodata[..]))
            ]
        );
    }

    #[test]
    fn aarch64_starts_at_the_link_that_passes_the_stack_pointer() {
        // `_start` and `__tiny_realign` are both `mov x0, sp`; then mov w8, #93;
        // mov x0, xzr; svc #0; brk #1
        let words: [u32; 6] = [
            0x910003e0, 0x910003e0, 0x52800ba8, 0xaa1f03e0, 0xd4000001, 0xd4200020,
        ];
        let text: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        let at = BASE + HEADERS_END;
        let pieces = vec![Piece::new(".text", 24, 4)];
        let m = Measured {
            reads_args: true,
            ..measured(Arch::Aarch64, at, &text, [4, 4, 16], pieces)
        };
        let l = decide(&m).unwrap();
        // Nothing to realign on aarch64: the program starts at `__tiny_realign`, 24 - 4 = 20
        // bytes of code with a 4-byte trap, too big for the holes (12 at most): 0x68..0x78.
        assert_eq!(l.first_link, 1);
        assert_eq!(l.pieces, vec![trapped(20, 4, 4)]);
        assert_eq!((l.placement.offsets[0], l.placement.file_len), (0x68, 0x78));
    }

    #[test]
    fn an_entry_link_outside_the_code_is_refused() {
        let start = [0x6a, 0x3c, 0x58, 0x31, 0xff, 0x0f, 0x05, 0x0f, 0x0b];
        let text = with_chain(&X86_64_CHAIN, &start);
        let mut m = x86_64(&text, vec![Piece::new(".text", 13, 1)], (0, 1));
        // `.text` is 0x10070..0x1007D; `__tiny_start` at 0x10100 lies past it.
        m.chain[2] = Some(Symbol {
            address: 0x10100,
            size: 9,
        });
        assert_eq!(
            decide(&m).unwrap_err(),
            "`__tiny_start` (0x10100, 9 bytes) lies outside .text (0x10070..0x1007d)"
        );
        // so does one that runs past its end
        m.chain[2] = Some(Symbol {
            address: 0x10074,
            size: 10,
        });
        assert!(decide(&m).is_err());
    }
}
