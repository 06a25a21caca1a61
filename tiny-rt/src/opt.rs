//! Command-line options: short options as GNU `getopt` reads them.

use core::ffi::CStr;

use crate::{Args, Errno, Fd, ZStr};

/// A walk over the program's arguments (after its name) that reads short options and yields
/// the operands, as GNU `getopt` does for an option string of letters without arguments:
///
/// - an argument that starts with `-` (but is not `-` alone) is a group of option letters
///   (`-l`, `-lw`); options may come anywhere before `--`, which ends them (and is not an
///   operand);
/// - a letter not in the set, or a long option (`--name`: none are known), ends the program
///   with GNU's message on standard error and exit code 1:
///   `PROG: invalid option -- 'x'` or `PROG: unrecognized option '--name'`, then
///   `Try 'PROG --help' for more information.`
///
/// ```ignore
/// let mut opts = tiny::opt::Options::new(c"lwc");
/// while let Some(file) = opts.next() { /* … */ }
/// let lines = opts.flags() & 1 != 0; // `-l` given before or among the files
/// ```
///
/// On Linux x86-64 the walk is one small shared routine.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct Options {
    /// The argument the walk is at.
    args: Args,
    /// The option letters, NUL-terminated.
    letters: *const u8,
    /// Where the walk started: right after `argv[0]` (the program name, for the messages).
    first: Args,
    /// Bit `i`: `letters[i]` was given.
    flags: u32,
    /// `--` has been seen.
    done: bool,
}

// The offsets `tiny_opt_skip` uses.
const _: () = {
    assert!(core::mem::offset_of!(Options, args) == 0);
    assert!(core::mem::offset_of!(Options, letters) == 8);
    assert!(core::mem::offset_of!(Options, first) == 16);
    assert!(core::mem::offset_of!(Options, flags) == 24);
    assert!(core::mem::offset_of!(Options, done) == 28);
};

impl Options {
    /// A walk over the arguments after the program name, with the option letters `letters`.
    ///
    /// # Panics
    /// If there are more than 32 letters (for a literal, the check costs nothing).
    #[inline(always)]
    pub fn new(letters: &'static CStr) -> Options {
        assert!(letters.count_bytes() <= 32, "more than 32 option letters");
        let args = crate::operands();
        Options {
            first: args.clone(),
            args,
            letters: letters.as_ptr().cast(),
            flags: 0,
            done: false,
        }
    }

    /// Starts the walk again from the first argument (the options read so far are kept).
    #[inline(always)]
    pub fn rewind(&mut self) {
        self.args = self.first.clone();
        self.done = false;
    }

    /// The options read so far: bit `i` is set when `letters[i]` was given.
    #[inline(always)]
    pub fn flags(&self) -> u32 {
        self.flags
    }

    /// Reads the options up to the next operand (or the end), leaving the walk at it.
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    #[inline(always)]
    fn skip_options(&mut self) {
        // SAFETY: `self` is an `Options` (its layout is `repr(C)`, as the routine reads it):
        // `args` walks the NULL-terminated argv array, `letters` points to a NUL-terminated
        // string of at most 32 letters (so that a letter's bit is inside `flags`), and
        // `first` is where the walk started, right after `argv[0]` (which is a string
        // whenever there is an argument, the only time the routine reads it).
        // `tiny_opt_skip` reads only those, writes only `self`, and follows the convention
        // these operands state; the calls it makes on a bad option (which never return) use
        // the stack, which the asm block allows.
        unsafe {
            core::arch::asm!(
                "call {f}",
                f = sym tiny_opt_skip,
                in("rdi") self as *mut Options,
                out("rax") _,
                out("rcx") _,
                out("rdx") _,
                out("rsi") _,
                out("r8") _,
            );
        }
    }

