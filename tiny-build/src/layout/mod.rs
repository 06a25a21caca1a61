//! Image layout: where each part of the program goes in the final file, and the file itself.
//!
//! The link step runs the linker twice. The first link ([`script::measure`]) tells how big the
//! code, read-only data, data and bss are, and what the entry code looks like. What goes where
//! is decided in one place, a pure function of that measurement, unit-tested without a linker:
//! [`elf::decide`] (for Windows, [`pe::decide`] of the linked section). It leaves out the entry
//! links the program does not need ([`code`] tells from the decoded code), and [`elf::place_in`]
//! picks an offset for each part — inside the header bytes the kernel ignores when a part fits
//! there, after the headers otherwise. The second link ([`elf::ElfLayout::script`], from
//! [`script::place`]) puts them at exactly those addresses. [`elf::write`] copies the sections
//! under hand-written, overlapping headers and [`elf::validate`] re-parses the result.

pub mod code;
pub mod elf;
pub mod pe;
pub mod script;

/// One link of the entry chain: a function in its own input section that ends without a jump,
/// falling through into the next link, which the scripts place right after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryLink {
    /// Symbol name.
    pub symbol: &'static str,
    /// Input section.
    pub section: &'static str,
}

/// The entry chain, in address order: `_start` passes the initial stack pointer (the program's
/// arguments) and is linked only when the program reads them; `__tiny_realign` gives the stack
/// the alignment of a called function; `__tiny_start` is the Rust entry (see the generated code).
pub const ENTRY_CHAIN: [EntryLink; 3] = [
    EntryLink {
        symbol: "_start",
        section: ".text.tiny.0.sp",
    },
    EntryLink {
        symbol: "__tiny_realign",
        section: ".text.tiny.1.realign",
    },
    EntryLink {
        symbol: "__tiny_start",
        section: ".text.tiny.2.start",
    },
];

/// Whether `arch` needs `__tiny_realign` to give the stack a called function's alignment (x86
/// and x86-64, where a call pushes its return address). The others enter with the alignment a
/// function expects, and their `__tiny_realign` passes the stack pointer as `_start` does: the
/// link step starts the chain there when the program reads its arguments.
pub fn realigns(arch: crate::target::Arch) -> bool {
    use crate::target::Arch;
    matches!(arch, Arch::X86_64 | Arch::X86)
}

/// The size of the header of x86's `.got.plt` (three words for the dynamic loader): a `.got`
/// output section of this size holds no entry of the program's.
pub const X86_GOT_HEADER: u64 = 12;

/// The section tiny-rt's `argv` adds a byte to (not loaded): the first link tells whether the
/// program kept code that reads the arguments; if not, `_start` is left out.
pub const ARGS_MARKER: &str = tiny_abi::ARGS_MARKER;

/// One output section of the linked program that occupies file bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Output section name (`.text`, `.rodata`, `.data`).
    pub name: &'static str,
    /// Size in bytes.
    pub size: u64,
    /// Required alignment (a power of two).
    pub align: u64,
    /// Bytes linked right before the piece that the image leaves out, since nothing runs or
    /// reads them (the part of `.text` before the entry point that tiny-build wrote over
    /// pushes, see `layout::code::unread_saves`). The layout lets them lie over header bytes,
    /// never over another piece: the link places the piece that many bytes before its offset.
    pub lead: u64,
    /// Bytes at the end of the piece that nothing runs or reads: the `ud2` LLVM puts after the
    /// final `exit`, when no branch targets it (see `layout::code::trailing_trap`). The next
    /// piece may start over them, and at the end of the file they are cut.
    pub trap: u64,
}

impl Piece {
    /// A piece as linked: nothing left out before or after it.
    pub fn new(name: &'static str, size: u64, align: u64) -> Piece {
        Piece {
            name,
            size,
            align,
            lead: 0,
            trap: 0,
        }
    }
}

/// The output sections the link scripts define, in link order; `.bss` is last and takes no
/// file bytes. `.text.lib` holds the code of [`LIB_CODE`] input sections: routines the program
/// calls, kept apart from its own code so that they can follow it over the trap it ends with
/// (see [`Piece::trap`]). `.text.small` holds the code of [`SMALL_CODE`] input sections: small
/// routines kept apart from the rest of the code so that they can go into a header gap of
/// their own.
/// The GOT has its own: when it is empty (as it is unless position-independent code asks for
/// an entry), nothing of it is left, where inside `.rodata` it would still raise the alignment
/// of the data to 8.
pub const SECTIONS: [&str; 7] = [
    ".text",
    ".text.lib",
    ".text.small",
    ".rodata",
    ".got",
    ".data",
    ".bss",
];

/// The prefix of the input sections whose code goes into `.text.lib` (`.tiny.lib.<name>`, flags
/// `"ax"`): runtime routines reached only by calls and jumps to their symbols, such as
/// tiny-rt's `puts` and `write_all`.
pub const LIB_CODE: &str = tiny_abi::LIB_SECTION;

/// The prefix of the input sections whose code goes into `.text.small` (`.tiny.small.<name>`,
/// flags `"ax"`): a routine small enough for a header gap (at most 14 bytes, see
/// [`elf::GAPS`]), reached only by calls and jumps to its symbol. tiny-rt's `strlen` is one.
pub const SMALL_CODE: &str = tiny_abi::SMALL_SECTION;
