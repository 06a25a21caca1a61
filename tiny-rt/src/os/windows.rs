//! Windows x86_64: no import table, no CRT; every ntdll function is an `extern "system"`
//! function `__tiny_nt_<Name>` defined by the code tiny-build generated for the program's mode
//! (see `tiny-build/src/codegen/windows.rs`): a 12-byte record filled in at start
//! (`Runtime`), a copy of a pinned ntdll's stub (`Pinned`) or a numbered `syscall` (`Table`).
//! Each is in its own COMDAT section, so a program carries only the functions it calls.
//!
//! At start, `__tiny_init` fills in the records the program kept (see `__tiny_resolve`
//! below): ntdll is the second module of the PEB's load-order list (the program is the first;
//! the loader itself lives in ntdll and registers it before anything else, on Windows and Wine
//! alike). Each export is looked up by the hash of its name, which exactly one export name must
//! have (tiny-build's tests check that no two names it knows of share a hash, over every
//! system call of every Windows build in its data and every export of Wine's ntdll). A name
//! that shares the hash of one the program wants makes it refuse; only an ntdll that lacks a
//! wanted function and exports exactly one other name with its 32-bit hash (about 2500 in
//! 2^32 per function) would have that export called instead, and for a system call only if it
//! is shaped like a stub (the ones the runtime calls exist in every ntdll since NT 3.x). A
//! forwarder is refused, and a `Nt*` export must start with `mov r10, rcx; mov eax, imm32`
//! (`4C 8B D1 B8`), the shape of a system call stub on Windows and Wine (checked against Wine
//! 8's ntdll).
//! Calling the export (rather than copying its `syscall`) works on every Windows build and under
//! Wine, whose dispatcher must be entered through its own stub. If an export is missing or has
//! another shape (an old or hooked ntdll), the program writes `tiny: ntdll export missing or
//! hooked` to standard error when it can, and exits with [`EXIT_NTDLL_UNUSABLE`]
//! (`STATUS_ENTRYPOINT_NOT_FOUND`, the code the Windows loader uses for a missing import); it
//! never calls anything it has not checked. A build with exit-code-only refusals ends with
//! `__fastfail` instead (0xC0000409), which calls nothing.
//!
//! `Pinned` and `Table` programs check at start that their stubs or numbers hold for the
//! running system ([`check_pinned`], [`check_table`]) and otherwise refuse the same way, with
//! their own exit codes (or `__fastfail`); the refusal writes through the loaded ntdll's
//! exports.
//!
//! # Structure offsets (x64)
//!
//! From Microsoft's `winternl.h` (TEB, PEB, PEB_LDR_DATA, LDR_DATA_TABLE_ENTRY,
//! RTL_USER_PROCESS_PARAMETERS, which name some fields and leave the others "Reserved" but fix
//! their offsets), the PE format specification (export directory), and the full layouts from
//! Microsoft's symbols for the fields `winternl.h` leaves reserved (the ntdiff/headers dumps,
//! e.g. `_RTL_USER_PROCESS_PARAMETERS.h`; Geoff Chappell's PEB and LDR_DATA_TABLE_ENTRY pages).
//! All of them are exercised by the Wine 8 tests:
//!
//! | field                                    | offset |
//! |------------------------------------------|--------|
//! | TEB.ProcessEnvironmentBlock (`gs:`)      | 0x60   |
//! | PEB.Ldr                                  | 0x18   |
//! | PEB.ProcessParameters                    | 0x20   |
//! | PEB.ProcessHeap                          | 0x30   |
//! | PEB_LDR_DATA.InLoadOrderModuleList       | 0x10   |
//! | LDR_DATA_TABLE_ENTRY.InLoadOrderLinks    | 0      |
//! | LDR_DATA_TABLE_ENTRY.DllBase             | 0x30   |
//! | KUSER_SHARED_DATA (fixed at 0x7FFE0000).NtBuildNumber (Windows 10 on) | 0x260 |
//! | KUSER_SHARED_DATA.SystemCall (bit 0: stubs use `int 2Eh`; Wine sets it) | 0x308 |
//! | PROCESS_PARAMETERS.StandardInput/Output/Error | 0x20/0x28/0x30 |
//! | PROCESS_PARAMETERS.CommandLine           | 0x70   |
//! | PROCESS_PARAMETERS.Environment           | 0x80   |
//! | IMAGE_DOS_HEADER.e_lfanew                | 0x3C   |
//! | IMAGE_NT_HEADERS64 export directory      | 0x88   |
//!
//! # Handles and I/O
//!
//! `Fd(0)`, `Fd(1)` and `Fd(2)` stand for the standard handles of the process parameters; any
//! other `Fd` holds a handle returned by `NtOpenFile` (handle values fit in 31 bits). Files are
//! opened for synchronous I/O. A standard handle may be asynchronous (a parent can pass an
//! overlapped pipe): when `NtReadFile`/`NtWriteFile` answer `STATUS_PENDING`, the call waits
//! on the handle with `NtWaitForSingleObject` and takes the status from the I/O status block,
//! as kernel32's `ReadFile`/`WriteFile` do. Reads return `Ok(0)` (end of file) for
//! `STATUS_END_OF_FILE` and `STATUS_PIPE_BROKEN` (the writer closed the pipe). Writing to a
//! console handle with `NtWriteFile` needs Windows 8 or later (ConDrv) or Wine. The bytes go to
//! a console as they are, so the console shows them in its code page (UTF-8 text needs code page
//! 65001); pipes and files get them unchanged. A console read returns what was typed, and
//! Ctrl+Z is a byte, not end of file (that is kernel32's `ReadFile` convention, not NtReadFile's).
//!
//! # Memory
//!
//! The `argv` strings and pointer array and the UTF-16 path buffer of [`open_read`] come from
//! the process heap (`RtlAllocateHeap`), not from `.bss`: the `argv` blocks are sized to the
//! command line, and a squeezed image has no large zero-filled area to map.
//!
//! # Errors
//!
//! NTSTATUS failures are mapped to the Linux `errno` numbers, with the same messages as on Linux,
//! so that programs print the same errors on both; see [`errno`].
//!
//! # Threads
//!
//! Tiny programs have one thread: the caches here are relaxed atomics and nothing locks; two
//! threads resolving the same export at once would both store the same address.

use core::ffi::CStr;
use core::mem::MaybeUninit;
use core::ptr::addr_of;
use core::sync::atomic::{AtomicPtr, AtomicUsize, Ordering::Relaxed};

use crate::sys::{
    FILE_GENERIC_READ, FILE_NON_DIRECTORY_FILE, FILE_SHARE_DELETE, FILE_SHARE_READ,
    FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT, OBJ_CASE_INSENSITIVE, STATUS_END_OF_FILE,
    STATUS_PENDING,
};
use crate::{Errno, Fd};

#[path = "../cmdline.rs"]
mod cmdline;

/// The exit code when ntdll, one of its exports or the shape of a `Nt*` stub is not what the
/// runtime can call safely: `STATUS_ENTRYPOINT_NOT_FOUND` (0xC0000139, as a signed `i32`).
pub const EXIT_NTDLL_UNUSABLE: i32 = 0xC000_0139_u32 as i32;

/// The exit code of a `Pinned` program started with another ntdll than the one it was built
/// for (it calls none of its copied stubs then): `STATUS_REVISION_MISMATCH` (0xC0000059).
pub const EXIT_NTDLL_MISMATCH: i32 = 0xC000_0059_u32 as i32;

const STATUS_PIPE_BROKEN: i32 = 0xC000_014B_u32 as i32;

/// `FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE`: others may read, write, rename or
/// delete the file while it is open, as on Linux (Rust's std shares the same way).
const FILE_SHARE_ALL: u32 = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
/// Synchronous I/O on a file that is not a directory.
const OPEN_OPTIONS: u32 = FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE;