    /// Reads the options up to the next operand (or the end), leaving the walk at it.
    #[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
    #[inline(never)]
    fn skip_options(&mut self) {
        use crate::{STDERR, write_all, write_z};
        loop {
            let mut ahead = self.args.clone();
            let Some(arg) = ahead.next_z() else {
                return;
            };
            let Some((b'-', flags)) = arg.split_first() else {
                return;
            };
            if self.done || flags.is_empty() {
                return;
            }
            self.args = ahead;
            let mut rest = flags;
            let (what, bad): (&CStr, &[u8]) = 'bad: loop {
                let Some((flag, more)) = rest.split_first() else {
                    break 'bad (c"", b"");
                };
                if flag == b'-' && rest == flags {
                    if !more.is_empty() {
                        break 'bad (c": unrecognized option '", arg.to_bytes());
                    }
                    self.done = true;
                    break 'bad (c"", b"");
                }
                // SAFETY: `letters` is a NUL-terminated string that lives for the program.
                let letters = unsafe { CStr::from_ptr(self.letters.cast()) }.to_bytes();
                match letters.iter().position(|&l| l == flag) {
                    Some(i) => self.flags |= 1 << i,
                    None => {
                        let bad = rest.to_bytes();
                        break 'bad (c": invalid option -- '", bad.get(..1).unwrap_or_default());
                    }
                }
                rest = more;
            };
            if !bad.is_empty() {
                let prog = crate::env::program();
                let _ = write_z(STDERR, prog);
                let _ = write_z(STDERR, ZStr::new(what));
                let _ = write_all(STDERR, bad);
                let _ = write_all(STDERR, b"'\nTry '");
                let _ = write_z(STDERR, prog);
                let _ = write_all(STDERR, b" --help' for more information.\n");
                crate::exit(1);
            }
        }
    }
}

/// Opens the file an operand names, for reading: `-` is standard input, as POSIX utilities
/// read their operands.
///
/// On Linux x86-64 this is one small shared routine.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[inline(always)]
pub fn open(name: ZStr) -> Result<Fd, Errno> {
    let ret: isize;
    // SAFETY: `name` points to a NUL-terminated string; `tiny_opt_open` reads only that string
    // (itself, and through the `open` system call), follows the convention these operands
    // state, and uses the stack only below the stack pointer (the call, a push), which the
    // asm block allows (it is not `nostack`).
    unsafe {
        core::arch::asm!(
            "call {f}",
            f = sym tiny_opt_open,
            inout("rsi") name.as_ptr() => _,
            out("rax") ret,
            out("rcx") _,
            out("rdi") _,
            out("r11") _,
            options(readonly),
        );
    }
    crate::os::check(ret).map(|fd| Fd(fd as i32))
}

/// Opens the file an operand names, for reading: `-` is standard input, as POSIX utilities
/// read their operands.
#[cfg(not(all(target_os = "linux", target_arch = "x86_64")))]
#[inline(always)]
pub fn open(name: ZStr) -> Result<Fd, Errno> {
    if name.is_dash() {
        Ok(crate::STDIN)
    } else {
        crate::open_z(name)
    }
}

// `tiny_opt_open`: `rsi` = a NUL-terminated file name. Returns `rax` = 0 (standard input) when
// it is `-`, else what `open(name, O_RDONLY)` returns (as `os::open_read`): a descriptor or
// `-errno`. Clobbers `rcx`, `rsi`, `rdi`, `r11`; on the stack, only a `push` its `pop` takes
// back.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
core::arch::global_asm!(
    tiny_abi::push_lib_section!("opt_open"),
    ".globl tiny_opt_open",
    ".hidden tiny_opt_open",
    "tiny_opt_open:",
    "xor eax, eax",
    "cmp byte ptr [rsi], '-'",
    "jne 2f",
    "cmp byte ptr [rsi + 1], al",
    "je 3f",
    "2:",
    "mov rdi, rsi",
    // O_RDONLY is 0 (asserted below); the mode (rdx) is read only with O_CREAT or O_TMPFILE
    "xor esi, esi",
    "push {open}",
    "pop rax",
    "syscall",
    "3:",
    "ret",
    ".popsection",
    open = const linux_raw_sys::general::__NR_open,
);

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const _: () = assert!(linux_raw_sys::general::O_RDONLY == 0);

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
unsafe extern "C" {
    /// See the routine above; called only through `asm!` with its convention.
    fn tiny_opt_open();
}

impl Iterator for Options {
    type Item = ZStr;

    /// The next operand, reading the options before it. A bad option ends the program (see
    /// [`Options`]).
    #[inline(always)]
    fn next(&mut self) -> Option<ZStr> {
        self.skip_options();
        self.args.next_z()
    }
}