/// The structure offsets of the module docs' table (x64), by their fields' names.
mod offsets {
    /// `TEB.ProcessEnvironmentBlock` (from `gs:`).
    pub(super) const TEB_PEB: usize = 0x60;
    /// `PEB.Ldr`.
    pub(super) const PEB_LDR: usize = 0x18;
    /// `PEB.ProcessParameters`.
    pub(super) const PEB_PROCESS_PARAMETERS: usize = 0x20;
    /// `PEB.ProcessHeap`.
    pub(super) const PEB_PROCESS_HEAP: usize = 0x30;
    /// `PEB_LDR_DATA.InLoadOrderModuleList`.
    pub(super) const LDR_IN_LOAD_ORDER: usize = 0x10;
    /// `LDR_DATA_TABLE_ENTRY.DllBase`.
    pub(super) const LDR_ENTRY_DLL_BASE: usize = 0x30;
    /// `RTL_USER_PROCESS_PARAMETERS.StandardInput` (`StandardOutput`, `StandardError` follow).
    pub(super) const PARAMS_STANDARD_INPUT: usize = 0x20;
    /// `RTL_USER_PROCESS_PARAMETERS.CommandLine` (a `UNICODE_STRING`: length, then at +8 the
    /// buffer).
    pub(super) const PARAMS_COMMAND_LINE: usize = 0x70;
    /// `IMAGE_DOS_HEADER.e_lfanew`.
    pub(super) const DOS_E_LFANEW: usize = 0x3C;
    /// `IMAGE_NT_HEADERS64.FileHeader.TimeDateStamp`.
    pub(super) const NT_TIME_DATE_STAMP: usize = 8;
    /// `IMAGE_NT_HEADERS64.OptionalHeader.SizeOfImage`.
    pub(super) const NT_SIZE_OF_IMAGE: usize = 0x50;
    /// `IMAGE_NT_HEADERS64.OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_EXPORT]`: RVA,
    /// then size.
    pub(super) const NT_EXPORT_DIRECTORY: usize = 0x88;
    /// `IMAGE_EXPORT_DIRECTORY.NumberOfNames`.
    pub(super) const EXPORT_NUMBER_OF_NAMES: usize = 0x18;
    /// `IMAGE_EXPORT_DIRECTORY.AddressOfFunctions`.
    pub(super) const EXPORT_FUNCTIONS: usize = 0x1C;
    /// `IMAGE_EXPORT_DIRECTORY.AddressOfNames`.
    pub(super) const EXPORT_NAMES: usize = 0x20;
    /// `IMAGE_EXPORT_DIRECTORY.AddressOfNameOrdinals`.
    pub(super) const EXPORT_NAME_ORDINALS: usize = 0x24;
    /// `KUSER_SHARED_DATA`, mapped at this address in every x64 process.
    pub(super) const KUSER_SHARED_DATA: usize = 0x7FFE_0000;
    /// `KUSER_SHARED_DATA.NtBuildNumber` (Windows 10 on).
    pub(super) const KUSER_NT_BUILD_NUMBER: usize = 0x260;
    /// `KUSER_SHARED_DATA.SystemCall` (bit 0: stubs use `int 2Eh`; Wine sets it).
    pub(super) const KUSER_SYSTEM_CALL: usize = 0x308;
}
use offsets::*;

/// Error numbers (the Linux values, so that tests can compare outputs across OSes) and their
/// messages, and the NTSTATUS values they stand for.
pub(crate) mod errno {
    pub(crate) const ENOENT: i32 = 2;
    pub(crate) const EINTR: i32 = 4;
    pub(crate) const EIO: i32 = 5;
    pub(crate) const ENOMEM: i32 = 12;
    pub(crate) const EEXIST: i32 = 17;
    pub(crate) const EINVAL: i32 = 22;
    pub(crate) const EACCES: i32 = 13;
    pub(crate) const ENOTDIR: i32 = 20;
    pub(crate) const EISDIR: i32 = 21;
    pub(crate) const ENOSPC: i32 = 28;
    pub(crate) const EBADF: i32 = 9;
    pub(crate) const ENAMETOOLONG: i32 = 36;
    // (no NTSTATUS maps to ELOOP)
    pub(crate) const EPERM: i32 = 1;
    pub(crate) const EROFS: i32 = 30;
    pub(crate) const ELOOP: i32 = 40;
    pub(crate) const EMLINK: i32 = 31;
    pub(crate) const EDQUOT: i32 = 122;

    /// The `errno` of an NTSTATUS failure:
    ///
    /// | NTSTATUS | errno |
    /// |---|---|
    /// | `OBJECT_NAME_NOT_FOUND` C0000034, `OBJECT_PATH_NOT_FOUND` C000003A, `NO_SUCH_FILE` C000000F, `OBJECT_NAME_INVALID` C0000033, `OBJECT_PATH_SYNTAX_BAD` C000003B | `ENOENT` |
    /// | `ACCESS_DENIED` C0000022, `SHARING_VIOLATION` C0000043, `DELETE_PENDING` C0000056 | `EACCES` |
    /// | `FILE_IS_A_DIRECTORY` C00000BA | `EISDIR` |
    /// | `NOT_A_DIRECTORY` C0000103 | `ENOTDIR` |
    /// | `DISK_FULL` C000007F | `ENOSPC` |
    /// | `INVALID_HANDLE` C0000008 (a closed standard handle) | `EBADF` |
    /// | `OBJECT_NAME_COLLISION` C0000035 | `EEXIST` |
    /// | with the feature `more-errors`: `MEDIA_WRITE_PROTECTED` C00000A2 | `EROFS` |
    /// | with `more-errors`: `NAME_TOO_LONG` C0000106 | `ENAMETOOLONG` |
    /// | with `more-errors`: `PRIVILEGE_NOT_HELD` C0000061 | `EPERM` |
    /// | anything else | `EIO` |
    ///
    /// (Invalid names and sharing violations map as the Microsoft C runtime's `_dosmaperr` and
    /// Cygwin map their Win32 errors.)
    pub(crate) fn from_status(status: i32) -> i32 {
        match status as u32 {
            0xC000_0034 | 0xC000_003A | 0xC000_000F | 0xC000_0033 | 0xC000_003B => ENOENT,
            0xC000_0022 | 0xC000_0043 | 0xC000_0056 => EACCES,
            0xC000_00BA => EISDIR,
            0xC000_0103 => ENOTDIR,
            0xC000_007F => ENOSPC,
            0xC000_0008 => EBADF,
            0xC000_0035 => EEXIST,
            // the errors of making files and directories, whose texts come with the feature
            #[cfg(feature = "more-errors")]
            0xC000_00A2 => EROFS, // MEDIA_WRITE_PROTECTED
            #[cfg(feature = "more-errors")]
            0xC000_0106 => ENAMETOOLONG, // NAME_TOO_LONG
            #[cfg(feature = "more-errors")]
            0xC000_0061 => EPERM, // PRIVILEGE_NOT_HELD
            _ => EIO,
        }
    }
}

/// `UNICODE_STRING`.
#[repr(C)]
struct UnicodeString {
    /// Length in bytes, without a terminating NUL.
    len: u16,
    max: u16,
    buf: *mut u16,
}

/// `OBJECT_ATTRIBUTES`: what names a file to `NtCreateFile`, `NtOpenFile`,
/// `NtQueryAttributesFile`, … (see `tiny::sys::with_object_attributes`).
#[repr(C)]
pub struct ObjectAttributes {
    len: u32,
    root: usize,
    name: *const UnicodeString,
    attributes: u32,
    security_descriptor: usize,
    security_qos: usize,
}

/// `IO_STATUS_BLOCK`: the final status, and the number of bytes transferred.
type IoStatus = [usize; 2];

/// `NtReadFile` and `NtWriteFile`: handle, event, APC routine, APC context, I/O status, buffer,
/// length, byte offset, key.
type NtIo = unsafe extern "system" fn(
    usize,
    usize,
    usize,
    usize,
    *mut IoStatus,
    usize,
    u32,
    usize,
    usize,
) -> i32;

/// The PEB, from the TEB (`gs:[0x60]`).
#[inline(always)]
fn peb() -> *const u8 {
    let peb: *const u8;
    // SAFETY: on x64 Windows `gs` points to the thread's TEB for the thread's whole life, and
    // its field at 0x60 is the process's PEB; reading it has no side effect.
    unsafe {
        // `push; pop; mov r, gs:[r]`: 7 bytes where `mov r, gs:[0x60]` takes 9 (a 32-bit
        // absolute address needs a SIB byte); the push stays within the stack the caller owns.
        core::arch::asm!("push {teb_peb}", "pop {p}", "mov {p}, gs:[{p}]", p = out(reg) peb,
            teb_peb = const TEB_PEB, options(pure, readonly, preserves_flags));
    }
    peb
}

/// `RTL_USER_PROCESS_PARAMETERS` of the process.
#[inline(always)]
fn params() -> *const u8 {
    // SAFETY: the PEB lives for the whole process and holds the parameters' address at 0x20.
    unsafe { *(peb().add(PEB_PROCESS_PARAMETERS) as *const *const u8) }
}

/// The NT handle that `fd` stands for.
fn handle(fd: Fd) -> usize {
    let n = fd.0 as u32 as usize;
    if n < 3 {
        // SAFETY: the process parameters live for the whole process; StandardInput, Output and
        // Error are the pointer-sized fields at 0x20, 0x28 and 0x30.
        unsafe { *(params().add(PARAMS_STANDARD_INPUT + 8 * n) as *const usize) }
    } else {
        n
    }
}

/// The base address of the loaded `ntdll.dll`: the second entry of the PEB's load-order
/// module list.
fn ntdll_base() -> *const u8 {
    // SAFETY: the PEB, its loader data and the module list are the loader's and stay mapped;
    // the list always holds the program and ntdll.
    unsafe {
        let ldr = *(peb().add(PEB_LDR) as *const *const u8);
        let program = *(ldr.add(LDR_IN_LOAD_ORDER) as *const *const u8);
        let ntdll = *(program as *const *const u8);
        *(ntdll.add(LDR_ENTRY_DLL_BASE) as *const *const u8)
    }
}

/// Whether the loaded ntdll's `TimeDateStamp << 32 | SizeOfImage` is `identity`: the identity
/// tiny-build pins a program to. (Two 32-bit comparisons with the header fields: smaller than
/// building the 64-bit value.)
#[inline(always)]
fn ntdll_is(identity: u64) -> bool {
    let base = ntdll_base();
    // SAFETY: ntdll is a mapped PE image: its DOS and NT headers are readable; TimeDateStamp is
    // at +8 of the NT headers and SizeOfImage at +0x50 (PE32+ optional header +0x38).
    unsafe {
        let nt = base.add((base.add(DOS_E_LFANEW) as *const u32).read_unaligned() as usize);
        let stamp = (nt.add(NT_TIME_DATE_STAMP) as *const u32).read_unaligned();
        let size = (nt.add(NT_SIZE_OF_IMAGE) as *const u32).read_unaligned();
        stamp == (identity >> 32) as u32 && size == identity as u32
    }
}

/// The exit code of a `Table` program on a build its table does not list, or under Wine:
/// `STATUS_NOT_SUPPORTED` (0xC00000BB).
pub const EXIT_BUILD_UNSUPPORTED: i32 = 0xC000_00BB_u32 as i32;

/// `Pinned` programs: refuses to run unless the loaded ntdll is the one with `identity`
/// (`TimeDateStamp << 32 | SizeOfImage`): with a message (see `refuse`) when `message` is set,
/// by exit code only otherwise (see [`refuse_quietly`]).
#[inline(always)]
pub fn check_pinned(identity: u64, message: bool) {
    if !ntdll_is(identity) {
        if !message {
            refuse_quietly();
        }
        let message = b"tiny: ntdll.dll is not the one this program was pinned to\n";
        refuse(message, EXIT_NTDLL_MISMATCH);
    }
}

/// An exit-code-only refusal (`TINY_REFUSAL=exit-code`) of a `Pinned` or `Table` program:
/// `__fastfail` (`int 0x29`), which ends the process with `STATUS_STACK_BUFFER_OVERRUN`
/// (0xC0000409) without calling ntdll at all, so the program needs no export lookup for its
/// refusal and calls nothing unverified. Microsoft documents that `__fastfail` terminates the
/// process immediately, with no handler run (learn.microsoft.com/cpp/intrinsics/fastfail).
/// Returning from the entry point is not used: on Windows it ends only the thread (through
/// `RtlExitUserThread`), and the loader's worker threads can keep the process alive.
#[cold]
pub fn refuse_quietly() -> ! {
    fast_fail()
}

/// `Table` programs: refuses to run (see `refuse`) unless the kernel's build number
/// (`KUSER_SHARED_DATA.NtBuildNumber`, which compatibility shims do not change) is one of
/// `builds` and system call stubs use `syscall` (`KUSER_SHARED_DATA.SystemCall` bit 0 clear:
/// Wine sets it, and so does Windows when it wants `int 2Eh`). Without `message`, the refusal
/// is [`refuse_quietly`].
#[inline(always)]
pub fn check_table(builds: &[u16], message: bool) {
    // SAFETY: KUSER_SHARED_DATA is mapped read-only at 0x7FFE0000 in every x64 process (Wine
    // included); NtBuildNumber is the 32-bit field at 0x260 (zero before Windows 10) and
    // SystemCall the one at 0x308. Volatile: the kernel owns the page.
    let (build, int2e) = unsafe {
        (
            core::ptr::read_volatile((KUSER_SHARED_DATA + KUSER_NT_BUILD_NUMBER) as *const u16),
            core::ptr::read_volatile((KUSER_SHARED_DATA + KUSER_SYSTEM_CALL) as *const u8) & 1,
        )
    };
    let listed = listed(builds, build);
    if !message && (int2e != 0 || !listed) {
        refuse_quietly();
    }
    if int2e != 0 {
        refuse(
            b"tiny: system calls do not use syscall here (Wine?): build in Runtime mode\n",
            EXIT_BUILD_UNSUPPORTED,
        );
    }
    if !listed {
        refuse(
            b"tiny: this Windows build is not in the system call table\n",
            EXIT_BUILD_UNSUPPORTED,
        );
    }
}

/// Whether `build` is one of `builds` (`check_table`'s search; public for the tests):
/// `repne scasw`, 17 bytes with its operands where the loop LLVM writes for `contains` is a
/// 37-byte function and its call.
#[inline(always)]
pub fn listed(builds: &[u16], build: u16) -> bool {
    if builds.is_empty() {
        return false; // `repne` would not run and leave the flag unset (folds away: the list is a constant)
    }
    let found: u8;
    // SAFETY: reads `builds` only (`rdi` walks it, `rcx` counts it down); the direction flag
    // is clear, as the x64 calling convention guarantees.
    unsafe {
        core::arch::asm!(
            "repne scasw",
            "sete {found}",
            found = out(reg_byte) found,
            inout("rdi") builds.as_ptr() => _,
            inout("rcx") builds.len() => _,
            in("ax") build,
            options(nostack, readonly, pure),
        );
    }
    found != 0
}

/// Declares `NtReadFile`/`NtWriteFile`-shaped functions: handle, event, APC routine, APC
/// context, I/O status, buffer, length, byte offset, key.
macro_rules! nt_io {
    ($($name:ident = $symbol:expr),*) => {
        #[allow(clippy::too_many_arguments)]
        unsafe extern "system" {
            $(#[link_name = $symbol]
            fn $name(h: usize, event: usize, apc: usize, context: usize, iosb: *mut IoStatus,
                buf: usize, len: u32, offset: usize, key: usize) -> i32;)*
        }
    };
}