// `tiny_opt_skip`: `rdi` = an `Options` (field offsets: args 0, letters 8, first 16, flags 24,
// done 28). Reads the options from the argument the walk is at up to the next operand, or the
// ending NULL, where it leaves the walk. Clobbers `rax`, `rcx`, `rdx`, `rsi`, `r8`. On a bad
// option it writes GNU's message through `tiny_puts` and `tiny_write_all` (tiny-rt's Linux
// primitives) and ends the process with exit code 1.
//
// In a section under tiny-build's runtime-code prefix (`.tiny.lib.*`): dropped when nothing
// calls it.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
core::arch::global_asm!(
    tiny_abi::push_lib_section!("opt"),
    ".globl tiny_opt_skip",
    ".hidden tiny_opt_skip",
    "tiny_opt_skip:",
    // the next argument, at rsi: an operand unless it is an option
    "2:",
    "mov rdx, [rdi]",
    "mov rsi, [rdx]",
    "test rsi, rsi",
    "jz 9f",
    "cmp byte ptr [rdi + 28], 0",
    "jne 9f",
    "lodsb",
    "cmp al, '-'",
    "jne 9f",
    "cmp byte ptr [rsi], 0",
    "je 9f",
    // an option: the walk goes past it
    "add qword ptr [rdi], 8",
    "cmp byte ptr [rsi], '-'",
    "jne 3f",
    "cmp byte ptr [rsi + 1], 0",
    "jne 14f",
    // `--`
    "inc byte ptr [rdi + 28]",
    "jmp 2b",
    // the letters of a group, from rsi: each sets its bit
    "3:",
    "lodsb",
    "test al, al",
    "jz 2b",
    "mov r8, [rdi + 8]",
    "xor edx, edx",
    "5:",
    "movzx ecx, byte ptr [r8 + rdx]",
    "jrcxz 13f",
    "cmp cl, al",
    "je 6f",
    "inc edx",
    "jmp 5b",
    "6:",
    "bts dword ptr [rdi + 24], edx",
    "jmp 3b",
    "9:",
    "ret",
    // an invalid letter, in al: the text is that letter, pushed on the stack as a string;
    // rcx: the message's offset from the first one
    "13:",
    "movzx eax, al",
    "push rax",
    "mov rbx, rsp",
    "xor ecx, ecx",
    "jmp 15f",
    // a long option, right before rsi: the text is the whole argument
    "14:",
    "lea rbx, [rsi - 1]",
    "push {unrecognized_at}",
    "pop rcx",
    // PROG (argv[0]: the walk started right after it), the message, the text (rbx),
    // "'\nTry '", PROG, " --help' …": a list on the stack, ended by NULL; exit code 1
    "15:",
    "lea r8, [rip + {messages}]",
    "add rcx, r8",
    "mov rdx, [rdi + 16]",
    "mov rdx, [rdx - 8]",
    "push 2",
    "pop rdi",
    "push 0",
    "lea rax, [r8 + {help_at}]",
    "push rax",
    "push rdx",
    "lea rax, [r8 + {try_at}]",
    "push rax",
    "push rbx",
    "push rcx",
    "push rdx",
    "16:",
    "pop rsi",
    "test rsi, rsi",
    "jz 17f",
    "call tiny_puts",
    "jmp 16b",
    "17:",
    "push 1",
    "pop rdi",
    "push {exit}",
    "pop rax",
    "syscall",
    ".popsection",
    exit = const linux_raw_sys::general::__NR_exit,
    messages = sym MESSAGES,
    unrecognized_at = const UNRECOGNIZED_AT,
    try_at = const TRY_AT,
    help_at = const HELP_AT,
);

/// The texts of the messages for a bad option, each NUL-terminated: GNU's words.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const TEXTS: [&str; 4] = [
    ": invalid option -- '\0",
    ": unrecognized option '\0",
    "'\nTry '\0",
    " --help' for more information.\n\0",
];

/// Where each text starts in [`MESSAGES`].
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const UNRECOGNIZED_AT: usize = TEXTS[0].len();
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const TRY_AT: usize = UNRECOGNIZED_AT + TEXTS[1].len();
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
const HELP_AT: usize = TRY_AT + TEXTS[2].len();

/// [`TEXTS`] one after the other, for `tiny_opt_skip`.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
static MESSAGES: [u8; HELP_AT + TEXTS[3].len()] = {
    let mut out = [0; HELP_AT + TEXTS[3].len()];
    let (mut t, mut o) = (0, 0);
    while t < TEXTS.len() {
        let text = TEXTS[t].as_bytes();
        let mut i = 0;
        while i < text.len() {
            out[o] = text[i];
            i += 1;
            o += 1;
        }
        t += 1;
    }
    out
};

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
unsafe extern "C" {
    /// See the routine above; called only through `asm!` with its convention.
    fn tiny_opt_skip();
}