// The ntdll functions, defined by the generated code (see the module docs) under the names of
// the contract (`tiny_abi::nt_symbol!`, `tiny_abi::ntr_symbol!`). Signatures are the documented
// C ones; the `ntr_*` functions are the loaded ntdll's own exports in every mode.
nt_io!(
    nt_read_file = tiny_abi::nt_symbol!("NtReadFile"),
    nt_write_file = tiny_abi::nt_symbol!("NtWriteFile"),
    ntr_write_file = tiny_abi::ntr_symbol!("NtWriteFile")
);
unsafe extern "system" {
    #[link_name = tiny_abi::nt_symbol!("NtWaitForSingleObject")]
    fn nt_wait_for_single_object(h: usize, alertable: u8, timeout: usize) -> i32;
    #[link_name = tiny_abi::nt_symbol!("NtOpenFile")]
    fn nt_open_file(
        h: *mut usize,
        access: u32,
        attributes: *const ObjectAttributes,
        iosb: *mut IoStatus,
        share: u32,
        options: u32,
    ) -> i32;
    #[link_name = tiny_abi::nt_symbol!("NtClose")]
    fn nt_close(h: usize) -> i32;
    #[link_name = tiny_abi::nt_symbol!("NtCreateFile")]
    fn nt_create_file(
        h: *mut usize,
        access: u32,
        attributes: *const ObjectAttributes,
        iosb: *mut IoStatus,
        allocation_size: usize,
        file_attributes: u32,
        share: u32,
        disposition: u32,
        options: u32,
        ea: usize,
        ea_len: u32,
    ) -> i32;
    #[link_name = tiny_abi::nt_symbol!("NtQueryVolumeInformationFile")]
    fn nt_query_volume_information_file(
        h: usize,
        iosb: *mut IoStatus,
        info: *mut u32,
        len: u32,
        class: u32,
    ) -> i32;
    #[link_name = tiny_abi::nt_symbol!("NtQueryInformationFile")]
    fn nt_query_information_file(
        h: usize,
        iosb: *mut IoStatus,
        info: *mut u64,
        len: u32,
        class: u32,
    ) -> i32;
    #[link_name = tiny_abi::nt_symbol!("RtlAllocateHeap")]
    fn rtl_allocate_heap(heap: usize, flags: u32, size: usize) -> *mut u8;
    #[link_name = tiny_abi::nt_symbol!("RtlReAllocateHeap")]
    fn rtl_reallocate_heap(heap: usize, flags: u32, ptr: *mut u8, size: usize) -> *mut u8;
    #[link_name = tiny_abi::nt_symbol!("RtlFreeHeap")]
    fn rtl_free_heap(heap: usize, flags: u32, ptr: *mut u8) -> u8;
    #[link_name = tiny_abi::nt_symbol!("RtlDosPathNameToNtPathName_U")]
    fn rtl_dos_path_name_to_nt_path_name_u(
        dos: *const u16,
        nt: *mut UnicodeString,
        part: usize,
        relative: usize,
    ) -> u8;
    #[link_name = tiny_abi::nt_symbol!("RtlFreeUnicodeString")]
    fn rtl_free_unicode_string(s: *mut UnicodeString);
    #[link_name = tiny_abi::nt_symbol!("RtlUnicodeToUTF8N")]
    fn rtl_unicode_to_utf8n(
        dst: *mut u8,
        max: u32,
        written: *mut u32,
        src: *const u16,
        len: u32,
    ) -> i32;
    #[link_name = tiny_abi::nt_symbol!("RtlUTF8ToUnicodeN")]
    fn rtl_utf8_to_unicode_n(
        dst: *mut u16,
        max: u32,
        written: *mut u32,
        src: *const u8,
        len: u32,
    ) -> i32;
    #[link_name = tiny_abi::ntr_symbol!("NtTerminateProcess")]
    fn ntr_terminate_process(process: usize, status: i32) -> i32;
}

// `__tiny_init`, the start-up code of `Runtime` records (see tiny-build's
// `codegen/windows.rs`): each function the program calls through the loaded ntdll is a 12-byte
// record `mov rax, imm64; jmp rax` in a `.text$tiny_init_*` section, whose immediate holds the
// export's name hash (and a reference that keeps `__tiny_resolve` linked) until start-up writes
// the export's address there. lld-link sorts the `.text$tiny_init_*` sections by name and puts
// them one after the other with no gap (they have byte alignment): the `__tiny_init` label,
// `__tiny_resolve` (`a1`) and the generated refusal that ends at `__tiny_records` (`a2`) when
// any record was kept, the records (`b1`, `b2`: the refusal's
// `NtWriteFile` and `NtTerminateProcess`; `n`: other system calls; `r`: functions that are
// not system calls), and a `ret`. A program that keeps no
// record carries only the `ret`. The records are written at start, in the image's one
// read-write-execute section.
core::arch::global_asm!(
    concat!(".section ", tiny_abi::init_section!("a"), ",\"xr\""),
    concat!(".globl ", tiny_abi::start_symbol!("init")),
    concat!(tiny_abi::start_symbol!("init"), ":"),
    concat!(".section ", tiny_abi::init_section!("z"), ",\"xr\""),
    "ret",
    ".text",
);

unsafe extern "C" {
    /// Runs the start-up code (see above): fills in every `Runtime` record the program kept.
    #[link_name = tiny_abi::start_symbol!("init")]
    fn init_records();
}

/// The start-up piece of a `#[tiny::ctor]` (see tiny-macros' `ctor`): in `$section` (a
/// `tiny_abi::WINDOWS_CTOR_SECTION`), which lld-link sorts into the start-up chain after the
/// records; entered with the stack of the chain's caller (`rsp` 8 past a multiple of 16), it
/// calls `$wrapper` with the alignment and the 32-byte shadow space of the Windows x64 calling
/// convention and falls through into what follows. 14 bytes; its first byte is not a record's
/// (`RECORD_HEAD`), so the start-up code's walk over the records stops before it.
#[doc(hidden)]
#[macro_export]
macro_rules! __tiny_ctor_piece {
    ($wrapper:ident, $section:literal) => {
        ::core::arch::global_asm!(
            concat!(".section ", $section, ",\"xr\""),
            ".p2align 0",
            "push rax",      // the alignment of a call
            "sub rsp, 0x20", // the shadow space
            "call {f}",
            "add rsp, 0x28",
            ".text",
            f = sym $wrapper,
        );
    };
}

/// Called by a constructor's wrapper before the constructor: nothing to keep on Windows,
/// whose arguments come from the PEB.
///
/// # Safety
/// None needed; `unsafe` for the same signature as on Linux.
#[inline(always)]
pub unsafe fn enter_ctor(sp: *const usize) {
    let _ = sp;
}

/// Fills in the `Runtime` records the program kept (see `__tiny_init`): once, at start, before
/// anything calls ntdll.
///
/// # Safety
/// Once, from the entry point, before any record is called.
#[inline(always)]
pub unsafe fn init() {
    // SAFETY: the start-up code only reads the PEB, ntdll's headers and export tables, and
    // writes the records (see `__tiny_resolve`); the caller runs this once, first.
    unsafe { init_records() }
}

// `__tiny_resolve`: fills in the records (see `__tiny_init`). ntdll's base comes from the
// PEB's load-order list (the second module); for each record, every export name of ntdll is
// hashed as tiny-build hashed the name it wants (32-bit FNV-1a over the name and its NUL), and
// exactly one must match: none (a missing export) or two (a name that only shares the hash)
// refuse. The export must not be a forwarder (an address inside the export directory), and a
// system call's (a record whose byte 9, the top of its reference to `__tiny_resolve`, has bit
// 7 clear) must start with `mov r10, rcx; mov eax, imm32` (`4C 8B D1 B8`), the shape of a stub
// on Windows and Wine; the record then gets its address.
//
// On a refusal the lookup falls, with `r11` at the record it could not fill in, into the
// generated code's refusal (`__tiny_refusal`, in the start-up section sorted right after this
// one; see tiny-build's `codegen/windows.rs`), which ends at `__tiny_records`, where the records
// begin: `__fastfail` for refusals by exit code only; for refusals with a message, the record
// gets `__fastfail` and the program ends through the mode's message function, which needs only
// the `b1`/`b2` records (the refusal's `NtWriteFile` and `NtTerminateProcess`), which come
// first: each of them is then either filled in or leads to `__fastfail`.
//
// Assembly in a COMDAT section rather than a naked function (which rustc emits in a section the
// linker always keeps): a program with no record carries none of it.
core::arch::global_asm!(
    concat!(
        ".section ",
        tiny_abi::init_section!("a1"),
        ",\"xr\",discard,",
        tiny_abi::start_symbol!("resolve")
    ),
    concat!(".globl ", tiny_abi::start_symbol!("resolve")),
    concat!(tiny_abi::start_symbol!("resolve"), ":"),
    // rbx, rsi and rdi are the caller's
    "push rbx",
    "push rsi",
    "push rdi",
    "push {teb_peb}",
    "pop rax",
    "mov rax, gs:[rax]",              // PEB
    "mov rax, [rax + {peb_ldr}]",     // PEB_LDR_DATA
    "mov rax, [rax + {load_order}]",  // first in load order: the program
    "mov rax, [rax]",                 // second: ntdll
    "mov rdx, [rax + {dll_base}]",    // its DllBase
    "mov eax, [rdx + {e_lfanew}]",    // e_lfanew
    "mov r8d, [rdx + rax + {exports} + 4]", // export directory: size
    "mov r10d, [rdx + rax + {exports}]", // and RVA
    concat!("lea r11, [rip + ", tiny_abi::start_symbol!("records"), "]"), // the first record
    "test r10d, r10d",
    "jz 9f", // no export directory
    "add r10, rdx",
    "mov ebx, [r10 + {names}]", // AddressOfNames
    "add rbx, rdx",
    "3:",                    // the record at r11
    "mov ecx, [r10 + {number_of_names}]", // NumberOfNames: hash them from the last
    "xor r9d, r9d",          // 1 + the index of the match
    "4:",
    "jrcxz 6f",
    "dec ecx",
    "mov esi, [rbx + rcx*4]",
    "add rsi, rdx", // the export's name
    "mov edi, {fnv_offset}",
    "5:",
    "lodsb",
    "xor dil, al", // FNV-1a: the byte into the low 8 bits
    "imul edi, edi, {fnv_prime}",
    "test al, al",
    "jnz 5b",
    "cmp edi, [r11 + {imm}]", // the hash in the record
    "jne 4b",
    "test r9d, r9d",
    "jnz 9f", // a second export with this hash
    "lea r9d, [rcx + 1]",
    "jmp 4b",
    "6:",
    "dec r9d",
    "js 9f",                 // no export with this hash
    "mov esi, [r10 + {name_ordinals}]", // AddressOfNameOrdinals
    "add rsi, rdx",
    "movzx ecx, word ptr [rsi + r9*2]",
    "mov esi, [r10 + {functions}]", // AddressOfFunctions
    "add rsi, rdx",
    "mov eax, [rsi + rcx*4]",
    "add rax, rdx", // the export
    "mov rcx, rax",
    "sub rcx, r10",
    "cmp rcx, r8",
    "jb 9f", // inside the export directory: a forwarder
    "test byte ptr [r11 + {kind}], 0x80",
    "jnz 7f", // not a system call
    "cmp dword ptr [rax], {stub_head}", // mov r10, rcx; mov eax, imm32
    "jne 9f",
    "7:",
    "mov [r11 + {imm}], rax",
    "add r11, {record_size}",
    "cmp byte ptr [r11], {record_head}", // another record
    "je 3b",
    "pop rdi",
    "pop rsi",
    "pop rbx",
    "jmp r11", // on along the chain: the constructors' pieces, the final `ret`
    "9:",      // falls into `__tiny_refusal`
    ".text",
    teb_peb = const TEB_PEB,
    peb_ldr = const PEB_LDR,
    load_order = const LDR_IN_LOAD_ORDER,
    dll_base = const LDR_ENTRY_DLL_BASE,
    e_lfanew = const DOS_E_LFANEW,
    exports = const NT_EXPORT_DIRECTORY,
    names = const EXPORT_NAMES,
    number_of_names = const EXPORT_NUMBER_OF_NAMES,
    name_ordinals = const EXPORT_NAME_ORDINALS,
    functions = const EXPORT_FUNCTIONS,
    fnv_offset = const tiny_abi::windows::FNV_OFFSET,
    fnv_prime = const tiny_abi::windows::FNV_PRIME,
    imm = const tiny_abi::windows::RECORD_IMM,
    kind = const tiny_abi::windows::RECORD_KIND_BYTE,
    stub_head = const u32::from_le_bytes(tiny_abi::windows::STUB_HEAD),
    record_size = const tiny_abi::windows::RECORD_SIZE,
    record_head = const tiny_abi::windows::RECORD_HEAD[0],
);

/// The message of [`unusable_runtime`] and [`unusable_checked`].
const UNUSABLE: &[u8] = b"tiny: ntdll export missing or hooked\n";

/// `Runtime` programs: reports that an export is missing or not usable and ends the process
/// with `EXIT_NTDLL_UNUSABLE`, through the program's own `NtWriteFile` and
/// `NtTerminateProcess` (the loaded ntdll's, or `__fastfail` when those are the unusable
/// ones). The generated refusal of message builds jumps here (`__tiny_refusal`).
pub extern "C" fn unusable_runtime() -> ! {
    crate::io::eprint_bytes(UNUSABLE);
    exit(EXIT_NTDLL_UNUSABLE)
}

/// `Pinned` and `Table` programs: [`unusable_runtime`] through the refusal's own exports (the
/// program's are the pinned or numbered ones).
pub extern "C" fn unusable_checked() -> ! {
    refuse(UNUSABLE, EXIT_NTDLL_UNUSABLE)
}

/// Writes `message` to standard error through the loaded ntdll's own `NtWriteFile` and ends the
/// process with `code` (with `__fastfail` if one of the two exports is not usable).
#[cold]
#[inline(never)]
fn refuse(message: &[u8], code: i32) -> ! {
    let mut iosb = MaybeUninit::<IoStatus>::uninit();
    // SAFETY: `message` is readable; the status block lives across the call. A pending write
    // is not waited for: the process ends right after. Terminating the current process (-1)
    // touches no memory of ours.
    unsafe {
        ntr_write_file(
            handle(crate::STDERR),
            0,
            0,
            0,
            iosb.as_mut_ptr(),
            message.as_ptr() as usize,
            message.len() as u32,
            0,
            0,
        );
        ntr_terminate_process(usize::MAX, code);
    }
    fast_fail()
}

/// Ends the process at once (`__fastfail`, `int 0x29`): exit status 0xC0000409.
fn fast_fail() -> ! {
    // SAFETY: `int 0x29` raises a non-continuable fail-fast exception; nothing runs after it.
    unsafe {
        core::arch::asm!("int 0x29", in("ecx") tiny_abi::windows::FAST_FAIL_CODE, options(noreturn, nostack))
    }
}

/// `size` zeroed bytes, 16-aligned, from the process heap (`PEB.ProcessHeap`, at 0x30), never
/// freed. `HEAP_GENERATE_EXCEPTIONS`: when memory runs out, `RtlAllocateHeap` raises
/// `STATUS_NO_MEMORY` instead of returning NULL, and the unhandled exception ends the process.
///
/// The runtime's buffers come from here rather than from `.bss`: sized to what the process
/// needs, and with nothing to map past the end of a squeezed image's file.
fn heap_alloc(size: usize) -> *mut u8 {
    const HEAP_GENERATE_EXCEPTIONS_ZERO_MEMORY: u32 = 0x4 | 0x8;
    // SAFETY: the process heap is serialized, and the call only hands out new memory.
    unsafe { rtl_allocate_heap(process_heap(), HEAP_GENERATE_EXCEPTIONS_ZERO_MEMORY, size) }
}

/// `PEB.ProcessHeap`: the process heap, which the runtime's buffers, [`heap`] and the
/// `atexit` table take their memory from.
#[inline(always)]
fn process_heap() -> usize {
    // SAFETY: the PEB lives for the whole process and holds the process heap's handle.
    unsafe { *(peb().add(PEB_PROCESS_HEAP) as *const usize) }
}

/// [`crate::Heap`] on Windows: the process heap, as LIBCTINY used it (see `crate::heap`).
///
/// The heap's blocks are aligned to 16 bytes (`MEMORY_ALLOCATION_ALIGNMENT` on x64). A block
/// with a larger alignment is cut from a heap block `align` bytes longer: the first multiple of
/// `align` past the heap block's start, with the heap block's address in the word before it.
/// Such a block is resized by allocate, copy, free; others by `RtlReAllocateHeap`, which grows
/// or shrinks in place when it can. Flags 0: a failure returns null, which `alloc` reports.
pub(crate) mod heap {
    use super::{process_heap, rtl_allocate_heap, rtl_free_heap, rtl_reallocate_heap};

    /// The alignment of every process heap block on x64.
    const HEAP_ALIGN: usize = 16;

    /// `HEAP_ZERO_MEMORY`: the block's bytes are zero.
    const HEAP_ZERO_MEMORY: u32 = 8;

    /// A block of at least `size` bytes aligned to `align`, or null.
    pub(crate) fn alloc(size: usize, align: usize) -> *mut u8 {
        alloc_with(size, align, 0)
    }

    /// [`alloc`], with the block's bytes zero (the heap clears them: `HEAP_ZERO_MEMORY`).
    pub(crate) fn alloc_zeroed(size: usize, align: usize) -> *mut u8 {
        alloc_with(size, align, HEAP_ZERO_MEMORY)
    }

    /// [`alloc`] with `RtlAllocateHeap`'s `flags`.
    #[inline(never)]
    fn alloc_with(size: usize, align: usize, flags: u32) -> *mut u8 {
        if align <= HEAP_ALIGN {
            // SAFETY: the process heap is serialized; the call only hands out new memory.
            return unsafe { rtl_allocate_heap(process_heap(), flags, size) };
        }
        // `size + align` does not overflow: `Layout` keeps `size` rounded up to `align` within
        // `isize::MAX`.
        // SAFETY: as above.
        let base = unsafe { rtl_allocate_heap(process_heap(), flags, size + align) };
        if base.is_null() {
            return base;
        }
        // At least 16 bytes past `base` (which is 16-aligned, and `align` ≥ 32), at most
        // `align`: the block and the word before it lie in the heap block.
        let aligned = base.wrapping_add(align - (base as usize & (align - 1)));
        // SAFETY: the word before `aligned` is in the new heap block (above), aligned to 8.
        unsafe { aligned.cast::<*mut u8>().sub(1).write(base) };
        aligned
    }

    /// The heap block behind `ptr`, a block [`alloc`] returned for `align`.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`alloc`] with `align` and is live.
    #[inline(always)]
    unsafe fn base(ptr: *mut u8, align: usize) -> *mut u8 {
        if align <= HEAP_ALIGN {
            ptr
        } else {
            // SAFETY: `alloc` wrote the heap block's address in the word before `ptr`.
            unsafe { ptr.cast::<*mut u8>().sub(1).read() }
        }
    }

    /// Gives back the block `ptr` that [`alloc`] returned for `align`.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`alloc`] (or [`realloc`]) with this `align`, and is not used after this.
    #[inline(never)]
    pub(crate) unsafe fn dealloc(ptr: *mut u8, size: usize, align: usize) {
        let _ = size;
        // SAFETY: the heap block behind `ptr` (see `base`) goes back to the heap it came from.
        unsafe { rtl_free_heap(process_heap(), 0, base(ptr, align)) };
    }

    /// Resizes the block `ptr` (allocated for `size` and `align`) to `new_size` bytes, keeping
    /// its contents up to the smaller size: the block itself or a new one, or null (the old
    /// block is then untouched).
    ///
    /// # Safety
    ///
    /// As for [`dealloc`].
    #[inline(never)]
    pub(crate) unsafe fn realloc(
        ptr: *mut u8,
        size: usize,
        align: usize,
        new_size: usize,
    ) -> *mut u8 {
        if align <= HEAP_ALIGN {
            // SAFETY: `ptr` is a live block of the process heap; on failure it is left as it was.
            return unsafe { rtl_reallocate_heap(process_heap(), 0, ptr, new_size) };
        }
        // SAFETY: as the caller promises.
        unsafe { crate::heap::move_block(ptr, size, align, new_size) }
    }
}

/// `NtReadFile` or `NtWriteFile` on `fd`: the final status and the byte count. Waits when the
/// handle is asynchronous (see the module docs). Left to LLVM to inline: a program that only
/// writes and ignores the result (hello) then computes neither part of it (16 bytes), and
/// programs that read and write keep one copy (cat and wc are the same size either way).
#[inline]
fn transfer(f: NtIo, fd: Fd, buf: usize, len: usize) -> (i32, usize) {
    let h = handle(fd);
    // Written by the kernel when the operation completes (not cleared first: it is read only
    // after a success, which fills it).
    let mut iosb = MaybeUninit::<IoStatus>::uninit();
    let len = if len > u32::MAX as usize {
        u32::MAX
    } else {
        len as u32
    };
    // SAFETY: `buf..buf+len` is a live slice of the caller's (see `read`/`write`); the status
    // block lives until the operation is complete (waited for below when pending).
    let mut status = unsafe { f(h, 0, 0, 0, iosb.as_mut_ptr(), buf, len, 0, 0) };
    if status == STATUS_PENDING {
        // SAFETY: waits on our own handle, no timeout; touches no memory of ours.
        unsafe { nt_wait_for_single_object(h, 0, 0) };
        // SAFETY: the operation is complete: the kernel has written the status block.
        status = unsafe { addr_of!((*iosb.as_ptr())[0]).read_volatile() } as i32;
    }
    if status < 0 {
        return (status, 0);
    }
    // SAFETY: a successful operation has written the status block's byte count.
    (status, unsafe { (*iosb.as_ptr())[1] })
}

/// A table that grows and is never given back (the `atexit` table): `new` bytes that keep the
/// first `old` bytes of `table`, or a new block when `table` is null; from the process heap
/// (`RtlReAllocateHeap` moves the block when it cannot grow it in place). Null when the heap
/// has no more (`table` is then unchanged).
///
/// # Safety
/// `table` is null or the result of an earlier call, and only the result is used afterwards.
#[cfg(feature = "heap")]
pub(crate) unsafe fn grow_table(table: *mut u8, old: usize, new: usize) -> *mut u8 {
    let _ = old;
    // SAFETY: the process heap is the PEB's and serialized; `table` is one of its blocks (as
    // the caller promises) or null, and the calls only hand out or resize heap blocks.
    unsafe {
        if table.is_null() {
            rtl_allocate_heap(process_heap(), 0, new)
        } else {
            rtl_reallocate_heap(process_heap(), 0, table, new)
        }
    }
}

/// The size tables grow by (see [`grow_table`]): a page, as on Linux.
#[cfg(feature = "heap")]
pub(crate) const TABLE_PAGE: usize = 4096;

/// Memory for `io::buffer`, from the process heap, called for once.
pub(crate) fn buffer_memory() -> *mut u8 {
    heap_alloc(crate::io::BUFFER_SIZE)
}

pub(crate) fn read(fd: Fd, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    match transfer(nt_read_file, fd, buf as usize, len) {
        (status, n) if status >= 0 => Ok(n),
        (STATUS_END_OF_FILE | STATUS_PIPE_BROKEN, _) => Ok(0),
        (status, _) => Err(Errno::new(errno::from_status(status))),
    }
}

pub(crate) fn write(fd: Fd, buf: *const u8, len: usize) -> Result<usize, Errno> {
    match transfer(nt_write_file, fd, buf as usize, len) {
        (status, n) if status >= 0 => Ok(n),
        (status, _) => Err(Errno::new(errno::from_status(status))),
    }
}

/// Writes the NUL-terminated string at `s` to `fd`, as `io::write_all` does. One shared
/// function: error messages call it several times.
///
/// # Safety
/// `s` must point to a NUL-terminated string.
#[inline(never)]
pub(crate) unsafe fn puts(fd: Fd, s: *const u8) -> Result<(), Errno> {
    // SAFETY: as the caller promises; the bytes before the NUL are readable for the call.
    unsafe {
        let len = crate::env::c_len(s);
        crate::io::write_all(fd, core::slice::from_raw_parts(s, len))
    }
}

/// Opens the file at the NUL-terminated UTF-8 `path` for reading: see [`open_path`], with
/// `NtOpenFile` for synchronous reading of a non-directory.
pub(crate) fn open_read(path: *const u8) -> Result<Fd, Errno> {
    open_path(path, |attributes, h, iosb| {
        // SAFETY: every pointer is to a live local of `open_path`; synchronous, so nothing is
        // written later.
        unsafe {
            nt_open_file(
                h,
                FILE_GENERIC_READ,
                attributes,
                iosb,
                FILE_SHARE_ALL,
                OPEN_OPTIONS,
            )
        }
    })
}

/// Opens `path` as `options` say (see `crate::fs::OpenOptions`): [`open_path`], with
/// `NtCreateFile` for synchronous I/O on a non-directory. The access is `FILE_GENERIC_READ`
/// and/or `FILE_GENERIC_WRITE`, or for appending `FILE_APPEND_DATA` without `FILE_WRITE_DATA`
/// (every write then goes to the end of the file); the disposition is the one
/// `CreateFileW` takes for the same choice (`FILE_CREATE` for `create_new`, `FILE_OVERWRITE_IF`
/// for `create` with `truncate`, `FILE_OPEN_IF`, `FILE_OVERWRITE`, `FILE_OPEN`).
pub(crate) fn open_with(path: *const u8, options: &crate::fs::OpenOptions) -> Result<Fd, Errno> {
    const FILE_GENERIC_WRITE: u32 = 0x0012_0116;
    /// `FILE_APPEND_DATA | FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA | READ_CONTROL | SYNCHRONIZE`.
    const FILE_APPEND: u32 = 0x0012_0114;
    const FILE_ATTRIBUTE_NORMAL: u32 = 0x80;
    let (open, create, overwrite, open_if, overwrite_if) = (1, 2, 4, 3, 5);
    let mut access = if options.read { FILE_GENERIC_READ } else { 0 };
    if options.append {
        access |= FILE_APPEND;
    } else if options.write {
        access |= FILE_GENERIC_WRITE;
    }
    let disposition = match (options.create_new, options.create, options.truncate) {
        (true, _, _) => create,
        (_, true, true) => overwrite_if,
        (_, true, false) => open_if,
        (_, false, true) => overwrite,
        _ => open,
    };
    open_path(path, |attributes, h, iosb| {
        // SAFETY: every pointer is to a live local of `open_path`; no allocation size, no
        // extended attributes; synchronous, so nothing is written later.
        unsafe {
            nt_create_file(
                h,
                access,
                attributes,
                iosb,
                0,
                FILE_ATTRIBUTE_NORMAL,
                FILE_SHARE_ALL,
                disposition,
                OPEN_OPTIONS,
                0,
                0,
            )
        }
    })
}

/// Opens the file at the NUL-terminated UTF-8 `path` with `open`, which gets the object
/// attributes naming it ([`with_nt_path`]) and the handle and I/O status block to fill.
#[inline(always)]
fn open_path(
    path: *const u8,
    open: impl FnOnce(*const ObjectAttributes, *mut usize, *mut IoStatus) -> i32,
) -> Result<Fd, Errno> {
    let (mut h, mut iosb): (usize, IoStatus) = (0, [0; 2]);
    // SAFETY: `path` is NUL-terminated (the callers' `io::open`/`fs::AsPath`).
    let status = unsafe { with_nt_path(path, |attributes| open(attributes, &mut h, &mut iosb)) }?;
    if status < 0 {
        Err(Errno::new(errno::from_status(status)))
    } else {
        Ok(Fd(h as i32))
    }
}

/// Calls `f` with the object attributes (case-insensitive, as Win32 opens files) of the
/// NUL-terminated UTF-8 path at `path`: converted to UTF-16 with `RtlUTF8ToUnicodeN` (malformed
/// UTF-8 becomes U+FFFD; too long: `ENAMETOOLONG`), then to an NT path with
/// `RtlDosPathNameToNtPathName_U` (relative paths, the current directory, drive letters, UNC and
/// `\\?\` paths, as Win32 does; none: `ENOENT`).
///
/// # Safety
/// `path` points to a NUL-terminated string.
#[inline(always)]
pub(crate) unsafe fn with_nt_path<R>(
    path: *const u8,
    f: impl FnOnce(&ObjectAttributes) -> R,
) -> Result<R, Errno> {
    /// Units of the UTF-16 path buffer: the longest NT path (32767 units) and its NUL.
    const WIDE_UNITS: usize = 32768;
    /// The path buffer, allocated on first use and kept.
    static WIDE: AtomicPtr<u16> = AtomicPtr::new(core::ptr::null_mut());
    // SAFETY: `path` is NUL-terminated (the caller's duty).
    let bytes = unsafe { CStr::from_ptr(path.cast()) }.to_bytes();
    let mut wide = WIDE.load(Relaxed);
    if wide.is_null() {
        wide = heap_alloc(2 * WIDE_UNITS).cast();
        WIDE.store(wide, Relaxed);
    }
    let mut written = 0u32;
    // SAFETY: `wide` is a heap block of `WIDE_UNITS` units used only here, by one thread; the
    // conversion writes at most `WIDE_UNITS - 1` of them (and says how many), and the NUL goes
    // after them. Malformed UTF-8 becomes U+FFFD (STATUS_SOME_NOT_MAPPED, a success).
    unsafe {
        let max = 2 * (WIDE_UNITS as u32 - 1);
        if rtl_utf8_to_unicode_n(wide, max, &mut written, bytes.as_ptr(), bytes.len() as u32) < 0 {
            return Err(Errno::NAMETOOLONG); // STATUS_BUFFER_TOO_SMALL
        }
        *wide.add(written as usize / 2) = 0;
    }
    let mut nt = UnicodeString {
        len: 0,
        max: 0,
        buf: core::ptr::null_mut(),
    };
    // SAFETY: `wide` is NUL-terminated; `nt` receives a heap-allocated copy (freed below).
    if unsafe { rtl_dos_path_name_to_nt_path_name_u(wide, &mut nt, 0, 0) } == 0 {
        return Err(Errno::NOENT); // e.g. an empty path, as on Linux
    }
    let attributes = ObjectAttributes {
        len: size_of::<ObjectAttributes>() as u32,
        root: 0,
        name: &nt,
        attributes: OBJ_CASE_INSENSITIVE,
        security_descriptor: 0,
        security_qos: 0,
    };
    let r = f(&attributes);
    // SAFETY: `nt` was allocated by `RtlDosPathNameToNtPathName_U` from the process heap.
    unsafe { rtl_free_unicode_string(&mut nt) };
    Ok(r)
}

/// The size of the regular file open as `fd`, `None` for anything else: a file on a file system
/// (`NtQueryVolumeInformationFile`, `FileFsDeviceInformation`: a disk, CD-ROM, network or
/// virtual-disk device or file system — Windows reports `FILE_DEVICE_DISK`, Wine
/// `FILE_DEVICE_DISK_FILE_SYSTEM`; pipes, consoles and `NUL` are other types) that is not a
/// directory (`NtQueryInformationFile`, `FileStandardInformation`: `EndOfFile`).
pub(crate) fn file_size(fd: Fd) -> Result<Option<u64>, Errno> {
    const FILE_FS_DEVICE_INFORMATION: u32 = 4;
    const FILE_STANDARD_INFORMATION: u32 = 5;
    /// `FILE_DEVICE_CD_ROM`, `…_CD_ROM_FILE_SYSTEM`, `…_DFS`, `…_DISK`, `…_DISK_FILE_SYSTEM`,
    /// `…_NETWORK_FILE_SYSTEM`, `…_VIRTUAL_DISK`.
    const FILE_SYSTEM_DEVICES: [u32; 7] = [2, 3, 6, 7, 8, 0x14, 0x24];
    let h = handle(fd);
    let mut iosb: IoStatus = [0; 2];
    // FILE_FS_DEVICE_INFORMATION: DeviceType, Characteristics.
    let mut device = [0u32; 2];
    // SAFETY: the buffers live across the call and are as large as the lengths given.
    let status = unsafe {
        nt_query_volume_information_file(
            h,
            &mut iosb,
            device.as_mut_ptr(),
            8,
            FILE_FS_DEVICE_INFORMATION,
        )
    };
    if status < 0 {
        return Err(Errno::new(errno::from_status(status)));
    }
    if !FILE_SYSTEM_DEVICES.contains(&device[0]) {
        return Ok(None);
    }
    // FILE_STANDARD_INFORMATION: AllocationSize, EndOfFile, then NumberOfLinks (4 bytes),
    // DeletePending and Directory (a byte each).
    let mut info = [0u64; 3];
    // SAFETY: as above.
    let status = unsafe {
        nt_query_information_file(
            h,
            &mut iosb,
            info.as_mut_ptr(),
            24,
            FILE_STANDARD_INFORMATION,
        )
    };
    if status < 0 {
        return Err(Errno::new(errno::from_status(status)));
    }
    let directory = info[2].to_le_bytes()[5] != 0;
    Ok((!directory).then_some(info[1]))
}

pub(crate) fn close(fd: Fd) -> Result<(), Errno> {
    // SAFETY: closing a handle touches no memory of ours.
    let status = unsafe { nt_close(handle(fd)) };
    if status < 0 {
        Err(Errno::new(errno::from_status(status)))
    } else {
        Ok(())
    }
}

#[inline(always)]
pub(crate) fn exit(code: i32) -> ! {
    // SAFETY: `__tiny_exit` only terminates the current process (see below); it touches no
    // memory of ours.
    unsafe { tiny_exit(code) }
}

unsafe extern "win64" {
    /// `NtTerminateProcess(-1, code)`; if that ever returned, `__fastfail`.
    #[link_name = tiny_abi::start_symbol!("exit")]
    fn tiny_exit(code: i32) -> !;
}

// `__tiny_exit`: ends the process with the code in `ecx`, through the program's
// `NtTerminateProcess` (a record, a copied stub or a numbered one, as the mode makes it); if
// that returned, `__fastfail` (`int 0x29`; whatever `ecx` then holds is only the code the
// failure reports). Assembly because LLVM gives the same in 27 bytes with a frame it never
// needs: the process ends here, so the stack is only aligned for the call (`push`), and the
// shadow space the callee may write is the caller's frame, which is never returned to. In a
// COMDAT section: only programs that exit through it carry it.
core::arch::global_asm!(
    concat!(
        ".section .text$tiny_exit,\"xr\",discard,",
        tiny_abi::start_symbol!("exit")
    ),
    concat!(".globl ", tiny_abi::start_symbol!("exit")),
    concat!(tiny_abi::start_symbol!("exit"), ":"),
    "push rax", // rsp a multiple of 16 at the call, as the calling convention wants
    "mov edx, ecx",
    "or rcx, -1", // the current process
    concat!("call ", tiny_abi::nt_symbol!("NtTerminateProcess")),
    "int 0x29",
    ".text",
);

/// `(argc, argv)`, split from the process's UTF-16 command line on first use (see
/// [`cmdline::split`]) into heap blocks sized for it.
pub(crate) fn argv() -> (usize, *const *const u8) {
    static ARGC: AtomicUsize = AtomicUsize::new(0);
    static ARGV: AtomicPtr<*const u8> = AtomicPtr::new(core::ptr::null_mut());
    let mut argc = ARGC.load(Relaxed);
    if argc == 0 {
        let p = params();
        // SAFETY: CommandLine is the UNICODE_STRING at 0x70 of the process parameters: a length
        // in bytes and a buffer that lives for the whole process (or NULL, with length 0).
        let (bytes, units) = unsafe {
            (
                *(p.add(PARAMS_COMMAND_LINE) as *const u16),
                *(p.add(PARAMS_COMMAND_LINE + 8) as *const *const u16),
            )
        };
        let len = usize::from(bytes) / 2;
        let (text_len, argv_len) = (cmdline::split_buffer_len(len), cmdline::split_argv_len(len));
        let text = heap_alloc(text_len);
        let argv = heap_alloc(argv_len * size_of::<*const u8>()).cast::<*const u8>();
        let mut written = 0u32;
        // SAFETY: `text` has room for the UTF-8 of `len` units (3 bytes each) and keeps its last
        // (zeroed) byte as the NUL; `units` holds `bytes` bytes. An unpaired surrogate becomes
        // U+FFFD (STATUS_SOME_NOT_MAPPED, a success); a failure leaves an empty command line.
        unsafe {
            rtl_unicode_to_utf8n(
                text,
                text_len as u32 - 1,
                &mut written,
                units,
                u32::from(bytes),
            )
        };
        // SAFETY: two new heap blocks, referenced nowhere else and written only here, once
        // (`ARGC` is non-zero afterwards): the text, NUL-terminated by its last zeroed byte
        // (the conversion writes at most `text_len - 1` bytes), and `split_argv_len(len)`
        // pointers for a command line of `len` units (the UTF-8 has more bytes than units only
        // for characters that are not separators).
        argc = unsafe { cmdline::split(text, argv) };
        ARGV.store(argv, Relaxed);
        ARGC.store(argc, Relaxed);
    }
    (argc, ARGV.load(Relaxed))
}

/// `RTL_USER_PROCESS_PARAMETERS.Environment`: the process's environment block, UTF-16
/// `NAME=VALUE` strings each ended by a NUL unit, the block by an empty string.
const PARAMS_ENVIRONMENT: usize = 0x80;

/// The environment as `envp` is on Linux: a NULL-terminated array of NUL-terminated WTF-8
/// `NAME=VALUE` strings, converted from the UTF-16 block on first use into heap blocks sized
/// for it (see `crate::env`).
pub(crate) fn environ() -> *const *const u8 {
    static ENVP: AtomicPtr<*const u8> = AtomicPtr::new(core::ptr::null_mut());
    let envp = ENVP.load(Relaxed);
    if !envp.is_null() {
        return envp;
    }
    // SAFETY: the process parameters hold the environment block's address at
    // `PARAMS_ENVIRONMENT`; the block lives for the process (nothing here changes it).
    let block = unsafe { *(params().add(PARAMS_ENVIRONMENT) as *const *const u16) };
    // The block's length in units, its last NUL excluded, and its number of strings.
    let (mut len, mut count) = (0usize, 0usize);
    if !block.is_null() {
        // SAFETY: the block ends with an empty string: the walk stops at its NUL.
        while unsafe { *block.add(len) } != 0 {
            // SAFETY: inside the current string, which ends with a NUL.
            while unsafe { *block.add(len) } != 0 {
                len += 1;
            }
            len += 1;
            count += 1;
        }
    }
    // WTF-8 takes at most 3 bytes per UTF-16 unit (4 for a pair of 2), NULs 1.
    let text = heap_alloc(len * 3 + 1);
    let envp = heap_alloc((count + 1) * size_of::<*const u8>()).cast::<*const u8>();
    let (mut at, mut n) = (0usize, 0usize);
    let mut i = 0;
    while i < len {
        // SAFETY: `n < count`: one pointer per string; `at` stays within `len * 3` (see
        // above); `i < len` reads inside the block.
        unsafe { *envp.add(n) = text.add(at) };
        n += 1;
        loop {
            // SAFETY: `i` is inside the block (every string ends with a NUL before `len`).
            let unit = unsafe { *block.add(i) };
            i += 1;
            if unit == 0 {
                break;
            }
            let next = if i < len {
                // SAFETY: `i < len`.
                unsafe { *block.add(i) }
            } else {
                0
            };
            let c = if (0xD800..0xDC00).contains(&unit) && (0xDC00..0xE000).contains(&next) {
                i += 1;
                0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(next) - 0xDC00)
            } else {
                u32::from(unit) // an unpaired surrogate stays as it is (WTF-8)
            };
            // SAFETY: at most 4 bytes for 2 units, 3 for 1: inside `text` (see above).
            at += unsafe { wtf8(c, text.add(at)) };
        }
        at += 1; // the NUL: the block is zeroed
    }
    // the array's last pointer is NULL: zeroed by `heap_alloc`
    ENVP.store(envp, Relaxed);
    envp
}

/// Writes the code point (or lone surrogate) `c` as UTF-8 at `out`; the byte count.
///
/// # Safety
/// `out` has room for 4 bytes.
unsafe fn wtf8(c: u32, out: *mut u8) -> usize {
    let (len, first) = match c {
        0..=0x7F => (1, 0),
        0x80..=0x7FF => (2, 0xC0),
        0x800..=0xFFFF => (3, 0xE0),
        _ => (4, 0xF0),
    };
    let mut rest = c;
    for k in (1..len).rev() {
        // SAFETY: `k < len <= 4`, inside the caller's 4 bytes.
        unsafe { *out.add(k) = 0x80 | (rest & 0x3F) as u8 };
        rest >>= 6;
    }
    // SAFETY: the first of the caller's 4 bytes.
    unsafe { *out = first | rest as u8 };
    len
}

/// The Rust side of the entry point: runs `main`, exits with its code.
///
/// # Safety
/// Must be called once, from the program's entry point. `sp` is not used on Windows (the
/// arguments come from the PEB).
#[inline(always)]
pub unsafe fn start(sp: *const usize, main: fn() -> i32) -> ! {
    let _ = sp;
    crate::process::exit(main())
}

// `_Unwind_Resume`: the cleanup code of the precompiled `alloc` (built for unwinding, e.g. in
// `alloc::fmt::format`) calls it to go on unwinding after a drop. With `panic = "abort"`
// nothing unwinds, so it is never called; it is a trap, in a COMDAT section of its own that the
// linker keeps only when something refers to it.
core::arch::global_asm!(
    ".section .text$tiny_unwind_resume,\"xr\",discard,_Unwind_Resume",
    ".globl _Unwind_Resume",
    "_Unwind_Resume:",
    "ud2",
    ".text",
);

// `rust_eh_personality`: the unwind tables of that code (`.xdata`, which the image leaves out)
// name it; never called either (the ELF link script defines it as 0 for the same reason).
core::arch::global_asm!(
    ".section .text$tiny_eh_personality,\"xr\",discard,rust_eh_personality",
    ".globl rust_eh_personality",
    "rust_eh_personality:",
    "ud2",
    ".text",
);

// `__chkstk` for the msvc target, which LLVM calls in the prologue of a function whose frame
// is larger than a page (the msvc CRT provides it, and tiny programs have none): it touches
// every page from the caller's stack pointer down to `rsp - rax`, in order, so that Windows
// grows the stack one guard page at a time. `rax` (the frame size) and every other register
// are preserved; the caller subtracts `rax` from `rsp` itself. In its own COMDAT section, so
// only programs that call it carry it.
#[cfg(target_env = "msvc")]
core::arch::global_asm!(
    ".section .text$tiny_chkstk,\"xr\",discard,__chkstk",
    ".globl __chkstk",
    "__chkstk:",
    "push rcx",            // saved; rcx walks the pages
    "push rax",            // saved; rax counts what is left
    "lea rcx, [rsp + 24]", // the caller's rsp: above our two pushes and the return address
    "2:",
    "cmp rax, 0x1000",
    "jb 3f", // less than a page left
    "sub rcx, 0x1000",
    "test [rcx], rcx", // touch the next page down
    "sub rax, 0x1000",
    "jmp 2b",
    "3:",
    "sub rcx, rax",
    "test [rcx], rcx", // touch the last, partial page
    "pop rax",
    "pop rcx",
    "ret",
    ".text",
);
